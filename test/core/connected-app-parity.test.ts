import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { connectedAppParityRules } from '../../src/core/rules/catalog/connected-app-parity.js';
import { ALL_RULES } from '../../src/core/rules/engine.js';
import type { RuleContext } from '../../src/core/rules/types.js';
import { check, ctxOf } from '../support/eca-app.js';
import { CORPUS, NS } from '../support/helpers.js';

const CA = 'force-app/main/default/connectedApps/Old.connectedApp-meta.xml';

/** A hardened Connected App; `oauth` replaces or adds oauthConfig children (undefined removes one). */
const connectedApp = (oauth: Record<string, string | undefined> = {}, scopes = ['Api', 'RefreshToken']): string => {
  const base: Record<string, string | undefined> = {
    callbackUrl: 'https://old.example.com/cb',
    isAdminApproved: 'true',
    isClientCredentialEnabled: 'false',
    isConsumerSecretOptional: 'false',
    isDeviceFlowEnabled: 'false',
    isIntrospectAllTokens: 'false',
    isPkceRequired: 'true',
    isRefreshTokenRotationEnabled: 'true',
    isSecretRequiredForRefreshToken: 'true',
    ...oauth,
  };
  const children = Object.entries(base)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `        <${k}>${v}</${k}>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="${NS}">
    <contactEmail>a@example.com</contactEmail>
    <label>Old</label>
    <oauthConfig>
${[...children, ...scopes.map((s) => `        <scopes>${s}</scopes>`)].join('\n')}
    </oauthConfig>
    <oauthPolicy>
        <ipRelaxation>ENFORCE</ipRelaxation>
        <refreshTokenPolicy>specific_inactivity:30:DAYS</refreshTokenPolicy>
    </oauthPolicy>
</ConnectedApp>
`;
};

const PARITY = new Set(connectedAppParityRules.map((r) => r.id));
const parity = (text: string, ctx?: RuleContext): Array<[string, string, string | undefined]> =>
  check({ [CA]: text }, ctx)
    .filter((f) => PARITY.has(f.ruleId))
    .map((f) => [f.ruleId, f.severity, f.actual]);

/** A corpus Connected App (a real file from a public repository), under its own name. */
const corpus = (file: string): Record<string, string> => ({
  [`force-app/main/default/connectedApps/${file.split('__')[2] as string}`]: readFileSync(join(CORPUS, 'connectedApp', file), 'utf8'),
});
const corpusFindings = (file: string): string[] =>
  check(corpus(file))
    .filter((f) => PARITY.has(f.ruleId))
    .map((f) => `${f.ruleId}@${f.line}`);

describe('Connected App parity rules (src/core/rules/catalog/connected-app-parity.ts)', () => {
  it('are registered, Connected App rules, warnings, manual, with new ids and the ECA rule they mirror', () => {
    expect(connectedAppParityRules.map((r) => r.id)).to.deep.equal(['ECA-CA-010', 'ECA-CA-011', 'ECA-CA-012', 'ECA-CA-013', 'ECA-CA-014', 'ECA-CA-015', 'ECA-CA-016']);
    for (const r of connectedAppParityRules) {
      expect(ALL_RULES.filter((x) => x.id === r.id), r.id).to.have.length(1);
      expect([r.appliesTo, r.severity, r.category, r.fixClass, r.fixable]).to.deep.equal(['connectedApp', 'warning', 'connected-app', 'manual', false]);
      expect(r.rationale).to.match(/^The same control as ECA-(GLB|POL)-0\d\d/);
      expect(r.rationale).to.include('carries the weakness over');
      const mirrored = /ECA-(?:GLB|POL)-0\d\d/.exec(r.rationale)?.[0];
      expect(ALL_RULES.some((x) => x.id === mirrored), `${r.id} mirrors ${mirrored}`).to.equal(true);
    }
  });

  it('say nothing of a hardened Connected App, or of one without OAuth', () => {
    expect(parity(connectedApp())).to.deep.equal([]);
    expect(corpusFindings('AlainHofstetter__nextgen__James.connectedApp-meta.xml')).to.deep.equal([]);
  });

  describe('ECA-CA-010 PKCE', () => {
    it('fires when isPkceRequired is false or absent', () => {
      expect(parity(connectedApp({ isPkceRequired: 'false' }))).to.deep.equal([['ECA-CA-010', 'warning', 'false']]);
      expect(parity(connectedApp({ isPkceRequired: undefined }))).to.deep.equal([['ECA-CA-010', 'warning', undefined]]);
    });
    it('fires on a real Connected App without it, not on one that requires it', () => {
      expect(corpusFindings('caueneves__sfdx2023__MyConference.connectedApp-meta.xml')).to.deep.equal(['ECA-CA-010@5']);
      expect(corpusFindings('awadke-debug__HamiltonAscend__DevOpsPipelines.connectedApp-meta.xml').some((f) => f.startsWith('ECA-CA-010'))).to.equal(false);
    });
  });

  describe('ECA-CA-011 refresh token rotation', () => {
    it('fires when refresh tokens are issued and not rotated', () => {
      expect(parity(connectedApp({ isRefreshTokenRotationEnabled: 'false' }))).to.deep.equal([['ECA-CA-011', 'warning', 'false']]);
      expect(parity(connectedApp({ isRefreshTokenRotationEnabled: undefined }, ['Api', 'OfflineAccess']))).to.deep.equal([['ECA-CA-011', 'warning', undefined]]);
      // A real one: refresh tokens, no rotation (and no PKCE).
      expect(corpusFindings('jerrywang951027__fiberDev__Postman.connectedApp-meta.xml')).to.deep.equal(['ECA-CA-010@7', 'ECA-CA-011@7']);
    });
    it('does not fire without refresh tokens', () => {
      expect(parity(connectedApp({ isRefreshTokenRotationEnabled: 'false' }, ['Api']))).to.deep.equal([]);
    });
  });

  describe('ECA-CA-012 device flow', () => {
    it('fires when the device flow is on', () => {
      expect(parity(connectedApp({ isDeviceFlowEnabled: 'true' }))).to.deep.equal([['ECA-CA-012', 'warning', 'true']]);
    });
    it('does not fire when it is off or absent', () => {
      expect(parity(connectedApp({ isDeviceFlowEnabled: undefined }))).to.deep.equal([]);
    });
  });

  describe('ECA-CA-013 secret required', () => {
    it('fires on an optional secret without PKCE (a finding each), and on refresh without the secret', () => {
      expect(parity(connectedApp({ isConsumerSecretOptional: 'true', isPkceRequired: 'false' }))).to.deep.equal([
        ['ECA-CA-013', 'warning', 'true'],
        ['ECA-CA-010', 'warning', 'false'],
      ]);
      expect(parity(connectedApp({ isSecretRequiredForRefreshToken: 'false' }))).to.deep.equal([['ECA-CA-013', 'warning', 'false']]);
      // A real one: secret optional and refresh without it, no PKCE, no rotation.
      expect(corpusFindings('jaumejuanos__sfdx-project__Postman.connectedApp-meta.xml')).to.deep.equal(['ECA-CA-010@6', 'ECA-CA-011@6', 'ECA-CA-013@10', 'ECA-CA-013@12']);
    });
    it('does not fire on a public client (PKCE required, secret optional)', () => {
      expect(parity(connectedApp({ isConsumerSecretOptional: 'true', isSecretRequiredForRefreshToken: 'false' }))).to.deep.equal([]);
    });
  });

  describe('ECA-CA-014 introspection', () => {
    it('fires when the app may introspect every token', () => {
      expect(parity(connectedApp({ isIntrospectAllTokens: 'true' }))).to.deep.equal([['ECA-CA-014', 'warning', 'true']]);
    });
    it('does not fire when it may introspect only its own', () => {
      expect(parity(connectedApp({ isIntrospectAllTokens: undefined }))).to.deep.equal([]);
    });
  });

  describe('ECA-CA-015 callbacks', () => {
    it('fires on each http:// or wildcard callback URL', () => {
      const urls = 'https://ok.example.com/cb\nhttp://app.example.com/cb\nhttps://*.example.com/cb';
      expect(parity(connectedApp({ callbackUrl: urls }))).to.deep.equal([
        ['ECA-CA-015', 'warning', 'http://app.example.com/cb'],
        ['ECA-CA-015', 'warning', 'https://*.example.com/cb'],
      ]);
    });
    it('does not fire on https, loopback http or a custom scheme', () => {
      expect(parity(connectedApp({ callbackUrl: 'https://app.example.com/cb\nhttp://localhost:1717/OauthRedirect\ncom.example.app:/oauth' }))).to.deep.equal([]);
    });
  });

  describe('ECA-CA-016 client credentials', () => {
    it('fires when the client credentials flow is on', () => {
      expect(parity(connectedApp({ isClientCredentialEnabled: 'true', oauthClientCredentialUser: 'int@example.com' }))).to.deep.equal([['ECA-CA-016', 'warning', 'true']]);
    });
    it('does not fire when it is off, or when "allowClientCredentials" lists the app', () => {
      expect(parity(connectedApp())).to.deep.equal([]);
      expect(parity(connectedApp({ isClientCredentialEnabled: 'true' }), ctxOf({ allowClientCredentials: ['Old'] }))).to.deep.equal([]);
    });
  });

  it('step aside once an ECA of the same name is in the project', () => {
    const weak = connectedApp({ isPkceRequired: 'false', isDeviceFlowEnabled: 'true', isIntrospectAllTokens: 'true', callbackUrl: 'http://app.example.com/cb', isClientCredentialEnabled: 'true' });
    expect(parity(weak).length).to.be.greaterThan(4);
    const header = `<?xml version="1.0" encoding="UTF-8"?>\n<ExternalClientApplication xmlns="${NS}">\n    <contactEmail>a@example.com</contactEmail>\n    <distributionState>Local</distributionState>\n    <isProtected>false</isProtected>\n    <label>Old</label>\n</ExternalClientApplication>\n`;
    const findings = check({ [CA]: weak, 'force-app/main/default/externalClientApps/Old.eca-meta.xml': header });
    expect(findings.filter((f) => PARITY.has(f.ruleId))).to.deep.equal([]);
  });
});
