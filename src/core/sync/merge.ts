/*
 * Source ↔ org: the edits that make a local file say what the org's copy says (so a retrieve changes
 * only the lines whose content differs), and the field-by-field differences `diff` reports.
 * Secrets never travel: the consumer secret of a retrieved file is left out.
 */
import type { MetadataFile } from '../model/file.js';
import { ECA_FILE_KINDS, fileOf, type Inventory } from '../project/inventory.js';
import { localName, secretElementNamesOf } from '../model/secrets.js';
import { fieldOf, type TypeDef } from '../model/schema.js';
import type { FixEdit } from '../rules/types.js';
import type { NewElement } from '../xml/edit.js';
import type { XmlElement } from '../xml/parse.js';

/** Elements whose values differ from org to org (or are credentials): never compared. */
export const ORG_SPECIFIC_ELEMENTS: ReadonlySet<string> = new Set(['oauthLink', 'orgScopedExternalApp', 'consumerKey', 'consumerSecret']);


const toNew = (el: XmlElement): NewElement =>
  el.text !== undefined ? { name: el.name, value: el.text } : { name: el.name, children: el.children.map(toNew) };

/** A canonical text of an element, to compare repeated or nested elements (whitespace between elements and credentials ignored). */
const canonical = (el: XmlElement, secrets: ReadonlySet<string>): string =>
  el.text !== undefined
    ? `<${el.name}>${el.text.trim()}`
    : `<${el.name}>[${el.children
        .filter((c) => !secrets.has(localName(c.name)))
        .map((c) => canonical(c, secrets))
        .join(',')}]`;

/** The org's element as a new one, with the credentials the local one holds kept (a retrieve never removes them: only --remove-secrets does). */
const withLocalSecrets = (theirs: XmlElement, mine: XmlElement | undefined, secrets: ReadonlySet<string>): NewElement => {
  const node = toNew(theirs);
  const kept = (mine?.children ?? []).filter((c) => secrets.has(localName(c.name)) && !theirs.children.some((t) => t.name === c.name));
  return kept.length === 0 ? node : { ...node, children: [...(node.children ?? []), ...kept.map(toNew)].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1)) };
};

export type MergeOptions = {
  /** Keep these elements of the local file as they are (e.g. org-specific ids when merging across orgs). */
  readonly keepLocal?: ReadonlySet<string>;
};

/**
 * Edits that turn `local` into the content of `remote` (another parse of the same type), leaving
 * secrets out: leaf values are set in place, missing leaves added where Salesforce would put them,
 * extra ones removed; a repeated or nested element is replaced as a group only when the group differs.
 */
export const mergeEdits = (local: MetadataFile, remote: MetadataFile, options: MergeOptions = {}): FixEdit[] => {
  const edits: FixEdit[] = [];
  const secrets = secretElementNamesOf(local.type);
  const names = [...new Set([...local.root.children.map((c) => c.name), ...remote.root.children.map((c) => c.name)])];
  for (const name of names) {
    if (secrets.has(localName(name)) || options.keepLocal?.has(name)) continue;
    const mine = local.elements(name);
    const theirs = remote.elements(name);
    const field = fieldOf(local.type, name);
    const leaf = mine.every((e) => e.text !== undefined) && theirs.every((e) => e.text !== undefined);
    if (leaf && !field?.repeated && mine.length <= 1 && theirs.length <= 1) {
      const a = mine[0]?.text;
      const b = theirs[0]?.text;
      if (b === undefined && a !== undefined) edits.push({ op: 'remove', element: name });
      else if (b !== undefined && a?.trim() !== b.trim()) edits.push({ op: 'set', element: name, value: b.trim() });
      continue;
    }
    if (mine.map((e) => canonical(e, secrets)).join('|') === theirs.map((e) => canonical(e, secrets)).join('|')) continue;
    if (mine.length > 0) edits.push({ op: 'remove', element: name });
    theirs.forEach((el, i) => edits.push({ op: 'add', node: withLocalSecrets(el, mine[i], secrets) }));
  }
  return edits;
};

/** A copy of a retrieved file with its secrets (consumer secret, push credentials) left out; `removed` names what was left out. */
export const withoutSecrets = (file: MetadataFile): { file: MetadataFile; removed: string[] } => {
  const copy = file.copy();
  const removed: string[] = [];
  const secrets = secretElementNamesOf(file.type);
  // By local name, at any depth: a prefixed or nested secret never reaches the disk either.
  const find = (el: XmlElement): XmlElement | undefined => {
    for (const c of el.children) {
      if (secrets.has(localName(c.name))) return c;
      const deeper = find(c);
      if (deeper) return deeper;
    }
    return undefined;
  };
  for (let el = find(copy.root); el; el = find(copy.root)) {
    if (!removed.includes(localName(el.name))) removed.push(localName(el.name));
    copy.removeElement(el);
  }
  return { file: copy, removed };
};

export type FieldDifference = {
  /** Element path, e.g. ipRelaxationPolicyType or trustedIpRanges[2]/startIpAddress. */
  readonly element: string;
  readonly local: string | undefined;
  readonly org: string | undefined;
};

const flatten = (type: TypeDef, root: XmlElement): Map<string, string> => {
  const out = new Map<string, string>();
  const counts = new Map<string, number>();
  // Credentials (the consumer secret, push credentials at any depth) are never compared, so never shown.
  const secrets = secretElementNamesOf(type);
  const walk = (el: XmlElement, prefix: string): void => {
    if (secrets.has(localName(el.name))) return;
    if (el.text !== undefined) {
      out.set(prefix, el.text.trim());
      return;
    }
    for (const c of el.children) walk(c, `${prefix}/${c.name}`);
  };
  for (const el of root.children) {
    if (ORG_SPECIFIC_ELEMENTS.has(el.name)) continue;
    const n = (counts.get(el.name) ?? 0) + 1;
    counts.set(el.name, n);
    const repeated = fieldOf(type, el.name)?.repeated === true || root.children.filter((c) => c.name === el.name).length > 1;
    walk(el, repeated ? `${el.name}[${n}]` : el.name);
  }
  return out;
};

/** A file's fields by element path (trustedIpRanges[2]/startIpAddress), as compareFiles compares them: credentials and org-specific ids left out. */
export const fieldsOf = (file: MetadataFile): ReadonlyMap<string, string> => flatten(file.type, file.root);

/** Field-by-field differences between a local file and the org's copy (org-specific ids and secrets ignored). */
export const compareFiles = (local: MetadataFile | undefined, org: MetadataFile | undefined): FieldDifference[] => {
  const type = (local ?? org)?.type;
  if (!type) return [];
  const a = local ? flatten(type, local.root) : new Map<string, string>();
  const b = org ? flatten(type, org.root) : new Map<string, string>();
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.filter((k) => a.get(k) !== b.get(k)).map((k) => ({ element: k, local: a.get(k), org: b.get(k) }));
};

/** One difference between the project and the org, as `diff` reports it. */
export type EcaDifference = {
  app: string;
  /** Which file: header, globalOauth, oauth, oauthPolicies, policies. */
  kind: string;
  localPath?: string;
  /** The org's name of the file. */
  orgName?: string;
  /** Element path, or "(file)" when the file exists on one side only, or "(app)" for a whole app. */
  element: string;
  local?: string;
  org?: string;
};

/** Field-by-field differences of the named apps between the project and the org (a whole app or file on one side only, too). */
export const compareApps = (local: Inventory, remote: Inventory, names: readonly string[]): EcaDifference[] => {
  const differences: EcaDifference[] = [];
  for (const name of names) {
    const mine = local.apps.find((a) => a.name === name);
    const theirs = remote.apps.find((a) => a.name === name);
    if (!theirs) {
      differences.push({ app: name, kind: 'header', element: '(app)', local: 'in the project', org: 'not in the org' });
      continue;
    }
    if (!mine) {
      differences.push({ app: name, kind: 'header', element: '(app)', local: 'not in the project', org: 'in the org' });
      continue;
    }
    for (const kind of ECA_FILE_KINDS) {
      const a = fileOf(mine, kind);
      const b = fileOf(theirs, kind);
      if (!a && !b) continue;
      const where = { app: name, kind, ...(a ? { localPath: a.path } : {}), ...(b ? { orgName: b.fullName } : {}) };
      if (!a || !b) {
        differences.push({ ...where, element: '(file)', local: a ? 'present' : 'missing', org: b ? 'present' : 'missing' });
        continue;
      }
      for (const d of compareFiles(a, b)) differences.push({ ...where, element: d.element, ...(d.local !== undefined ? { local: d.local } : {}), ...(d.org !== undefined ? { org: d.org } : {}) });
    }
  }
  return differences;
};
