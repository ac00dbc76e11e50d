import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { buildInventory } from '../../src/core/project/inventory.js';
import { parseConfig } from '../../src/core/rules/config.js';
import { ALL_RULES, EXPIRED_WAIVER_RULE, fixClassOf, RULE_KEYS, runCheck, UNREADABLE_RULE } from '../../src/core/rules/engine.js';
import { applyFixes } from '../../src/core/rules/fix.js';
import type { Finding, RuleContext } from '../../src/core/rules/types.js';
import { NS } from '../support/helpers.js';
import { baseline, CA, check, connectedApp, ctxOf, ECA_SETTINGS, type Fields, file, type Files, G, global, H, header, L, O, oauth, OIDC_SETTINGS, P, patch, plugins, policies, range , configError } from '../support/eca-app.js';

type Case = {
  name: string;
  rule: string;
  files: (b: Files) => Files;
  ctx?: RuleContext;
  /** Extra expectation on the finding. */
  expect?: Partial<Finding>;
  /** The fix must make the rule go away. */
  fixable?: boolean;
  /** The class of the fix (safe: no client notices; breaking: clients must change). */
  fixClass?: 'safe' | 'breaking';
};

const set = (path: string, root: string, fields: Fields, changes: Record<string, string | undefined>) => (b: Files): Files => ({
  ...b,
  [path]: file(root, patch(fields, changes)),
});
const setP = (c: Record<string, string | undefined>) => set(P, 'ExtlClntAppOauthConfigurablePolicies', policies, c);
const setG = (c: Record<string, string | undefined>) => set(G, 'ExtlClntAppGlobalOauthSettings', global, c);
const setO = (c: Record<string, string | undefined>) => set(O, 'ExtlClntAppOauthSettings', oauth, c);
const setL = (c: Record<string, string | undefined>) => set(L, 'ExtlClntAppConfigurablePolicies', plugins, c);
const setH = (c: Record<string, string | undefined>) => set(H, 'ExternalClientApplication', header, c);
const jwtOnly = { callbackUrl: undefined, certificate: 'PEM' };
// A throwaway key generated for the test: never a real credential.
const KEY_PEM = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trim();
const PUSH = 'force-app/main/default/extlClntAppPushSettings/App_push.ecaPush-meta.xml';
const pushSettings = (serviceAccount: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppPushSettings xmlns="${NS}">\n    <androidPushConfig>\n        <fcmProject>app-123</fcmProject>\n        <serviceAccount>${serviceAccount}</serviceAccount>\n    </androidPushConfig>\n    <externalClientApplication>App</externalClientApplication>\n    <pushServiceType>Android</pushServiceType>\n</ExtlClntAppPushSettings>\n`;

const CASES: Case[] = [
  { name: 'unknown element with a likely typo', rule: 'ECA-SCH-001', files: setP({ ipRelaxationPolicyTyp: 'Enforce' }), expect: { severity: 'error', expected: 'ipRelaxationPolicyType' } },
  { name: 'element of another ECA file', rule: 'ECA-SCH-001', files: setL({ ipRelaxationPolicyType: 'Enforce' }), expect: { severity: 'error' } },
  { name: 'unknown element, no likely typo: kept, warning', rule: 'ECA-SCH-001', files: setP({ zzFutureSetting: '1' }), expect: { severity: 'warning' } },
  { name: 'Connected App enum spelling', rule: 'ECA-SCH-002', files: setP({ refreshTokenPolicyType: 'infinite' }), expect: { severity: 'error', expected: 'Infinite' }, fixable: true, fixClass: 'safe' },
  { name: 'unknown enum value with suggestion', rule: 'ECA-SCH-002', files: setP({ requiredSessionLevel: 'HIGH_ASURANCE' }), expect: { expected: 'HIGH_ASSURANCE' } },
  { name: 'ipRelaxation written in another case: info, fixable', rule: 'ECA-SCH-002', files: setP({ ipRelaxationPolicyType: 'ENFORCE' }), expect: { severity: 'info' }, fixable: true, fixClass: 'safe' },
  { name: 'boolean written True', rule: 'ECA-SCH-003', files: setG({ isPkceRequired: 'True' }), fixable: true, fixClass: 'safe' },
  { name: 'integer that is not one', rule: 'ECA-SCH-003', files: setP({ refreshTokenValidityPeriod: '30d' }) },
  { name: 'missing externalClientApplication', rule: 'ECA-SCH-004', files: (b) => ({ ...b, [L]: file('ExtlClntAppConfigurablePolicies', [['externalClientApplication', 'App'], ['label', 'x']]) }) },
  { name: 'range without its start address', rule: 'ECA-SCH-004', files: setO({ trustedIpRanges: '        <endIpAddress>203.0.113.9</endIpAddress>' }) },
  { name: 'isNamedUserJwtEnabled in policies at 66', rule: 'ECA-SCH-005', files: setP({ isNamedUserJwtEnabled: 'false' }), fixable: true, fixClass: 'breaking' },
  { name: 'field newer than sourceApiVersion', rule: 'ECA-SCH-005', files: setP({ commaSeparatedProfile: 'Admin' }), ctx: ctxOf({}, 60) },
  {
    name: 'a file type newer than sourceApiVersion',
    rule: 'ECA-SCH-005',
    files: (b) => ({ ...b, 'force-app/main/default/extlClntAppSamlConfigurablePolicies/App_samlPlcy.ecaSamlPlcy-meta.xml': file('ExtlClntAppSamlConfigurablePolicies', [['acsUrl', 'https://sp.example.com/acs'], ['entityUrl', 'https://sp.example.com'], ['externalClientApplication', 'App']]) }),
    ctx: ctxOf({}, 62),
    expect: { severity: 'error', message: 'ExtlClntAppSamlConfigurablePolicies (.ecaSamlPlcy) needs API 63.0; sourceApiVersion is 62.0' },
  },
  { name: 'Connected App element in a policies file', rule: 'ECA-SCH-006', files: setP({ ipRelaxation: 'ENFORCE' }) },
  { name: 'a single-valued element twice', rule: 'ECA-SCH-007', files: (b) => ({ ...b, [P]: (b[P] as string).replace('    <label>', '    <label>dup</label>\n    <label>') }), fixable: true, fixClass: 'breaking' },
  { name: 'a single-valued element twice, same value', rule: 'ECA-SCH-007', files: (b) => ({ ...b, [P]: (b[P] as string).replace('    <label>App_oauthPlcy</label>', '    <label>App_oauthPlcy</label>\n    <label>App_oauthPlcy</label>') }), fixable: true, fixClass: 'safe' },
  { name: 'obsolete spelling of a field', rule: 'ECA-SCH-005', files: setG({ isClientCredentialsFlowEnabled: undefined, isClientCredentialEnabled: 'false' }), fixable: true, fixClass: 'safe' },
  { name: 'internal element', rule: 'ECA-SCH-008', files: setH({ managedType: 'Local' }), fixable: true, fixClass: 'breaking' },
  { name: 'wrong namespace', rule: 'ECA-SCH-009', files: (b) => ({ ...b, [L]: (b[L] as string).replace(NS, 'urn:other') }) },
  { name: 'policies not retrieved', rule: 'ECA-POL-000', files: (b) => { const c = { ...b }; delete c[P]; return c; }, expect: { severity: 'info' } },
  { name: 'all users self-authorize', rule: 'ECA-POL-001', files: setP({ permittedUsersPolicyType: 'AllSelfAuthorized' }), fixable: true, fixClass: 'breaking' },
  { name: 'all users, no grant, no default: needs a person', rule: 'ECA-POL-001', files: setP({ permittedUsersPolicyType: 'AllSelfAuthorized', commaSeparatedPermissionSet: undefined }), fixable: false },
  { name: 'all users, no grant, default permission set configured', rule: 'ECA-POL-001', files: setP({ permittedUsersPolicyType: 'AllSelfAuthorized', commaSeparatedPermissionSet: undefined }), ctx: ctxOf({ defaultPermissionSet: 'Integrations' }), fixable: true, fixClass: 'breaking' },
  { name: 'admin-approved with no grant', rule: 'ECA-POL-002', files: setP({ commaSeparatedPermissionSet: undefined }) },
  { name: 'admin-approved with no grant, default permission set configured', rule: 'ECA-POL-002', files: setP({ commaSeparatedPermissionSet: undefined }), ctx: ctxOf({ defaultPermissionSet: 'Integrations' }), fixable: true, fixClass: 'breaking' },
  { name: 'admin profile pre-authorized', rule: 'ECA-POL-003', files: setP({ commaSeparatedProfile: 'System Administrator' }) },
  { name: 'admin profile by its API name', rule: 'ECA-POL-003', files: setP({ commaSeparatedProfile: 'App_Profile, Admin' }), expect: { actual: 'Admin' } },
  { name: 'admin profile by label, denied by API name', rule: 'ECA-POL-003', files: setP({ commaSeparatedProfile: 'System Administrator' }), ctx: ctxOf({ deniedProfiles: ['Admin'] }) },
  { name: 'IP restrictions bypassed', rule: 'ECA-POL-010', files: setP({ ipRelaxationPolicyType: 'Bypass' }), expect: { severity: 'error' }, fixable: true, fixClass: 'breaking' },
  { name: 'refresh relaxed: warning', rule: 'ECA-POL-010', files: setP({ ipRelaxationPolicyType: 'Enforce_RelaxRefresh' }), expect: { severity: 'warning' }, fixable: true, fixClass: 'breaking' },
  { name: 'infinite refresh tokens', rule: 'ECA-POL-020', files: setP({ refreshTokenPolicyType: 'Infinite', refreshTokenValidityPeriod: undefined, refreshTokenValidityUnit: undefined }), fixable: true, fixClass: 'breaking' },
  { name: 'refresh lifetime over the maximum', rule: 'ECA-POL-021', files: setP({ refreshTokenValidityPeriod: '12', refreshTokenValidityUnit: 'Months' }), fixable: true, fixClass: 'breaking' },
  { name: 'SpecificInactivity without period', rule: 'ECA-POL-022', files: setP({ refreshTokenValidityPeriod: undefined }), fixable: true, fixClass: 'breaking' },
  { name: 'Zero with a unit', rule: 'ECA-POL-022', files: setP({ refreshTokenPolicyType: 'Zero', refreshTokenValidityPeriod: undefined }), expect: { severity: 'warning' }, fixable: true, fixClass: 'safe' },
  { name: 'RaiseSessionLevel without high assurance', rule: 'ECA-POL-030', files: setP({ policyAction: 'RaiseSessionLevel' }) },
  { name: 'high assurance on a JWT app', rule: 'ECA-POL-030', files: (b) => setP({ requiredSessionLevel: 'HIGH_ASSURANCE' })(setG(jwtOnly)(b)) },
  { name: 'session timeout of 0', rule: 'ECA-POL-031', files: setP({ sessionTimeoutInMinutes: '0' }) },
  { name: 'JWT timeout not allowed', rule: 'ECA-POL-032', files: setP({ namedUserJwtTimeout: '7', namedUserJwtSessionTimeoutType: 'Custom' }) },
  { name: 'client credentials without run-as user', rule: 'ECA-POL-040', files: (b) => setP({ isClientCredentialsFlowEnabled: 'true' })(setG({ isClientCredentialsFlowEnabled: 'true' })(b)) },
  { name: 'client credentials not in the allow-list', rule: 'ECA-POL-041', files: (b) => setP({ isClientCredentialsFlowEnabled: 'true', clientCredentialsFlowUser: 'int@example.com' })(setG({ isClientCredentialsFlowEnabled: 'true' })(b)), ctx: ctxOf({ allowClientCredentials: ['Other'] }) },
  { name: 'client credentials in global settings only', rule: 'ECA-POL-042', files: setG({ isClientCredentialsFlowEnabled: 'true' }) },
  { name: 'token exchange on', rule: 'ECA-POL-043', files: setP({ isTokenExchangeFlowEnabled: 'true' }), fixable: true, fixClass: 'breaking' },
  { name: 'guest flow on', rule: 'ECA-POL-044', files: setP({ isGuestCodeCredFlowEnabled: 'true' }), fixable: true, fixClass: 'breaking' },
  { name: 'committed secret', rule: 'ECA-GLB-001', files: setG({ consumerSecret: 'NOT-A-REAL-SECRET-123' }), fixClass: 'breaking' },
  { name: 'committed key', rule: 'ECA-GLB-002', files: setG({ consumerKey: '3MVG9FAKE' }), expect: { severity: 'info' } },
  { name: 'PKCE off', rule: 'ECA-GLB-010', files: setG({ isPkceRequired: 'false' }), fixable: true, fixClass: 'breaking' },
  { name: 'no rotation with refresh tokens', rule: 'ECA-GLB-011', files: setG({ isRefreshTokenRotationEnabled: 'false' }), fixable: true, fixClass: 'breaking' },
  { name: 'refresh without secret', rule: 'ECA-GLB-012', files: setG({ isSecretRequiredForRefreshToken: 'false' }), fixable: true, fixClass: 'breaking' },
  { name: 'web server flow without secret nor PKCE', rule: 'ECA-GLB-013', files: setG({ isConsumerSecretOptional: 'true', isPkceRequired: 'false' }), fixable: true, fixClass: 'breaking' },
  { name: 'device flow on', rule: 'ECA-GLB-014', files: setG({ isDeviceFlowEnabled: 'true' }), fixable: true, fixClass: 'breaking' },
  { name: 'introspect all tokens', rule: 'ECA-GLB-015', files: setG({ isIntrospectAllTokens: 'true' }), fixable: true, fixClass: 'breaking' },
  { name: 'http callback', rule: 'ECA-GLB-016', files: setG({ callbackUrl: 'http://app.example.com/cb' }) },
  { name: 'wildcard callback', rule: 'ECA-GLB-017', files: setG({ callbackUrl: 'https://*.example.com/cb' }) },
  { name: 'rotate key on deploy', rule: 'ECA-GLB-018', files: setG({ shouldRotateConsumerKey: 'true' }), fixable: true, fixClass: 'breaking' },
  { name: 'expired certificate', rule: 'ECA-GLB-019', files: setG({ certificate: 'PEM' }), ctx: { ...ctxOf(), certificates: () => ({ notAfter: '2026-01-01T00:00:00.000Z', subject: 'CN=x' }) }, expect: { severity: 'error' } },
  { name: 'certificate expiring in 10 days', rule: 'ECA-GLB-019', files: setG({ certificate: 'PEM' }), ctx: { ...ctxOf(), certificates: () => ({ notAfter: '2026-12-09T00:00:00.000Z', subject: 'CN=x' }) }, expect: { severity: 'warning' } },
  { name: 'unreadable certificate', rule: 'ECA-GLB-019', files: setG({ certificate: 'PEM' }), ctx: { ...ctxOf(), certificates: () => undefined }, expect: { severity: 'info' } },
  { name: 'Full scope', rule: 'ECA-SET-001', files: setO({ commaSeparatedOauthScopes: 'Full' }) },
  { name: 'push credential committed', rule: 'ECA-PLG-001', files: (b) => ({ ...b, [PUSH]: pushSettings('NOT-A-REAL-KEY') }), expect: { severity: 'error' } },
  ...(['ECA-PLG-010', 'ECA-PLG-011', 'ECA-PLG-012'] as const).map((rule) => ({ name: 'weak SAML policies', rule, files: (b: Files) => ({ ...b, 'force-app/main/default/extlClntAppSamlConfigurablePolicies/App_samlPlcy.ecaSamlPlcy-meta.xml': file('ExtlClntAppSamlConfigurablePolicies', [['acsUrl', 'http://sp.example.com/acs'], ['entityUrl', 'https://sp.example.com'], ['externalClientApplication', 'App'], ['signingAlgorithmType', 'SHA1']]) }) })),
  { name: 'screen lock off', rule: 'ECA-PLG-020', files: (b) => ({ ...b, 'force-app/main/default/extlClntAppMobileSettings/App.ecaMobile-meta.xml': file('ExtlClntAppMobileSettings', [['externalClientApplication', 'App'], ['isScreenLockEnabled', 'false']]) }) },
  { name: 'screen lock Never', rule: 'ECA-PLG-021', files: (b) => ({ ...b, 'force-app/main/default/extlClntAppMobilePolicies/App.ecaMobilePlcy-meta.xml': file('ExtlClntAppMobileConfigurablePolicies', [['externalClientApplication', 'App'], ['screenLockTimeout', 'Never']]) }) },
  { name: 'canvas Post', rule: 'ECA-PLG-030', files: (b) => ({ ...b, 'force-app/main/default/extlClntAppCanvasSettings/App.ecaCanvas-meta.xml': file('ExtlClntAppCanvasSettings', [['accessMethod', 'Post'], ['canvasUrl', 'https://canvas.example.com'], ['externalClientApplication', 'App']]) }) },
  { name: 'a 5-minute ID token without audience', rule: 'ECA-GLB-020', files: (b) => setO({ commaSeparatedOauthScopes: 'Api, RefreshToken, OpenID' })(setG({ idTokenConfig: '<idTokenValidityInMinutes>5</idTokenValidityInMinutes>' })(b)) },
  { name: 'code and credentials flow not POST-only', rule: 'ECA-GLB-021', files: setG({ isCodeCredFlowEnabled: 'true', isCodeCredPostOnly: 'false' }) },
  { name: 'http single logout URL', rule: 'ECA-GLB-022', files: setO({ singleLogoutUrl: 'http://app.example.com/logout' }) },
  { name: 'first-party app without an assertion certificate', rule: 'ECA-GLB-023', files: setO({ isFirstPartyAppEnabled: 'true' }) },
  { name: 'token exchange without secret or handler', rule: 'ECA-GLB-024', files: setG({ isTokenExchangeEnabled: 'true' }) },
  { name: 'JWT session fields while named-user JWT is off', rule: 'ECA-POL-045', files: setP({ namedUserJwtSessionTimeoutType: 'UserSession' }) },
  { name: 'a permission set given as its id', rule: 'ECA-POL-046', files: setP({ commaSeparatedPermissionSet: '0PS5g000004ABCD' }) },
  { name: 'Connected App without PKCE', rule: 'ECA-CA-010', files: (b) => ({ ...b, [CA]: connectedApp }) },
  { name: 'Connected App refresh tokens not rotated', rule: 'ECA-CA-011', files: (b) => ({ ...b, [CA]: connectedApp.replace('<scopes>Api</scopes>', '<scopes>Api</scopes>\n        <scopes>RefreshToken</scopes>') }) },
  ...(
    [
      ['ECA-CA-012', 'device flow on', '<isDeviceFlowEnabled>true</isDeviceFlowEnabled>'],
      ['ECA-CA-013', 'secret optional without PKCE', '<isConsumerSecretOptional>true</isConsumerSecretOptional>'],
      ['ECA-CA-014', 'introspects every token', '<isIntrospectAllTokens>true</isIntrospectAllTokens>'],
      ['ECA-CA-016', 'client credentials on', '<isClientCredentialEnabled>true</isClientCredentialEnabled>'],
    ] as const
  ).map(([rule, name, element]) => ({ name: `Connected App ${name}`, rule, files: (b: Files) => ({ ...b, [CA]: connectedApp.replace('<isAdminApproved>true</isAdminApproved>', `<isAdminApproved>true</isAdminApproved>\n        ${element}`) }) })),
  { name: 'Connected App http callback', rule: 'ECA-CA-015', files: (b) => ({ ...b, [CA]: connectedApp.replace('https://old.example.com/cb', 'http://old.example.com/cb') }) },
  { name: 'a packaged app with its SAML plugin on', rule: 'ECA-PKG-001', files: (b) => setH({ distributionState: 'Packaged' })(setL({ isSamlPluginEnabled: 'true' })(b)) },
  { name: 'org settings: consumer secrets readable through the Metadata API', rule: 'ECA-ORG-001', files: (b) => ({ ...b, [ECA_SETTINGS]: file('ExternalClientAppSettings', [['enableConsumerSecretApiAccess', 'true']]) }), expect: { app: '(org settings)', severity: 'warning' } },
  { name: 'org settings: consumer secrets readable through the credentials REST API', rule: 'ECA-ORG-002', files: (b) => ({ ...b, [ECA_SETTINGS]: file('ExternalClientAppSettings', [['enableClientSecretInRestApiAccess', 'true']]) }), expect: { app: '(org settings)' } },
  { name: 'org settings: username-password flow not blocked (absent)', rule: 'ECA-ORG-003', files: (b) => ({ ...b, [OIDC_SETTINGS]: file('OauthOidcSettings', [['blockOAuthUsrAgtFlow', 'true']]) }), expect: { app: '(org settings)', actual: '(absent)' } },
  { name: 'org settings: user-agent flow not blocked', rule: 'ECA-ORG-004', files: (b) => ({ ...b, [OIDC_SETTINGS]: file('OauthOidcSettings', [['blockOAuthUnPwFlow', 'true'], ['blockOAuthUsrAgtFlow', 'false']]) }), expect: { app: '(org settings)', actual: 'false' } },
  { name: 'refresh scope on a JWT app', rule: 'ECA-SET-002', files: (b) => setG(jwtOnly)(setP({ refreshTokenPolicyType: 'Zero', refreshTokenValidityPeriod: undefined, refreshTokenValidityUnit: undefined })(b)), fixable: true, fixClass: 'breaking' },
  { name: 'scope outside the allow-list', rule: 'ECA-SET-003', files: (b) => b, ctx: ctxOf({ allowedScopes: ['Api'] }) },
  { name: 'unknown scope with another case', rule: 'ECA-SET-004', files: setO({ commaSeparatedOauthScopes: 'api, RefreshToken' }), fixable: true, fixClass: 'safe' },
  { name: 'oauthLink committed', rule: 'ECA-SET-005', files: setO({ oauthLink: '00D000000000001:888000000000001' }) },
  { name: 'invalid address', rule: 'ECA-IP-001', files: setO({ trustedIpRanges: range('203.0.113.300', '203.0.113.9') }) },
  { name: 'reversed range', rule: 'ECA-IP-001', files: setO({ trustedIpRanges: range('203.0.113.9', '203.0.113.1') }), fixable: true, fixClass: 'breaking' },
  { name: 'the whole internet', rule: 'ECA-IP-002', files: setO({ trustedIpRanges: range('0.0.0.0', '255.255.255.255') }) },
  { name: 'a /16', rule: 'ECA-IP-002', files: setO({ trustedIpRanges: range('10.0.0.0', '10.0.255.255') }) },
  { name: 'outside the approved ranges', rule: 'ECA-IP-003', files: (b) => b, ctx: ctxOf({ approvedIpRanges: parseConfig([{ source: 't', value: { approvedIpRanges: ['198.51.100.0/24'] } }], RULE_KEYS).approvedIpRanges }) },
  { name: 'more than 128 ranges', rule: 'ECA-IP-004', files: setO({ trustedIpRanges: Array.from({ length: 129 }, (_, i) => range(`10.0.${i}.1`, `10.0.${i}.2`)).join('\n    </trustedIpRanges>\n    <trustedIpRanges>\n') }) },
  { name: 'unused plugin on', rule: 'ECA-APP-001', files: setL({ isMobilePluginEnabled: 'true' }), fixable: true, fixClass: 'breaking' },
  { name: 'OAuth plugin off', rule: 'ECA-APP-002', files: setL({ isOauthPluginEnabled: 'false' }) },
  {
    name: 'SAML policies in the project, SAML plugin off',
    rule: 'ECA-APP-003',
    files: (b) => ({
      ...setL({ isSamlPluginEnabled: 'false' })(b),
      'force-app/main/default/extlClntAppSamlConfigurablePolicies/App_samlPlcy.ecaSamlPlcy-meta.xml': file('ExtlClntAppSamlConfigurablePolicies', [['acsUrl', 'https://sp.example.com/acs'], ['entityUrl', 'https://sp.example.com'], ['externalClientApplication', 'App']]),
    }),
    expect: { severity: 'warning' },
    fixable: false,
  },
  { name: 'orphan policies file', rule: 'ECA-PRJ-001', files: (b) => { const c = { ...b }; delete c[H]; return c; } },
  { name: 'two policies files', rule: 'ECA-PRJ-002', files: (b) => ({ ...b, [P.replace('App_oauthPlcy', 'App_oauth_defaultPolicy')]: b[P] as string }) },
  { name: 'global settings in a packaged directory', rule: 'ECA-PRJ-003', files: (b) => b, ctx: ctxOf({}, 66, true), expect: { severity: 'error' } },
  { name: 'OAuth policies in a packaged directory', rule: 'ECA-PRJ-003', files: (b) => Object.fromEntries(Object.entries(b).filter(([p]) => p !== G)), ctx: ctxOf({}, 66, true), expect: { severity: 'error' } },
  { name: 'malformed file', rule: 'ECA-PRJ-004', files: (b) => ({ ...b, [L]: '<ExtlClntAppConfigurablePolicies>\n  <a>\n</ExtlClntAppConfigurablePolicies>\n' }) },
  { name: 'expired waiver', rule: 'ECA-PRJ-005', files: (b) => b, ctx: ctxOf({ waivers: [{ app: 'App', rule: 'ECA-POL-010', reason: 'vendor IPs change', expires: '2026-01-01' }] }) },
  { name: 'private key next to the certificate', rule: 'ECA-PRJ-006', files: setG({ certificate: `${KEY_PEM}\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----` }), expect: { severity: 'error', line: 4 }, fixable: false },
  { name: 'Firebase service account key in the push settings', rule: 'ECA-PRJ-006', files: (b) => ({ ...b, [PUSH]: pushSettings(`{"private_key": "${KEY_PEM.replace(/\n/g, '\\n')}"}`) }), expect: { line: 5 } },
  { name: 'private key in a file that cannot be read', rule: 'ECA-PRJ-006', files: (b) => ({ ...b, [L]: `<ExtlClntAppConfigurablePolicies>\n  <externalClientApplication>App</externalClientApplication>\n  <label>${KEY_PEM}</lable>\n</ExtlClntAppConfigurablePolicies>\n` }), expect: { line: 3, app: 'App', path: L } },
  { name: 'consumer secret in the OAuth settings', rule: 'ECA-PRJ-007', files: setO({ consumerSecret: 'NOT-A-REAL-SECRET-123' }), expect: { severity: 'error' }, fixable: false },
  { name: 'consumer secret inside a child element', rule: 'ECA-PRJ-007', files: setG({ idTokenConfig: '        <consumerSecret>NOT-A-REAL-SECRET-123</consumerSecret>' }) },
  { name: 'consumer secret under a namespace prefix', rule: 'ECA-PRJ-007', files: (b) => ({ ...b, [G]: (b[G] as string).replace('    <label>', `    <md:consumerSecret xmlns:md="${NS}">NOT-A-REAL-SECRET-123</md:consumerSecret>\n    <label>`) }) },
  { name: 'Connected App: migration candidate', rule: 'ECA-CA-001', files: (b) => ({ ...b, [CA]: connectedApp }) },
  { name: 'Connected App: not admin-approved', rule: 'ECA-CA-002', files: (b) => ({ ...b, [CA]: connectedApp.replace('<isAdminApproved>true', '<isAdminApproved>false') }) },
  { name: 'Connected App: BYPASS', rule: 'ECA-CA-003', files: (b) => ({ ...b, [CA]: connectedApp.replace('ENFORCE', 'BYPASS') }) },
  { name: 'Connected App: infinite', rule: 'ECA-CA-004', files: (b) => ({ ...b, [CA]: connectedApp.replace('specific_inactivity:30:DAYS', 'infinite') }) },
  { name: 'Connected App: Full', rule: 'ECA-CA-005', files: (b) => ({ ...b, [CA]: connectedApp.replace('<scopes>Api', '<scopes>Full') }) },
  { name: 'Connected App: committed secret', rule: 'ECA-CA-006', files: (b) => ({ ...b, [CA]: connectedApp.replace('<isAdminApproved>', '<consumerSecret>X1</consumerSecret>\n        <isAdminApproved>') }) },
  { name: 'Connected App: secret outside oauthConfig', rule: 'ECA-CA-006', files: (b) => ({ ...b, [CA]: connectedApp.replace('    <label>Old</label>', '    <consumerSecret>X1</consumerSecret>\n    <label>Old</label>') }), expect: { line: 4 } },
  { name: 'Connected App: private key', rule: 'ECA-CA-008', files: (b) => ({ ...b, [CA]: connectedApp.replace('<isAdminApproved>', `<certificate>${KEY_PEM}</certificate>\n        <isAdminApproved>`) }), expect: { severity: 'error' } },
  { name: 'Connected App: malformed refresh policy', rule: 'ECA-CA-007', files: (b) => ({ ...b, [CA]: connectedApp.replace('specific_inactivity:30:DAYS', 'specific_lifetime:abc') }) },
];

describe('rules', () => {
  it('the hardened baseline has no finding at all', () => {
    expect(check(baseline()).map((f) => `${f.ruleId} ${f.message}`)).to.deep.equal([]);
  });

  it('every rule has a case that makes it fire, and ids and names are unique', () => {
    const ids = [...ALL_RULES.map((r) => r.id), UNREADABLE_RULE.id, EXPIRED_WAIVER_RULE.id];
    for (const id of ids) expect(CASES.some((c) => c.rule === id), `a case for ${id}`).to.equal(true);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(new Set(ALL_RULES.map((r) => r.name)).size).to.equal(ALL_RULES.length);
    for (const r of ALL_RULES) expect(r.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(ALL_RULES.length + 2).to.be.at.least(30);
  });

  for (const c of CASES) {
    it(`${c.rule} fires: ${c.name}`, () => {
      const ctx = c.ctx ?? ctxOf();
      const findings = check(c.files(baseline()), ctx);
      const mine = findings.filter((f) => f.ruleId === c.rule);
      expect(mine, findings.map((f) => `${f.ruleId}: ${f.message}`).join('\n')).to.have.length.greaterThan(0);
      if (c.expect) expect(mine[0]).to.include(c.expect);
      expect(mine[0]?.line).to.be.a('number');
      if ((c.fixable !== undefined || mine[0]?.fix) && !mine[0]?.fix?.requires) {
        expect(Boolean(mine[0]?.fix), 'has a fix').to.equal(c.fixable === true);
      }
      if (c.fixClass) expect(mine[0]?.fix?.class, 'fix class').to.equal(c.fixClass);
      expect(fixClassOf(mine[0] as Finding)).to.equal(mine[0]?.fix?.class ?? 'manual');
      if (c.fixable) {
        const files = c.files(baseline());
        const sources = Object.entries(files).map(([path, text]) => ({ path, text, packageDir: '/p/force-app' }));
        const inv = buildInventory(sources);
        const outcome = applyFixes(inv, runCheck(inv, ctx).findings.filter((f) => f.ruleId === c.rule), { includeBreaking: true });
        expect(outcome.changes.length).to.be.greaterThan(0);
        const fixed = { ...files };
        for (const ch of outcome.changes) fixed[ch.path] = ch.after;
        expect(check(fixed, ctx).filter((f) => f.ruleId === c.rule), 'fixed').to.deep.equal([]);
        // Idempotent: fixing again changes nothing.
        const inv2 = buildInventory(Object.entries(fixed).map(([path, text]) => ({ path, text, packageDir: '/p/force-app' })));
        expect(applyFixes(inv2, runCheck(inv2, ctx).findings.filter((f) => f.ruleId === c.rule), { includeBreaking: true }).changes).to.deep.equal([]);
      }
    });
  }

  it('gives every fix a class, and every rule the strongest class its fixes can have', () => {
    const rank = { manual: 0, safe: 1, breaking: 2 } as const;
    for (const r of ALL_RULES) {
      expect(r.fixClass === 'manual', `${r.id} fixClass ${r.fixClass} vs fixable ${String(r.fixable)}`).to.equal(!r.fixable);
    }
    for (const c of CASES) {
      for (const f of check(c.files(baseline()), c.ctx ?? ctxOf())) {
        const rule = ALL_RULES.find((r) => r.id === f.ruleId);
        if (!f.fix) continue;
        expect(['safe', 'breaking'], `${f.ruleId} (${c.name})`).to.include(f.fix.class);
        if (rule) expect(rank[f.fix.class] <= rank[rule.fixClass], `${f.ruleId}: a ${f.fix.class} fix, rule says ${rule.fixClass}`).to.equal(true);
      }
    }
    for (const r of ALL_RULES.filter((x) => x.fixClass !== 'manual')) {
      const classes = CASES.filter((c) => c.rule === r.id && c.fixClass).map((c) => c.fixClass as 'safe' | 'breaking');
      expect(classes, `${r.id}: a case with its strongest fix class`).to.include(r.fixClass);
    }
  });

  it('says nothing of a certificate valid for more than 30 days', () => {
    const ctx = { ...ctxOf(), certificates: () => ({ notAfter: '2027-01-01T00:00:00.000Z', subject: 'CN=x' }) };
    expect(check(setG({ certificate: 'PEM' })(baseline()), ctx).map((f) => f.ruleId)).to.not.include('ECA-GLB-019');
  });

  it('treats a public client (PKCE required, secret optional) as one: no secret findings', () => {
    const files = setG({ isConsumerSecretOptional: 'true', isSecretRequiredForRefreshToken: 'false' })(baseline());
    expect(check(files).map((f) => f.ruleId)).to.deep.equal([]);
  });

  it('does not ask for an allow-list of client credentials apps when none is configured', () => {
    const files = setP({ isClientCredentialsFlowEnabled: 'true', clientCredentialsFlowUser: 'int@example.com' })(setG({ isClientCredentialsFlowEnabled: 'true' })(baseline()));
    expect(check(files).map((f) => f.ruleId)).to.deep.equal([]);
  });

  it('drops a fix that would write an element the API version rejects, and says what to do', () => {
    const findings = check(setG({ isRefreshTokenRotationEnabled: undefined })(baseline()), ctxOf({}, 59));
    const rotation = findings.find((f) => f.ruleId === 'ECA-GLB-011');
    expect(rotation?.fix).to.equal(undefined);
    expect(rotation?.action).to.include('API 59.0 does not accept isRefreshTokenRotationEnabled');
  });

  it('quiets the Connected App rules once an ECA of the same name exists', () => {
    const weak = connectedApp.replace('<isAdminApproved>true', '<isAdminApproved>false').replace('ENFORCE', 'BYPASS');
    const migrated = check({ ...baseline(), [CA.replace('Old', 'App')]: weak.replace('<label>Old', '<label>App') });
    expect(migrated.filter((f) => f.app === 'App' && f.category === 'connected-app').map((f) => f.ruleId)).to.deep.equal(['ECA-CA-001']);
    expect(migrated.find((f) => f.ruleId === 'ECA-CA-001')?.message).to.include('has been migrated');
  });

  describe('plugins with a settings file in the project are in use', () => {
    const D = 'force-app/main/default';
    const SAML = file('ExtlClntAppSamlConfigurablePolicies', [
      ['acsUrl', 'https://sp.example.com/acs'],
      ['entityUrl', 'https://sp.example.com'],
      ['externalClientApplication', 'App'],
      ['label', 'App_samlPlcy'],
    ]);
    const cases: Array<[string, string, string]> = [
      ['isSamlPluginEnabled', `${D}/extlClntAppSamlConfigurablePolicies/App_samlPlcy.ecaSamlPlcy-meta.xml`, SAML],
      ['isPushPluginEnabled', `${D}/extlClntAppPushPolicies/App_pushPlcy.ecaPushPlcy-meta.xml`, file('ExtlClntAppPushConfigurablePolicies', [['externalClientApplication', 'App'], ['isFullContent', 'false']])],
      ['isPushPluginEnabled', `${D}/extlClntAppPushSettings/App_push.ecaPush-meta.xml`, file('ExtlClntAppPushSettings', [['externalClientApplication', 'App'], ['pushServiceType', 'Apple']])],
      ['isMobilePluginEnabled', `${D}/extlClntAppMobileSettings/App_mobile.ecaMobile-meta.xml`, file('ExtlClntAppMobileSettings', [['externalClientApplication', 'App'], ['isScreenLockEnabled', 'true']])],
      ['isMobilePluginEnabled', `${D}/extlClntAppMobilePolicies/App_mobilePlcy.ecaMobilePlcy-meta.xml`, file('ExtlClntAppMobileConfigurablePolicies', [['externalClientApplication', 'App'], ['screenLockTimeout', 'Five']])],
      ['isNotificationPluginEnabled', `${D}/extlClntAppNotifSettings/App_notif.ecaNotifications-meta.xml`, file('ExtlClntAppNotificationSettings', [['externalClientApplication', 'App']])],
      ['isCanvasPluginEnabled', `${D}/extlClntAppCanvasSettings/App_canvas.ecaCanvas-meta.xml`, file('ExtlClntAppCanvasSettings', [['accessMethod', 'Get'], ['canvasUrl', 'https://canvas.example.com'], ['externalClientApplication', 'App']])],
    ];
    for (const [flag, path, text] of cases) {
      it(`${flag} with ${path.slice(path.lastIndexOf('.', path.length - 10))} present: no finding, no fix`, () => {
        const files = { ...setL({ [flag]: 'true' })(baseline()), [path]: text };
        // The plugin types' own rules (ECA-PLG-*) are test/core/plugin-rules.test.ts's.
        const findings = check(files).filter((f) => !f.ruleId.startsWith('ECA-PLG-'));
        expect(findings.map((f) => `${f.ruleId} ${f.message}`)).to.deep.equal([]);
        const inv = buildInventory(Object.entries(files).map(([p, t]) => ({ path: p, text: t })));
        expect(applyFixes(inv, runCheck(inv, ctxOf()).findings, { includeBreaking: true }).changes).to.deep.equal([]);
      });
    }

    it('still reports a plugin on without its file, with a breaking fix', () => {
      const findings = check({ ...setL({ isSamlPluginEnabled: 'true', isPushPluginEnabled: 'true' })(baseline()), [cases[0]![1]]: SAML }).filter((f) => !f.ruleId.startsWith('ECA-PLG-'));
      expect(findings.map((f) => [f.ruleId, f.message, f.fix?.class])).to.deep.equal([['ECA-APP-001', 'isPushPluginEnabled is true: is the plugin used?', 'breaking']]);
    });

    it('tolerates unknown elements of the undocumented attestation types', () => {
      const files = {
        ...baseline(),
        [`${D}/extlClntAppAttestSettings/App_attest.ecaAttest-meta.xml`]: file('ExtlClntAppAttestSettings', [['externalClientApplication', 'App'], ['someFutureSetting', 'x']]),
        [`${D}/extlClntAppAttestPolicies/App_attestPlcy.ecaAttestPlcy-meta.xml`]: file('ExtlClntAppAttestConfigurablePolicies', [['externalClientApplication', 'App'], ['policy1', 'y']]),
      };
      expect(check(files, ctxOf({}, 67)).map((f) => `${f.ruleId} ${f.message}`)).to.deep.equal([]);
      // Below 67 the types themselves are too new: a warning, as the types are unconfirmed.
      expect(check(files).map((f) => [f.ruleId, f.severity])).to.deep.equal([
        ['ECA-SCH-005', 'warning'],
        ['ECA-SCH-005', 'warning'],
      ]);
    });
  });

  it('says a malformed policies file is malformed, never that it is not retrieved', () => {
    const files = { ...baseline(), [P]: '<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppOauthConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata">\n    <externalClientApplication>App</externalClientApplication>\n    <label>x</lable>\n</ExtlClntAppOauthConfigurablePolicies>\n' };
    const findings = check(files);
    expect(findings.map((f) => [f.ruleId, f.app, f.path])).to.deep.equal([['ECA-PRJ-004', 'App', P]]);
    expect(findings[0]?.message).to.include('malformed');
    expect(JSON.stringify(findings)).to.not.include('retrieve');
  });

  it('does not ask for OAuth policies of an app without OAuth', () => {
    const files = baseline();
    for (const p of [G, O, P]) delete files[p];
    expect(check(files).map((f) => f.ruleId)).to.deep.equal([]);
  });

  describe('configuration', () => {
    it('turns rules off and changes severities, by id or by name', () => {
      const files = setP({ ipRelaxationPolicyType: 'Bypass' })(baseline());
      expect(check(files, ctxOf({ rules: { 'ECA-POL-010': 'off' } })).map((f) => f.ruleId)).to.not.include('ECA-POL-010');
      expect(check(files, ctxOf({ rules: { 'ip-relaxation-enforce': 'info' } })).find((f) => f.ruleId === 'ECA-POL-010')?.severity).to.equal('info');
    });

    it('waives a finding for an app with a reason until it expires', () => {
      const files = setP({ ipRelaxationPolicyType: 'Bypass' })(baseline());
      const waived = check(files, ctxOf({ waivers: [{ app: 'App', rule: 'ECA-POL-010', reason: 'vendor has no fixed IPs', expires: '2027-01-31' }] }));
      expect(waived.find((f) => f.ruleId === 'ECA-POL-010')?.waived).to.deep.equal({ reason: 'vendor has no fixed IPs', expires: '2027-01-31' });
      const expired = check(files, ctxOf({ waivers: [{ app: 'App', rule: 'ECA-POL-010', reason: 'vendor has no fixed IPs', expires: '2026-01-31' }] }));
      expect(expired.find((f) => f.ruleId === 'ECA-POL-010')?.waived).to.equal(undefined);
      expect(expired.map((f) => f.ruleId)).to.include('ECA-PRJ-005');
    });

    it('names the key and what is expected for invalid configuration', () => {
      const bad = configError;
      expect(bad({ rules: { 'ECA-NOPE-1': 'off' } })).to.include('rules.ECA-NOPE-1: unknown rule');
      expect(bad({ rules: { 'ECA-POL-010': 'fatal' } })).to.include('rules.ECA-POL-010: expected "error", "warning", "info" or "off"');
      expect(bad({ approvedIpRanges: ['10.0.0.0/33'] })).to.include('approvedIpRanges[0]');
      expect(bad({ maxRefreshTokenInactivity: 30 })).to.include('maxRefreshTokenInactivity: expected a duration');
      expect(bad({ waivers: [{ app: 'A', rule: 'ECA-POL-010' }] })).to.include('waivers[0].reason: a waiver needs a reason');
      expect(bad({ waivers: [{ app: 'A', rule: 'ECA-POL-010', reason: 'because', expires: 'soon' }] })).to.include('waivers[0].expires');
      expect(bad({ colour: 'red' })).to.include('colour: unknown key');
      expect(bad([])).to.include('(root): expected an object');
    });

    it('merges layers: later keys win, rules and waivers add up', () => {
      const c = parseConfig(
        [
          { source: 'project', value: { rules: { 'ECA-POL-010': 'warning' }, maxIpRangeSize: 16 } },
          { source: 'file', value: { rules: { 'ECA-GLB-002': 'off' }, maxIpRangeSize: 32, maxRefreshTokenInactivity: '7d' } },
        ],
        RULE_KEYS
      );
      expect(c.rules).to.deep.equal({ 'ECA-POL-010': 'warning', 'ECA-GLB-002': 'off' });
      expect(c.maxIpRangeSize).to.equal(32);
      expect(c.maxRefreshTokenInactivity).to.deep.equal({ period: 7, unit: 'Days' });
    });
  });

  it('never puts a secret value in a finding', () => {
    const secret = 'NOT-A-REAL-SECRET-VALUE-42';
    const findings = check(setG({ consumerSecret: secret, consumerKey: '3MVG9-ALSO-HIDDEN' })(baseline()));
    expect(JSON.stringify(findings)).to.not.include(secret);
    expect(JSON.stringify(findings)).to.not.include('3MVG9-ALSO-HIDDEN');
    const misplaced = check(setO({ consumerSecret: secret, commaSeparatedOauthScopes: 'Api', label: KEY_PEM })(setG({ idTokenConfig: `        <consumerSecret>${secret}</consumerSecret>` })(baseline())));
    expect(misplaced.map((f) => f.ruleId)).to.include('ECA-PRJ-007').and.include('ECA-PRJ-006');
    expect(JSON.stringify(misplaced)).to.not.include(secret);
    expect(JSON.stringify(misplaced)).to.not.include(KEY_PEM.split('\n')[3]);
  });

  it('removes a committed secret only when asked', () => {
    const files = setG({ consumerSecret: 'NOT-A-REAL-SECRET-123' })(baseline());
    const inv = buildInventory(Object.entries(files).map(([path, text]) => ({ path, text })));
    const findings = runCheck(inv, ctxOf()).findings;
    const without = applyFixes(inv, findings);
    expect(without.changes).to.deep.equal([]);
    expect(without.skipped.map((s) => s.reason)).to.include('removing a committed secret needs --remove-secrets');
    const withFlag = applyFixes(inv, findings, { removeSecrets: true });
    expect(withFlag.changes[0]?.after).to.not.include('consumerSecret');
    expect(withFlag.changes[0]?.before?.split('\n').length).to.equal((withFlag.changes[0]?.after.split('\n').length ?? 0) + 1);
  });

  it('ECA-GLB-016 leaves http://localhost:*/callback to ECA-GLB-017 (the wildcard port), and still flags a remote http callback', () => {
    const ids = check(setG({ callbackUrl: 'http://localhost:*/callback' })(baseline())).map((f) => f.ruleId);
    expect(ids).not.to.include('ECA-GLB-016');
    expect(ids).to.include('ECA-GLB-017');
  });

  it('ECA-GLB-012 stays silent for an app that never gets refresh tokens (no RefreshToken scope, Zero refresh policy)', () => {
    const files = setP({ refreshTokenPolicyType: 'Zero', refreshTokenValidityPeriod: undefined, refreshTokenValidityUnit: undefined })(
      setO({ commaSeparatedOauthScopes: 'Api' })(setG({ isSecretRequiredForRefreshToken: 'false' })(baseline()))
    );
    expect(check(files).map((f) => f.ruleId)).not.to.include('ECA-GLB-012');
  });

  it('ECA-SET-004 reports the Connected-App-only scopes (A2A, CmdbDiscovery, SemanticLayer) an ECA deploy rejects', () => {
    for (const scope of ['A2A', 'CmdbDiscovery', 'SemanticLayer']) {
      const ids = check(setO({ commaSeparatedOauthScopes: `Api, RefreshToken, ${scope}` })(baseline())).map((f) => f.ruleId);
      expect(ids, scope).to.include('ECA-SET-004');
    }
  });
});
