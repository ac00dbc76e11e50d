/*
 * `sf eca set`: human-friendly policy and setting values mapped to metadata edits, with the
 * invalid combinations refused. Pure: returns the planned edits; the command applies and writes.
 */
import type { MetadataFile } from '../model/file.js';
import { type EcaApp, fileOf } from '../project/inventory.js';
import { DEFAULT_CONFIG, type Duration, type EcaConfig } from '../rules/config.js';
import { findRule } from '../rules/engine.js';
import { formatIp, parseRangeText } from '../rules/ip.js';
import { type IpRangeIssue, ipRangeCountIssue, ipRangeIssues, KNOWN_SCOPES } from '../rules/catalog/settings.js';
import type { Fix, FixEdit } from '../rules/types.js';
import { closest, splitList } from '../rules/util.js';

export const PERMITTED_USERS_VALUES = { 'admin-approved': 'AdminApprovedPreAuthorized', 'all-users': 'AllSelfAuthorized' } as const;
export const IP_RELAXATION_VALUES = {
  enforce: 'Enforce',
  'enforce-relax-refresh': 'Enforce_RelaxRefresh',
  'bypass-with-2fa': 'Bypass_2factor',
  bypass: 'Bypass',
} as const;
export const REFRESH_TOKEN_VALUES = { infinite: 'Infinite', zero: 'Zero', lifetime: 'SpecificLifetime', inactivity: 'SpecificInactivity' } as const;
export const SESSION_LEVEL_VALUES = { standard: 'STANDARD', 'high-assurance': 'HIGH_ASSURANCE' } as const;
export const POLICY_ACTION_VALUES = { block: 'Block', 'raise-session-level': 'RaiseSessionLevel' } as const;

export type OnOff = 'on' | 'off';

export type SetRequest = {
  readonly permittedUsers?: keyof typeof PERMITTED_USERS_VALUES;
  readonly permissionSets?: readonly string[];
  readonly profiles?: readonly string[];
  readonly ipRelaxation?: keyof typeof IP_RELAXATION_VALUES;
  readonly refreshToken?: keyof typeof REFRESH_TOKEN_VALUES;
  readonly refreshTokenValidity?: Duration;
  readonly sessionTimeout?: number;
  readonly sessionLevel?: keyof typeof SESSION_LEVEL_VALUES;
  readonly policyAction?: keyof typeof POLICY_ACTION_VALUES;
  readonly clientCredentials?: OnOff;
  readonly runAs?: string;
  readonly tokenExchange?: OnOff;
  readonly guestFlow?: OnOff;
  /** Ranges as CIDR or start-end. */
  readonly addIpRanges?: readonly string[];
  readonly removeIpRanges?: readonly string[];
  /** Remove every existing range before adding. */
  readonly replaceIpRanges?: boolean;
  readonly ipRangeDescription?: string;
  readonly addScopes?: readonly string[];
  readonly removeScopes?: readonly string[];
  readonly pkce?: OnOff;
  readonly refreshTokenRotation?: OnOff;
};

/** Whether the request touches the OAuth policies file. */
export const touchesPolicies = (r: SetRequest): boolean =>
  [r.permittedUsers, r.permissionSets, r.profiles, r.ipRelaxation, r.refreshToken, r.refreshTokenValidity, r.sessionTimeout, r.sessionLevel, r.policyAction, r.clientCredentials, r.runAs, r.tokenExchange, r.guestFlow].some(
    (v) => v !== undefined
  );

/** Invalid combinations, whatever the app: each is a sentence naming the flags. */
export const validateSetRequest = (r: SetRequest): string[] => {
  const p: string[] = [];
  const isEmpty = Object.values(r).every((v) => v === undefined || v === false || (Array.isArray(v) && v.length === 0));
  if (isEmpty) p.push('nothing to set: pass at least one setting flag (see --help)');
  if (r.refreshTokenValidity && (r.refreshToken === 'infinite' || r.refreshToken === 'zero')) {
    p.push(`--refresh-token-validity does not go with --refresh-token ${r.refreshToken}: only lifetime and inactivity policies have a validity`);
  }
  if (r.runAs !== undefined && r.clientCredentials === 'off') p.push('--run-as names the run-as user of the client credentials flow, which --client-credentials off turns off');
  if (r.sessionTimeout !== undefined && (!Number.isInteger(r.sessionTimeout) || r.sessionTimeout < 1)) p.push('--session-timeout takes a whole number of minutes, at least 1');
  if (r.policyAction === 'raise-session-level' && r.sessionLevel === 'standard') {
    p.push('--session-policy-action raise-session-level needs --session-level high-assurance: raising to a standard session does nothing');
  }
  for (const s of [...(r.addScopes ?? []), ...(r.removeScopes ?? [])]) {
    if (!KNOWN_SCOPES.includes(s)) {
      const c = closest(s, KNOWN_SCOPES);
      p.push(`${s} is not an OAuth scope${c ? ` (did you mean ${c}?)` : ''}`);
    }
  }
  const both = (r.addScopes ?? []).filter((s) => (r.removeScopes ?? []).includes(s));
  if (both.length > 0) p.push(`--add-scope and --remove-scope both name ${both.join(', ')}`);
  for (const t of [...(r.addIpRanges ?? []), ...(r.removeIpRanges ?? [])]) {
    const range = parseRangeText(t);
    if (!range) p.push(`${t} is not an IP range: use a CIDR such as 203.0.113.0/28 or start-end such as 203.0.113.1-203.0.113.9`);
    else if (range.start.value > range.end.value) p.push(`${t} starts after it ends`);
  }
  if (r.ipRangeDescription !== undefined && (r.addIpRanges ?? []).length === 0) p.push('--ip-range-description describes the ranges of --add-ip-range; pass one');
  for (const ps of [...(r.permissionSets ?? []), ...(r.profiles ?? [])]) {
    if (ps.includes(',')) p.push(`${ps}: pass one name per flag (repeat the flag) rather than a comma-separated list`);
  }
  return p;
};

export type SetPlan = {
  readonly fixes: ReadonlyArray<{ readonly label: string; readonly fix: Fix }>;
  /** Why the request cannot be applied to this app. */
  readonly problems: readonly string[];
};

type Change = { file: MetadataFile; edits: FixEdit[]; what: string[] };

const describeChange = (element: string, before: string | undefined, after: string | undefined): string =>
  `${element}: ${before ?? '(none)'} → ${after ?? '(removed)'}`;

/** Whether check would report an IP rule's finding as an error under this configuration (severity overrides). */
const isCheckError = (issue: IpRangeIssue, config: EcaConfig): boolean => {
  const rule = findRule(issue.ruleId);
  return (config.rules[issue.ruleId] ?? (rule ? config.rules[rule.name] : undefined) ?? rule?.severity ?? 'error') === 'error';
};

/**
 * The edits that apply a request to one app. `policies` overrides the app's policies file (a new one).
 * `config` (check's configuration; the defaults without it) decides which added IP ranges check would
 * call an error: those are refused, with the rule's words.
 */
export const planSet = (app: EcaApp, r: SetRequest, apiVersion: number | undefined, policies?: MetadataFile, config: EcaConfig = DEFAULT_CONFIG): SetPlan => {
  const problems: string[] = [];
  const changes = new Map<MetadataFile, Change>();
  const change = (file: MetadataFile): Change => {
    let c = changes.get(file);
    if (!c) {
      c = { file, edits: [], what: [] };
      changes.set(file, c);
    }
    return c;
  };
  const setValue = (file: MetadataFile, element: string, value: string | undefined): void => {
    const before = file.value(element);
    if (before === value) return;
    const c = change(file);
    c.edits.push(value === undefined ? { op: 'remove', element } : { op: 'set', element, value });
    c.what.push(describeChange(element, before, value));
  };
  const p = policies ?? fileOf(app, 'oauthPolicies');
  const g = fileOf(app, 'globalOauth');
  const o = fileOf(app, 'oauth');

  if (touchesPolicies(r) && !p) {
    problems.push(`app ${app.name} has no OAuth policies file in the project: retrieve it ("sf eca retrieve --name ${app.name}"), or pass --create-policies`);
  }
  if (p) {
    if (r.permittedUsers) setValue(p, 'permittedUsersPolicyType', PERMITTED_USERS_VALUES[r.permittedUsers]);
    if (r.permissionSets) setValue(p, 'commaSeparatedPermissionSet', r.permissionSets.length > 0 ? r.permissionSets.join(',') : undefined);
    if (r.profiles) {
      if (apiVersion !== undefined && apiVersion < 62 && r.profiles.length > 0) problems.push(`--profile needs API 62.0 or later (commaSeparatedProfile); the project is at ${apiVersion.toFixed(1)}`);
      else setValue(p, 'commaSeparatedProfile', r.profiles.length > 0 ? r.profiles.join(',') : undefined);
    }
    // Order matters: admin-approved users with nobody pre-authorized locks every user out, the deploying
    // integration's user included. The assignment comes first (or in the same change).
    if (r.permittedUsers === 'admin-approved' && p.value('permittedUsersPolicyType') !== PERMITTED_USERS_VALUES['admin-approved']) {
      const sets = r.permissionSets ?? p.value('commaSeparatedPermissionSet')?.split(',').filter((x) => x.trim() !== '') ?? [];
      const profiles = r.profiles ?? p.value('commaSeparatedProfile')?.split(',').filter((x) => x.trim() !== '') ?? [];
      if (sets.length === 0 && profiles.length === 0) {
        problems.push(
          `${app.name}: --permitted-users admin-approved with no permission set or profile pre-authorized would lock every user out, the integration's user included: pass --permission-set <name> (or --profile <name>) in the same command, after assigning it to the users who need the app`
        );
      }
    }
    if (r.ipRelaxation) setValue(p, 'ipRelaxationPolicyType', IP_RELAXATION_VALUES[r.ipRelaxation]);
    if (r.refreshToken || r.refreshTokenValidity) {
      const type = r.refreshToken ? REFRESH_TOKEN_VALUES[r.refreshToken] : p.value('refreshTokenPolicyType');
      const specific = type === 'SpecificLifetime' || type === 'SpecificInactivity';
      if (r.refreshTokenValidity && !specific) {
        problems.push(`--refresh-token-validity needs a lifetime or inactivity policy; ${app.name} has ${type ?? 'none'} (pass --refresh-token)`);
      } else if (specific) {
        const period = r.refreshTokenValidity ? String(r.refreshTokenValidity.period) : p.value('refreshTokenValidityPeriod');
        const unit = r.refreshTokenValidity ? r.refreshTokenValidity.unit : p.value('refreshTokenValidityUnit');
        if (period === undefined || unit === undefined || period === '0') {
          problems.push(`--refresh-token ${r.refreshToken ?? ''} needs --refresh-token-validity (e.g. 30d, 12h, 3mo): ${app.name} has none`.replace('  ', ' '));
        } else {
          setValue(p, 'refreshTokenPolicyType', type);
          setValue(p, 'refreshTokenValidityPeriod', period);
          setValue(p, 'refreshTokenValidityUnit', unit);
        }
      } else {
        setValue(p, 'refreshTokenPolicyType', type);
        setValue(p, 'refreshTokenValidityPeriod', undefined);
        setValue(p, 'refreshTokenValidityUnit', undefined);
      }
    }
    if (r.sessionTimeout !== undefined) setValue(p, 'sessionTimeoutInMinutes', String(r.sessionTimeout));
    if (r.sessionLevel) setValue(p, 'requiredSessionLevel', SESSION_LEVEL_VALUES[r.sessionLevel]);
    if (r.policyAction) setValue(p, 'policyAction', POLICY_ACTION_VALUES[r.policyAction]);
    if (r.clientCredentials === 'off') {
      setValue(p, 'isClientCredentialsFlowEnabled', 'false');
      setValue(p, 'clientCredentialsFlowUser', undefined);
    } else if (r.clientCredentials === 'on' || r.runAs !== undefined) {
      const runAs = r.runAs ?? p.value('clientCredentialsFlowUser');
      if (!runAs) problems.push(`--client-credentials on needs --run-as <username of an API Only user>: ${app.name} has no run-as user`);
      else if (r.clientCredentials !== 'on' && p.flag('isClientCredentialsFlowEnabled') !== true) {
        problems.push(`--run-as sets the run-as user of the client credentials flow, which is off in ${app.name}: pass --client-credentials on`);
      } else {
        setValue(p, 'isClientCredentialsFlowEnabled', 'true');
        setValue(p, 'clientCredentialsFlowUser', runAs);
      }
    }
    if (r.tokenExchange) setValue(p, 'isTokenExchangeFlowEnabled', String(r.tokenExchange === 'on'));
    if (r.guestFlow) setValue(p, 'isGuestCodeCredFlowEnabled', String(r.guestFlow === 'on'));
  }
  if (r.clientCredentials) {
    if (g) setValue(g, 'isClientCredentialsFlowEnabled', String(r.clientCredentials === 'on'));
    else if (r.clientCredentials === 'on') problems.push(`app ${app.name} has no global OAuth settings file: the developer side of the client credentials flow cannot be turned on`);
  }
  for (const [flag, value, element] of [
    ['--pkce', r.pkce, 'isPkceRequired'],
    ['--refresh-token-rotation', r.refreshTokenRotation, 'isRefreshTokenRotationEnabled'],
  ] as const) {
    if (!value) continue;
    if (g) setValue(g, element, String(value === 'on'));
    else problems.push(`app ${app.name} has no global OAuth settings file in the project (${flag} sets ${element} there)`);
  }
  if (r.addScopes || r.removeScopes) {
    if (!o) problems.push(`app ${app.name} has no OAuth settings file in the project (scopes live there)`);
    else {
      const current = splitList(o.value('commaSeparatedOauthScopes'));
      const next = [...current.filter((s) => !(r.removeScopes ?? []).includes(s))];
      for (const s of r.addScopes ?? []) if (!next.includes(s)) next.push(s);
      if (next.length === 0) problems.push(`removing ${(r.removeScopes ?? []).join(', ')} would leave ${app.name} with no scope`);
      else if (next.join(', ') !== current.join(', ')) {
        const c = change(o);
        c.edits.push({ op: 'set', element: 'commaSeparatedOauthScopes', value: next.join(', ') });
        c.what.push(describeChange('commaSeparatedOauthScopes', o.value('commaSeparatedOauthScopes'), next.join(', ')));
      }
    }
  }
  if (r.addIpRanges?.length || r.removeIpRanges?.length || r.replaceIpRanges) {
    if (!o) problems.push(`app ${app.name} has no OAuth settings file in the project (trusted IP ranges live there)`);
    else {
      const existing = o.elements('trustedIpRanges').map((el, index) => {
        const get = (n: string): string | undefined => el.children.find((c) => c.name === n)?.text?.trim();
        return { index, start: get('startIpAddress') ?? '', end: get('endIpAddress') ?? '' };
      });
      const same = (a: string, b: string): boolean => {
        const x = parseRangeText(`${a}-${a}`);
        const y = parseRangeText(`${b}-${b}`);
        return x !== undefined && y !== undefined && x.start.family === y.start.family && x.start.value === y.start.value;
      };
      const toRemove = new Set<number>();
      if (r.replaceIpRanges) existing.forEach((e) => toRemove.add(e.index));
      for (const t of r.removeIpRanges ?? []) {
        const range = parseRangeText(t);
        if (!range) continue;
        const hit = existing.find((e) => same(e.start, formatIp(range.start)) && same(e.end, formatIp(range.end)));
        if (hit) toRemove.add(hit.index);
        else problems.push(`${app.name} has no trusted IP range ${t}`);
      }
      const c = toRemove.size > 0 || (r.addIpRanges ?? []).length > 0 ? change(o) : undefined;
      let count = existing.length - toRemove.size;
      for (const index of [...toRemove].sort((a, b) => b - a)) {
        const e = existing[index];
        c?.edits.push({ op: 'remove', element: 'trustedIpRanges', index });
        c?.what.push(`trustedIpRanges: removed ${e?.start ?? ''}–${e?.end ?? ''}`);
      }
      for (const t of r.addIpRanges ?? []) {
        const range = parseRangeText(t);
        if (!range) continue;
        const start = formatIp(range.start);
        const end = formatIp(range.end);
        if (!r.replaceIpRanges && existing.some((e) => !toRemove.has(e.index) && same(e.start, start) && same(e.end, end))) continue;
        // The same checks as ECA-IP-002 and ECA-IP-003: what check would call an error is not written.
        const refused = ipRangeIssues(`trusted IP range ${start}–${end} (${t})`, range.start, range.end, config).filter((i) => isCheckError(i, config));
        if (refused.length > 0) {
          problems.push(...refused.map((i) => `${i.finding.message}${i.finding.action ? `. ${i.finding.action}` : ''} (${i.ruleId})`));
          continue;
        }
        count++;
        c?.edits.push({
          op: 'add',
          node: {
            name: 'trustedIpRanges',
            children: [
              ...(r.ipRangeDescription ? [{ name: 'description', value: r.ipRangeDescription }] : []),
              { name: 'endIpAddress', value: end },
              { name: 'startIpAddress', value: start },
            ],
          },
        });
        c?.what.push(`trustedIpRanges: added ${start}–${end}`);
      }
      const tooMany = ipRangeCountIssue(count, 'trustedIpRanges');
      if (tooMany && isCheckError(tooMany, config)) problems.push(`${app.name} would have ${tooMany.finding.message} (ECA-IP-004)`);
    }
  }
  const fixes = [...changes.values()]
    .filter((c) => c.edits.length > 0)
    .flatMap((c) => c.what.map((what, i) => ({ label: 'set', fix: { path: c.file.path, edits: i === 0 ? c.edits : [], description: what, class: 'breaking' as const } })));
  return { fixes: problems.length > 0 ? [] : fixes, problems };
};
