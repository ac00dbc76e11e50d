/*
 * The Salesforce controls the rules enforce: for each rule id, the published control, requirement or
 * recommendation it checks, where one exists. Only what a Salesforce source states: the Security Health
 * Check's External Client App controls (help.salesforce.com "shr_…" pages, and two Connected App
 * controls where the ECA index has no equivalent), the AppExchange partner requirements, Help
 * recommendations and Metadata API directives. No control ids are made up: Salesforce gives these
 * controls names, not ids, so `id` is set only where a framework publishes one.
 * Pure: a table and its lookups.
 */

/** Who publishes the control. */
export type ControlFramework =
  | 'salesforce-health-check'
  | 'appexchange-security-review'
  | 'salesforce-security-benchmark'
  | 'help-recommendation'
  | 'metadata-api';

/** One control a rule enforces. */
export type ControlRef = {
  /** Who publishes it. */
  readonly framework: ControlFramework;
  /** The framework's own id of the control (e.g. SBS-OAUTH-002), only where the framework gives one. */
  readonly id?: string;
  /** The control's name as its source writes it. */
  readonly title: string;
  /** Where the control is published (https). */
  readonly url: string;
};

/** How each framework reads in a report. */
export const FRAMEWORK_LABEL: Readonly<Record<ControlFramework, string>> = {
  'salesforce-health-check': 'Salesforce Security Health Check',
  'appexchange-security-review': 'AppExchange security requirements',
  'salesforce-security-benchmark': 'Salesforce Security Benchmark',
  'help-recommendation': 'Salesforce Help recommendation',
  'metadata-api': 'Metadata API Developer Guide',
};

/** The short prefix of a control's tag (SARIF `properties.tags`). */
const FRAMEWORK_TAG: Readonly<Record<ControlFramework, string>> = {
  'salesforce-health-check': 'health-check',
  'appexchange-security-review': 'appexchange',
  'salesforce-security-benchmark': 'sbs',
  'help-recommendation': 'help',
  'metadata-api': 'metadata-api',
};

const HELP = 'https://help.salesforce.com/apex/HTViewHelpDoc?id=';
const ARTICLE = 'https://help.salesforce.com/s/articleView?id=';

type Control = ControlRef & {
  /** A short kebab-case name for the control's tag, e.g. require-pkce. */
  readonly tag: string;
};

/** Every control a rule refers to (or a rule to come may refer to), by a stable key. */
export const CONTROLS = {
  // Security Health Check, "Review External Client Apps" (xcloud.shr_external_client_apps.htm)
  metadataSecretsProtection: {
    framework: 'salesforce-health-check',
    title: 'External Client App Settings: Metadata Secrets Protection',
    url: `${HELP}xcloud.shr_external_client_app_settings_metadata_secrets_protection.htm`,
    tag: 'metadata-secrets-protection',
  },
  // Named on the index page (field notes, H-SHR); it has no page of its own.
  restApiSecretMasking: {
    framework: 'salesforce-health-check',
    title: 'External Client App Settings: REST API Secret Masking',
    url: `${HELP}xcloud.shr_external_client_apps.htm`,
    tag: 'rest-api-secret-masking',
  },
  oauthScopeLeastPrivilege: {
    framework: 'salesforce-health-check',
    title: 'Configure the External Client App OAuth Settings: OAuth Scope Least Privilege',
    url: `${ARTICLE}xcloud.shr_configure_the_external_client_app_oauth_settings_oauth_scope_least_privilege.htm`,
    tag: 'oauth-scope-least-privilege',
  },
  configureIdToken: {
    framework: 'salesforce-health-check',
    title: 'Configure the External Client App OAuth Settings: Configure ID Token',
    url: `${HELP}xcloud.shr_configure_the_external_client_app_oauth_settings_configure_id_token.htm`,
    tag: 'configure-id-token',
  },
  disableClientCredentialsFlow: {
    framework: 'salesforce-health-check',
    title: 'OAuth Flow Enablement: Disable Client Credentials Flow',
    url: `${HELP}xcloud.shr_oauth_flow_enablement_disable_client_credentials_flow.htm`,
    tag: 'disable-client-credentials-flow',
  },
  clientCredentialFlowPolicies: {
    framework: 'salesforce-health-check',
    title: 'Configure OAuth Policies: Configure Client Credential Flow Policies',
    url: `${HELP}xcloud.shr_configure_oauth_policies_configure_client_credential_flow_policies.htm`,
    tag: 'client-credential-flow-policies',
  },
  requireSecretForWebServerFlow: {
    framework: 'salesforce-health-check',
    title: 'Security: Require Secret for Web Server Flow',
    url: `${HELP}xcloud.shr_security_require_secret_for_web_server_flow.htm`,
    tag: 'require-secret-for-web-server-flow',
  },
  requireSecretForRefreshTokenFlow: {
    framework: 'salesforce-health-check',
    title: 'Security: Require Secret for Refresh Token Flow',
    url: `${HELP}xcloud.shr_security_require_secret_for_refresh_token_flow.htm`,
    tag: 'require-secret-for-refresh-token-flow',
  },
  requirePkce: {
    framework: 'salesforce-health-check',
    title: 'Security: Require Proof Key for Code Exchange (PKCE)',
    url: `${HELP}xcloud.shr_security_require_proof_key_for_code_exchange_pkce.htm`,
    tag: 'require-pkce',
  },
  refreshTokenRotation: {
    framework: 'salesforce-health-check',
    title: 'Security: Enable Refresh Token Rotation',
    url: `${HELP}xcloud.shr_security_enable_refresh_token_rotation.htm`,
    tag: 'refresh-token-rotation',
  },
  // Security Health Check, Connected App controls (xcloud.shr_connected_apps.htm): the ECA index has none for these
  ipRelaxation: {
    framework: 'salesforce-health-check',
    title: 'Manage OAuth Access Policies for a Connected App: IP Relaxation',
    url: `${HELP}xcloud.shr_manage_oauth_access_policies_for_a_connected_app_ip_relaxation.htm`,
    tag: 'ip-relaxation',
  },
  deviceFlowDeselected: {
    framework: 'salesforce-health-check',
    title: 'Connected Apps: API (Enable OAuth Settings): Enable for Device Flow - Deselected',
    url: `${HELP}xcloud.shr_api_enable_oauth_settings_enable_for_device_flow_deselected.htm`,
    tag: 'device-flow-deselected',
  },
  // AppExchange partner requirements: PKCE and refresh token rotation
  appExchangeSecureApps: {
    framework: 'appexchange-security-review',
    title: 'Secure Your Connected Apps and External Client Apps',
    url: 'https://developer.salesforce.com/docs/atlas.en-us.packagingGuide.meta/packagingGuide/secure_code_ac_eca.htm',
    tag: 'secure-connected-apps',
  },
  // Salesforce Help
  idleRefreshTokenTtl: {
    framework: 'help-recommendation',
    title: 'Limit the Idle Refresh Token TTL in External Client Apps',
    url: `${ARTICLE}xcloud.eca_limit_idle_refresh_token_ttl.htm`,
    tag: 'limit-idle-refresh-token-ttl',
  },
  // Metadata API Developer Guide
  globalSettingsNotInSourceControl: {
    framework: 'metadata-api',
    title: 'ExtlClntAppGlobalOauthSettings: the file must not be added to source control',
    url: 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappglobaloauthsettings.htm',
    tag: 'global-settings-not-in-source-control',
  },
} as const satisfies Record<string, Control>;

type ControlKey = keyof typeof CONTROLS;

/** Rule id → the controls it enforces, strongest source first. Rules without a published control are absent. */
const TABLE: Readonly<Record<string, readonly ControlKey[]>> = {
  'ECA-GLB-001': ['metadataSecretsProtection', 'globalSettingsNotInSourceControl'],
  'ECA-PRJ-007': ['metadataSecretsProtection'],
  'ECA-GLB-010': ['requirePkce', 'appExchangeSecureApps'],
  'ECA-GLB-011': ['refreshTokenRotation', 'appExchangeSecureApps'],
  'ECA-GLB-012': ['requireSecretForRefreshTokenFlow'],
  'ECA-GLB-013': ['requireSecretForWebServerFlow'],
  'ECA-GLB-014': ['deviceFlowDeselected'],
  'ECA-SET-001': ['oauthScopeLeastPrivilege'],
  'ECA-SET-003': ['oauthScopeLeastPrivilege'],
  'ECA-POL-010': ['ipRelaxation'],
  'ECA-CA-003': ['ipRelaxation'],
  'ECA-POL-020': ['idleRefreshTokenTtl'],
  'ECA-POL-021': ['idleRefreshTokenTtl'],
  'ECA-POL-040': ['clientCredentialFlowPolicies'],
  'ECA-POL-041': ['disableClientCredentialsFlow'],
  'ECA-GLB-020': ['configureIdToken'],
  'ECA-ORG-001': ['metadataSecretsProtection'],
  'ECA-ORG-002': ['restApiSecretMasking'],
  // Connected App parity rules: the same controls as the ECA rules they mirror.
  'ECA-CA-010': ['requirePkce'],
  'ECA-CA-011': ['refreshTokenRotation'],
  'ECA-CA-012': ['deviceFlowDeselected'],
  'ECA-CA-013': ['requireSecretForWebServerFlow', 'requireSecretForRefreshTokenFlow'],
  'ECA-CA-016': ['disableClientCredentialsFlow'],
};

const refOf = (c: Control): ControlRef => ({ framework: c.framework, ...(c.id !== undefined ? { id: c.id } : {}), title: c.title, url: c.url });

const BY_RULE: ReadonlyMap<string, readonly ControlRef[]> = new Map(
  Object.entries(TABLE).map(([rule, keys]) => [rule, Object.freeze(keys.map((k) => Object.freeze(refOf(CONTROLS[k]))))])
);

/** The rule ids the table names (for tests). */
export const CONTROLLED_RULE_IDS: readonly string[] = Object.keys(TABLE);

/** The controls a rule enforces; empty when it enforces no published control. */
export const controlsOf = (ruleId: string): readonly ControlRef[] => BY_RULE.get(ruleId) ?? [];

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * A control's tag for SARIF (GitHub code scanning shows rule tags as labels and filters by them, so a
 * tag has no spaces): `<framework>:<id or short name>`, e.g. health-check:require-pkce.
 */
export const controlTag = (ref: ControlRef): string => {
  const known = Object.values(CONTROLS as Record<string, Control>).find((c) => c.url === ref.url && c.framework === ref.framework);
  return `${FRAMEWORK_TAG[ref.framework]}:${ref.id ?? known?.tag ?? slug(ref.title)}`;
};

/** "Salesforce Security Health Check: Security: Require …" — how a control reads in a report. */
export const controlLabel = (ref: ControlRef): string => `${FRAMEWORK_LABEL[ref.framework]}${ref.id ? ` ${ref.id}` : ''}: ${ref.title}`;
