/*
 * Org settings rules: the two Settings files that decide, for every app of the org, whether consumer
 * secrets can be read through an API and which legacy OAuth flows stay open. They run once per project
 * (Unit 'org'), on ExternalClientApp.settings and OauthOidc.settings when the project holds them;
 * findings name ORG_SETTINGS_APP as their app.
 */
import type { MetadataFile } from '../../model/file.js';
import type { TypeDef } from '../../model/schema.js';
import { ExternalClientAppSettings, OauthOidcSettings } from '../../model/schema.js';
import type { Report, Rule, Unit } from '../types.js';
import { at } from '../util.js';

const HELP = {
  secretsProtection: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.shr_external_client_app_settings_metadata_secrets_protection.htm',
  ecaControls: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.shr_external_client_apps.htm',
  usernamePassword: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.remoteaccess_disable_username_password_flow_ca.htm',
  userAgent: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.remoteaccess_oauth_user_agent_flow.htm',
} as const;

const filesOf = (unit: Unit, type: TypeDef): readonly MetadataFile[] =>
  unit.kind === 'org' ? unit.files.filter((f) => f.type.name === type.name) : [];

/** Reports each file of the type whose flag is true (an org setting that exposes consumer secrets). */
const whenOn = (type: TypeDef, element: string, message: string, action: string) => (unit: Unit, report: Report): void => {
  for (const file of filesOf(unit, type)) {
    if (file.flag(element) !== true) continue;
    report({ file, at: at(file.element(element)), message, actual: 'true', expected: 'false', action });
  }
};

/** Reports each file of the type whose block flag is not true (absent: the documented default, false). */
const unlessBlocked = (type: TypeDef, element: string, flow: string, action: string) => (unit: Unit, report: Report): void => {
  for (const file of filesOf(unit, type)) {
    if (file.flag(element) === true) continue;
    const el = file.element(element);
    const value = file.value(element);
    report({
      file,
      at: at(el),
      message: el ? `<${element}> is ${value ?? 'empty'}: the ${flow} is allowed in the org` : `<${element}> is absent (default false): the ${flow} is allowed in the org`,
      actual: value ?? '(absent)',
      expected: 'true',
      action,
    });
  }
};

export const orgSettingsRules: readonly Rule[] = [
  {
    id: 'ECA-ORG-001',
    name: 'org-metadata-secret-access-off',
    severity: 'warning',
    category: 'project',
    summary: 'The org settings do not let consumer secrets be read through the Metadata API (enableConsumerSecretApiAccess).',
    rationale:
      'Security Health Check, "External Client App Settings: Metadata Secrets Protection": the control prevents the plaintext consumer secrets used for OAuth from being retrieved or exported through the Metadata API. The Metadata API page (API 62 and later) marks enableConsumerSecretApiAccess deprecated and points to the app\'s OAuth UI for reading consumer secrets.',
    helpUri: HELP.secretsProtection,
    appliesTo: 'org',
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) =>
      whenOn(
        ExternalClientAppSettings,
        'enableConsumerSecretApiAccess',
        '<enableConsumerSecretApiAccess> is true: OAuth consumer secrets can be read through the Metadata API',
        'Set it to false (Setup: turn off access to External Client App consumer secrets via the Metadata API), unless a process still retrieves secrets that way.'
      )(unit, report),
  },
  {
    id: 'ECA-ORG-002',
    name: 'org-rest-api-secret-masking',
    severity: 'warning',
    category: 'project',
    summary: 'The org settings do not let consumer secrets be read through the credentials REST API (enableClientSecretInRestApiAccess).',
    rationale:
      'Security Health Check, "External Client App Settings: REST API Secret Masking": the control blocks querying or retrieving plaintext OAuth consumer secrets through REST API calls. The Metadata API page (API 62 and later): enableClientSecretInRestApiAccess says whether consumer secrets can be accessed through the credentials REST API.',
    helpUri: HELP.ecaControls,
    appliesTo: 'org',
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) =>
      whenOn(
        ExternalClientAppSettings,
        'enableClientSecretInRestApiAccess',
        '<enableClientSecretInRestApiAccess> is true: OAuth consumer secrets can be read through the credentials REST API',
        'Set it to false, unless an integration reads consumer secrets through the credentials REST API (move it off that first).'
      )(unit, report),
  },
  {
    id: 'ECA-ORG-003',
    name: 'org-username-password-flow-blocked',
    severity: 'warning',
    category: 'project',
    summary: 'The org settings block the OAuth username-password flow (blockOAuthUnPwFlow true).',
    rationale:
      'Metadata API, OauthOidcSettings: blockOAuthUnPwFlow says whether the username-password flow is blocked; the default is false. Salesforce Help recommends the web server flow with PKCE or the client credentials flow instead, and blocking the username-password flow for all apps. Salesforce retires the flow, with enforcement on February 20, 2027; migrating to an External Client App does not change the authentication method an integration uses.',
    helpUri: HELP.usernamePassword,
    appliesTo: 'org',
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) =>
      unlessBlocked(
        OauthOidcSettings,
        'blockOAuthUnPwFlow',
        'username-password flow',
        'Find the integrations that still log in with a username and password (Login History; they do not show on the OAuth Usage page), move them to another flow such as client credentials, then set <blockOAuthUnPwFlow>true</blockOAuthUnPwFlow>.'
      )(unit, report),
  },
  {
    id: 'ECA-ORG-004',
    name: 'org-user-agent-flow-blocked',
    severity: 'warning',
    category: 'project',
    summary: 'The org settings block the OAuth user-agent flow (blockOAuthUsrAgtFlow true).',
    rationale:
      'Metadata API, OauthOidcSettings: blockOAuthUsrAgtFlow says whether the user-agent flow is blocked; the default is false. Salesforce Help (OAuth 2.0 user-agent flow) recommends the web server flow with PKCE instead of the user-agent flow, and warns that many mobile apps, Salesforce\'s own included, use the user-agent flow, so blocking it breaks them.',
    helpUri: HELP.userAgent,
    appliesTo: 'org',
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) =>
      unlessBlocked(
        OauthOidcSettings,
        'blockOAuthUsrAgtFlow',
        'user-agent flow',
        'Move the clients that use the user-agent flow (mobile apps among them) to the web server flow with PKCE, then set <blockOAuthUsrAgtFlow>true</blockOAuthUsrAgtFlow>.'
      )(unit, report),
  },
];
