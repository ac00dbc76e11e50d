/*
 * Which fixes a run applies, and how one edit lands on a (working) file through the lossless codec.
 * Planning the edits into a change set is the change pipeline's (src/core/change/plan.ts).
 */
import type { MetadataFile } from '../model/file.js';
import { ECA_FILE_KINDS, type Inventory } from '../project/inventory.js';
import { planEdits, type FileChange, type PlannedFix } from '../change/plan.js';
import type { Finding } from './types.js';

export type FixOptions = {
  /** Apply fixes that remove committed secrets. */
  readonly removeSecrets?: boolean;
  /** Apply fixes that clients would notice (they must change before the fix is deployed). */
  readonly includeBreaking?: boolean;
};

/** Why a fixable finding is not fixed in this run. */
export type Skipped = { readonly finding: Finding; readonly reason: string; readonly flag?: '--remove-secrets' | '--include-breaking' };

/** Every file of an inventory by its path. */
export const filesByPath = (inventory: Inventory): Map<string, MetadataFile> => {
  const files = new Map<string, MetadataFile>();
  for (const app of inventory.apps) for (const k of ECA_FILE_KINDS) for (const f of app.files[k]) files.set(f.path, f);
  for (const ca of inventory.connectedApps) files.set(ca.file.path, ca.file);
  for (const f of inventory.orgSettings) files.set(f.path, f);
  return files;
};

/** A fix clients would notice: applied only with --include-breaking. */
export const isBreaking = (finding: Finding): boolean => finding.fix?.class === 'breaking';

/**
 * The fixes a run applies, in the order of the findings, and the fixable findings it leaves
 * (waived, or needing a flag that was not given).
 */
export const selectFixes = (findings: readonly Finding[], options: FixOptions = {}): { planned: PlannedFix[]; skipped: Skipped[] } => {
  const skipped: Skipped[] = [];
  const planned: PlannedFix[] = [];
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix) continue;
    if (finding.waived) skipped.push({ finding, reason: `waived: ${finding.waived.reason}` });
    else if (fix.requires === 'remove-secrets' && !options.removeSecrets) {
      skipped.push({ finding, reason: 'removing a committed secret needs --remove-secrets', flag: '--remove-secrets' });
    } else if (fix.requires !== 'remove-secrets' && isBreaking(finding) && !options.includeBreaking) {
      skipped.push({ finding, reason: 'clients would notice this change: it needs --include-breaking', flag: '--include-breaking' });
    } else planned.push({ label: finding.ruleId, fix });
  }
  return { planned, skipped };
};

/** The fixes of these findings that the options allow, planned on the inventory's files (a change set's changes). */
export const applyFixes = (inventory: Inventory, findings: readonly Finding[], options: FixOptions = {}): { changes: readonly FileChange[]; skipped: Skipped[] } => {
  const { planned, skipped } = selectFixes(findings, options);
  return { changes: planEdits(filesByPath(inventory), planned).changes, skipped };
};
