/*
 * Applies the fixes that findings carry, through the lossless codec: only the touched lines change.
 * Pure: returns the new text of each changed file; the caller writes them.
 */
import type { MetadataFile } from '../model/file.js';
import { ECA_FILE_KINDS, type Inventory } from '../project/inventory.js';
import type { Finding, FixEdit } from './types.js';

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

const applyEdit = (file: MetadataFile, edit: FixEdit): void => {
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

/** Applies the fixes of the given findings (skipping waived ones); returns the files that changed. */
export const applyFixes = (inventory: Inventory, findings: readonly Finding[], options: FixOptions = {}): FixOutcome => {
  const files = new Map<string, MetadataFile>();
  for (const app of inventory.apps) for (const k of ECA_FILE_KINDS) for (const f of app.files[k]) files.set(f.path, f);
  for (const ca of inventory.connectedApps) files.set(ca.file.path, ca.file);
  const before = new Map<string, string>();
  const applied = new Map<string, Array<{ ruleId: string; description: string }>>();
  const skipped: Array<{ finding: Finding; reason: string }> = [];
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix) continue;
    if (finding.waived) {
      skipped.push({ finding, reason: `waived: ${finding.waived.reason}` });
      continue;
    }
    if (fix.requires === 'remove-secrets' && !options.removeSecrets) {
      skipped.push({ finding, reason: 'removing a committed secret needs --remove-secrets' });
      continue;
    }
    const file = files.get(fix.path);
    if (!file) {
      skipped.push({ finding, reason: `${fix.path} is not part of the project` });
      continue;
    }
    if (!before.has(fix.path)) before.set(fix.path, file.source);
    for (const edit of fix.edits) applyEdit(file, edit);
    const list = applied.get(fix.path) ?? [];
    list.push({ ruleId: finding.ruleId, description: fix.description });
    applied.set(fix.path, list);
  }
  const changes: FileChange[] = [];
  for (const [path, original] of before) {
    const after = (files.get(path) as MetadataFile).source;
    if (after !== original) changes.push({ path, before: original, after, applied: applied.get(path) ?? [] });
  }
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { changes, skipped };
};
