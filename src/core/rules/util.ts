/* Small helpers shared by the rules. */
import type { MetadataFile } from '../model/file.js';
import type { EcaApp } from '../project/inventory.js';
import { fileOf } from '../project/inventory.js';
import type { XmlElement } from '../xml/parse.js';

export const DOCS = {
  policies: 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappoauthconfigurablepolicies.htm',
  global: 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappglobaloauthsettings.htm',
  oauth: 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappoauthsettings.htm',
  header: 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_externalclientapplication.htm',
  plugins: 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappconfigurablepolicies.htm',
  connectedApp: 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_connectedapp.htm',
  preauth: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.preauth_user_app_access_through_eca.htm',
  ipRelaxation: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.shr_manage_oauth_access_policies_for_a_connected_app_ip_relaxation.htm',
  idleTtl: 'https://help.salesforce.com/s/articleView?id=xcloud.eca_limit_idle_refresh_token_ttl.htm',
  pkce: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.shr_security_require_proof_key_for_code_exchange_pkce.htm',
  rotation: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.shr_security_enable_refresh_token_rotation.htm',
  secretRefresh: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.shr_security_require_secret_for_refresh_token_flow.htm',
  secretWebServer: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.shr_security_require_secret_for_web_server_flow.htm',
  deviceFlow: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.shr_api_enable_oauth_settings_enable_for_device_flow_deselected.htm',
  clientCredentials: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.shr_oauth_flow_enablement_disable_client_credentials_flow.htm',
  scopes: 'https://help.salesforce.com/s/articleView?id=xcloud.shr_configure_the_external_client_app_oauth_settings_oauth_scope_least_privilege.htm',
  secrets: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.shr_external_client_app_settings_metadata_secrets_protection.htm',
  newGlobal: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.deploy_external_client_app_with_global_settings_file.htm',
  callback: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.configure_external_client_app_oauth_settings.htm',
  policiesHelp: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.meta_configure_external_client_app_policies.htm',
  packaging: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.configure_packageable_external_client_apps.htm',
  migrate: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.connected_app_to_external_client_app_migration.htm',
} as const;

/** A callback to the loopback address (native and command-line apps), any port or a wildcard one. */
export const isLoopbackUrl = (url: string): boolean => /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:(\d+|\*))?(\/|$)/i.test(url);

/** A plain-http URL to a host other than the loopback address: what sends codes over the network in clear text. */
export const isRemoteHttpUrl = (url: string): boolean => /^http:\/\//i.test(url) && !isLoopbackUrl(url);

/** The child element of that name, if any. */
export const childOf = (el: XmlElement | undefined, name: string): XmlElement | undefined => el?.children.find((c) => c.name === name);

/** The trimmed text of that child element; undefined when absent or blank. */
export const childText = (el: XmlElement | undefined, name: string): string | undefined => childOf(el, name)?.text?.trim() || undefined;

/** Scopes that give an app refresh tokens. */
export const grantsRefreshTokens = (scopes: readonly string[]): boolean => scopes.includes('RefreshToken') || scopes.includes('OfflineAccess');

export const at = (el: XmlElement | undefined): { line: number; col: number } | undefined =>
  el ? { line: el.line, col: el.col } : undefined;

/** Every element under `root` (not root itself), depth first, with its parent. */
export const descendants = (root: XmlElement): Array<{ el: XmlElement; parent: XmlElement }> => {
  const out: Array<{ el: XmlElement; parent: XmlElement }> = [];
  const visit = (parent: XmlElement): void => {
    for (const el of parent.children) {
      out.push({ el, parent });
      visit(el);
    }
  };
  visit(root);
  return out;
};

/** The scopes of a comma-separated list, trimmed, empty tokens dropped. */
export const splitList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** The OAuth scopes an app requests (its OAuth settings file). */
export const scopesOf = (app: EcaApp): string[] => splitList(fileOf(app, 'oauth')?.value('commaSeparatedOauthScopes'));

/** True when the app has no user-facing flow: only JWT bearer and/or client credentials. */
export const isServerToServer = (app: EcaApp): boolean => {
  const g = fileOf(app, 'globalOauth');
  const p = fileOf(app, 'oauthPolicies');
  const jwt = g?.value('certificate') !== undefined;
  const cc = g?.flag('isClientCredentialsFlowEnabled') === true || p?.flag('isClientCredentialsFlowEnabled') === true;
  return (jwt || cc) && g?.flag('isDeviceFlowEnabled') !== true && g?.flag('isCodeCredFlowEnabled') !== true && !usesRedirect(g);
};

/** A callback URL other than the placeholder Salesforce success page means an interactive flow. */
const usesRedirect = (g: MetadataFile | undefined): boolean => {
  const urls = splitLines(g?.value('callbackUrl'));
  return urls.some((u) => !/^https:\/\/(login|test)\.salesforce\.com\/services\/oauth2\/success$/i.test(u));
};

export const splitLines = (value: string | undefined): string[] =>
  (value ?? '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Levenshtein distance, for "did you mean" suggestions. */
export const editDistance = (a: string, b: string): number => {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] as number;
      prev[j] = Math.min((prev[j] as number) + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length] as number;
};

/** The candidate closest to `value` (case-insensitive first), if it is close enough to be a likely typo. */
export const closest = (value: string, candidates: readonly string[]): string | undefined => {
  const lower = value.toLowerCase();
  const exact = candidates.find((c) => c.toLowerCase() === lower);
  if (exact) return exact;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(value.length / 4)) ? best : undefined;
};
