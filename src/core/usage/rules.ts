/*
 * The usage rules of `sf eca audit --usage`: ids, names, severities and descriptions like the catalog's, so that
 * SARIF, JUnit, markdown and --list-rules describe them. They are not catalog rules: they read no file, they are
 * evaluated from the org's figures (OauthToken, SetupEntityAccess, LoginHistory…) by evaluate.ts. Pure: a table.
 */
import type { Severity } from '../model/file.js';

/** A usage rule as reports describe it. */
export type UsageRule = {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly category: 'usage';
  readonly summary: string;
  readonly rationale: string;
  readonly helpUri: string;
  /** What the rule is evaluated on: External Client Apps, Connected Apps, or the logins of any app. */
  readonly appliesTo: readonly ('eca' | 'connectedApp' | 'login')[];
};

const rule = (r: Omit<UsageRule, 'category'>): UsageRule => ({ ...r, category: 'usage' });

export const USAGE_RULES = {
  unused: rule({
    id: 'ECA-USE-001',
    name: 'app-recently-used',
    severity: 'warning',
    summary: 'Every app has been used within the configured number of days (usage.unusedDays, default 90).',
    rationale:
      'An app nobody uses is attack surface without benefit: its credentials, grants and policies still work for whoever holds them. Remove it, or block it until someone claims it. An app with no OAuth token at all counts as unused.',
    helpUri: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.connected_app_monitor.htm',
    appliesTo: ['eca', 'connectedApp'],
  }),
  staleTokens: rule({
    id: 'ECA-USE-002',
    name: 'no-stale-user-tokens',
    severity: 'info',
    summary: 'No user keeps an OAuth token of an app in use that they have not used within usage.unusedDays.',
    rationale:
      'A refresh token nobody uses is still a credential: revoking the idle ones (Setup → Connected Apps OAuth Usage, or the user\'s OAuth connections) shrinks what a leak can reach without touching the users who work with the app.',
    helpUri: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.connected_app_monitor.htm',
    appliesTo: ['eca', 'connectedApp'],
  }),
  unassigned: rule({
    id: 'ECA-USE-003',
    name: 'admin-approved-assigned',
    severity: 'warning',
    summary: 'An admin-approved app (AdminApprovedPreAuthorized) is assigned to at least one profile or permission set.',
    rationale:
      'Admin-approved users are the users of the profiles and permission sets the app is assigned to: with none, nobody can use the app. It is either unused (remove it) or broken since the policy changed (assign the permission set its users need).',
    helpUri: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.preauth_user_app_access_through_eca.htm',
    appliesTo: ['eca'],
  }),
  overGranted: rule({
    id: 'ECA-USE-004',
    name: 'pre-authorizations-within-maximum',
    severity: 'warning',
    summary: 'An app is pre-authorized to at most usage.maxPreAuthorizations profiles and permission sets (default 5).',
    rationale:
      'Least privilege: every profile or permission set an app is assigned to lets more users authorize it. Many grants usually mean access given by habit; one permission set per population of users is easier to review.',
    helpUri: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.preauth_user_app_access_through_eca.htm',
    appliesTo: ['eca'],
  }),
  selfAuthorizedInUse: rule({
    id: 'ECA-USE-005',
    name: 'self-authorized-not-in-use',
    severity: 'error',
    summary: 'No app in use lets every user self-authorize (AllSelfAuthorized).',
    rationale:
      'With AllSelfAuthorized, any user of the org who can log in can grant the app access to their data; the app is in use, so the exposure is real, not theoretical. Switch it to admin-approved users, assigning first the permission set its current users need (the figures list who holds tokens).',
    helpUri: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.preauth_user_app_access_through_eca.htm',
    appliesTo: ['eca'],
  }),
  connectedAppInUse: rule({
    id: 'ECA-USE-006',
    name: 'connected-app-in-use',
    severity: 'info',
    summary: 'Connected Apps still in use are migrated to External Client Apps, the most used first.',
    rationale:
      'New Connected Apps can no longer be created and Salesforce moves its features to External Client Apps. The ones still in use are the migration plan; the message ranks them by use so that the busiest integration is planned first (its clients must change their consumer key).',
    helpUri: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.connected_app_to_external_client_app_migration.htm',
    appliesTo: ['connectedApp'],
  }),
  usernamePassword: rule({
    id: 'ECA-USE-007',
    name: 'no-username-password-logins',
    severity: 'error',
    summary: 'No login used the OAuth username-password flow within usage.loginDays (default 30).',
    rationale:
      'Salesforce switches the username-password flow off on 20 February 2027, with no extension: these integrations stop working then. Their logins do not appear on the OAuth Usage page, only in Login History. Move them to the client credentials or JWT bearer flow.',
    helpUri: 'https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.remoteaccess_oauth_username_password_flow.htm',
    appliesTo: ['login'],
  }),
  effectivePolicy: rule({
    id: 'ECA-USE-008',
    name: 'metadata-matches-org-policy',
    severity: 'warning',
    summary: 'The OAuth policies the org enforces (ExtlClntAppOauthPlcyCnfg) are what the app\'s metadata says.',
    rationale:
      'Some changes made in Setup do not update the app\'s metadata (the idle refresh-token limit is the documented case), so a check of the retrieved files can judge a policy the org no longer enforces, and the next deploy of the files silently undoes the Setup change. The record the org queries is what it enforces: make the source say the same, then deploy it.',
    helpUri: 'https://help.salesforce.com/s/articleView?id=xcloud.eca_limit_idle_refresh_token_ttl.htm',
    appliesTo: ['eca'],
  }),
} as const satisfies Record<string, UsageRule>;

/** Every usage rule, in id order. */
export const ALL_USAGE_RULES: readonly UsageRule[] = Object.values(USAGE_RULES).sort((a, b) => (a.id < b.id ? -1 : 1));

/** Usage rule ids and names (configuration keys, waivers, --rule). */
export const USAGE_RULE_KEYS: readonly string[] = ALL_USAGE_RULES.flatMap((r) => [r.id, r.name]);

export const findUsageRule = (key: string): UsageRule | undefined => ALL_USAGE_RULES.find((r) => r.id === key || r.name === key);
