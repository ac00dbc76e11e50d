/*
 * The org adapter: deploy, list and retrieve ECA components through SDR and the org's Connection.
 * Only the commands that talk to an org import this module (lazily), so SDR never loads otherwise.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, SfError } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import { ComponentSet, RegistryAccess, type DeployResult, type MetadataType } from '@salesforce/source-deploy-retrieve';

/** What listMetadata says of a component. */
export type ListedComponent = {
  readonly type: string;
  readonly fullName: string;
  readonly fileName?: string;
  readonly lastModifiedDate?: string;
  readonly namespacePrefix?: string;
  /** unmanaged, installed (from a managed package), beta, released, … */
  readonly manageableState?: string;
};
import { classifyFileName } from '../core/model/file.js';
import { ECA_TYPES, typeByName, type TypeDef } from '../core/model/schema.js';
import type { SourceText } from '../core/project/inventory.js';

export type Timing = {
  /** How long to wait for the org, in total (what is left of the command's --wait). */
  readonly waitMs: number;
  /** Time between status checks (the first check is immediate). */
  readonly pollMs: number;
  /** The whole --wait, for messages ("did not answer within 10 s"); default waitMs. */
  readonly totalWaitMs?: number;
};

/** Exit code: the org answered with an error (server error, maintenance page, rejected session); sf's code for server errors. */
export const ORG_ERROR_EXIT = 20;
/** Exit code: the org could not be reached, or did not answer within --wait. */
export const ORG_UNREACHABLE_EXIT = 75;

export type ComponentOutcome = {
  readonly type: string;
  readonly fullName: string;
  readonly state: string;
  readonly filePath?: string;
  readonly problem?: string;
  readonly line?: number;
  readonly column?: number;
};

export type DeployOutcome = {
  readonly id: string;
  /** Succeeded, SucceededPartial, Failed, Canceled, or InProgress when the wait ran out. */
  readonly status: string;
  readonly done: boolean;
  readonly checkOnly: boolean;
  readonly components: readonly ComponentOutcome[];
};

const isTimeout = (e: unknown): boolean =>
  e instanceof Error && (e.name === 'OrgTimeoutError' || e.name === 'AbortError' || /timed out|Request Timeout|aborted due to timeout/i.test(e.message));

const timeoutAction = 'Run the command again with a longer --wait, or check the org\'s status (https://status.salesforce.com).';

/**
 * Turns library failures into errors a user can act on. None of them exits 1, which diff and audit use
 * for a result: the org answered with an error → 20; unreachable or no answer in time → 75.
 */
export const orgError = (e: unknown, what: string): SfError => {
  if (e instanceof SfError && e.actions?.length) return e as SfError;
  const raw = e instanceof Error ? e : new Error(String(e));
  // a library message never carries the access token into the output
  const err = { name: raw.name, message: raw.message.replace(/00D\w{12,15}![.\w]+/g, '<access token>') };
  const text = `${err.name}: ${err.message}`;
  if (/INVALID_SESSION_ID/i.test(text)) {
    return new SfError(`The org rejected the session while ${what}: ${err.message}`, 'InvalidSessionError', [
      'Log in again: sf org login web --alias <alias> (or refresh the access token), then run the command again.',
    ], ORG_ERROR_EXIT);
  }
  if (isTimeout(err)) {
    return new SfError(`The org did not answer in time while ${what}: ${err.message}`, 'OrgTimeoutError', [timeoutAction], ORG_UNREACHABLE_EXIT);
  }
  if (/fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|socket hang up|other side closed/i.test(text)) {
    return new SfError(`The org could not be reached while ${what}: ${err.message}`, 'OrgUnreachableError', [
      'Check the network and the org\'s instance URL (sf org display), then run the command again.',
    ], ORG_UNREACHABLE_EXIT);
  }
  if (/ERROR_HTTP_5\d\d|UNKNOWN_EXCEPTION|HTTP response contains html|Unexpected end|MetadataTransferError|Metadata API request failed/i.test(text)) {
    return new SfError(`The org answered with an error while ${what}: ${err.message}`, 'OrgError', [
      'Salesforce may be unavailable or in maintenance: check https://status.salesforce.com and run the command again later.',
    ], ORG_ERROR_EXIT);
  }
  // No cause: a network TypeError as cause would make sf report the exit code of a bug (10).
  return new SfError(`Failed while ${what}: ${err.message}`, 'OrgOperationError', ['Run the command again with --json for details.'], ORG_ERROR_EXIT);
};

/** Rejects with an OrgTimeoutError (exit 75) when a promise does not settle in time (a server that never answers). */
export const withDeadline = async <T>(p: Promise<T>, ms: number, what: string, totalMs = ms): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SfError(`The org did not answer within ${Math.max(1, Math.round(totalMs / 1000))} s while ${what}.`, 'OrgTimeoutError', [timeoutAction], ORG_UNREACHABLE_EXIT)),
      Math.max(0, ms)
    );
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
};

/** A deadline shared by the steps of one operation: each step gets what is left. */
const deadlineOf = (timing: Timing): { left: () => number; total: number } => {
  const end = Date.now() + timing.waitMs;
  return { left: () => Math.max(0, end - Date.now()), total: timing.totalWaitMs ?? timing.waitMs };
};

/** The Timing of each step of a conversation: what is left of one wait, shared by every step. */
export const budgetOf = (timing: Timing): (() => Timing) => {
  const { left, total } = deadlineOf(timing);
  return () => ({ ...timing, waitMs: left(), totalWaitMs: total });
};

const lineCol = (error: string | undefined): { line?: number; column?: number } => {
  const m = error ? /\((\d+):(\d+)\)\s*$/.exec(error) : null;
  return m ? { line: Number(m[1]), column: Number(m[2]) } : {};
};

const outcomeOf = (result: DeployResult, checkOnly: boolean): DeployOutcome => ({
  id: result.response.id,
  status: result.response.status,
  done: result.response.done,
  checkOnly,
  components: result.getFileResponses().map((f) => ({
    type: f.type,
    fullName: f.fullName,
    state: f.state,
    ...(f.filePath ? { filePath: f.filePath } : {}),
    ...('error' in f && f.error ? { problem: f.error.replace(/\s*\(\d+:\d+\)\s*$/, ''), ...lineCol(f.error) } : {}),
  })),
});

/**
 * Deploys source files (absolute paths) with SDR; `checkOnly` validates without saving. When the wait
 * runs out the outcome has status InProgress and the deploy id.
 */
export const deployFiles = async (
  conn: Connection,
  paths: readonly string[],
  options: Timing & {
    readonly checkOnly: boolean;
    readonly rollbackOnError?: boolean;
    readonly onStatus?: (status: string) => void;
    /** Called with the deploy id once the org has accepted the deploy. */
    readonly onStarted?: (id: string) => void;
  }
): Promise<DeployOutcome> => {
  const cs = ComponentSet.fromSource({ fsPaths: [...paths] });
  const { left, total } = deadlineOf(options);
  let id = '';
  try {
    const op = await withDeadline(
      cs.deploy({ usernameOrConnection: conn, apiOptions: { checkOnly: options.checkOnly, rollbackOnError: options.rollbackOnError ?? true } }),
      left(),
      'starting the deploy',
      total
    );
    id = op.id ?? '';
    if (id) options.onStarted?.(id);
    op.onUpdate((r) => options.onStatus?.(`${r.status}: ${r.numberComponentsDeployed}/${r.numberComponentsTotal} components`));
    const result = await withDeadline(
      op.pollStatus({ frequency: Duration.milliseconds(options.pollMs), timeout: Duration.milliseconds(Math.max(1, left())) }),
      left() + 2000,
      'waiting for the deploy',
      total
    );
    return outcomeOf(result, options.checkOnly);
  } catch (e) {
    if (id && isTimeout(e)) {
      return { id, status: 'InProgress', done: false, checkOnly: options.checkOnly, components: [] };
    }
    throw orgError(e, 'deploying');
  }
};

const registry = new RegistryAccess();

/** The org said it does not know a type (an older org, or a type not enabled there). */
const isUnknownType = (e: unknown): boolean => {
  if (!(e instanceof Error)) return false;
  const code = (e as Error & { errorCode?: unknown }).errorCode;
  return /INVALID_TYPE/.test(`${e.name} ${typeof code === 'string' ? code : ''} ${e.message}`);
};

export type Listed = {
  readonly components: ListedComponent[];
  /** Optional types the org does not know (INVALID_TYPE): left out, not fatal. */
  readonly skipped: string[];
  /** listMetadata calls made. */
  readonly calls: number;
};

/**
 * listMetadata for several types: one call per three types (the API's limit per call), not one per app.
 * A call the org refuses because it does not know one of the `optional` types is made again one type
 * at a time, and an optional type it still refuses is skipped; any other failure is fatal.
 */
export const listTypes = async (
  conn: Connection,
  types: readonly string[],
  waitMs: number,
  totalWaitMs = waitMs,
  optional: (type: string) => boolean = () => false
): Promise<Listed> => {
  const { left, total } = deadlineOf({ waitMs, pollMs: 0, totalWaitMs });
  const components: ListedComponent[] = [];
  const skipped: string[] = [];
  let calls = 0;
  const list = async (batch: readonly string[]): Promise<void> => {
    calls++;
    const r = await withDeadline(conn.metadata.list(batch.map((type) => ({ type })), conn.getApiVersion()), left(), 'listing the org\'s metadata', total);
    for (const p of Array.isArray(r) ? r : r ? [r] : []) {
      components.push({
        type: p.type,
        fullName: p.fullName,
        fileName: p.fileName,
        lastModifiedDate: p.lastModifiedDate,
        ...(p.namespacePrefix ? { namespacePrefix: p.namespacePrefix } : {}),
        ...(p.manageableState ? { manageableState: p.manageableState } : {}),
      });
    }
  };
  for (let i = 0; i < types.length; i += 3) {
    const batch = types.slice(i, i + 3);
    try {
      try {
        await list(batch);
      } catch (e) {
        if (!isUnknownType(e) || !batch.some(optional)) throw e;
        for (const type of batch) {
          try {
            await list([type]);
          } catch (e2) {
            if (!isUnknownType(e2) || !optional(type)) throw e2;
            skipped.push(type);
          }
        }
      }
    } catch (e) {
      throw orgError(e, 'listing the org\'s metadata');
    }
  }
  return { components: components.filter((p) => p.fullName), skipped, calls };
};

/** listMetadata for several types (one call per three types); every type must be known to the org. */
export const listComponents = async (conn: Connection, types: readonly string[], waitMs: number, totalWaitMs = waitMs): Promise<ListedComponent[]> =>
  (await listTypes(conn, types, waitMs, totalWaitMs)).components;

/**
 * Retrieves components into memory: SDR writes them to a temporary folder in source format, they are
 * read back, and the folder is removed. Paths of the result are "<folder>/<file>" (as in a project).
 */
export const retrieveComponents = async (
  conn: Connection,
  members: ReadonlyArray<{ readonly type: string; readonly fullName: string }>,
  timing: Timing
): Promise<SourceText[]> => {
  if (members.length === 0) return [];
  const { left, total } = deadlineOf(timing);
  const out = mkdtempSync(join(tmpdir(), 'eca-retrieve-'));
  try {
    const cs = new ComponentSet();
    for (const m of members) cs.add({ fullName: m.fullName, type: registry.getTypeByName(m.type) });
    const op = await withDeadline(cs.retrieve({ usernameOrConnection: conn, output: out, merge: false, format: 'source' }), left(), 'starting the retrieve', total);
    await withDeadline(
      op.pollStatus({ frequency: Duration.milliseconds(timing.pollMs), timeout: Duration.milliseconds(Math.max(1, left())) }),
      left() + 2000,
      'waiting for the retrieve',
      total
    );
    const files: SourceText[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (classifyFileName(e.name)) {
          const folder = dir.slice(dir.lastIndexOf('/') + 1);
          files.push({ path: `${folder}/${e.name}`, text: readFileSync(p, 'utf8') });
        }
      }
    };
    walk(out);
    return files.sort((a, b) => (a.path < b.path ? -1 : 1));
  } catch (e) {
    throw orgError(e, 'retrieving');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
};

/** SDR's registry entry of a type, when it has one with the suffix and folder the schema gives the type. */
const sdrTypeOf = (t: TypeDef): MetadataType | undefined => {
  try {
    const s = registry.getTypeByName(t.name);
    return s.name === t.name && s.suffix === t.suffix && s.directoryName === t.directory ? s : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Every ECA type the schema models that SDR can retrieve (the header first), in the schema's order: the
 * types retrieve, diff and audit list and retrieve. A type SDR does not know cannot go through SDR.
 */
export const ECA_ORG_TYPES: readonly string[] = ECA_TYPES.filter((t) => sdrTypeOf(t) !== undefined).map((t) => t.name);

/** ECA types the schema models that SDR's registry does not know (or files elsewhere): never listed or retrieved. */
export const ECA_TYPES_NOT_IN_SDR: readonly string[] = ECA_TYPES.filter((t) => sdrTypeOf(t) === undefined).map((t) => t.name);

const HEADER_SINCE = typeByName('ExternalClientApplication')?.since ?? 59;

/**
 * The ECA types an org of this API version can have: a type newer than the org is not asked for. A
 * version older than the header type's is not the org's (core falls back to 50.0 when it could not
 * resolve an access-token org's version): then every type is asked for, and the org says what it lacks.
 */
export const ecaOrgTypesFor = (apiVersion: number): string[] =>
  Number.isNaN(apiVersion) || apiVersion < HEADER_SINCE ? [...ECA_ORG_TYPES] : ECA_ORG_TYPES.filter((name) => (typeByName(name)?.since ?? 0) <= apiVersion);

export type OrgApps = {
  /** The org's files of the selected apps (and Connected Apps), as retrieved, in memory. */
  readonly sources: SourceText[];
  /** Headers of every ECA the org has. */
  readonly orgAppNames: string[];
  /** Requested apps the org does not have. */
  readonly missing: string[];
  /** ECA types the org said it does not know (INVALID_TYPE), left out. */
  readonly skippedTypes: string[];
  /** Requests made: listMetadata and retrieve calls. */
  readonly calls: { readonly list: number; readonly retrieve: number };
};

/**
 * Finds the apps in the org (listMetadata, one call per three types) and retrieves their files in one
 * retrieve. Child files are matched to apps by their <externalClientApplication> element afterwards,
 * never by name. `names` undefined: every app of the org.
 */
export const retrieveApps = async (
  conn: Connection,
  names: readonly string[] | undefined,
  timing: Timing,
  options: {
    readonly connectedApps?: boolean;
    /**
     * Which listed child components to retrieve (default: all, since an app's children are only known by their
     * <externalClientApplication> once retrieved). deploy narrows it to the names that can be the selected apps'.
     */
    readonly children?: (c: ListedComponent) => boolean;
  } = {}
): Promise<OrgApps> => {
  // Types newer than the org's API version are not asked for; a child type the org still does not know is skipped.
  const eca = ecaOrgTypesFor(Number(conn.getApiVersion()));
  const types = [...eca, ...(options.connectedApps ? ['ConnectedApp'] : [])];
  const budget = budgetOf(timing);
  const optional = (type: string): boolean => type !== 'ExternalClientApplication' && type !== 'ConnectedApp';
  const { components: listed, skipped, calls } = await listTypes(conn, types, timing.waitMs, timing.totalWaitMs ?? timing.waitMs, optional);
  const orgAppNames = listed.filter((c) => c.type === 'ExternalClientApplication').map((c) => c.fullName).sort();
  const wanted = names ?? orgAppNames;
  const missing = wanted.filter((n) => !orgAppNames.includes(n));
  const headers = wanted.filter((n) => orgAppNames.includes(n));
  const members = [
    ...headers.map((fullName) => ({ type: 'ExternalClientApplication', fullName })),
    ...(headers.length > 0 ? listed.filter((c) => c.type !== 'ExternalClientApplication' && c.type !== 'ConnectedApp' && (options.children?.(c) ?? true)) : []),
    ...listed.filter((c) => c.type === 'ConnectedApp'),
  ];
  const sources = await retrieveComponents(conn, members, budget());
  const keep = new Set(headers);
  return {
    sources: sources.filter((s) => {
      const claimed = classifyFileName(s.path.slice(s.path.lastIndexOf('/') + 1));
      if (!claimed || claimed.type.kind === 'connectedApp') return true;
      if (claimed.type.kind === 'header') return keep.has(claimed.fullName);
      const m = /<externalClientApplication>\s*([^<\s]+)\s*<\/externalClientApplication>/.exec(s.text);
      return m !== null && keep.has(m[1] as string);
    }),
    orgAppNames,
    missing,
    skippedTypes: skipped,
    calls: { list: calls, retrieve: members.length > 0 ? 1 : 0 },
  };
};

/** The OAuth policies record the org holds for an app, as SOQL names it. */
export type PolicyRecord = { readonly app: string; readonly fullName: string };

/**
 * The org's OAuth policies records by app, from SOQL (ExternalClientApplication and
 * ExtlClntAppOauthPlcyCnfg): what a listMetadata cannot tell (an installed app's policies, or two
 * records that claim one app). Two queries, whatever the number of apps. A record without a namespace
 * keeps none (a subscriber org's policies of a namespaced app). `undefined`: the org does not know the
 * objects (INVALID_TYPE), so the names cannot be confirmed.
 */
export const queryPolicyRecords = async (conn: Connection, timing: Timing): Promise<PolicyRecord[] | undefined> => {
  const { left, total } = deadlineOf(timing);
  type App = { Id: string; DeveloperName: string; NamespacePrefix?: string | null };
  type Policy = { DeveloperName: string; NamespacePrefix?: string | null; ExternalClientApplicationId?: string | null };
  const named = (r: { DeveloperName: string; NamespacePrefix?: string | null }): string => (r.NamespacePrefix ? `${r.NamespacePrefix}__${r.DeveloperName}` : r.DeveloperName);
  try {
    const apps = await withDeadline(Promise.resolve(conn.query<App>('SELECT Id, DeveloperName, NamespacePrefix FROM ExternalClientApplication', { autoFetch: true })), left(), 'querying the org\'s External Client Apps', total);
    const policies = await withDeadline(
      Promise.resolve(conn.query<Policy>('SELECT DeveloperName, NamespacePrefix, ExternalClientApplicationId FROM ExtlClntAppOauthPlcyCnfg', { autoFetch: true })),
      left(),
      'querying the org\'s OAuth policies',
      total
    );
    const byId = new Map(apps.records.map((a) => [a.Id.slice(0, 15), named(a)]));
    return policies.records.flatMap((p) => {
      const app = p.ExternalClientApplicationId ? byId.get(p.ExternalClientApplicationId.slice(0, 15)) : undefined;
      return app ? [{ app, fullName: named(p) }] : [];
    });
  } catch (e) {
    if (isUnknownType(e)) return undefined;
    throw orgError(e, 'querying the org\'s OAuth policies');
  }
};
