/* Rules on the OAuth policies file (.ecaOauthPlcy-meta.xml): who, from where, how long, which flows. */
import { clientProfile } from '../profile.js';
import { describeRefreshToken } from '../../model/summary.js';
import { fileOf } from '../../project/inventory.js';
import { durationHours, formatDuration, type Duration, type RefreshUnit } from '../config.js';
import type { FixEdit, Rule } from '../types.js';
import { JWT_TIMEOUT_VALUES } from '../../model/schema.js';
import { at, DOCS, isServerToServer, splitList } from '../util.js';

const policiesRule = (r: Omit<Rule, 'appliesTo' | 'check'> & { check: Rule['check'] }): Rule => ({ ...r, appliesTo: 'eca' });

const UNITS: readonly RefreshUnit[] = ['Hours', 'Days', 'Months'];

/** Standard profiles whose label and API name differ: a denied profile matches both spellings. */
const PROFILE_ALIASES: ReadonlyArray<readonly string[]> = [['system administrator', 'admin']];

/** A profile's names, lower case: itself and, for a standard profile, its label or API name. */
const profileNames = (profile: string): readonly string[] => {
  const p = profile.trim().toLowerCase();
  return PROFILE_ALIASES.find((names) => names.includes(p)) ?? [p];
};

export const policiesRules: readonly Rule[] = [
  policiesRule({
    id: 'ECA-POL-000',
    name: 'policies-retrieved',
    severity: 'info',
    category: 'policies',
    summary: 'The OAuth policies file of every app is in the project.',
    rationale:
      'The org generates the OAuth policies on the first deploy; until they are retrieved, nobody can review or version who may use the app, from where, and for how long.',
    helpUri: DOCS.policiesHelp,
    fixable: false,
    fixClass: 'manual',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'eca' || unit.app.orphan || fileOf(unit.app, 'oauthPolicies')) return;
      // A packaged app's policies do not ship: each subscriber org gets a default policy record of its own.
      if (clientProfile(unit.app, ctx.config).packaged) return;
      // The file is there but unreadable: ECA-PRJ-004 says it is malformed; retrieving could overwrite local work.
      if (ctx.unreadable?.some((u) => u.kind === 'oauthPolicies' && u.app === unit.name)) return;
      // An app without OAuth (e.g. SAML only) has no OAuth policies to retrieve.
      if (!fileOf(unit.app, 'oauth') && !fileOf(unit.app, 'globalOauth')) return;
      const header = fileOf(unit.app, 'header');
      if (!header) return;
      report({
        file: header,
        message: `the OAuth policies of ${unit.name} are not in the project`,
        action: `Deploy the app, then run "sf eca retrieve --name ${unit.name}" (the org names the file; do not guess it).`,
      });
    },
  }),
  policiesRule({
    id: 'ECA-POL-001',
    name: 'permitted-users-admin-approved',
    severity: 'error',
    category: 'policies',
    summary: 'Only admin-approved users, pre-authorized by permission set or profile, may use the app.',
    rationale:
      'With AllSelfAuthorized any user who can log in may authorize the app, which is how attackers got users to authorize look-alike apps in 2025 (UNC6040, Drift).',
    helpUri: DOCS.preauth,
    fixable: true,
    fixClass: 'breaking',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'eca') return;
      const p = fileOf(unit.app, 'oauthPolicies');
      const v = p?.value('permittedUsersPolicyType');
      if (!p || v === 'AdminApprovedPreAuthorized') return;
      const grants = splitList(p.value('commaSeparatedPermissionSet')).length + splitList(p.value('commaSeparatedProfile')).length;
      const edits: FixEdit[] = [{ op: 'set', element: 'permittedUsersPolicyType', value: 'AdminApprovedPreAuthorized' }];
      if (grants === 0 && ctx.config.defaultPermissionSet) {
        edits.push({ op: 'set', element: 'commaSeparatedPermissionSet', value: ctx.config.defaultPermissionSet });
      }
      const canFix = grants > 0 || ctx.config.defaultPermissionSet !== undefined;
      report({
        file: p,
        at: at(p.element('permittedUsersPolicyType')),
        message: v === undefined ? 'permittedUsersPolicyType is not set' : `permittedUsersPolicyType is ${v}: every user may self-authorize the app`,
        actual: v,
        expected: 'AdminApprovedPreAuthorized',
        action: canFix
          ? undefined
          : 'Create a permission set for the app\'s users, name it in commaSeparatedPermissionSet (or set "defaultPermissionSet" in the configuration), then set AdminApprovedPreAuthorized.',
        ...(canFix
          ? {
              fix: {
                path: p.path,
                edits,
                description:
                  grants > 0
                    ? 'set permittedUsersPolicyType to AdminApprovedPreAuthorized'
                    : `set permittedUsersPolicyType to AdminApprovedPreAuthorized and pre-authorize permission set ${ctx.config.defaultPermissionSet}`,
                class: 'breaking',
              },
            }
          : {}),
      });
    },
  }),
  policiesRule({
    id: 'ECA-POL-002',
    name: 'preauthorized-grant',
    severity: 'warning',
    category: 'policies',
    summary: 'An admin-approved app pre-authorizes at least one permission set or profile.',
    rationale: 'Admin-approved with no permission set and no profile means nobody can use the app: a broken integration, or one kept alive through "Use Any API Client".',
    helpUri: DOCS.preauth,
    fixable: true,
    fixClass: 'breaking',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'eca') return;
      const p = fileOf(unit.app, 'oauthPolicies');
      if (!p || p.value('permittedUsersPolicyType') !== 'AdminApprovedPreAuthorized') return;
      if (splitList(p.value('commaSeparatedPermissionSet')).length + splitList(p.value('commaSeparatedProfile')).length > 0) return;
      const ps = ctx.config.defaultPermissionSet;
      report({
        file: p,
        at: at(p.element('permittedUsersPolicyType')),
        message: 'the app is admin-approved but pre-authorizes no permission set and no profile: no user can use it',
        expected: 'a permission set in commaSeparatedPermissionSet',
        ...(ps
          ? { fix: { path: p.path, edits: [{ op: 'set', element: 'commaSeparatedPermissionSet', value: ps }], description: `pre-authorize permission set ${ps}`, class: 'breaking' } }
          : { action: 'Name the permission set of the app\'s users in commaSeparatedPermissionSet (or set "defaultPermissionSet" in the configuration).' }),
      });
    },
  }),
  policiesRule({
    id: 'ECA-POL-003',
    name: 'no-admin-profile-grant',
    severity: 'warning',
    category: 'policies',
    summary: 'The app is not pre-authorized through a broad administrator profile ("deniedProfiles"; System Administrator matches its API name Admin too).',
    rationale: 'Granting an app to System Administrator gives every admin (and every token of theirs) the integration; a dedicated permission set is least privilege.',
    helpUri: DOCS.preauth,
    fixable: false,
    fixClass: 'manual',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'eca') return;
      const p = fileOf(unit.app, 'oauthPolicies');
      const denied = new Set(ctx.config.deniedProfiles.flatMap((d) => profileNames(d)));
      for (const profile of splitList(p?.value('commaSeparatedProfile'))) {
        if (!p || !denied.has(profile.toLowerCase())) continue;
        report({
          file: p,
          at: at(p.element('commaSeparatedProfile')),
          message: `the app is pre-authorized for the profile ${profile}`,
          actual: profile,
          action: 'Pre-authorize a dedicated permission set instead, and remove the profile.',
        });
      }
    },
  }),
  policiesRule({
    id: 'ECA-POL-010',
    name: 'ip-relaxation-enforce',
    severity: 'error',
    category: 'policies',
    summary: 'The app enforces the org\'s IP restrictions, such as the login IP ranges of the user\'s profile (ipRelaxationPolicyType Enforce).',
    rationale: 'Stolen tokens of apps that enforced IP restrictions were useless to the Drift attackers (Okta); relaxed apps were not.',
    helpUri: DOCS.ipRelaxation,
    fixable: true,
    fixClass: 'breaking',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const p = fileOf(unit.app, 'oauthPolicies');
      if (!p) return;
      const v = p.value('ipRelaxationPolicyType');
      if (v?.toLowerCase() === 'enforce') return;
      const relaxRefresh = v?.toLowerCase() === 'enforce_relaxrefresh';
      if (v !== undefined && !['bypass', 'bypass_2factor', 'enforce_relaxrefresh'].includes(v.toLowerCase())) return; // schema rule reports it
      report({
        file: p,
        at: at(p.element('ipRelaxationPolicyType')),
        severity: relaxRefresh ? 'warning' : undefined,
        message:
          v === undefined
            ? 'ipRelaxationPolicyType is not set'
            : relaxRefresh
              ? 'ipRelaxationPolicyType is Enforce_RelaxRefresh: refresh tokens work from any address'
              : `ipRelaxationPolicyType is ${v}: tokens work from any address`,
        actual: v,
        expected: 'Enforce',
        fix: { path: p.path, edits: [{ op: 'set', element: 'ipRelaxationPolicyType', value: 'Enforce' }], description: 'set ipRelaxationPolicyType to Enforce', class: 'breaking' },
      });
    },
  }),
  policiesRule({
    id: 'ECA-POL-020',
    name: 'refresh-token-expires',
    severity: 'error',
    category: 'policies',
    summary: 'Refresh tokens expire (refreshTokenPolicyType is not Infinite).',
    rationale: 'A refresh token that never expires is a permanent key: Zscaler was exposed in 2025 through a token it had retired but that was still valid.',
    helpUri: DOCS.idleTtl,
    fixable: true,
    fixClass: 'breaking',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'eca') return;
      const p = fileOf(unit.app, 'oauthPolicies');
      if (!p) return;
      const v = p.value('refreshTokenPolicyType');
      if (v !== undefined && v !== 'Infinite') return;
      const serverToServer = isServerToServer(unit.app);
      const max = ctx.config.maxRefreshTokenInactivity;
      const edits: FixEdit[] = serverToServer
        ? [
            { op: 'set', element: 'refreshTokenPolicyType', value: 'Zero' },
            { op: 'remove', element: 'refreshTokenValidityPeriod' },
            { op: 'remove', element: 'refreshTokenValidityUnit' },
          ]
        : [
            { op: 'set', element: 'refreshTokenPolicyType', value: 'SpecificInactivity' },
            { op: 'set', element: 'refreshTokenValidityPeriod', value: String(max.period) },
            { op: 'set', element: 'refreshTokenValidityUnit', value: max.unit },
          ];
      report({
        file: p,
        at: at(p.element('refreshTokenPolicyType')),
        message: v === undefined ? 'refreshTokenPolicyType is not set (refresh tokens never expire)' : 'refreshTokenPolicyType is Infinite: refresh tokens never expire',
        actual: v,
        expected: serverToServer ? 'Zero (server-to-server app)' : `SpecificInactivity, at most ${formatDuration(max)}`,
        fix: {
          path: p.path,
          edits,
          description: serverToServer ? 'set refreshTokenPolicyType to Zero (no refresh tokens for a server-to-server app)' : `expire refresh tokens after ${formatDuration(max)} unused`,
          class: 'breaking',
        },
      });
    },
  }),
  policiesRule({
    id: 'ECA-POL-021',
    name: 'refresh-token-within-maximum',
    severity: 'warning',
    category: 'policies',
    summary: 'Refresh-token validity is within the configured maximum.',
    rationale: 'Salesforce Help recommends limiting idle refresh tokens to 30 days (Limit the Idle Refresh Token TTL); long lifetimes widen the window for stolen tokens.',
    helpUri: DOCS.idleTtl,
    fixable: true,
    fixClass: 'breaking',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'eca') return;
      const p = fileOf(unit.app, 'oauthPolicies');
      const type = p?.value('refreshTokenPolicyType');
      if (!p || (type !== 'SpecificInactivity' && type !== 'SpecificLifetime')) return;
      const period = Number(p.value('refreshTokenValidityPeriod'));
      const unitValue = p.value('refreshTokenValidityUnit') as RefreshUnit | undefined;
      if (!Number.isInteger(period) || !unitValue || !UNITS.includes(unitValue)) return; // ECA-POL-022 reports it
      const max: Duration = type === 'SpecificInactivity' ? ctx.config.maxRefreshTokenInactivity : ctx.config.maxRefreshTokenLifetime;
      if (durationHours({ period, unit: unitValue }) <= durationHours(max)) return;
      report({
        file: p,
        at: at(p.element('refreshTokenValidityPeriod')),
        message: `refresh tokens ${describeRefreshToken(type, String(period), unitValue) ?? ''}: longer than the maximum of ${formatDuration(max)}`,
        actual: formatDuration({ period, unit: unitValue }),
        expected: `at most ${formatDuration(max)}`,
        fix: {
          path: p.path,
          edits: [
            { op: 'set', element: 'refreshTokenValidityPeriod', value: String(max.period) },
            { op: 'set', element: 'refreshTokenValidityUnit', value: max.unit },
          ],
          description: `shorten the refresh-token validity to ${formatDuration(max)}`,
          class: 'breaking',
        },
      });
    },
  }),
  policiesRule({
    id: 'ECA-POL-022',
    name: 'refresh-token-period-consistent',
    severity: 'error',
    category: 'policies',
    summary: 'refreshTokenValidityPeriod and refreshTokenValidityUnit are set exactly when the policy needs them.',
    rationale: 'SpecificInactivity and SpecificLifetime need a period and a unit; without them the deploy fails or the org applies a default nobody chose.',
    helpUri: DOCS.policies,
    fixable: true,
    fixClass: 'breaking',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'eca') return;
      const p = fileOf(unit.app, 'oauthPolicies');
      const type = p?.value('refreshTokenPolicyType');
      if (!p || !type) return;
      const period = p.value('refreshTokenValidityPeriod');
      const unitValue = p.value('refreshTokenValidityUnit');
      if (type === 'SpecificInactivity' || type === 'SpecificLifetime') {
        const n = Number(period);
        if (period !== undefined && Number.isInteger(n) && n > 0 && unitValue !== undefined) return;
        const max = type === 'SpecificInactivity' ? ctx.config.maxRefreshTokenInactivity : ctx.config.maxRefreshTokenLifetime;
        report({
          file: p,
          at: at(p.element('refreshTokenPolicyType')),
          message: `${type} needs a positive refreshTokenValidityPeriod and a refreshTokenValidityUnit`,
          actual: `period ${period ?? '(none)'}, unit ${unitValue ?? '(none)'}`,
          expected: formatDuration(max),
          fix: {
            path: p.path,
            edits: [
              { op: 'set', element: 'refreshTokenValidityPeriod', value: String(max.period) },
              { op: 'set', element: 'refreshTokenValidityUnit', value: max.unit },
            ],
            description: `set the refresh-token validity to the configured maximum, ${formatDuration(max)}`,
            class: 'breaking',
          },
        });
        return;
      }
      // The org itself writes <refreshTokenValidityPeriod>0</refreshTokenValidityPeriod> with Zero: that is not a finding.
      const stray = (period !== undefined && period !== '0') || unitValue !== undefined;
      if (!stray) return;
      report({
        file: p,
        at: at(p.element(period !== undefined && period !== '0' ? 'refreshTokenValidityPeriod' : 'refreshTokenValidityUnit')),
        severity: 'warning',
        message: `refreshTokenPolicyType ${type} takes no validity period or unit; they are ignored`,
        fix: {
          path: p.path,
          edits: [
            { op: 'remove', element: 'refreshTokenValidityPeriod' },
            { op: 'remove', element: 'refreshTokenValidityUnit' },
          ],
          description: 'remove the validity period and unit, which the policy ignores',
          // The policy ignores them: nothing changes for the app's clients.
          class: 'safe',
        },
      });
    },
  }),
  policiesRule({
    id: 'ECA-POL-030',
    name: 'session-policy-consistent',
    severity: 'warning',
    category: 'policies',
    summary: 'The session policy is coherent: RaiseSessionLevel goes with HIGH_ASSURANCE, and server-to-server apps do not require it.',
    rationale: 'High assurance blocks flows that have no user step (JWT bearer, client credentials); RaiseSessionLevel without a high-assurance level does nothing.',
    helpUri: DOCS.policies,
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const p = fileOf(unit.app, 'oauthPolicies');
      if (!p) return;
      const level = p.value('requiredSessionLevel');
      const action = p.value('policyAction');
      if (level === 'HIGH_ASSURANCE' && isServerToServer(unit.app)) {
        report({
          file: p,
          at: at(p.element('requiredSessionLevel')),
          message: 'a server-to-server app requires a high-assurance session, which its flows cannot provide: requests will be blocked',
          actual: level,
          expected: 'STANDARD',
          action: 'Set requiredSessionLevel to STANDARD for JWT bearer or client credentials apps; protect them with IP restrictions and a narrow permission set instead.',
        });
      }
      if (action === 'RaiseSessionLevel' && level !== 'HIGH_ASSURANCE') {
        report({
          file: p,
          at: at(p.element('policyAction')),
          message: `policyAction RaiseSessionLevel has no effect with requiredSessionLevel ${level ?? '(none)'}`,
          actual: level,
          expected: 'HIGH_ASSURANCE',
          action: 'Set requiredSessionLevel to HIGH_ASSURANCE, or remove policyAction.',
        });
      }
    },
  }),
  policiesRule({
    id: 'ECA-POL-031',
    name: 'session-timeout-sane',
    severity: 'warning',
    category: 'policies',
    summary: 'sessionTimeoutInMinutes is between 1 and 1440 (24 hours) when set.',
    rationale: 'A zero or day-long session timeout on an OAuth app is almost always a typo, and long sessions extend the life of a stolen access token.',
    helpUri: DOCS.policies,
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const p = fileOf(unit.app, 'oauthPolicies');
      const raw = p?.value('sessionTimeoutInMinutes');
      if (!p || raw === undefined) return;
      const n = Number(raw);
      if (!Number.isInteger(n) || (n >= 1 && n <= 1440)) return; // the type rule reports non-integers
      report({
        file: p,
        at: at(p.element('sessionTimeoutInMinutes')),
        message: `sessionTimeoutInMinutes is ${n}`,
        actual: raw,
        expected: '1 to 1440',
        action: 'Set a session timeout that matches the org\'s session policy (e.g. 120), or remove the element.',
      });
    },
  }),
  policiesRule({
    id: 'ECA-POL-032',
    name: 'jwt-timeout-valid',
    severity: 'error',
    category: 'policies',
    summary: 'JWT session timeouts use an allowed value, with their timeout type set to Custom.',
    rationale: 'namedUserJwtTimeout and guestJwtTimeout accept only 1, 5, 10, 15, 30 minutes (60–720 from API 65) and apply only with the Custom timeout type.',
    helpUri: DOCS.policies,
    fixable: false,
    fixClass: 'manual',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'eca') return;
      const p = fileOf(unit.app, 'oauthPolicies');
      if (!p) return;
      for (const [timeout, type] of [
        ['namedUserJwtTimeout', 'namedUserJwtSessionTimeoutType'],
        ['guestJwtTimeout', 'guestJwtSessionTimeoutType'],
      ] as const) {
        const raw = p.value(timeout);
        if (raw === undefined) continue;
        const n = Number(raw);
        const allowed = JWT_TIMEOUT_VALUES.filter((v) => ctx.apiVersion === undefined || ctx.apiVersion >= v.since).map((v) => v.minutes);
        if (!allowed.includes(n)) {
          report({
            file: p,
            at: at(p.element(timeout)),
            message: `${timeout} ${raw} is not an allowed value${ctx.apiVersion ? ` at API ${ctx.apiVersion.toFixed(1)}` : ''}`,
            actual: raw,
            expected: allowed.join(', '),
            action: `Use one of ${allowed.join(', ')} minutes.`,
          });
        }
        const t = p.value(type);
        if (t !== undefined && t !== 'Custom') {
          report({
            file: p,
            at: at(p.element(timeout)),
            severity: 'warning',
            message: `${timeout} is ignored: ${type} is ${t}, not Custom`,
            action: `Set ${type} to Custom, or remove ${timeout}.`,
          });
        }
      }
    },
  }),
  policiesRule({
    id: 'ECA-POL-040',
    name: 'client-credentials-run-as-user',
    severity: 'error',
    category: 'policies',
    summary: 'When the client credentials flow is on, a run-as user (clientCredentialsFlowUser) is set.',
    rationale: 'Client credentials tokens are issued as the run-as user; without one the flow fails, and choosing it (an API Only user with a narrow permission set) is a security decision.',
    helpUri: DOCS.clientCredentials,
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const p = fileOf(unit.app, 'oauthPolicies');
      if (!p || p.flag('isClientCredentialsFlowEnabled') !== true || p.value('clientCredentialsFlowUser')) return;
      report({
        file: p,
        at: at(p.element('isClientCredentialsFlowEnabled')),
        message: 'the client credentials flow is on but no run-as user (clientCredentialsFlowUser) is set',
        expected: 'the username of an API Only integration user',
        action: 'Set clientCredentialsFlowUser to a dedicated API Only user (sf eca set --run-as <username>), or turn the flow off.',
      });
    },
  }),
  policiesRule({
    id: 'ECA-POL-041',
    name: 'client-credentials-allowed',
    severity: 'warning',
    category: 'policies',
    summary: 'When the configuration has an "allowClientCredentials" list, only the apps on it use the client credentials flow.',
    rationale: 'Salesforce recommends disabling the client credentials flow unless needed: its tokens need no user, so a leaked secret is enough.',
    helpUri: DOCS.clientCredentials,
    fixable: false,
    fixClass: 'manual',
    check: (unit, ctx, report) => {
      const allowed = ctx.config.allowClientCredentials;
      if (unit.kind !== 'eca' || allowed === undefined || allowed.includes(unit.name)) return;
      const g = fileOf(unit.app, 'globalOauth');
      const p = fileOf(unit.app, 'oauthPolicies');
      const file = p?.flag('isClientCredentialsFlowEnabled') === true ? p : g?.flag('isClientCredentialsFlowEnabled') === true ? g : undefined;
      if (!file) return;
      report({
        file,
        at: at(file.element('isClientCredentialsFlowEnabled')),
        message: 'the client credentials flow is on, and the app is not in "allowClientCredentials"',
        action: 'Prefer the JWT bearer flow; if the app needs client credentials, add it to "allowClientCredentials" in the configuration.',
      });
    },
  }),
  policiesRule({
    id: 'ECA-POL-042',
    name: 'client-credentials-consistent',
    severity: 'warning',
    category: 'policies',
    summary: 'The client credentials flow is on in both the global settings and the policies, or in neither.',
    rationale: 'The developer enables the flow in the global settings and the admin in the policies; one without the other is a flow that does not work, or one switched on by surprise later.',
    helpUri: DOCS.policies,
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const g = fileOf(unit.app, 'globalOauth');
      const p = fileOf(unit.app, 'oauthPolicies');
      if (!g || !p) return;
      const gv = g.flag('isClientCredentialsFlowEnabled') === true;
      const pv = p.flag('isClientCredentialsFlowEnabled') === true;
      if (gv === pv) return;
      const file = gv ? p : g;
      report({
        file,
        at: at(file.element('isClientCredentialsFlowEnabled')),
        message: gv
          ? 'the global settings enable the client credentials flow but the policies do not: the flow does not work'
          : 'the policies enable the client credentials flow but the global settings do not',
        action: 'Turn the flow on in both files (with a run-as user), or off in both.',
      });
    },
  }),
  policiesRule({
    id: 'ECA-POL-043',
    name: 'token-exchange-allowed',
    severity: 'warning',
    category: 'policies',
    summary: 'The token-exchange flow is off unless the configuration allows it for the app.',
    rationale: 'Token exchange trades an external token for a Salesforce one through an Apex handler; it widens who can obtain tokens and needs a reviewed handler.',
    helpUri: DOCS.policies,
    fixable: true,
    fixClass: 'breaking',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'eca' || ctx.config.allowTokenExchange.includes(unit.name)) return;
      const p = fileOf(unit.app, 'oauthPolicies');
      if (!p || p.flag('isTokenExchangeFlowEnabled') !== true) return;
      report({
        file: p,
        at: at(p.element('isTokenExchangeFlowEnabled')),
        message: 'the token-exchange flow is on, and the app is not in "allowTokenExchange"',
        actual: 'true',
        expected: 'false',
        fix: { path: p.path, edits: [{ op: 'set', element: 'isTokenExchangeFlowEnabled', value: 'false' }], description: 'turn the token-exchange flow off', class: 'breaking' },
      });
    },
  }),
  policiesRule({
    id: 'ECA-POL-044',
    name: 'guest-flow-off',
    severity: 'warning',
    category: 'policies',
    summary: 'Guest users may not use the Authorization Code and Credentials flow.',
    rationale: 'isGuestCodeCredFlowEnabled lets unauthenticated guest users obtain tokens for the app.',
    helpUri: DOCS.policies,
    fixable: true,
    fixClass: 'breaking',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const p = fileOf(unit.app, 'oauthPolicies');
      if (!p || p.flag('isGuestCodeCredFlowEnabled') !== true) return;
      report({
        file: p,
        at: at(p.element('isGuestCodeCredFlowEnabled')),
        message: 'guest users may use the Authorization Code and Credentials flow',
        actual: 'true',
        expected: 'false',
        fix: { path: p.path, edits: [{ op: 'set', element: 'isGuestCodeCredFlowEnabled', value: 'false' }], description: 'turn the guest flow off', class: 'breaking' },
      });
    },
  }),
];
