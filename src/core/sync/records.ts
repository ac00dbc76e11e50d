/*
 * The org's records of an app, before and after a write (pure):
 *
 *  - names: the org names an app's child records itself (the OAuth policies are created on the first
 *    deploy as `<Settings>_defaultPolicy`, or `<App>_oauthPlcy`, …; in a subscriber org without the
 *    app's namespace). A local file under another name than the org's record would be a second record
 *    (DUPLICATE_VALUE) or a component the org refuses ("Cannot create a new component with the
 *    namespace"): `nameMismatches` finds them before anything is sent.
 *  - what a deploy would reset: the org replaces the whole record, so a single-valued field the local
 *    file leaves out falls back to its default. `keptFromOrg` gives the edits that carry the org's
 *    value into the deployed copy; lists the file leaves out are only named (`droppedLists`): an
 *    empty list may be the point of the change.
 *  - read-back: `readBackDifferences` compares what was sent with what the org holds afterwards,
 *    field by field, on the fields that were sent.
 */
import type { MetadataFile } from '../model/file.js';
import { fieldOf } from '../model/schema.js';
import { localName, secretElementNamesOf } from '../model/secrets.js';
import { ECA_FILE_KINDS, type EcaApp, type EcaFileKind, type Inventory } from '../project/inventory.js';
import type { FixEdit } from '../rules/types.js';
import { compareFiles, ORG_SPECIFIC_ELEMENTS, type FieldDifference } from './merge.js';

/** A child record the org holds for an app, by its name (from a retrieve or an SOQL query). */
export type OrgRecordName = { readonly app: string; readonly kind: EcaFileKind; readonly fullName: string };

export type NameMismatch = {
  readonly app: string;
  readonly kind: EcaFileKind;
  /** The local file's display path. */
  readonly path: string;
  readonly localName: string;
  /** The org's name of the record. */
  readonly orgName: string;
  /** The path the file should have (same folder, the org's name). */
  readonly renameTo: string;
};

/** The namespace prefix of a name (`acme__App` → `acme`), if any. */
export const namespaceOf = (name: string): string | undefined => /^([A-Za-z][A-Za-z0-9]*?)__[A-Za-z]/.exec(name)?.[1];

/** A name without its namespace prefix. */
export const withoutNamespace = (name: string): string => {
  const ns = namespaceOf(name);
  return ns ? name.slice(ns.length + 2) : name;
};

/** The org's child records of an app in a retrieved inventory (the header is named by the app itself). */
export const recordNamesOf = (remote: Inventory): OrgRecordName[] =>
  remote.apps.flatMap((app) => ECA_FILE_KINDS.filter((k) => k !== 'header').flatMap((kind) => app.files[kind].map((f) => ({ app: app.name, kind, fullName: f.fullName }))));

const renamed = (path: string, from: string, to: string): string => {
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  return `${path.slice(0, slash + 1)}${to}${base.slice(from.length)}`;
};

/**
 * Local child files whose name differs from the org's record of the same app and kind. An app matches
 * the org's by name, or by its name without the namespace (a subscriber org's policies carry none).
 */
export const nameMismatches = (apps: readonly EcaApp[], org: readonly OrgRecordName[], kinds: readonly EcaFileKind[] = ECA_FILE_KINDS): NameMismatch[] => {
  const out: NameMismatch[] = [];
  for (const app of apps) {
    for (const kind of kinds) {
      if (kind === 'header') continue;
      const theirs = org.filter((r) => r.kind === kind && (r.app === app.name || withoutNamespace(r.app) === withoutNamespace(app.name)));
      if (theirs.length === 0) continue;
      for (const file of app.files[kind]) {
        if (theirs.some((r) => r.fullName === file.fullName)) continue;
        const orgName = (theirs[0] as OrgRecordName).fullName;
        out.push({ app: app.name, kind, path: file.path, localName: file.fullName, orgName, renameTo: renamed(file.path, file.fullName, orgName) });
      }
    }
  }
  return out;
};

const skipped = (file: MetadataFile): ReadonlySet<string> => new Set([...secretElementNamesOf(file.type), ...ORG_SPECIFIC_ELEMENTS]);

const isLeaf = (file: MetadataFile, name: string): boolean => {
  const els = file.elements(name);
  return els.length === 1 && els[0]?.text !== undefined && fieldOf(file.type, name)?.repeated !== true;
};

/**
 * Edits that carry into the deployed copy of `local` the org's value of every single-valued field the
 * file leaves out (which the deploy would otherwise reset to its default). Secrets and org-specific ids
 * are never carried.
 */
export const keptFromOrg = (local: MetadataFile, org: MetadataFile): FixEdit[] => {
  const skip = skipped(local);
  const have = new Set(local.root.children.map((c) => localName(c.name)));
  const edits: FixEdit[] = [];
  for (const el of org.root.children) {
    const name = localName(el.name);
    if (have.has(name) || skip.has(name) || !isLeaf(org, el.name) || el.text === undefined) continue;
    edits.push({ op: 'add', node: { name: el.name, value: el.text.trim() } });
  }
  return edits;
};

/** Lists (repeated or nested elements) the org holds and the local file leaves out: the deploy removes them. */
export const droppedLists = (local: MetadataFile, org: MetadataFile): string[] => {
  const skip = skipped(local);
  const have = new Set(local.root.children.map((c) => localName(c.name)));
  return [...new Set(org.root.children.map((c) => localName(c.name)))].filter((n) => !have.has(n) && !skip.has(n) && !isLeaf(org, n));
};

/**
 * What the org holds after a write, against what was sent: every sent field whose value the org does
 * not hold (fields the org adds itself, and secrets, are not differences).
 */
export const readBackDifferences = (sent: MetadataFile, org: MetadataFile | undefined): FieldDifference[] =>
  org ? compareFiles(sent, org).filter((d) => d.local !== undefined) : [{ element: '(file)', local: 'sent', org: undefined }];

export type ReadBackDifference = { readonly app: string; readonly path: string; readonly element: string; readonly sent?: string; readonly org?: string };
export type ReadBack = {
  /** Files compared with the org's copy after the write. */
  readonly files: number;
  /** Fields compared. */
  readonly fields: number;
  readonly differences: readonly ReadBackDifference[];
};

/** Every sent file against the org's copy of the same type and name, after a write. */
export const readBack = (sent: ReadonlyArray<{ readonly app: string; readonly path: string; readonly file: MetadataFile }>, org: readonly MetadataFile[]): ReadBack => {
  const differences: ReadBackDifference[] = [];
  let fields = 0;
  for (const { app, path, file } of sent) {
    const theirs = org.find((f) => f.type.name === file.type.name && f.fullName === file.fullName);
    fields += file.root.children.length;
    for (const d of readBackDifferences(file, theirs)) {
      differences.push({ app, path, element: d.element, ...(d.local !== undefined ? { sent: d.local } : {}), ...(d.org !== undefined ? { org: d.org } : {}) });
    }
  }
  return { files: sent.length, fields, differences };
};
