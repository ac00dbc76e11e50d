/*
 * The org reads of `sf eca audit --usage`: SOQL through jsforce's conn.query (autoFetch), a bounded number of
 * queries whatever the number of apps (one per object; SetupEntityAccess filtered by the apps' ids in chunks of
 * SETUP_ENTITY_CHUNK), each under what is left of the command's --wait. Failures map like every org call (orgError:
 * 20/75); an object the org does not know or does not let the user read (INVALID_TYPE) is skipped: its figures are
 * unknown, and the rules that need them are not evaluated. Imported lazily by audit, only with --usage.
 */
import type { Connection } from '@salesforce/core';
import type { OrgConnectedApp, OrgEca, OrgGrant, OrgLogin, OrgPolicy, OrgToken, UsageFigures, UsageSource } from '../core/usage/evaluate.js';
import { orgError, type Timing, withDeadline } from './org.js';

/** Ids per SetupEntityAccess query (the GET query URL stays far below its limit). */
export const SETUP_ENTITY_CHUNK = 200;
/** Most records read per object (jsforce's default would stop at 10,000). */
export const MAX_RECORDS = 200_000;

/** The policy fields of ExtlClntAppOauthPlcyCnfg compared with the metadata (ECA-USE-008). */
const POLICY_FIELDS = ['PermittedUsersPolicyType', 'IpRelaxationPolicyType', 'RefreshTokenPolicyType', 'RefreshTokenValidityPeriod', 'RefreshTokenValidityUnit', 'RequiredSessionLevel'] as const;

export const USAGE_QUERIES = {
  ExternalClientApplication: 'SELECT Id, DeveloperName, NamespacePrefix, MasterLabel, DistributionState FROM ExternalClientApplication',
  ExtlClntAppOauthPlcyCnfg:
    'SELECT Id, ExternalClientApplicationId, PermittedUsersPolicyType, IpRelaxationPolicyType, RefreshTokenPolicyType, RefreshTokenValidityPeriod, RefreshTokenValidityUnit, RequiredSessionLevel FROM ExtlClntAppOauthPlcyCnfg',
  /** The same without the policy fields an org may not expose (INVALID_FIELD): then only who may use the app is compared. */
  ExtlClntAppOauthPlcyCnfgMinimal: 'SELECT Id, ExternalClientApplicationId, PermittedUsersPolicyType FROM ExtlClntAppOauthPlcyCnfg',
  ConnectedApplication: 'SELECT Id, Name FROM ConnectedApplication',
  OauthToken: 'SELECT Id, AppName, AppMenuItem.ApplicationId, UserId, UseCount, LastUsedDate FROM OauthToken',
  /** Every OAuth login of the last `days` days; the username-password ones are told apart by LoginSubType (evaluate.ts). */
  LoginHistory: (days: number): string =>
    `SELECT Id, UserId, LoginTime, LoginType, LoginSubType, Application FROM LoginHistory WHERE LoginType = 'Remote Access 2.0' AND LoginTime = LAST_N_DAYS:${days}`,
  SetupEntityAccess: (ids: readonly string[]): string =>
    `SELECT Id, SetupEntityId, ParentId, Parent.Name, Parent.Label, Parent.IsOwnedByProfile, Parent.Profile.Name FROM SetupEntityAccess WHERE SetupEntityId IN (${ids
      .map((id) => `'${id.replace(/[^A-Za-z0-9]/g, '')}'`)
      .join(', ')})`,
} as const;

export type UsageRead = {
  readonly figures: UsageFigures;
  /** Query requests made (pages of autoFetch included). */
  readonly requests: number;
  /** Objects with more records than MAX_RECORDS: only the first ones were read. */
  readonly truncated: readonly UsageSource[];
};

type Row = Record<string, unknown>;

const isUnknownType = (e: unknown): boolean => {
  if (!(e instanceof Error)) return false;
  const code = (e as Error & { errorCode?: unknown }).errorCode;
  return /INVALID_TYPE/.test(`${e.name} ${typeof code === 'string' ? code : ''}`);
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
const rel = (r: Row, name: string): Row | undefined => {
  const v = r[name];
  return v !== null && typeof v === 'object' ? (v as Row) : undefined;
};

/** Reads the usage figures of the org; `loginDays` bounds the Login History read. */
/**
 * `connectedAppGrants`: read the pre-authorizations (SetupEntityAccess) of the Connected Apps too, not only of the ECAs
 * (migrate's pre-flight: which permission sets and profiles the ECA must be given).
 */
export const readUsage = async (conn: Connection, options: Timing & { readonly loginDays: number; readonly connectedAppGrants?: boolean }): Promise<UsageRead> => {
  const end = Date.now() + options.waitMs;
  const total = options.totalWaitMs ?? options.waitMs;
  const unknown: UsageSource[] = [];
  const truncated: UsageSource[] = [];
  let requests = 0;

  /** One object's records; undefined when the org does not know the object (INVALID_TYPE). */
  const read = async (source: UsageSource, soql: string, fallback?: string): Promise<Row[] | undefined> => {
    const what = `reading ${source}`;
    try {
      const query = conn.query<Row>(soql, { autoFetch: true, maxFetch: MAX_RECORDS });
      query.on('fetch', () => {
        requests++;
      });
      const result = await withDeadline(Promise.resolve(query), Math.max(0, end - Date.now()), what, total);
      if (result.totalSize > result.records.length && result.records.length >= MAX_RECORDS && !truncated.includes(source)) truncated.push(source);
      return result.records;
    } catch (e) {
      if (isUnknownType(e)) {
        if (!unknown.includes(source)) unknown.push(source);
        return undefined;
      }
      if (fallback && e instanceof Error && /INVALID_FIELD/.test(`${e.name} ${e.message}`)) return read(source, fallback);
      throw orgError(e, what);
    }
  };

  const [ecaRows, policyRows, caRows, tokenRows, loginRows] = await Promise.all([
    read('ExternalClientApplication', USAGE_QUERIES.ExternalClientApplication),
    read('ExtlClntAppOauthPlcyCnfg', USAGE_QUERIES.ExtlClntAppOauthPlcyCnfg, USAGE_QUERIES.ExtlClntAppOauthPlcyCnfgMinimal),
    read('ConnectedApplication', USAGE_QUERIES.ConnectedApplication),
    read('OauthToken', USAGE_QUERIES.OauthToken),
    read('LoginHistory', USAGE_QUERIES.LoginHistory(options.loginDays)),
  ]);

  const ecas: OrgEca[] = (ecaRows ?? []).flatMap((r) => {
    const id = str(r.Id);
    const developerName = str(r.DeveloperName);
    if (!id || !developerName) return [];
    const namespacePrefix = str(r.NamespacePrefix);
    const label = str(r.MasterLabel);
    const distributionState = str(r.DistributionState);
    return [{ id, developerName, ...(namespacePrefix ? { namespacePrefix } : {}), ...(label ? { label } : {}), ...(distributionState ? { distributionState } : {}) }];
  });
  const policies: OrgPolicy[] = (policyRows ?? []).flatMap((r) => {
    const appId = str(r.ExternalClientApplicationId);
    const permittedUsers = str(r.PermittedUsersPolicyType);
    // What the org enforces, by the metadata element each field corresponds to (a field the org did not return is left out).
    const fields = Object.fromEntries(
      POLICY_FIELDS.flatMap((f) => {
        const v = r[f];
        return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? [[f.charAt(0).toLowerCase() + f.slice(1), String(v)]] : [];
      })
    );
    return appId ? [{ appId, ...(permittedUsers ? { permittedUsers } : {}), ...(Object.keys(fields).length > 0 ? { fields } : {}) }] : [];
  });
  const connectedApps: OrgConnectedApp[] = (caRows ?? []).flatMap((r) => {
    const id = str(r.Id);
    const name = str(r.Name);
    return id && name ? [{ id, name }] : [];
  });
  const tokens: OrgToken[] = (tokenRows ?? []).map((r) => {
    const appName = str(r.AppName);
    const applicationId = str(rel(r, 'AppMenuItem')?.ApplicationId);
    const userId = str(r.UserId);
    const useCount = num(r.UseCount);
    const lastUsed = str(r.LastUsedDate);
    return {
      ...(appName ? { appName } : {}),
      ...(applicationId ? { applicationId } : {}),
      ...(userId ? { userId } : {}),
      ...(useCount !== undefined ? { useCount } : {}),
      ...(lastUsed ? { lastUsed } : {}),
    };
  });
  const logins: OrgLogin[] = (loginRows ?? []).flatMap((r) => {
    const loginTime = str(r.LoginTime);
    if (!loginTime) return [];
    const [userId, loginType, loginSubType, application] = [str(r.UserId), str(r.LoginType), str(r.LoginSubType), str(r.Application)];
    return [{ loginTime, ...(userId ? { userId } : {}), ...(loginType ? { loginType } : {}), ...(loginSubType ? { loginSubType } : {}), ...(application ? { application } : {}) }];
  });

  // The grants of the apps: SetupEntityId is the app's id; chunks of ids, read one after the other.
  const grants: OrgGrant[] = [];
  const ids = [...ecas.map((e) => e.id), ...(options.connectedAppGrants ? connectedApps.map((c) => c.id) : [])];
  for (let i = 0; i < ids.length && !unknown.includes('SetupEntityAccess'); i += SETUP_ENTITY_CHUNK) {
    const rows = await read('SetupEntityAccess', USAGE_QUERIES.SetupEntityAccess(ids.slice(i, i + SETUP_ENTITY_CHUNK)));
    for (const r of rows ?? []) {
      const setupEntityId = str(r.SetupEntityId);
      const parent = rel(r, 'Parent');
      if (!setupEntityId || !parent) continue;
      const profile = parent.IsOwnedByProfile === true || parent.IsOwnedByProfile === 'true';
      const name = profile ? (str(rel(parent, 'Profile')?.Name) ?? str(parent.Name)) : (str(parent.Name) ?? str(parent.Label));
      if (name) grants.push({ setupEntityId, kind: profile ? 'profile' : 'permissionSet', name });
    }
  }

  return { figures: { ecas, policies, connectedApps, tokens, grants, logins, unknown }, requests, truncated };
};
