/*
 * Rules on the OAuth flows an app turns on and what each needs: ID tokens, the Authorization Code and
 * Credentials flow, single logout, first-party (headless) apps, token exchange, JWT-based sessions, and
 * permission sets named the way the deploy accepts.
 */
import { clientProfile } from '../profile.js';
import type { MetadataFile } from '../../model/file.js';
import { fileOf } from '../../project/inventory.js';
import type { Rule } from '../types.js';
import { at, childOf, childText, DOCS, scopesOf, splitList } from '../util.js';

const eca = (r: Omit<Rule, 'appliesTo' | 'fixable' | 'fixClass'>): Rule => ({ ...r, appliesTo: 'eca', fixable: false, fixClass: 'manual' });

const HELP = {
  idToken: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.shr_configure_the_external_client_app_oauth_settings_configure_id_token.htm',
  firstParty: 'https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_eca_auth_challenge.htm',
} as const;

/** The ID token lifetime Security Health Check recommends, in minutes. */
const ID_TOKEN_MINUTES = 2;
/** The documented maximum of idTokenValidityInMinutes (a larger value is ECA-SCH-003's finding). */
const ID_TOKEN_MAX = 720;


/** A permission set's record id (15 or 18 characters, key prefix 0PS) rather than its API name. */
const PERMISSION_SET_ID = /^0PS[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/;

export const flowRules: readonly Rule[] = [
  eca({
    id: 'ECA-GLB-020',
    name: 'id-token-short-lived-with-audience',
    severity: 'warning',
    category: 'global-settings',
    summary: `An app that issues ID tokens (OpenID scope) keeps them valid at most ${ID_TOKEN_MINUTES} minutes (idTokenConfig/idTokenValidityInMinutes) and names their audience (idTokenConfig/idTokenAudience).`,
    rationale:
      'Security Health Check "Configure ID Token" recommends a token duration of 2 minutes and defined ID token audiences: "Without a restricted token duration and defined audience, an identity token remains valid for an excessive period and can be reused by unauthorized third-party applications."',
    helpUri: HELP.idToken,
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const g = fileOf(unit.app, 'globalOauth');
      const cfg = g?.element('idTokenConfig');
      // Salesforce issues an ID token only when the OpenID scope is requested.
      if (!g || !cfg || !scopesOf(unit.app).includes('OpenID')) return;
      const validity = childOf(cfg, 'idTokenValidityInMinutes');
      const minutes = validity?.text?.trim();
      // 0 and values outside 1–720 are the schema rule's (ECA-SCH-003); not a number is too.
      if (minutes !== undefined && /^\d+$/.test(minutes) && Number(minutes) > ID_TOKEN_MINUTES && Number(minutes) <= ID_TOKEN_MAX) {
        report({
          file: g,
          at: at(validity),
          message: `ID tokens stay valid ${minutes} minutes; Security Health Check recommends ${ID_TOKEN_MINUTES}`,
          actual: minutes,
          expected: String(ID_TOKEN_MINUTES),
          action: `Set idTokenConfig/idTokenValidityInMinutes to ${ID_TOKEN_MINUTES} once the clients validate the token within that time.`,
        });
      }
      if (!childText(cfg, 'idTokenAudience')) {
        report({
          file: g,
          at: at(cfg),
          message: 'ID tokens are issued with no idTokenAudience: any application they reach may accept them',
          expected: 'idTokenConfig/idTokenAudience',
          action: 'Name the applications that consume the ID token in idTokenConfig/idTokenAudience.',
        });
      }
    },
  }),
  eca({
    id: 'ECA-GLB-021',
    name: 'code-credentials-post-only',
    severity: 'warning',
    category: 'global-settings',
    summary: 'When the Authorization Code and Credentials flow is on (isCodeCredFlowEnabled), credentials are accepted only in a POST body (isCodeCredPostOnly true).',
    rationale: 'The Metadata API documents isCodeCredPostOnly: requiring the credentials to be sent by POST "improves security".',
    helpUri: DOCS.global,
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const g = fileOf(unit.app, 'globalOauth');
      if (!g || g.flag('isCodeCredFlowEnabled') !== true || g.flag('isCodeCredPostOnly') === true) return;
      const el = g.element('isCodeCredPostOnly');
      report({
        file: g,
        at: at(el ?? g.element('isCodeCredFlowEnabled')),
        message: el ? 'the Authorization Code and Credentials flow accepts credentials outside a POST body' : 'isCodeCredPostOnly is not set: the Authorization Code and Credentials flow accepts credentials outside a POST body',
        actual: g.value('isCodeCredPostOnly'),
        expected: 'true',
        action: 'Have the client send the credentials in the POST body, then set isCodeCredPostOnly to true.',
      });
    },
  }),
  eca({
    id: 'ECA-GLB-022',
    name: 'single-logout-https',
    severity: 'error',
    category: 'oauth-settings',
    summary: 'singleLogoutUrl (OAuth settings, OAuth policies) is an absolute https:// URL.',
    rationale: 'The Metadata API documents singleLogoutUrl: it "must be an absolute URL starting with https://".',
    helpUri: DOCS.oauth,
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      for (const f of [fileOf(unit.app, 'oauth'), fileOf(unit.app, 'oauthPolicies')]) {
        const url = f?.value('singleLogoutUrl');
        if (!f || url === undefined || /^https:\/\/[^\s/]+/i.test(url)) continue;
        report({
          file: f,
          at: at(f.element('singleLogoutUrl')),
          message: `singleLogoutUrl ${url} is not an absolute https:// URL`,
          actual: url,
          expected: /^http:\/\//i.test(url) ? url.replace(/^http:/i, 'https:') : 'https://…',
          action: 'Serve the logout endpoint over HTTPS and write its absolute URL.',
        });
      }
    },
  }),
  eca({
    id: 'ECA-GLB-023',
    name: 'first-party-app-hardened',
    severity: 'error',
    category: 'oauth-settings',
    summary:
      'A first-party app (isFirstPartyAppEnabled) requires its secret (isConsumerSecretOptional false) and PKCE (isPkceRequired true), admits only admin-approved users, and has a clientAssertionCertificate.',
    rationale:
      'Salesforce Help, "OAuth 2.0 for First-Party Applications" (configure an ECA for headless identity flows), sets up the app with the consumer secret required, PKCE required, permitted users AdminApprovedPreAuthorized and a client assertion certificate.',
    helpUri: HELP.firstParty,
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const o = fileOf(unit.app, 'oauth');
      if (!o || o.flag('isFirstPartyAppEnabled') !== true) return;
      const g = fileOf(unit.app, 'globalOauth');
      const p = fileOf(unit.app, 'oauthPolicies');
      const missing = (file: MetadataFile, element: string, message: string, expected: string, action: string): void =>
        report({ file, at: at(file.element(element) ?? (file === o ? o.element('isFirstPartyAppEnabled') : file.root)), message: `first-party app: ${message}`, actual: file.value(element), expected, action });
      // Absent values are the documented defaults: secret required (isConsumerSecretOptional false), PKCE required.
      if (g?.flag('isConsumerSecretOptional') === true) {
        missing(g, 'isConsumerSecretOptional', 'the consumer secret is optional', 'false', 'Set isConsumerSecretOptional to false in the global OAuth settings.');
      }
      if (g?.flag('isPkceRequired') === false) missing(g, 'isPkceRequired', 'PKCE is not required', 'true', 'Set isPkceRequired to true in the global OAuth settings.');
      if (p && p.value('permittedUsersPolicyType') !== 'AdminApprovedPreAuthorized') {
        missing(p, 'permittedUsersPolicyType', 'users are not admin-approved', 'AdminApprovedPreAuthorized', 'Set permittedUsersPolicyType to AdminApprovedPreAuthorized and pre-authorize a permission set.');
      }
      if (!o.value('clientAssertionCertificate')) {
        missing(o, 'clientAssertionCertificate', 'no clientAssertionCertificate', 'clientAssertionCertificate', 'Add the certificate the first-party client signs its assertions with (clientAssertionCertificate in the OAuth settings).');
      }
    },
  }),
  eca({
    id: 'ECA-GLB-024',
    name: 'token-exchange-secret-and-handler',
    severity: 'warning',
    category: 'global-settings',
    summary:
      'When token exchange is on (isTokenExchangeEnabled), a confidential client needs its secret for it (isSecretRequiredForTokenExchange true) and the OAuth policies name the handler (apexHandler) and its run-as user (executeHandlerAs).',
    rationale:
      'isSecretRequiredForTokenExchange makes the flow require the client secret; the exchange itself is done by an Apex token-exchange handler that runs as a user, both set in the OAuth policies. A public client (PKCE required, secret optional) cannot keep a secret.',
    helpUri: DOCS.global,
    check: (unit, ctx, report) => {
      if (unit.kind !== 'eca') return;
      const g = fileOf(unit.app, 'globalOauth');
      if (!g || g.flag('isTokenExchangeEnabled') !== true) return;
      // A public client (src/core/rules/profile.ts) cannot keep a secret.
      if (g.flag('isSecretRequiredForTokenExchange') !== true && clientProfile(unit.app, ctx.config).kind !== 'public') {
        report({
          file: g,
          at: at(g.element('isSecretRequiredForTokenExchange') ?? g.element('isTokenExchangeEnabled')),
          message: 'token exchange works without the client secret',
          actual: g.value('isSecretRequiredForTokenExchange'),
          expected: 'true',
          action: 'Have the client send its secret in the token exchange, then set isSecretRequiredForTokenExchange to true.',
        });
      }
      const p = fileOf(unit.app, 'oauthPolicies');
      if (!p) return; // not retrieved: ECA-POL-000
      const absent = ['apexHandler', 'executeHandlerAs'].filter((e) => !p.value(e));
      if (absent.length === 0) return;
      report({
        file: p,
        at: at(p.element('isTokenExchangeFlowEnabled') ?? p.root),
        message: `token exchange is on, but the OAuth policies have no ${absent.join(' and no ')}`,
        expected: absent.join(', '),
        action: 'Name the Apex token-exchange handler (apexHandler) and the user it runs as (executeHandlerAs) in the OAuth policies, or turn token exchange off.',
      });
    },
  }),
  eca({
    id: 'ECA-POL-045',
    name: 'jwt-session-needs-named-user-jwt',
    severity: 'error',
    category: 'policies',
    summary: 'JWT session settings in the OAuth policies (namedUserJwtSessionTimeoutType, guestJwtSessionTimeoutType and their timeouts) come with isNamedUserJwtEnabled true in the global OAuth settings.',
    rationale:
      'Deploying the JWT session-timeout fields in the policies while JWT-based access tokens for named users are off (isNamedUserJwtEnabled in the global OAuth settings) fails with "Invalid plugin settings".',
    helpUri: DOCS.policies,
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const p = fileOf(unit.app, 'oauthPolicies');
      const g = fileOf(unit.app, 'globalOauth');
      // Without the global settings (often kept out of source control) the flag is unknown.
      if (!p || !g || g.flag('isNamedUserJwtEnabled') === true) return;
      const present = ['guestJwtSessionTimeoutType', 'guestJwtTimeout', 'namedUserJwtSessionTimeoutType', 'namedUserJwtTimeout'].filter((e) => p.element(e) !== undefined);
      if (present.length === 0) return;
      report({
        file: p,
        at: at(p.element(present[0] as string)),
        message: `${present.join(', ')} set while isNamedUserJwtEnabled is ${g.value('isNamedUserJwtEnabled') ?? 'not set'} in the global OAuth settings: the deploy fails with "Invalid plugin settings"`,
        actual: present.join(', '),
        expected: 'isNamedUserJwtEnabled true, or no JWT session settings',
        action: 'Turn on isNamedUserJwtEnabled in the global OAuth settings if the app should issue JWT-based access tokens; otherwise remove these elements from the OAuth policies.',
      });
    },
  }),
  eca({
    id: 'ECA-POL-046',
    name: 'permission-set-names-not-ids',
    severity: 'error',
    category: 'policies',
    summary: 'commaSeparatedPermissionSet names permission sets by API name, not by record id (0PS…).',
    rationale: 'A deploy that lists permission-set ids fails with "INVALID_FIELD: We couldn\'t find permission sets called {id}": the field takes names.',
    helpUri: DOCS.preauth,
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const p = fileOf(unit.app, 'oauthPolicies');
      if (!p) return;
      for (const ps of splitList(p.value('commaSeparatedPermissionSet')).filter((s) => PERMISSION_SET_ID.test(s))) {
        report({
          file: p,
          at: at(p.element('commaSeparatedPermissionSet')),
          message: `${ps} is a permission set id: the deploy fails with "We couldn't find permission sets called ${ps}"`,
          actual: ps,
          expected: 'the permission set\'s API name',
          action: `Replace ${ps} with the permission set's API name (sf data query -q "SELECT Name FROM PermissionSet WHERE Id = '${ps}'").`,
        });
      }
    },
  }),
];
