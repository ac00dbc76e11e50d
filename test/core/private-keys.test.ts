import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'chai';
import { generateApp, type GenerateOptions, validateGenerate } from '../../src/core/authoring/templates.js';
import { MetadataFile } from '../../src/core/model/file.js';
import { containsPrivateKey, redactPrivateKeys, showFile } from '../../src/core/model/summary.js';
import { PROJECT_ROOT, xmlFile } from '../support/helpers.js';

const CERT = readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'certificate.pem'), 'utf8');
// A throwaway key generated for the test: never a real credential.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const KEY_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const KEY_PKCS1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const KEY_B64 = (privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');
const KEY_LINE = KEY_PEM.split('\n')[5] as string;

const options = (certificate: string | undefined): GenerateOptions => ({
  name: 'Jwt_App',
  template: 'jwt-bearer',
  contactEmail: 'owner@example.com',
  callbackUrls: [],
  certificate,
  permissionSets: ['Jwt_Users'],
  withPolicies: true,
  refreshInactivity: { period: 30, unit: 'Days' },
  apiVersion: 66,
});

describe('private keys', () => {
  it('detects armoured keys of every kind and unarmoured base64 PKCS#8 / PKCS#1 / EC keys', () => {
    expect(containsPrivateKey(KEY_PEM)).to.equal(true);
    expect(containsPrivateKey(KEY_PKCS1)).to.equal(true);
    expect(containsPrivateKey('-----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----')).to.equal(true);
    expect(containsPrivateKey('-----BEGIN OPENSSH PRIVATE KEY-----')).to.equal(true);
    expect(containsPrivateKey('{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE..."}')).to.equal(true);
    expect(containsPrivateKey(KEY_B64)).to.equal(true);
    expect(containsPrivateKey((privateKey.export({ type: 'pkcs1', format: 'der' }) as Buffer).toString('base64'))).to.equal(true);
    const { privateKey: ec } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(containsPrivateKey((ec.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64'))).to.equal(true);
    expect(containsPrivateKey((ec.export({ type: 'sec1', format: 'der' }) as Buffer).toString('base64'))).to.equal(true);
    expect(containsPrivateKey(CERT)).to.equal(false);
    expect(containsPrivateKey('https://app.example.com/callback')).to.equal(false);
  });

  it('redacts key material and keeps the certificate', () => {
    const both = `${KEY_PEM}\n${CERT}`;
    const redacted = redactPrivateKeys(both);
    expect(redacted).to.not.include(KEY_LINE);
    expect(redacted).to.include('-----BEGIN CERTIFICATE-----');
    expect(redactPrivateKeys(`x ${KEY_B64} y`)).to.not.include(KEY_B64.slice(0, 40));
  });

  describe('generate --certificate', () => {
    it('writes only the certificate of a PEM holding a key and a certificate, and says the key was left out', () => {
      const o = options(`${KEY_PEM}\n${CERT}`);
      expect(validateGenerate(o)).to.deep.equal([]);
      const files = generateApp(o);
      const text = files.map((f) => f.text).join('\n');
      expect(text).to.not.include('PRIVATE KEY');
      expect(text).to.not.include(KEY_LINE);
      expect(text).to.include('-----BEGIN CERTIFICATE-----');
      const global = files.find((f) => f.type.kind === 'globalOauth');
      expect(global?.notes.join(' ')).to.include('private key').and.include('left out');
    });

    it('refuses a file with a key and no certificate', () => {
      expect(validateGenerate(options(KEY_PEM)).map((p) => p.flag)).to.deep.equal(['--certificate']);
    });

    it('adds no note for a certificate alone', () => {
      expect(generateApp(options(CERT)).flatMap((f) => f.notes)).to.deep.equal([]);
    });
  });

  it('show redacts private-key material in every value, at any depth', () => {
    const file = MetadataFile.read(
      'g/A_glbloauth.ecaGlblOauth-meta.xml',
      xmlFile('ExtlClntAppGlobalOauthSettings', [
        ['certificate', `${KEY_PEM}${CERT}`],
        ['externalClientApplication', 'A'],
        ['label', KEY_B64],
      ])
    ) as MetadataFile;
    const shown = JSON.stringify(showFile(file, true));
    expect(shown).to.not.include(KEY_LINE);
    expect(shown).to.not.include(KEY_B64.slice(0, 40));
    expect(shown).to.include('BEGIN CERTIFICATE');
    const push = MetadataFile.read(
      'p/A_push.ecaPush-meta.xml',
      `<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppPushSettings xmlns="http://soap.sforce.com/2006/04/metadata">\n    <androidPushConfig>\n        <fcmProject>p</fcmProject>\n        <serviceAccount>{"private_key": "${KEY_PEM.replace(/\n/g, '\\n')}"}</serviceAccount>\n    </androidPushConfig>\n    <externalClientApplication>A</externalClientApplication>\n    <futureKey>${KEY_PEM}</futureKey>\n</ExtlClntAppPushSettings>\n`
    ) as MetadataFile;
    const pushShown = JSON.stringify(showFile(push, true));
    expect(pushShown).to.not.include(KEY_LINE);
    expect(pushShown).to.include('fcmProject');
  });
});
