/*
 * How the org's apps are really used, from the figures `audit --usage` reads (src/adapters/usage.ts): per app its
 * tokens, users, uses, grants and logins, and the usage findings (src/core/usage/rules.ts) in the engine's Finding
 * shape, with the configuration's severity overrides and waivers applied as the engine applies them.
 * Pure: the figures, the configuration and today come in; nothing is read here.
 */
import type { EcaConfig } from '../rules/config.js';
import type { Finding } from '../rules/types.js';
import { ALL_USAGE_RULES, USAGE_RULES, type UsageRule } from './rules.js';
import { configuredFor, ruleIsOff } from '../rules/configured.js';

/** The objects the figures come from; one the org does not know (INVALID_TYPE) is `unknown`, its rules are skipped. */
export type UsageSource =
  | 'ExternalClientApplication'
  | 'ExtlClntAppOauthPlcyCnfg'
  | 'ConnectedApplication'
  | 'OauthToken'
  | 'SetupEntityAccess'
  | 'LoginHistory';

export type OrgEca = {
  readonly id: string;
  readonly developerName: string;
  readonly namespacePrefix?: string;
  readonly label?: string;
  readonly distributionState?: string;
};
/** An ExtlClntAppOauthPlcyCnfg record: the OAuth policies of an app. */
/**
 * An ExtlClntAppOauthPlcyCnfg record: what the org enforces. `fields` holds the queried policy fields by the metadata
 * element they correspond to (permittedUsersPolicyType, ipRelaxationPolicyType, refreshTokenPolicyType, …).
 */
export type OrgPolicy = { readonly appId: string; readonly permittedUsers?: string; readonly fields?: Readonly<Record<string, string>> };
export type OrgConnectedApp = { readonly id: string; readonly name: string };
/** An OauthToken record. */
export type OrgToken = {
  readonly appName?: string;
  /** AppMenuItem.ApplicationId: the app's id, when the token links to one. */
  readonly applicationId?: string;
  readonly userId?: string;
  readonly useCount?: number;
  readonly lastUsed?: string;
};
/** A SetupEntityAccess record: the app (SetupEntityId) is assigned to a profile or a permission set. */
export type OrgGrant = { readonly setupEntityId: string; readonly kind: 'profile' | 'permissionSet'; readonly name: string };
/** A LoginHistory record of an OAuth login (LoginType Remote Access 2.0). */
export type OrgLogin = {
  readonly userId?: string;
  readonly loginTime: string;
  readonly loginType?: string;
  readonly loginSubType?: string;
  readonly application?: string;
};

export type UsageFigures = {
  readonly ecas: readonly OrgEca[];
  readonly policies: readonly OrgPolicy[];
  readonly connectedApps: readonly OrgConnectedApp[];
  readonly tokens: readonly OrgToken[];
  readonly grants: readonly OrgGrant[];
  readonly logins: readonly OrgLogin[];
  /** Objects the org did not answer for (INVALID_TYPE: no such object, or no access to it). */
  readonly unknown: readonly UsageSource[];
};

/** One user's tokens of an app. */
export type UserUsage = { readonly userId: string; readonly tokens: number; readonly useCount: number; readonly lastUsed?: string };

/** What is known of an app's use; a figure whose object the org did not answer is absent. */
export type UsageCounts = {
  /** OAuth tokens (OauthToken records). */
  readonly tokens?: number;
  /** Distinct users holding a token. */
  readonly users?: number;
  /** Sum of the tokens' UseCount. */
  readonly useCount?: number;
  /** Latest LastUsedDate of its tokens (ISO 8601). */
  readonly lastUsed?: string;
  /** OAuth logins (Login History, Remote Access 2.0) within usage.loginDays. */
  readonly oauthLogins?: number;
  /** Logins through the username-password flow within usage.loginDays. */
  readonly usernamePasswordLogins?: number;
  /** Distinct users of those logins. */
  readonly usernamePasswordUsers?: number;
  /** The latest of those logins (ISO 8601). */
  readonly lastUsernamePasswordLogin?: string;
  /** Per user: tokens, uses, last use (most used first). */
  readonly byUser?: readonly UserUsage[];
};

export type EcaUsage = UsageCounts & {
  /** The app's API name (with its namespace: ns__Name). */
  readonly name: string;
  readonly id: string;
  readonly label?: string;
  readonly namespacePrefix?: string;
  readonly distributionState?: string;
  /** PermittedUsersPolicyType of its OAuth policies (absent: no OAuth policies, or unknown). */
  readonly permittedUsers?: string;
  /** Permission sets the app is assigned to (SetupEntityAccess). */
  readonly permissionSets?: readonly string[];
  /** Profiles the app is assigned to (SetupEntityAccess). */
  readonly profiles?: readonly string[];
};

export type ConnectedAppUsage = UsageCounts & {
  readonly name: string;
  readonly id: string;
  /** When its grants were read (migrate's pre-flight): the permission sets and profiles pre-authorized to it. */
  readonly permissionSets?: readonly string[];
  readonly profiles?: readonly string[];
  /** Its place in the migration order (1: the most used) when in use. */
  readonly migrationRank?: number;
};

/** Tokens and logins of an app that is neither an ECA nor a Connected App of the org (a Salesforce app, or one not visible). */
export type OtherAppUsage = UsageCounts & { readonly name: string };

export type UsageResult = {
  readonly findings: readonly Finding[];
  readonly apps: readonly EcaUsage[];
  readonly connectedApps: readonly ConnectedAppUsage[];
  readonly otherApps: readonly OtherAppUsage[];
  /** Ids of the usage rules evaluated (the ones whose figures were known, not off, within --rule). */
  readonly rules: readonly string[];
};

export type UsageOptions = {
  /** Today, YYYY-MM-DD: the days are counted back from its start (UTC). */
  readonly today: string;
  /** Only these rules (ids or names, as --rule); usage rules outside it are not evaluated. */
  readonly only?: readonly string[];
  /** The path a finding about an app points at (the retrieved header file); `org:<Object>/<name>` when absent. */
  readonly pathOf?: (kind: 'eca' | 'connectedApp', name: string) => string | undefined;
  /** The Connected Apps' grants were read too (readUsage connectedAppGrants): report them. */
  readonly connectedAppGrants?: boolean;
  /** What the app's retrieved OAuth policies file says (its path and the value of each element), to compare with what the org enforces. */
  readonly policiesFile?: (app: string) => { readonly path: string; readonly value: (element: string) => string | undefined; readonly line: (element: string) => number | undefined } | undefined;
};

/** The same policy value in the record's and in the metadata's spelling (Enforce_relaxrefresh, Enforce_RelaxRefresh). */
const samePolicyValue = (a: string, b: string): boolean => a.replace(/_/g, '').toLowerCase() === b.replace(/_/g, '').toLowerCase();

const DAY_MS = 86_400_000;

/**
 * A username-password login: LoginType "Remote Access 2.0" and a LoginSubType naming the flow. The exact LoginSubType
 * wording is UNCONFIRMED (no Salesforce page lists the values; "OAuth Username-Password" style is what is expected), so
 * it is matched loosely and case-insensitively on /username.?password/.
 */
export const isUsernamePasswordLogin = (l: Pick<OrgLogin, 'loginType' | 'loginSubType'>): boolean =>
  isOauthLogin(l) && /username.?password/i.test(l.loginSubType ?? '');

/** An OAuth login (LoginType Remote Access 2.0). */
export const isOauthLogin = (l: Pick<OrgLogin, 'loginType'>): boolean => (l.loginType ?? '').trim().toLowerCase() === 'remote access 2.0';

const timeOf = (iso: string | undefined): number => (iso === undefined ? NaN : Date.parse(iso));
const isoOf = (t: number): string | undefined => (Number.isFinite(t) ? new Date(t).toISOString() : undefined);
const dayOf = (iso: string | undefined): string => (iso ?? '').slice(0, 10);
const key = (s: string | undefined): string => (s ?? '').trim().toLowerCase();
/** Ids compared on their case-sensitive 15-character form (an 18-character id adds a case checksum). */
const id15 = (id: string | undefined): string => (id ?? '').slice(0, 15);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The API name of an ECA as the metadata names it: ns__Name in a namespace. */
export const ecaName = (e: Pick<OrgEca, 'developerName' | 'namespacePrefix'>): string =>
  e.namespacePrefix ? `${e.namespacePrefix}__${e.developerName}` : e.developerName;

type Bucket = {
  tokens: number;
  useCount: number;
  last: number;
  users: Map<string, { tokens: number; useCount: number; last: number }>;
  logins: number;
  lastLogin: number;
  upLogins: number;
  upUsers: Set<string>;
  lastUp: number;
};
const bucket = (): Bucket => ({ tokens: 0, useCount: 0, last: NaN, users: new Map(), logins: 0, lastLogin: NaN, upLogins: 0, upUsers: new Set(), lastUp: NaN });
const later = (a: number, b: number): number => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b));

export const evaluateUsage = (figures: UsageFigures, config: Pick<EcaConfig, 'usage' | 'rules' | 'waivers'>, options: UsageOptions): UsageResult => {
  const unknown = new Set(figures.unknown);
  const knows = (...sources: UsageSource[]): boolean => sources.every((s) => !unknown.has(s));
  const { unusedDays, maxPreAuthorizations, loginDays } = config.usage;
  const start = Date.parse(`${options.today}T00:00:00Z`);
  const unusedSince = start - unusedDays * DAY_MS;
  const loginsSince = start - loginDays * DAY_MS;

  // ------------------------------------------------------------------ matching tokens and logins to apps
  const ecaById = new Map(figures.ecas.map((e) => [id15(e.id), e]));
  const caById = new Map(figures.connectedApps.map((c) => [id15(c.id), c]));
  const ecaByName = new Map<string, OrgEca>();
  for (const e of figures.ecas) for (const k of [e.label, e.developerName, ecaName(e)]) if (k && !ecaByName.has(key(k))) ecaByName.set(key(k), e);
  const caByName = new Map<string, OrgConnectedApp>();
  for (const c of figures.connectedApps) if (!caByName.has(key(c.name))) caByName.set(key(c.name), c);
  const ecaBuckets = new Map(figures.ecas.map((e) => [e.id, bucket()]));
  const caBuckets = new Map(figures.connectedApps.map((c) => [c.id, bucket()]));
  const otherBuckets = new Map<string, { name: string; b: Bucket }>();
  /** The app by id first (AppMenuItem.ApplicationId), then by name: an ECA's MasterLabel or DeveloperName, then a Connected App's Name. */
  const bucketOf = (applicationId: string | undefined, name: string | undefined): Bucket => {
    const byId = applicationId ? (ecaById.get(id15(applicationId)) ?? caById.get(id15(applicationId))) : undefined;
    const eca = byId && 'developerName' in byId ? byId : byId ? undefined : ecaByName.get(key(name));
    if (eca) return ecaBuckets.get(eca.id)!;
    const ca = byId && !('developerName' in byId) ? byId : caByName.get(key(name));
    if (ca) return caBuckets.get(ca.id)!;
    const label = name?.trim() || '(no application name)';
    let other = otherBuckets.get(key(label));
    if (!other) otherBuckets.set(key(label), (other = { name: label, b: bucket() }));
    return other.b;
  };
  for (const t of figures.tokens) {
    const b = bucketOf(t.applicationId, t.appName);
    const last = timeOf(t.lastUsed);
    const uses = t.useCount ?? 0;
    b.tokens++;
    b.useCount += uses;
    b.last = later(b.last, last);
    const user = t.userId ?? '(unknown user)';
    const u = b.users.get(user) ?? { tokens: 0, useCount: 0, last: NaN };
    b.users.set(user, { tokens: u.tokens + 1, useCount: u.useCount + uses, last: later(u.last, last) });
  }
  for (const l of figures.logins) {
    const time = timeOf(l.loginTime);
    if (!isOauthLogin(l) || !(time >= loginsSince)) continue;
    const b = bucketOf(undefined, l.application);
    b.logins++;
    b.lastLogin = later(b.lastLogin, time);
    if (isUsernamePasswordLogin(l)) {
      b.upLogins++;
      b.lastUp = later(b.lastUp, time);
      if (l.userId) b.upUsers.add(l.userId);
    }
  }

  const countsOf = (b: Bucket): UsageCounts => ({
    ...(knows('OauthToken')
      ? {
          tokens: b.tokens,
          users: b.users.size,
          useCount: b.useCount,
          ...(isoOf(b.last) ? { lastUsed: isoOf(b.last) } : {}),
          byUser: [...b.users]
            .map(([userId, u]): UserUsage => ({ userId, tokens: u.tokens, useCount: u.useCount, ...(isoOf(u.last) ? { lastUsed: isoOf(u.last) } : {}) }))
            .sort((x, y) => y.useCount - x.useCount || (x.userId < y.userId ? -1 : 1)),
        }
      : {}),
    ...(knows('LoginHistory')
      ? {
          oauthLogins: b.logins,
          usernamePasswordLogins: b.upLogins,
          usernamePasswordUsers: b.upUsers.size,
          ...(isoOf(b.lastUp) ? { lastUsernamePasswordLogin: isoOf(b.lastUp) } : {}),
        }
      : {}),
  });
  /** Used within usage.unusedDays: a token used since then, or an OAuth login since then (JWT, client credentials and username-password logins leave no refresh token). */
  const inUse = (b: Bucket): boolean => b.last >= unusedSince || b.lastLogin >= unusedSince;
  const usageKnown = knows('OauthToken') || knows('LoginHistory');

  // ------------------------------------------------------------------ findings
  const findings: Finding[] = [];
  const evaluated = new Set<string>();
  const active = (r: UsageRule, ...needs: UsageSource[]): boolean => {
    if (options.only && !options.only.some((k) => k === r.id || k === r.name)) return false;
    if (ruleIsOff(r, config)) return false;
    if (!knows(...needs)) return false;
    evaluated.add(r.id);
    return true;
  };
  const add = (
    r: UsageRule,
    app: string,
    path: string,
    f: Pick<Finding, 'message'> & Partial<Pick<Finding, 'actual' | 'expected' | 'action'>>
  ): void => {
    findings.push({
      ruleId: r.id,
      rule: r.name,
      category: r.category,
      app,
      path,
      line: 1,
      col: 1,
      ...f,
      ...configuredFor(r, app, config, options.today),
    });
  };
  const ecaPath = (name: string): string => options.pathOf?.('eca', name) ?? `org:ExternalClientApplication/${name}`;
  const caPath = (name: string): string => options.pathOf?.('connectedApp', name) ?? `org:ConnectedApplication/${name}`;
  const policyOf = new Map(figures.policies.map((p) => [id15(p.appId), p]));
  const grantsOf = new Map<string, OrgGrant[]>();
  for (const g of figures.grants) grantsOf.set(id15(g.setupEntityId), [...(grantsOf.get(id15(g.setupEntityId)) ?? []), g]);
  const unusedText = (b: Bucket): string =>
    b.tokens === 0 && b.logins === 0
      ? 'no OAuth token at all'
      : `last used ${dayOf(isoOf(later(b.last, b.lastLogin)))}${Number.isNaN(later(b.last, b.lastLogin)) ? ' (never)' : ''}`;

  const unusedOn = usageKnown && active(USAGE_RULES.unused, 'OauthToken');
  const staleOn = active(USAGE_RULES.staleTokens, 'OauthToken');
  const unassignedOn = active(USAGE_RULES.unassigned, 'ExtlClntAppOauthPlcyCnfg', 'SetupEntityAccess');
  const overGrantedOn = active(USAGE_RULES.overGranted, 'SetupEntityAccess');
  const selfAuthOn = usageKnown && active(USAGE_RULES.selfAuthorizedInUse, 'ExtlClntAppOauthPlcyCnfg');
  const caInUseOn = usageKnown && active(USAGE_RULES.connectedAppInUse, 'ConnectedApplication');
  const upOn = active(USAGE_RULES.usernamePassword, 'LoginHistory');
  const effectiveOn = active(USAGE_RULES.effectivePolicy, 'ExtlClntAppOauthPlcyCnfg');

  const staleUsers = (b: Bucket): number => [...b.users.values()].filter((u) => !(u.last >= unusedSince)).length;
  const usernamePassword = (app: string, path: string, b: Bucket): void => {
    if (!upOn || b.upLogins === 0) return;
    add(USAGE_RULES.usernamePassword, app, path, {
      message: `${plural(b.upLogins, 'login')} of ${plural(b.upUsers.size, 'user')} through the username-password flow in the last ${loginDays} days (last ${dayOf(isoOf(b.lastUp))}); the flow is switched off on 20 February 2027`,
      actual: `${b.upLogins} username-password login(s)`,
      expected: 'no username-password login',
      action: 'Move the integration to the client credentials or JWT bearer flow before 20 February 2027 (Login History lists the users).',
    });
  };

  const apps = figures.ecas
    .map((e): EcaUsage => {
      const name = ecaName(e);
      const b = ecaBuckets.get(e.id)!;
      const policy = policyOf.get(id15(e.id));
      const grants = grantsOf.get(id15(e.id)) ?? [];
      const names = (kind: OrgGrant['kind']): string[] => [...new Set(grants.filter((g) => g.kind === kind).map((g) => g.name))].sort();
      return {
        name,
        id: e.id,
        ...(e.label !== undefined ? { label: e.label } : {}),
        ...(e.namespacePrefix ? { namespacePrefix: e.namespacePrefix } : {}),
        ...(e.distributionState ? { distributionState: e.distributionState } : {}),
        ...(policy?.permittedUsers ? { permittedUsers: policy.permittedUsers } : {}),
        ...(knows('SetupEntityAccess') ? { permissionSets: names('permissionSet'), profiles: names('profile') } : {}),
        ...countsOf(b),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const app of apps) {
    const b = ecaBuckets.get(app.id)!;
    const path = ecaPath(app.name);
    const file = effectiveOn ? options.policiesFile?.(app.name) : undefined;
    const enforced = policyOf.get(id15(app.id))?.fields;
    if (file && enforced) {
      const differ = Object.entries(enforced).filter(([element, value]) => {
        const said = file.value(element);
        return said !== undefined && !samePolicyValue(said, value);
      });
      if (differ.length > 0) {
        const first = differ[0]?.[0] ?? '';
        findings.push({
          ruleId: USAGE_RULES.effectivePolicy.id,
          rule: USAGE_RULES.effectivePolicy.name,
          category: USAGE_RULES.effectivePolicy.category,
          app: app.name,
          path: file.path,
          line: file.line(first) ?? 1,
          col: 1,
          message: `the org enforces ${differ.map(([e, v]) => `${e} ${v}`).join(', ')}, but the app's metadata says ${differ.map(([e]) => `${e} ${file.value(e) ?? ''}`).join(', ')} (a change made in Setup that the metadata does not show)`,
          actual: differ.map(([e]) => `${e}=${file.value(e) ?? ''}`).join(', '),
          expected: differ.map(([e, v]) => `${e}=${v}`).join(', '),
          action: 'Decide which is right, write it in the project\'s policies file and deploy it: the next deploy of the file as it is undoes the Setup change.',
          ...configuredFor(USAGE_RULES.effectivePolicy, app.name, config, options.today),
        });
      }
    }
    const grants = (app.permissionSets?.length ?? 0) + (app.profiles?.length ?? 0);
    if (unusedOn && !inUse(b)) {
      add(USAGE_RULES.unused, app.name, path, {
        message: `the app has not been used in the last ${unusedDays} days: ${unusedText(b)}`,
        actual: unusedText(b),
        expected: `a use within ${unusedDays} days`,
        action: 'Remove the app, or block it (policies: admin-approved users with no assignment) until an owner claims it.',
      });
    }
    if (staleOn && inUse(b) && staleUsers(b) > 0) {
      add(USAGE_RULES.staleTokens, app.name, path, {
        message: `${plural(staleUsers(b), 'user')} of ${b.users.size} hold tokens of the app not used in the last ${unusedDays} days`,
        actual: `${staleUsers(b)} idle user(s)`,
        action: 'Revoke the idle tokens (Setup → Connected Apps OAuth Usage), or set a refresh token inactivity limit in the policies.',
      });
    }
    if (unassignedOn && app.permittedUsers === 'AdminApprovedPreAuthorized' && grants === 0) {
      add(USAGE_RULES.unassigned, app.name, path, {
        message: 'the app is admin-approved but assigned to no profile or permission set: nobody can use it',
        actual: 'no profile or permission set',
        expected: 'at least one permission set',
        action: 'Assign the permission set of its users to the app, or remove the app if nobody needs it.',
      });
    }
    if (overGrantedOn && grants > maxPreAuthorizations) {
      add(USAGE_RULES.overGranted, app.name, path, {
        message: `the app is pre-authorized to ${plural(app.profiles?.length ?? 0, 'profile')} and ${plural(app.permissionSets?.length ?? 0, 'permission set')} (${grants}, more than ${maxPreAuthorizations})`,
        actual: String(grants),
        expected: `at most ${maxPreAuthorizations}`,
        action: 'Grant the app through one permission set per population of users and remove the other assignments.',
      });
    }
    if (selfAuthOn && app.permittedUsers === 'AllSelfAuthorized' && inUse(b)) {
      add(USAGE_RULES.selfAuthorizedInUse, app.name, path, {
        message: `every user may self-authorize the app (AllSelfAuthorized), and it is in use${knows('OauthToken') ? `: ${plural(b.users.size, 'user')}, ${plural(b.useCount, 'use')}` : ''}`,
        actual: 'AllSelfAuthorized',
        expected: 'AdminApprovedPreAuthorized',
        action: 'Assign a permission set to the users who hold tokens, then switch the policies to admin-approved users (sf eca set --permitted-users admin-approved).',
      });
    }
    usernamePassword(app.name, path, b);
  }

  const cas = figures.connectedApps.map((c) => ({ c, b: caBuckets.get(c.id)! }));
  const ranked = cas
    .filter(({ b }) => inUse(b))
    .sort((x, y) => y.b.useCount - x.b.useCount || y.b.users.size - x.b.users.size || y.b.logins - x.b.logins || (x.c.name < y.c.name ? -1 : 1));
  const rankOf = new Map(ranked.map(({ c }, i) => [c.id, i + 1]));
  const connectedApps = cas
    .map(({ c, b }): ConnectedAppUsage => {
      const grants = grantsOf.get(id15(c.id));
      const names = (kind: OrgGrant['kind']): string[] => [...new Set((grants ?? []).filter((g) => g.kind === kind).map((g) => g.name))].sort();
      return {
        name: c.name,
        id: c.id,
        ...(usageKnown && rankOf.has(c.id) ? { migrationRank: rankOf.get(c.id) } : {}),
        ...(options.connectedAppGrants && knows('SetupEntityAccess') ? { permissionSets: names('permissionSet'), profiles: names('profile') } : {}),
        ...countsOf(b),
      };
    })
    .sort((a, b) => (a.migrationRank ?? Infinity) - (b.migrationRank ?? Infinity) || (a.name < b.name ? -1 : 1));
  for (const { c, b } of cas) {
    const path = caPath(c.name);
    if (unusedOn && !inUse(b)) {
      add(USAGE_RULES.unused, c.name, path, {
        message: `the Connected App has not been used in the last ${unusedDays} days: ${unusedText(b)}`,
        actual: unusedText(b),
        expected: `a use within ${unusedDays} days`,
        action: 'Remove the Connected App rather than migrating it, unless an owner claims it.',
      });
    }
    if (staleOn && inUse(b) && staleUsers(b) > 0) {
      add(USAGE_RULES.staleTokens, c.name, path, {
        message: `${plural(staleUsers(b), 'user')} of ${b.users.size} hold tokens of the Connected App not used in the last ${unusedDays} days`,
        actual: `${staleUsers(b)} idle user(s)`,
        action: 'Revoke the idle tokens (Setup → Connected Apps OAuth Usage).',
      });
    }
    const rank = rankOf.get(c.id);
    if (caInUseOn && rank !== undefined) {
      const figuresText = [
        knows('OauthToken') ? `${plural(b.users.size, 'user')}, ${plural(b.useCount, 'use')}, last used ${dayOf(isoOf(b.last)) || 'never'}` : undefined,
        knows('LoginHistory') ? `${plural(b.logins, 'OAuth login')} in ${loginDays} days` : undefined,
      ].filter(Boolean);
      add(USAGE_RULES.connectedAppInUse, c.name, path, {
        message: `the Connected App is still in use (${figuresText.join('; ')}): number ${rank} of ${ranked.length} in the migration order`,
        actual: `migration rank ${rank} of ${ranked.length}`,
        action: 'Migrate it to an External Client App (sf eca migrate), most used first; its clients get a new consumer key.',
      });
    }
    usernamePassword(c.name, path, b);
  }

  const otherApps = [...otherBuckets.values()]
    .map(({ name, b }): OtherAppUsage => ({ name, ...countsOf(b) }))
    .sort((a, b) => (b.useCount ?? 0) - (a.useCount ?? 0) || (a.name < b.name ? -1 : 1));
  for (const { name, b } of otherBuckets.values()) usernamePassword(name, `org:LoginHistory/${name}`, b);

  findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return { findings, apps, connectedApps, otherApps, rules: ALL_USAGE_RULES.filter((r) => evaluated.has(r.id)).map((r) => r.id) };
};
