/* Reads X.509 certificates for the certificate-expiry rule (node:crypto; no dependency). */
import { X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '../core/rules/types.js';

export const readCertificate = (pem: string): CertificateInfo | undefined => {
  try {
    const cert = new X509Certificate(pem.trim());
    return { notAfter: new Date(cert.validTo).toISOString(), subject: cert.subject.replace(/\n/g, ', ') };
  } catch {
    return undefined;
  }
};
