/*
 * The change pipeline's pure half: a plan is a change set (the new text of each file, and new files),
 * computed on working copies so that no loaded file is ever mutated. Edits of one plan are merged per
 * element: two fixes that want different values for one element never both "apply"; the later one is
 * deferred (the caller re-plans on the result, so it is judged again against the new value).
 */
import { isProblem, MetadataFile, type Problem } from '../model/file.js';
import type { Fix, FixEdit } from '../rules/types.js';

/** What was applied to a file, and why (a rule id, or the flag that asked for it). */
export type Applied = { readonly label: string; readonly description: string };

/** One file of a change set: `before` is undefined for a new file. */
export type FileChange = {
  readonly path: string;
  readonly before: string | undefined;
  readonly after: string;
  readonly applied: readonly Applied[];
};

export type ChangeSet = {
  readonly changes: readonly FileChange[];
  /** Planned edits not applied because an earlier edit of this plan set the same element otherwise. */
  readonly deferred: ReadonlyArray<{ readonly label: string; readonly path: string; readonly element: string }>;
};

/** A change set that changes nothing. */
export const NO_CHANGES: ChangeSet = { changes: [], deferred: [] };

export type PlannedFix = { readonly label: string; readonly fix: Fix };

/** Applies one edit to a working file (through the lossless codec). */
export const applyEdit = (file: MetadataFile, edit: FixEdit): void => {
  if (edit.op === 'add') {
    file.add(edit.node);
    return;
  }
  if (edit.index === undefined && edit.child === undefined) {
    if (edit.op === 'set') file.set(edit.element, edit.value);
    else file.remove(edit.element);
    return;
  }
  const parent = file.elements(edit.element)[edit.index ?? 0];
  if (!parent) return; // the element is gone already (another edit of the plan removed it)
  if (edit.child === undefined) {
    if (edit.op === 'remove') file.removeElement(parent);
    else throw new Error('a value can only be set on a leaf element');
    return;
  }
  const target = parent.children.find((c) => c.name === edit.child);
  if (edit.op === 'remove') {
    if (target) file.removeElement(target);
  } else if (target) {
    file.setElement(target, edit.value);
  } else {
    file.add({ name: edit.child, value: edit.value }, parent);
  }
};


const byPath = <T extends { readonly path: string }>(a: T, b: T): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The element an edit lands on, and the value it leaves there ('' for a removal). */
const target = (edit: FixEdit): { key: string; value: string } | undefined => {
  if (edit.op === 'add') return undefined; // additions of repeated elements never collide
  const key = `${edit.element}#${edit.index ?? '*'}/${edit.child ?? ''}`;
  return { key, value: edit.op === 'set' ? edit.value : '\u0000removed' };
};

/**
 * Plans edits over files (never mutating them): returns the change set. `created` are new files
 * (rendered already); edits may name them too.
 */
export const planEdits = (
  files: ReadonlyMap<string, MetadataFile>,
  planned: readonly PlannedFix[],
  created: readonly MetadataFile[] = []
): ChangeSet => {
  const working = new Map<string, MetadataFile>();
  const original = new Map<string, string | undefined>();
  for (const f of created) {
    working.set(f.path, f.copy());
    original.set(f.path, undefined);
  }
  const applied = new Map<string, Applied[]>();
  const claimed = new Map<string, string>();
  const deferred: Array<{ label: string; path: string; element: string }> = [];
  for (const { label, fix } of planned) {
    let file = working.get(fix.path);
    if (!file) {
      const loaded = files.get(fix.path);
      if (!loaded) continue; // a fix of a file outside the plan (selectFixes keeps to known files)
      file = loaded.copy();
      working.set(fix.path, file);
      original.set(fix.path, loaded.source);
    }
    const clash = fix.edits
      .map(target)
      .find((t) => t !== undefined && claimed.has(`${fix.path}|${t.key}`) && claimed.get(`${fix.path}|${t.key}`) !== t.value);
    if (clash) {
      deferred.push({ label, path: fix.path, element: clash.key.slice(0, clash.key.indexOf('#')) });
      continue;
    }
    for (const edit of fix.edits) {
      const t = target(edit);
      if (t) claimed.set(`${fix.path}|${t.key}`, t.value);
      applyEdit(file, edit);
    }
    const list = applied.get(fix.path) ?? [];
    list.push({ label, description: fix.description });
    applied.set(fix.path, list);
  }
  const changes: FileChange[] = [];
  for (const [path, before] of original) {
    const after = (working.get(path) as MetadataFile).source;
    if (after !== before) changes.push({ path, before, after, applied: applied.get(path) ?? [] });
  }
  return { changes: changes.sort(byPath), deferred };
};

/** Combines two change sets planned one after the other (the second on the first's result). */
export const chain = (first: ChangeSet, second: ChangeSet): ChangeSet => {
  const merged = new Map<string, FileChange>(first.changes.map((c) => [c.path, c]));
  for (const c of second.changes) {
    const earlier = merged.get(c.path);
    merged.set(c.path, earlier ? { path: c.path, before: earlier.before, after: c.after, applied: [...earlier.applied, ...c.applied] } : c);
  }
  const changes = [...merged.values()].filter((c) => c.after !== c.before).sort(byPath);
  return { changes, deferred: second.deferred };
};

/** The texts a change set leaves, by path (for re-checking the result). */
export const resultTexts = (set: ChangeSet): Map<string, string> => new Map(set.changes.map((c) => [c.path, c.after]));

/**
 * Every file a change set would write must read back: the commit step refuses to write a file the
 * reader would refuse (malformed XML, a forbidden character, the wrong root).
 */
export const unreadableResults = (set: ChangeSet): Problem[] => {
  const problems: Problem[] = [];
  for (const c of set.changes) {
    const read = MetadataFile.read(c.path, c.after);
    // Files that are not metadata (.forceignore) are written as they are.
    if (isProblem(read) && read.code !== 'UnknownFileType') problems.push(read);
  }
  return problems;
};

/** A change set of new files only (generate, migrate, a retrieve's new files). */
export const creations = (files: ReadonlyArray<{ readonly path: string; readonly text: string; readonly description?: string }>, label: string): ChangeSet => ({
  changes: files.map((f) => ({ path: f.path, before: undefined, after: f.text, applied: [{ label, description: f.description ?? 'new file' }] })).sort(byPath),
  deferred: [],
});

/** Joins change sets that touch different files. */
export const union = (...sets: readonly ChangeSet[]): ChangeSet => ({
  changes: sets.flatMap((s) => s.changes).sort(byPath),
  deferred: sets.flatMap((s) => s.deferred),
});
