/*
 * One External Client App "App" (header, global OAuth settings, OAuth settings, OAuth policies, plugin policies) with
 * every value hardened, and a Connected App "Old", as in-memory files: the baseline the rule tests change one value
 * of at a time (test/core/rules.test.ts, flow-rules.test.ts, connected-app-parity.test.ts).
 */
import { buildInventory, type SourceText } from '../../src/core/project/inventory.js';
import { DEFAULT_CONFIG, type EcaConfig, parseConfig } from '../../src/core/rules/config.js';
import { RULE_KEYS, runCheck } from '../../src/core/rules/engine.js';
import type { Finding, RuleContext } from '../../src/core/rules/types.js';
import { NS } from './helpers.js';

export type Fields = Array<[string, string]>;
export type Files = Record<string, string>;

export const file = (root: string, fields: Fields): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${fields.map(([k, v]) => (v.startsWith('<') ? `    <${k}>\n${v}\n    </${k}>\n` : `    <${k}>${v}</${k}>\n`)).join('')}</${root}>\n`;

export const range = (start: string, end: string, description = 'office'): string =>
  `        <description>${description}</description>\n        <endIpAddress>${end}</endIpAddress>\n        <startIpAddress>${start}</startIpAddress>`;

export const H = 'force-app/main/default/externalClientApps/App.eca-meta.xml';
export const G = 'force-app/main/default/extlClntAppGlobalOauthSets/App_glbloauth.ecaGlblOauth-meta.xml';
export const O = 'force-app/main/default/extlClntAppOauthSettings/App_oauth.ecaOauth-meta.xml';
export const P = 'force-app/main/default/extlClntAppOauthPolicies/App_oauthPlcy.ecaOauthPlcy-meta.xml';
export const L = 'force-app/main/default/extlClntAppPolicies/App_plcy.ecaPlcy-meta.xml';
export const CA = 'force-app/main/default/connectedApps/Old.connectedApp-meta.xml';
export const ECA_SETTINGS = 'force-app/main/default/settings/ExternalClientApp.settings-meta.xml';
export const OIDC_SETTINGS = 'force-app/main/default/settings/OauthOidc.settings-meta.xml';

export const header: Fields = [
  ['contactEmail', 'owner@example.com'],
  ['distributionState', 'Local'],
  ['isProtected', 'false'],
  ['label', 'App'],
];
export const global: Fields = [
  ['callbackUrl', 'https://app.example.com/callback'],
  ['externalClientApplication', 'App'],
  ['isClientCredentialsFlowEnabled', 'false'],
  ['isConsumerSecretOptional', 'false'],
  ['isDeviceFlowEnabled', 'false'],
  ['isIntrospectAllTokens', 'false'],
  ['isPkceRequired', 'true'],
  ['isRefreshTokenRotationEnabled', 'true'],
  ['isSecretRequiredForRefreshToken', 'true'],
  ['isTokenExchangeEnabled', 'false'],
  ['label', 'App'],
  ['shouldRotateConsumerKey', 'false'],
  ['shouldRotateConsumerSecret', 'false'],
];
export const oauth: Fields = [
  ['commaSeparatedOauthScopes', 'Api, RefreshToken'],
  ['externalClientApplication', 'App'],
  ['label', 'App_oauth'],
  ['trustedIpRanges', range('203.0.113.0', '203.0.113.255')],
];
export const policies: Fields = [
  ['commaSeparatedPermissionSet', 'App_Users'],
  ['externalClientApplication', 'App'],
  ['ipRelaxationPolicyType', 'Enforce'],
  ['isClientCredentialsFlowEnabled', 'false'],
  ['isGuestCodeCredFlowEnabled', 'false'],
  ['isTokenExchangeFlowEnabled', 'false'],
  ['label', 'App_oauthPlcy'],
  ['permittedUsersPolicyType', 'AdminApprovedPreAuthorized'],
  ['refreshTokenPolicyType', 'SpecificInactivity'],
  ['refreshTokenValidityPeriod', '30'],
  ['refreshTokenValidityUnit', 'Days'],
  ['requiredSessionLevel', 'STANDARD'],
];
export const plugins: Fields = [
  ['externalClientApplication', 'App'],
  ['isEnabled', 'true'],
  ['isOauthPluginEnabled', 'true'],
  ['label', 'App_plcy'],
];
export const connectedApp = `<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="${NS}">
    <contactEmail>a@example.com</contactEmail>
    <label>Old</label>
    <oauthConfig>
        <callbackUrl>https://old.example.com/cb</callbackUrl>
        <isAdminApproved>true</isAdminApproved>
        <scopes>Api</scopes>
    </oauthConfig>
    <oauthPolicy>
        <ipRelaxation>ENFORCE</ipRelaxation>
        <refreshTokenPolicy>specific_inactivity:30:DAYS</refreshTokenPolicy>
    </oauthPolicy>
</ConnectedApp>
`;

/** Replaces (or with undefined removes, or appends) fields of a field list. */
export const patch = (fields: Fields, changes: Record<string, string | undefined>): Fields => {
  const out: Fields = [];
  for (const [k, v] of fields) {
    const next = k in changes ? changes[k] : v;
    if (next !== undefined) out.push([k, next]);
  }
  for (const [k, v] of Object.entries(changes)) if (v !== undefined && !fields.some(([f]) => f === k)) out.push([k, v]);
  return out.sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
};

export const baseline = (): Files => ({
  [H]: file('ExternalClientApplication', header),
  [G]: file('ExtlClntAppGlobalOauthSettings', global),
  [O]: file('ExtlClntAppOauthSettings', oauth),
  [P]: file('ExtlClntAppOauthConfigurablePolicies', policies),
  [L]: file('ExtlClntAppConfigurablePolicies', plugins),
});

export const ctxOf = (config: Partial<EcaConfig> = {}, apiVersion = 66, packaged = false): RuleContext => ({
  apiVersion,
  config: { ...DEFAULT_CONFIG, ...config },
  packageDirs: [{ fullPath: '/p/force-app', packaged }],
  today: '2026-11-29',
});

export const check = (files: Files, ctx: RuleContext = ctxOf()): Finding[] => {
  const sources: SourceText[] = Object.entries(files).map(([path, text]) => ({ path, text, packageDir: '/p/force-app' }));
  return [...runCheck(buildInventory(sources), ctx).findings];
};

/** The message parseConfig gives for a configuration (as from a file named eca.json), or 'no error'. */
export const configError = (value: unknown): string => {
  try {
    parseConfig([{ source: 'eca.json', value }], RULE_KEYS);
    return 'no error';
  } catch (e) {
    return (e as Error).message;
  }
};
