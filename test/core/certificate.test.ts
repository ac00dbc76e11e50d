/*
 * The certificate reader (src/adapters/certificate.ts) on what Salesforce writes: plain base64 DER,
 * wrapped or not, as every certificate of the corpus is; PEM as well; anything else is undefined.
 * ECA-GLB-019 then reports a real expired certificate as expired (error), not as unreadable (info).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { readCertificate } from '../../src/adapters/certificate.js';
import { buildInventory, type SourceText } from '../../src/core/project/inventory.js';
import { DEFAULT_CONFIG } from '../../src/core/rules/config.js';
import { runCheck } from '../../src/core/rules/engine.js';
import type { Finding, RuleContext } from '../../src/core/rules/types.js';
import { CORPUS, PROJECT_ROOT } from '../support/helpers.js';

const certificateOf = (text: string): string => {
  const m = /<certificate>([\s\S]*?)<\/certificate>/.exec(text);
  if (!m?.[1]) throw new Error('no certificate');
  return m[1];
};
const corpusFile = (kind: string, name: string): string => readFileSync(join(CORPUS, kind, name), 'utf8');

// RamiroHernandez/CICD (PROVENANCE.tsv): the corpus's one ECA global OAuth settings file with a certificate, base64 wrapped at 64 columns.
const SOLU = ['SOLU_CI_CD.eca-meta.xml', 'SOLU_CI_CD_glbloauth.ecaGlblOauth-meta.xml', 'SOLU_CI_CD_oauthPlcy.ecaOauthPlcy-meta.xml', 'SOLU_CI_CD_plcy.ecaPlcy-meta.xml'].map(
  (f) => `RamiroHernandez__CICD__${f}`
);
// awadke-debug/HamiltonAscend: the Connected App of a CA→ECA pair; its certificate (one base64 line) expired on 2025-02-05.
const HAMILTON_CA = 'awadke-debug__HamiltonAscend__Hamilton_Workato_Integrations.connectedApp-meta.xml';

const ctxOn = (today: string): RuleContext => ({
  apiVersion: 66,
  config: DEFAULT_CONFIG,
  packageDirs: [{ fullPath: '/p/force-app', packaged: false }],
  today,
  certificates: readCertificate,
});
const glb019 = (sources: SourceText[], today: string): Finding[] => runCheck(buildInventory(sources), ctxOn(today)).findings.filter((f) => f.ruleId === 'ECA-GLB-019');
const soluSources = (replaceCertificate?: string): SourceText[] =>
  SOLU.map((name) => {
    const text = corpusFile('eca', name);
    const path = `force-app/main/default/x/${name.replace('RamiroHernandez__CICD__', '')}`;
    return { path, text: replaceCertificate && name.includes('glbloauth') ? text.replace(certificateOf(text), replaceCertificate) : text, packageDir: '/p/force-app' };
  });

describe('certificate reader', () => {
  it('reads the corpus ECA certificate: plain base64 DER over several lines', () => {
    const cert = certificateOf(corpusFile('eca', SOLU[1] as string));
    expect(cert).not.to.include('-----BEGIN');
    expect(cert).to.match(/\n/);
    const info = readCertificate(cert);
    expect(info?.notAfter).to.equal('2028-03-02T20:25:04.000Z');
    expect(info?.subject).to.include('CN=wearesolu.com');
  });

  it('reads every certificate of the corpus (none has PEM armour)', () => {
    const read: string[] = [];
    for (const kind of ['eca', 'connectedApp']) {
      for (const name of readdirSync(join(CORPUS, kind))) {
        const text = corpusFile(kind, name);
        if (!text.includes('<certificate>')) continue;
        const info = readCertificate(certificateOf(text));
        expect(info, name).not.to.equal(undefined);
        read.push(`${name} ${info?.notAfter.slice(0, 10) ?? ''}`);
      }
    }
    expect(read).to.have.length(9);
    expect(read).to.include(`${HAMILTON_CA} 2025-02-05`);
  });

  it('reads PEM, and base64 with CRLF, tabs and spaces', () => {
    const pem = readFileSync(join(PROJECT_ROOT, 'test/fixtures/certificate.pem'), 'utf8');
    expect(readCertificate(pem)?.notAfter).to.equal('2036-11-26T15:31:26.000Z');
    const body = pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
    expect(readCertificate(body.join(''))?.notAfter).to.equal('2036-11-26T15:31:26.000Z');
    expect(readCertificate(`\n\t  ${body.join('\r\n  ')}\r\n`)?.notAfter).to.equal('2036-11-26T15:31:26.000Z');
  });

  it('ignores garbage, without throwing', () => {
    const body = certificateOf(corpusFile('eca', SOLU[1] as string)).replace(/\s+/g, '');
    const der = Buffer.from(body, 'base64');
    for (const bad of [
      '',
      '   ',
      'PEM',
      'not a certificate',
      'MIIB',
      '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----',
      body.slice(0, -8), // truncated
      `${body.slice(0, 100)}*${body.slice(101)}`, // a character outside base64
      `${body}AAAA`, // bytes after the certificate
      Buffer.concat([der, Buffer.from([0])]).toString('base64'),
      Buffer.from('{"type":"service_account"}').toString('base64'),
      body.replace(/^MII/, 'AII'), // not a DER sequence
      `${body.slice(0, 200)}==${body.slice(202)}`, // padding inside
    ]) {
      expect(() => readCertificate(bad), bad.slice(0, 30)).not.to.throw();
      expect(readCertificate(bad), bad.slice(0, 30)).to.equal(undefined);
    }
  });
});

describe('ECA-GLB-019 on real certificates', () => {
  it('says nothing of the corpus certificate while it is valid for more than 30 days', () => {
    expect(glb019(soluSources(), '2026-12-01')).to.deep.equal([]);
  });

  it('warns 30 days before it expires, and reports it expired afterwards as an error', () => {
    const near = glb019(soluSources(), '2028-02-20');
    expect(near.map((f) => [f.severity, f.actual])).to.deep.equal([['warning', '2028-03-02']]);
    const past = glb019(soluSources(), '2028-03-03');
    expect(past.map((f) => [f.severity, f.actual])).to.deep.equal([['error', '2028-03-02']]);
  });

  it('reports the expired certificate of the corpus (Hamilton, 2025-02-05) as an error, not as unreadable (info)', () => {
    const cert = certificateOf(corpusFile('connectedApp', HAMILTON_CA));
    const findings = glb019(soluSources(cert), '2026-12-01');
    expect(findings).to.have.length(1);
    expect(findings[0]).to.include({ severity: 'error', actual: '2025-02-05' });
    expect(findings[0]?.message).to.match(/expired on 2025-02-05/);
  });

  it('still reports a certificate it cannot read as unknown (info)', () => {
    expect(glb019(soluSources('not a certificate'), '2026-12-01').map((f) => f.severity)).to.deep.equal(['info']);
  });
});
