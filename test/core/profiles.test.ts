/* Client profiles (src/core/rules/profile.ts): inferred or declared, and the rules that apply to each kind. */
import { expect } from 'chai';
import { buildInventory, type EcaApp } from '../../src/core/project/inventory.js';
import { DEFAULT_CONFIG, type EcaConfig, parseConfig, ConfigError } from '../../src/core/rules/config.js';
import { RULE_KEYS, runCheck } from '../../src/core/rules/engine.js';
import { clientProfile, profileLabel } from '../../src/core/rules/profile.js';
import type { RuleContext } from '../../src/core/rules/types.js';
import { summarizeApp } from '../../src/core/model/summary.js';
import { NS } from '../support/helpers.js';

const BASE = 'force-app/main/default';
const xml = (root: string, fields: Record<string, string>): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${Object.entries(fields)
    .map(([k, v]) => `    <${k}>${v}</${k}>\n`)
    .join('')}</${root}>\n`;

type AppFiles = { header?: Record<string, string>; global?: Record<string, string>; oauth?: Record<string, string>; plugins?: Record<string, string> };

/** One app "App": a Local header, a confidential web app's global settings, Api + RefreshToken scopes; `over` changes fields. */
const project = (over: AppFiles = {}): Array<{ path: string; text: string; packageDir: string }> => {
  const files = [
    [`${BASE}/externalClientApps/App.eca-meta.xml`, xml('ExternalClientApplication', { contactEmail: 'o@example.com', distributionState: 'Local', isProtected: 'false', label: 'App', ...over.header })],
    [
      `${BASE}/extlClntAppGlobalOauthSets/App_glbloauth.ecaGlblOauth-meta.xml`,
      xml('ExtlClntAppGlobalOauthSettings', {
        callbackUrl: 'https://app.example.com/callback',
        externalClientApplication: 'App',
        isConsumerSecretOptional: 'false',
        isPkceRequired: 'true',
        isRefreshTokenRotationEnabled: 'true',
        isSecretRequiredForRefreshToken: 'true',
        label: 'App',
        ...over.global,
      }),
    ],
    [`${BASE}/extlClntAppOauthSettings/App_oauth.ecaOauth-meta.xml`, xml('ExtlClntAppOauthSettings', { commaSeparatedOauthScopes: 'Api, RefreshToken', externalClientApplication: 'App', label: 'App_oauth', ...over.oauth })],
    [`${BASE}/extlClntAppPolicies/App_plcy.ecaPlcy-meta.xml`, xml('ExtlClntAppConfigurablePolicies', { externalClientApplication: 'App', isEnabled: 'true', isOauthPluginEnabled: 'true', label: 'App_plcy', ...over.plugins })],
  ] as const;
  return files.map(([path, text]) => ({ path, text: text.replace(/    <(\w+)>DROP<\/\1>\n/g, ''), packageDir: '/p/force-app' }));
};

const appOf = (over: AppFiles = {}): EcaApp => buildInventory(project(over)).apps[0]!;
const ctx = (config: Partial<EcaConfig> = {}): RuleContext => ({ apiVersion: 66, config: { ...DEFAULT_CONFIG, ...config }, packageDirs: [], today: '2026-12-01' });
const ruleIds = (over: AppFiles = {}, config: Partial<EcaConfig> = {}): Array<[string, string]> =>
  runCheck(buildInventory(project(over)), ctx(config)).findings.map((f) => [f.ruleId, f.severity]);
const ids = (over: AppFiles = {}, config: Partial<EcaConfig> = {}): string[] => ruleIds(over, config).map(([id]) => id);

describe('client profiles', () => {
  describe('inferred from the files', () => {
    it('confidential: an interactive flow with https callbacks', () => {
      expect(clientProfile(appOf())).to.deep.include({ kind: 'confidential', packaged: false, declared: false });
    });
    it('public: the secret optional with PKCE required; or callbacks to a custom scheme or the loopback address; or a mobile app', () => {
      expect(clientProfile(appOf({ global: { isConsumerSecretOptional: 'true' } })).kind).to.equal('public');
      expect(clientProfile(appOf({ global: { callbackUrl: 'myapp://oauth/callback' } })).kind).to.equal('public');
      expect(clientProfile(appOf({ global: { callbackUrl: 'http://localhost:1717/OauthRedirect' } })).kind).to.equal('public');
      expect(clientProfile(appOf({ plugins: { isMobilePluginEnabled: 'true' } })).kind).to.equal('public');
      // one https web callback among them: a web app
      expect(clientProfile(appOf({ global: { callbackUrl: 'myapp://cb\nhttps://app.example.com/cb' } })).kind).to.equal('confidential');
    });
    it('JWT bearer and client credentials: no interactive flow', () => {
      expect(clientProfile(appOf({ global: { callbackUrl: 'DROP', certificate: 'MIIB' } })).kind).to.equal('jwt-bearer');
      expect(clientProfile(appOf({ global: { callbackUrl: 'DROP', isClientCredentialsFlowEnabled: 'true' } })).kind).to.equal('client-credentials');
    });
    it('packaged: distributionState Packaged, whatever the kind', () => {
      const p = clientProfile(appOf({ header: { distributionState: 'Packaged' } }));
      expect(p).to.deep.include({ kind: 'confidential', packaged: true });
      expect(profileLabel(p)).to.equal('confidential, packaged');
      expect(profileLabel({ kind: 'jwt-bearer', packaged: false })).to.equal('JWT bearer');
    });
  });

  describe('declared in the configuration ("clients")', () => {
    it('overrides the inference, and says so', () => {
      const config = parseConfig([{ source: 'x.json', value: { clients: { App: 'public' } } }], RULE_KEYS);
      expect(clientProfile(appOf(), config)).to.deep.include({ kind: 'public', declared: true });
      expect(summarizeApp(appOf(), [], clientProfile(appOf(), config)).client).to.deep.include({ kind: 'public', declared: true });
    });
    it('refuses an unknown kind, naming the app and the kinds', () => {
      let error: unknown;
      try {
        parseConfig([{ source: 'x.json', value: { clients: { App: 'native' } } }], RULE_KEYS);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).message).to.include('clients.App').and.include('"public"').and.include('"client-credentials"');
    });
  });

  describe('rules by kind', () => {
    it('ECA-GLB-012 (secret to refresh) applies to confidential clients only', () => {
      const weak = { isSecretRequiredForRefreshToken: 'false' };
      expect(ids({ global: weak })).to.include('ECA-GLB-012');
      expect(ids({ global: { ...weak, callbackUrl: 'myapp://cb' } })).not.to.include('ECA-GLB-012');
      expect(ids({ global: weak }, { clients: { App: 'public' } })).not.to.include('ECA-GLB-012');
    });
    it('ECA-GLB-010 (PKCE) is not asked of a server-to-server app, unless it is packaged', () => {
      const jwt = { callbackUrl: 'DROP', certificate: 'MIIB', isPkceRequired: 'false' };
      expect(ids({ global: { isPkceRequired: 'false' } })).to.include('ECA-GLB-010');
      expect(ids({ global: jwt })).not.to.include('ECA-GLB-010');
      expect(ids({ global: jwt, header: { distributionState: 'Packaged' } })).to.include('ECA-GLB-010');
    });
    it('ECA-GLB-011 (rotation) is an error for a packaged app, even without refresh scopes (AppExchange)', () => {
      const noRotation = { isRefreshTokenRotationEnabled: 'false' };
      expect(ruleIds({ global: noRotation })).to.deep.include(['ECA-GLB-011', 'warning']);
      expect(ids({ global: noRotation, oauth: { commaSeparatedOauthScopes: 'Api' } })).not.to.include('ECA-GLB-011');
      const packaged = runCheck(buildInventory(project({ global: noRotation, oauth: { commaSeparatedOauthScopes: 'Api' }, header: { distributionState: 'Packaged' } })), ctx()).findings;
      const rotation = packaged.find((f) => f.ruleId === 'ECA-GLB-011');
      expect(rotation).to.include({ severity: 'error' });
      expect(rotation?.message).to.include('AppExchange requires it of packaged apps');
    });
    it('ECA-SET-002 (no refresh scope) applies to server-to-server apps only', () => {
      const jwt = { callbackUrl: 'DROP', certificate: 'MIIB' };
      expect(ids({ global: jwt })).to.include('ECA-SET-002');
      expect(ids({ global: jwt }, { clients: { App: 'confidential' } })).not.to.include('ECA-SET-002');
      expect(ids()).not.to.include('ECA-SET-002');
    });
    it('ECA-PKG-001: a packaged app has no SAML; a Local one may', () => {
      expect(ids({ header: { distributionState: 'Packaged' }, plugins: { isSamlPluginEnabled: 'true' } })).to.include('ECA-PKG-001');
      expect(ids({ plugins: { isSamlPluginEnabled: 'true' } })).not.to.include('ECA-PKG-001');
    });
  });
});
