/*
 * Baselines: a committed, reviewable record of what an org's External Client Apps said when it was taken
 * (`sf eca baseline`), and the field-by-field comparison of a baseline with the org as it is now
 * (`sf eca diff --baseline`; `audit --baseline` reuses `compareBaseline`).
 *
 * A baseline holds no credential: no consumer secret, no consumer key, no push credentials (every field the
 * schema marks secret or sensitive, at any depth), no private key anywhere, and no org-specific ids
 * (ORG_SPECIFIC_ELEMENTS). Element paths are the ones `compareFiles` reports (`trustedIpRanges[2]/startIpAddress`).
 * The text is JSON with a stable key order (apps by name, files in ECA_FILE_KINDS order, fields sorted),
 * 2-space indentation and a trailing newline, so that a git diff of two baselines reads field by field.
 */
import type { MetadataFile } from '../model/file.js';
import type { FieldDef, TypeDef } from '../model/schema.js';
import { typeByKind } from '../model/schema.js';
import { containsPrivateKey, localName, PRIVATE_KEY_PLACEHOLDER, secretElementNamesOf } from '../model/secrets.js';
import { ECA_FILE_KINDS, fileOf, type EcaFileKind, type Inventory } from '../project/inventory.js';
import { type EcaDifference, fieldsOf } from './merge.js';

export const BASELINE_FORMAT = 'eca-baseline/1';

/**
 * File kinds the org exposes only through a Metadata API retrieve (no SOQL or Tooling query): the global
 * OAuth settings (callback URL, PKCE, optional secret, named-user JWT). What a baseline says of them is
 * known only from the retrieve it was taken with.
 */
export const NOT_QUERYABLE_KINDS: ReadonlySet<EcaFileKind> = new Set(['globalOauth']);

/** The note a difference in a file that is not queryable carries. */
export const NOT_QUERYABLE_NOTE = 'known only from the last retrieve (not queryable)';

/** One file of an app as the baseline records it. */
export type BaselineFile = {
  /** The Metadata API type (the file's root element). */
  readonly type: string;
  /** The org's name of the file. */
  readonly fullName: string;
  /** False for the global OAuth settings: the org exposes them only through a Metadata API retrieve. */
  readonly queryable: boolean;
  /** Element path → value, as compareFiles flattens them; credentials and org-specific ids left out. */
  readonly fields: Readonly<Record<string, string>>;
};

export type BaselineApp = Readonly<Partial<Record<EcaFileKind, BaselineFile>>>;

export type Baseline = {
  readonly format: typeof BASELINE_FORMAT;
  /** The org it was taken from: its 15-character id and the API version of the retrieve. */
  readonly org: { readonly id: string; readonly apiVersion: string };
  /** When it was taken (ISO 8601). */
  readonly capturedAt: string;
  readonly apps: Readonly<Record<string, BaselineApp>>;
};

/** A difference between a baseline and the org: `local` is the baseline's value, `org` the org's now. */
export type BaselineDifference = EcaDifference & {
  readonly against: 'baseline';
  /** The baseline's name of the file, when it differs from the org's or the org has none. */
  readonly baselineName?: string;
  /** E.g. that the value is known only from the last retrieve (the global OAuth settings). */
  readonly note?: string;
};

/** A baseline file that cannot be used: names the file and what is wrong with it. */
export class InvalidBaseline extends Error {
  public constructor(public readonly file: string, public readonly detail: string) {
    super(`${file} is not a usable baseline: ${detail}.`);
    this.name = 'InvalidBaseline';
  }
}

/** Names that never reach a baseline, at any depth: the type's secrets, and what the schema marks secret or sensitive. */
const excludedNamesOf = (type: TypeDef): ReadonlySet<string> => {
  const names = new Set<string>([...secretElementNamesOf(type), 'consumerKey', 'consumerSecret']);
  const walk = (fields: readonly FieldDef[]): void => {
    for (const f of fields) {
      if (f.secret === true || f.sensitive === true) names.add(f.name);
      if (f.children) walk(f.children);
    }
  };
  walk(type.fields);
  return names;
};

/** The segments of an element path, without their [n] index and namespace prefix. */
const segmentsOf = (path: string): string[] => path.split('/').map((s) => localName(s.replace(/\[\d+\]$/, '')));

/**
 * A file's fields as a baseline records them: the element paths and values compareFiles compares (secrets and
 * org-specific ids already left out), without any field marked sensitive (the consumer key) at any depth; a value
 * holding a private key is replaced by a placeholder.
 */
export const baselineFieldsOf = (file: MetadataFile): Record<string, string> => {
  const excluded = excludedNamesOf(file.type);
  const out: Record<string, string> = {};
  const fields = fieldsOf(file);
  for (const element of [...fields.keys()].sort()) {
    const value = fields.get(element) as string;
    if (segmentsOf(element).some((s) => excluded.has(s))) continue;
    out[element] = containsPrivateKey(value) ? PRIVATE_KEY_PLACEHOLDER : value;
  }
  return out;
};

const baselineFileOf = (kind: EcaFileKind, file: MetadataFile): BaselineFile => ({
  type: file.type.name,
  fullName: file.fullName,
  queryable: !NOT_QUERYABLE_KINDS.has(kind),
  fields: baselineFieldsOf(file),
});

const appEntryOf = (app: Inventory['apps'][number]): BaselineApp => {
  const entry: Partial<Record<EcaFileKind, BaselineFile>> = {};
  for (const kind of ECA_FILE_KINDS) {
    const file = fileOf(app, kind);
    if (file) entry[kind] = baselineFileOf(kind, file);
  }
  return entry;
};

/** The baseline of an inventory (the org's files, retrieved): every app, or the named ones, that are not orphans. */
export const buildBaseline = (
  inventory: Inventory,
  org: { readonly id: string; readonly apiVersion: string },
  capturedAt: string,
  names?: readonly string[]
): Baseline => {
  const apps = inventory.apps
    .filter((a) => !a.orphan && (names === undefined || names.includes(a.name)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    format: BASELINE_FORMAT,
    org: { id: org.id.slice(0, 15), apiVersion: org.apiVersion },
    capturedAt,
    apps: Object.fromEntries(apps.map((a) => [a.name, appEntryOf(a)])),
  };
};

const sortedKeys = <T>(record: Readonly<Record<string, T>>): Record<string, T> =>
  Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k] as T]));

/** The text of a baseline: stable key order, 2-space indentation, a trailing newline. */
export const serializeBaseline = (baseline: Baseline): string => {
  const apps = Object.fromEntries(
    Object.keys(baseline.apps)
      .sort()
      .map((name) => {
        const app = baseline.apps[name] as BaselineApp;
        const files = ECA_FILE_KINDS.flatMap((kind) => {
          const f = app[kind];
          return f ? [[kind, { type: f.type, fullName: f.fullName, queryable: f.queryable, fields: sortedKeys(f.fields) }] as const] : [];
        });
        return [name, Object.fromEntries(files)];
      })
  );
  return `${JSON.stringify({ format: baseline.format, org: { id: baseline.org.id, apiVersion: baseline.org.apiVersion }, capturedAt: baseline.capturedAt, apps }, null, 2)}\n`;
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads and validates a baseline's text; `file` names it in every error (InvalidBaseline): not JSON, another
 * format, or a part of the wrong shape (named by its JSON path).
 */
export const parseBaseline = (text: string, file: string): Baseline => {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InvalidBaseline(file, `it is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  /** `where` is a JSON path (apps.Order_Sync.oauth.fields), quoted in the message. */
  const bad = (where: string, what: string): never => {
    throw new InvalidBaseline(file, `${where === '' ? 'the file' : `"${where}"`} ${what}`);
  };
  if (!isRecord(data)) return bad('', 'must hold a JSON object');
  if (data.format !== BASELINE_FORMAT) {
    return bad('format', `is ${data.format === undefined ? 'missing' : JSON.stringify(data.format)}, expected "${BASELINE_FORMAT}" (a file written by sf eca baseline)`);
  }
  const org = data.org;
  if (!isRecord(org)) return bad('org', 'must be an object with "id" and "apiVersion"');
  if (typeof org.id !== 'string' || !/^00D[0-9A-Za-z]{12}$/.test(org.id)) bad('org.id', 'must be a 15-character org id (00D…)');
  if (typeof org.apiVersion !== 'string' || !/^\d+\.\d$/.test(org.apiVersion)) bad('org.apiVersion', 'must be an API version such as "66.0"');
  if (typeof data.capturedAt !== 'string' || Number.isNaN(Date.parse(data.capturedAt))) bad('capturedAt', 'must be an ISO 8601 date and time');
  if (!isRecord(data.apps)) return bad('apps', 'must be an object of apps by name');
  const apps: Record<string, BaselineApp> = {};
  for (const [name, app] of Object.entries(data.apps)) {
    const at = `apps.${name}`;
    if (!/^[A-Za-z]\w*$/.test(name)) bad(at, 'is not an app API name');
    if (!isRecord(app)) return bad(at, 'must be an object of files by kind');
    const entry: Partial<Record<EcaFileKind, BaselineFile>> = {};
    for (const [kind, f] of Object.entries(app)) {
      const where = `apps.${name}.${kind}`;
      if (!(ECA_FILE_KINDS as readonly string[]).includes(kind)) bad(where, `is not a file kind (one of ${ECA_FILE_KINDS.join(', ')})`);
      if (!isRecord(f)) return bad(where, 'must be an object with type, fullName, queryable and fields');
      const type = typeByKind(kind as EcaFileKind).name;
      if (f.type !== type) bad(`${where}.type`, `must be "${type}"`);
      if (typeof f.fullName !== 'string' || f.fullName === '') bad(`${where}.fullName`, 'must be the file\'s name in the org');
      if (typeof f.queryable !== 'boolean') bad(`${where}.queryable`, 'must be true or false');
      if (!isRecord(f.fields)) return bad(`${where}.fields`, 'must be an object of element paths and values');
      for (const [path, value] of Object.entries(f.fields)) {
        if (typeof value !== 'string') bad(`${where}.fields.${path}`, 'must be a string');
      }
      entry[kind as EcaFileKind] = { type, fullName: f.fullName as string, queryable: f.queryable as boolean, fields: f.fields as Record<string, string> };
    }
    apps[name] = entry;
  }
  return { format: BASELINE_FORMAT, org: { id: org.id as string, apiVersion: org.apiVersion as string }, capturedAt: data.capturedAt as string, apps };
};

/**
 * Field-by-field differences between a baseline and an inventory of the org as it is now (retrieved): values,
 * files and whole apps on one side only. `names` limits what is reported (default: every app of either side).
 * The org's side is read the way the baseline was written (baselineFieldsOf), so a credential of the org is never
 * compared, never shown.
 */
export const compareBaseline = (baseline: Baseline, inventory: Inventory, names?: readonly string[]): BaselineDifference[] => {
  const current = new Map(inventory.apps.filter((a) => !a.orphan).map((a) => [a.name, a]));
  const all = names ? [...new Set(names)] : [...new Set([...Object.keys(baseline.apps), ...current.keys()])].sort();
  const differences: BaselineDifference[] = [];
  for (const name of all) {
    const before = Object.prototype.hasOwnProperty.call(baseline.apps, name) ? baseline.apps[name] : undefined;
    const now = current.get(name);
    if (!before && !now) continue;
    if (!before || !now) {
      differences.push({
        app: name,
        kind: 'header',
        element: '(app)',
        local: before ? 'in the baseline' : 'not in the baseline',
        org: now ? 'in the org' : 'not in the org',
        against: 'baseline',
      });
      continue;
    }
    for (const kind of ECA_FILE_KINDS) {
      const was = before[kind];
      const file = fileOf(now, kind);
      if (!was && !file) continue;
      const queryable = was ? was.queryable : !NOT_QUERYABLE_KINDS.has(kind);
      const where = {
        app: name,
        kind,
        ...(file ? { orgName: file.fullName } : {}),
        ...(was && was.fullName !== file?.fullName ? { baselineName: was.fullName } : {}),
        against: 'baseline' as const,
        ...(queryable ? {} : { note: NOT_QUERYABLE_NOTE }),
      };
      if (!was || !file) {
        differences.push({ ...where, element: '(file)', local: was ? 'present' : 'missing', org: file ? 'present' : 'missing' });
        continue;
      }
      if (was.fullName !== file.fullName) differences.push({ ...where, element: '(name)', local: was.fullName, org: file.fullName });
      const a = was.fields;
      const b = baselineFieldsOf(file);
      for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        const x = Object.prototype.hasOwnProperty.call(a, k) ? a[k] : undefined;
        const y = Object.prototype.hasOwnProperty.call(b, k) ? b[k] : undefined;
        if (x === y) continue;
        differences.push({ ...where, element: k, ...(x !== undefined ? { local: x } : {}), ...(y !== undefined ? { org: y } : {}) });
      }
    }
  }
  return differences;
};
