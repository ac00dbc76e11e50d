/*
 * Policy parity: the Connected App's effective policy against the External Client App's, one
 * dimension at a time. Both sides read with their own defaults, so that a default that differs
 * (or a field the API version drops) shows as a change.
 */
import { describeRefreshToken } from '../model/summary.js';
import { canonicalEnumValue, ExtlClntAppOauthConfigurablePolicies, fieldOf } from '../model/schema.js';
import { type EcaApp, fileOf } from '../project/inventory.js';
import { durationHours, type RefreshUnit } from '../rules/config.js';
import { parseIp } from '../rules/ip.js';
import { splitList } from '../rules/util.js';
import type { CaPolicy } from './mapping.js';
import type { PolicyChange, PolicyComparison, PolicyDimension } from './types.js';

/** The same shape, read from generated ECA files with the ECA defaults. */
export type EcaPolicy = CaPolicy;

const ipField = fieldOf(ExtlClntAppOauthConfigurablePolicies, 'ipRelaxationPolicyType');

/** Reads the effective policy of an ECA (undefined without an OAuth policies file). */
export const ecaPolicyOf = (app: EcaApp): EcaPolicy | undefined => {
  const p = fileOf(app, 'oauthPolicies');
  if (!p) return undefined;
  const g = fileOf(app, 'globalOauth');
  const o = fileOf(app, 'oauth');
  const type = p.value('refreshTokenPolicyType') ?? 'Infinite';
  const period = Number(p.value('refreshTokenValidityPeriod'));
  const unit = p.value('refreshTokenValidityUnit');
  const specific = type === 'SpecificLifetime' || type === 'SpecificInactivity';
  const both = (name: string, policy = name): boolean => g?.flag(name) === true && p.flag(policy) === true;
  const ranges = (o?.elements('trustedIpRanges') ?? []).map((r) => {
    const get = (n: string): string => r.children.find((c) => c.name === n)?.text?.trim() ?? '';
    return [get('startIpAddress'), get('endIpAddress')] as const;
  });
  return {
    adminApproved: p.value('permittedUsersPolicyType') === 'AdminApprovedPreAuthorized',
    permissionSets: splitList(p.value('commaSeparatedPermissionSet')),
    profiles: splitList(p.value('commaSeparatedProfile')),
    ipRelaxation: (ipField && canonicalEnumValue(ipField, p.value('ipRelaxationPolicyType') ?? 'Enforce')) ?? 'Enforce',
    refresh: specific && Number.isInteger(period) && unit ? { type, period, unit } : { type },
    pkce: g?.flag('isPkceRequired') ?? true,
    secretOptional: g?.flag('isConsumerSecretOptional') ?? false,
    secretRefresh: g?.flag('isSecretRequiredForRefreshToken') ?? true,
    secretTokenExchange: g?.flag('isSecretRequiredForTokenExchange'),
    rotation: g?.flag('isRefreshTokenRotationEnabled') ?? false,
    scopes: splitList(o?.value('commaSeparatedOauthScopes')),
    ranges,
    flows: [
      ...(g?.value('callbackUrl') !== undefined ? ['authorization-code'] : []),
      ...(g?.value('certificate') !== undefined ? ['jwt-bearer'] : []),
      ...(both('isClientCredentialsFlowEnabled') ? ['client-credentials'] : []),
      ...(g?.flag('isDeviceFlowEnabled') === true ? ['device'] : []),
      ...(both('isTokenExchangeEnabled', 'isTokenExchangeFlowEnabled') ? ['token-exchange'] : []),
      ...(g?.flag('isCodeCredFlowEnabled') === true ? ['code-credentials'] : []),
    ],
    sessionLevel: p.value('requiredSessionLevel'),
    customScopes: splitList(p.value('commaSeparatedCustomScopes')),
    notifications: (fileOf(app, 'notifications')?.elements('notificationTypes') ?? [])
      .map((n) => n.children.find((c) => c.name === 'notificationType')?.text?.trim() ?? '')
      .filter((t) => t !== ''),
  };
};

type Side = CaPolicy;
type Dim = {
  readonly dimension: PolicyDimension;
  readonly describe: (p: Side) => string;
  /** Compares an ECA policy with the policy it came from. */
  readonly compare: (from: Side, to: Side) => PolicyChange;
  readonly applies?: (ca: Side, eca: Side) => boolean;
};

const cmpRank = (from: number, to: number): PolicyChange => (to === from ? 'same' : to > from ? 'stronger' : 'weaker');

const grants = (p: Side): string[] => [...p.permissionSets.map((s) => `permission set ${s}`), ...p.profiles.map((s) => `profile ${s}`)];

const IP_RANK: Readonly<Record<string, number>> = { Enforce: 3, Enforce_RelaxRefresh: 2, Bypass_2factor: 1, Bypass: 0 };

/** Zero < a fixed lifetime < a period of inactivity (no upper bound while used) < Infinite; then the shorter the stronger. */
const refreshRank = (r: Side['refresh']): [number, number] => {
  const hours = r.period !== undefined && r.unit !== undefined ? durationHours({ period: r.period, unit: r.unit as RefreshUnit }) : 0;
  switch (r.type) {
    case 'Zero':
      return [0, 0];
    case 'SpecificLifetime':
      return [1, hours];
    case 'SpecificInactivity':
      return [2, hours];
    default:
      return [3, 0];
  }
};

const normRange = ([a, b]: readonly [string, string]): string => {
  const x = parseIp(a);
  const y = parseIp(b);
  return x && y && x.family === y.family && x.value > y.value ? `${b}–${a}` : `${a}–${b}`;
};

/** Set comparison where more is weaker (scopes, trusted ranges, flows); `fewer` says what fewer means. */
const cmpSet = (from: readonly string[], to: readonly string[], fewer: PolicyChange): PolicyChange => {
  const f = new Set(from);
  const t = new Set(to);
  if ([...t].some((x) => !f.has(x))) return 'weaker';
  if ([...f].some((x) => !t.has(x))) return fewer;
  return 'same';
};

const yesNo = (b: boolean, yes: string, no: string): string => (b ? yes : no);

const DIMENSIONS: readonly Dim[] = [
  {
    dimension: 'permitted-users',
    describe: (p) => (p.adminApproved ? `admin-approved${grants(p).length > 0 ? `: ${grants(p).join(', ')}` : ', no permission set or profile'}` : 'all users may self-authorize'),
    compare: (from, to) => {
      if (from.adminApproved !== to.adminApproved) return to.adminApproved ? 'stronger' : 'weaker';
      if (!to.adminApproved) return 'same';
      // Both admin-approved: more pre-authorized users is weaker, fewer is access lost.
      return cmpSet(grants(from), grants(to), 'lost');
    },
  },
  {
    dimension: 'ip-relaxation',
    describe: (p) => p.ipRelaxation,
    compare: (from, to) => cmpRank(IP_RANK[from.ipRelaxation] ?? 0, IP_RANK[to.ipRelaxation] ?? 0),
  },
  {
    dimension: 'refresh-token',
    describe: (p) => `${p.refresh.type}: ${describeRefreshToken(p.refresh.type, p.refresh.period?.toString(), p.refresh.unit) ?? ''}`,
    compare: (from, to) => {
      const [fc, fh] = refreshRank(from.refresh);
      const [tc, th] = refreshRank(to.refresh);
      return tc !== fc ? (tc < fc ? 'stronger' : 'weaker') : th === fh ? 'same' : th < fh ? 'stronger' : 'weaker';
    },
  },
  {
    dimension: 'pkce',
    describe: (p) => yesNo(p.pkce, 'PKCE required', 'PKCE not required'),
    compare: (from, to) => cmpRank(Number(from.pkce), Number(to.pkce)),
  },
  {
    dimension: 'secret-web-server',
    describe: (p) => yesNo(p.secretOptional, 'secret optional in the web server flow', 'secret required in the web server flow'),
    compare: (from, to) => cmpRank(Number(!from.secretOptional), Number(!to.secretOptional)),
  },
  {
    dimension: 'secret-refresh-token',
    describe: (p) => yesNo(p.secretRefresh, 'secret required to refresh', 'tokens refresh without the secret'),
    compare: (from, to) => cmpRank(Number(from.secretRefresh), Number(to.secretRefresh)),
  },
  {
    dimension: 'secret-token-exchange',
    describe: (p) => (p.secretTokenExchange === undefined ? 'not set (platform default)' : yesNo(p.secretTokenExchange, 'secret required for token exchange', 'token exchange without the secret')),
    // An unknown ECA default counts as "not required".
    compare: (from, to) => {
      const f = from.secretTokenExchange;
      const t = to.secretTokenExchange;
      if (t === undefined) return f === true ? 'weaker' : 'same';
      return cmpRank(Number(f ?? false), Number(t));
    },
    applies: (ca, eca) => ca.secretTokenExchange !== undefined || eca.secretTokenExchange !== undefined,
  },
  {
    dimension: 'refresh-token-rotation',
    describe: (p) => yesNo(p.rotation, 'refresh tokens rotated', 'refresh tokens not rotated'),
    compare: (from, to) => cmpRank(Number(from.rotation), Number(to.rotation)),
  },
  {
    dimension: 'scopes',
    describe: (p) => (p.scopes.length > 0 ? p.scopes.join(', ') : '(none)'),
    compare: (from, to) => cmpSet(from.scopes, to.scopes, 'stronger'),
  },
  {
    dimension: 'custom-scopes',
    describe: (p) => (p.customScopes.length > 0 ? p.customScopes.join(', ') : '(none)'),
    // A custom scope the ECA does not list is one its clients can no longer request.
    compare: (from, to) => cmpSet(from.customScopes, to.customScopes, 'lost'),
    applies: (ca, eca) => ca.customScopes.length > 0 || eca.customScopes.length > 0,
  },
  {
    dimension: 'notifications',
    describe: (p) => (p.notifications.length > 0 ? p.notifications.join(', ') : '(none)'),
    compare: (from, to) => cmpSet(from.notifications, to.notifications, 'lost'),
    applies: (ca, eca) => ca.notifications.length > 0 || eca.notifications.length > 0,
  },
  {
    dimension: 'trusted-ip-ranges',
    describe: (p) => (p.ranges.length > 0 ? p.ranges.map(normRange).join(', ') : '(none)'),
    compare: (from, to) => cmpSet(from.ranges.map(normRange), to.ranges.map(normRange), 'stronger'),
  },
  {
    dimension: 'flows',
    describe: (p) => p.flows.join(', ') || '(none)',
    compare: (from, to) => cmpSet(from.flows, to.flows, 'lost'),
  },
  {
    dimension: 'session-level',
    describe: (p) => p.sessionLevel ?? 'not set (STANDARD)',
    compare: (from, to) => {
      const rank = (l: string | undefined): number => (l === 'HIGH_ASSURANCE' ? 2 : l === 'LOW' ? 0 : 1);
      return cmpRank(rank(from.sessionLevel), rank(to.sessionLevel));
    },
    applies: (ca, eca) => ca.sessionLevel !== undefined || eca.sessionLevel !== undefined,
  },
];

const NOTES: Partial<Record<PolicyDimension, Partial<Record<PolicyChange, string>>>> = {
  'permitted-users': { lost: 'pre-authorizations the API version cannot express are lost: their users can no longer use the app' },
  flows: { lost: 'a flow the API version cannot express is lost: its clients stop working' },
  'secret-token-exchange': { weaker: 'the API version drops the setting; the ECA default is not documented' },
  pkce: { stronger: 'clients of the authorization code flow must send a PKCE code_verifier' },
  'custom-scopes': { lost: 'commaSeparatedCustomScopes needs API 61.0: clients can no longer request these scopes' },
  notifications: { lost: 'the app stops receiving these notifications' },
};

/**
 * Compares the Connected App with the migrated ECA (`mapped`) and, with --harden, the hardened one
 * (`final`). A change --harden made is never blocking; only what the mapping itself lost or
 * weakened needs --accept-weaker.
 */
export const comparePolicies = (ca: CaPolicy, mapped: EcaPolicy, final: EcaPolicy): PolicyComparison[] =>
  DIMENSIONS.filter((d) => !d.applies || d.applies(ca, final) || d.applies(ca, mapped)).map((d) => {
    const m = d.compare(ca, mapped);
    const f = d.compare(ca, final);
    const hardened = d.compare(mapped, final) !== 'same';
    // Hardening only strengthens: what it removes (a flow, a scope) is a stronger policy, not a loss.
    const change: PolicyChange = m === 'same' || m === 'stronger' ? (f === 'lost' ? 'stronger' : f) : f === 'same' || f === 'stronger' ? f : m;
    const blocking = (m === 'weaker' || m === 'lost') && (f === 'weaker' || f === 'lost');
    const note = NOTES[d.dimension]?.[change];
    return {
      dimension: d.dimension,
      connectedApp: d.describe(ca),
      eca: d.describe(final),
      change,
      blocking,
      hardened,
      ...(note ? { note } : {}),
    };
  });
