/*
 * `eca baseline`: the org's apps retrieved in memory and written as one baseline file (src/core/sync/baseline.ts)
 * through the change pipeline; and reading a baseline back for `eca diff --baseline`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Connection } from '@salesforce/core';
import type { OrgApps, Timing } from '../adapters/org.js';
import { commitChanges } from '../adapters/write.js';
import { creations } from '../core/change/plan.js';
import { buildInventory, type Inventory } from '../core/project/inventory.js';
import { buildBaseline, InvalidBaseline, parseBaseline, serializeBaseline, type Baseline } from '../core/sync/baseline.js';
import { Refused } from './refused.js';

/** 1 means a result ("different", "refused"): whatever went wrong with the org must not read as one. */
const ORG_ERROR_EXIT = 20;

export type BaselineRefusal =
  | { readonly kind: 'Exists'; readonly file: string }
  | { readonly kind: 'NotInOrg'; readonly missing: readonly string[]; readonly known: readonly string[] };

export class BaselineRefused extends Refused<BaselineRefusal> {}

type Step = <T>(label: string, work: () => Promise<T>) => Promise<T>;

/** The org's apps (every one, or the named ones) retrieved into memory; an org failure keeps its code (20/75), never 1. */
export const retrieveOrgInventory = async (
  conn: Connection,
  names: readonly string[] | undefined,
  timing: Timing,
  step: Step,
  what: string
): Promise<{ inventory: Inventory; fetched: OrgApps }> => {
  const { orgError, retrieveApps } = await import('../adapters/org.js');
  const fetched = await step(`Retrieving ${names ? `${names.length} app(s)` : 'every External Client App'}`, async () => {
    try {
      return await retrieveApps(conn, names, timing);
    } catch (e) {
      const err = orgError(e, what);
      if (err.exitCode === 1) err.exitCode = ORG_ERROR_EXIT;
      throw err;
    }
  });
  return { inventory: buildInventory(fetched.sources), fetched };
};

export type BaselineRequest = {
  readonly orgId: string;
  readonly names: readonly string[] | undefined;
  /** The baseline file, as given (relative to cwd, or absolute). */
  readonly outputFile: string;
  readonly cwd: string;
  readonly force: boolean;
  readonly timing: Timing;
  /** When the baseline is taken (ISO 8601). */
  readonly capturedAt: string;
};

export type BaselineRun = {
  readonly baseline: Baseline;
  readonly file: string;
  /** An existing file was replaced (--force). */
  readonly overwritten: boolean;
};

export const takeBaseline = async (conn: Connection, request: BaselineRequest, step: Step): Promise<BaselineRun> => {
  const abs = resolve(request.cwd, request.outputFile);
  const existed = existsSync(abs);
  // Refused before anything is asked of the org; commitChanges checks again when it writes.
  if (existed && !request.force) throw new BaselineRefused({ kind: 'Exists', file: request.outputFile });
  const { inventory, fetched } = await retrieveOrgInventory(conn, request.names, request.timing, step, 'retrieving the apps for the baseline');
  if (fetched.missing.length > 0) throw new BaselineRefused({ kind: 'NotInOrg', missing: fetched.missing, known: fetched.orgAppNames });
  const baseline = buildBaseline(inventory, { id: request.orgId, apiVersion: conn.getApiVersion() }, request.capturedAt, request.names);
  const set = creations([{ path: request.outputFile, text: serializeBaseline(baseline), description: 'baseline of the org\'s External Client Apps' }], 'baseline');
  try {
    // No project root: a baseline may be written anywhere (temporaries go beside it).
    commitChanges(set, { cwd: request.cwd, root: undefined, overwrite: request.force });
  } catch (e) {
    if (e instanceof Error && e.name === 'FileExistsError') throw new BaselineRefused({ kind: 'Exists', file: request.outputFile });
    throw e;
  }
  return { baseline, file: request.outputFile, overwritten: existed };
};

/** Reads a baseline file; an unreadable, non-JSON or wrong-format file is an InvalidBaseline naming it. */
export const readBaseline = (file: string, cwd: string): Baseline => {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new InvalidBaseline(file, `it cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseBaseline(text, file);
};
