/*
 * Applies the fixes that findings carry, through the lossless codec: only the touched lines change.
 * Pure: returns the new text of each changed file; the caller writes them.
 */
import type { MetadataFile } from '../model/file.js';
import { ECA_FILE_KINDS, type Inventory } from '../project/inventory.js';
import type { Finding, Fix, FixEdit } from './types.js';

export type FileChange = {
  readonly path: string;
  readonly before: string;
  readonly after: string;
  /** Descriptions of the fixes applied to this file, with their rule ids. */
  readonly applied: ReadonlyArray<{ readonly ruleId: string; readonly description: string }>;
};

export type FixOutcome = {
  readonly changes: readonly FileChange[];
  /** Findings with a fix that was not applied, and why. */
  readonly skipped: ReadonlyArray<{ readonly finding: Finding; readonly reason: string }>;
};

export type FixOptions = {
  /** Apply fixes that remove committed secrets. */
  readonly removeSecrets?: boolean;
};

/** Applies one edit to a file (through the lossless codec). */
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
  if (!parent) throw new Error(`no ${edit.element} #${(edit.index ?? 0) + 1}`);
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

/** Every file of an inventory by its path. */
export const filesByPath = (inventory: Inventory): Map<string, MetadataFile> => {
  const files = new Map<string, MetadataFile>();
  for (const app of inventory.apps) for (const k of ECA_FILE_KINDS) for (const f of app.files[k]) files.set(f.path, f);
  for (const ca of inventory.connectedApps) files.set(ca.file.path, ca.file);
  return files;
};

/**
 * Applies planned edits, each labelled (rule id, or the flag that asked for it), to the files they
 * name; returns the files whose text changed. Edits to unknown paths are returned apart.
 */
export const applyEdits = (
  files: ReadonlyMap<string, MetadataFile>,
  planned: ReadonlyArray<{ readonly label: string; readonly fix: Fix }>
): { changes: FileChange[]; unknownPaths: string[] } => {
  const before = new Map<string, string>();
  const applied = new Map<string, Array<{ ruleId: string; description: string }>>();
  const unknownPaths: string[] = [];
  for (const { label, fix } of planned) {
    const file = files.get(fix.path);
    if (!file) {
      unknownPaths.push(fix.path);
      continue;
    }
    if (!before.has(fix.path)) before.set(fix.path, file.source);
    for (const edit of fix.edits) applyEdit(file, edit);
    const list = applied.get(fix.path) ?? [];
    list.push({ ruleId: label, description: fix.description });
    applied.set(fix.path, list);
  }
  const changes: FileChange[] = [];
  for (const [path, original] of before) {
    const after = (files.get(path) as MetadataFile).source;
    if (after !== original) changes.push({ path, before: original, after, applied: applied.get(path) ?? [] });
  }
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { changes, unknownPaths };
};

/** Applies the fixes of the given findings (skipping waived ones); returns the files that changed. */
export const applyFixes = (inventory: Inventory, findings: readonly Finding[], options: FixOptions = {}): FixOutcome => {
  const files = filesByPath(inventory);
  const skipped: Array<{ finding: Finding; reason: string }> = [];
  const planned: Array<{ label: string; fix: Fix }> = [];
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix) continue;
    if (finding.waived) skipped.push({ finding, reason: `waived: ${finding.waived.reason}` });
    else if (fix.requires === 'remove-secrets' && !options.removeSecrets) {
      skipped.push({ finding, reason: 'removing a committed secret needs --remove-secrets' });
    } else if (!files.has(fix.path)) skipped.push({ finding, reason: `${fix.path} is not part of the project` });
    else planned.push({ label: finding.ruleId, fix });
  }
  return { changes: applyEdits(files, planned).changes, skipped };
};
