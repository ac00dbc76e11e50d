/*
 * Reads X.509 certificates for the certificate-expiry rule (node:crypto; no dependency). Salesforce
 * stores the certificate of the global OAuth settings as plain base64 DER (no PEM armour), often wrapped
 * over several lines; a PEM certificate is read as well. Anything else is undefined, never a throw.
 */
import { X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '../core/rules/types.js';

/** Strict base64: whitespace allowed anywhere, padding only at the end, a whole number of quads. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const ARMOUR = '-----BEGIN CERTIFICATE-----';

/** The DER bytes of plain base64 text, or undefined when it is not strictly base64 of a DER SEQUENCE. */
const derOf = (text: string): Buffer | undefined => {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  const der = Buffer.from(compact, 'base64');
  // An X.509 certificate is a DER SEQUENCE (0x30).
  return der[0] === 0x30 ? der : undefined;
};

const infoOf = (cert: X509Certificate): CertificateInfo => ({
  notAfter: new Date(cert.validTo).toISOString(),
  subject: cert.subject.replace(/\n/g, ', '),
});

export const readCertificate = (text: string): CertificateInfo | undefined => {
  try {
    const trimmed = text.trim();
    if (trimmed.includes(ARMOUR)) return infoOf(new X509Certificate(trimmed));
    const der = derOf(trimmed);
    if (!der) return undefined;
    const cert = new X509Certificate(der);
    // Nothing may follow the certificate: bytes after it mean the text is not one certificate.
    return cert.raw.length === der.length ? infoOf(cert) : undefined;
  } catch {
    return undefined;
  }
};
