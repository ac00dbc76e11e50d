/*
 * The last step of the change pipeline: the project as a change set leaves it, checked again with
 * every rule, so nothing a change broke goes unseen.
 */
import type { Problem } from '../model/file.js';
import { buildInventory, type Inventory, type SourceText } from '../project/inventory.js';
import { runCheck, type CheckOptions, type CheckResult } from '../rules/engine.js';
import { filesByPath, selectFixes, type FixOptions, type Skipped } from '../rules/fix.js';
import type { RuleContext } from '../rules/types.js';
import { chain, NO_CHANGES, planEdits, resultTexts, type ChangeSet } from './plan.js';
import { scopeResult } from '../project/scope.js';

/** Problems the inventory computes from the files it groups (the others belong to files it never grouped). */
const RECOMPUTED: ReadonlySet<string> = new Set(['DuplicatePolicies', 'DuplicateFile', 'OrphanFile']);

/**
 * The inventory after a change: every readable file with its new text (new files added), and the
 * problems of the files that could not be read, which no change touches.
 */
export const inventoryAfter = (inventory: Inventory, set: ChangeSet, created: readonly SourceText[] = []): Inventory => {
  const texts = resultTexts(set);
  const sources = function* (): Generator<SourceText> {
    for (const f of filesByPath(inventory).values()) {
      yield { path: f.path, text: texts.get(f.path) ?? f.source, packageDir: f.packageDir, ignored: f.ignored };
    }
    for (const c of created) yield { ...c, text: texts.get(c.path) ?? c.text };
  };
  const rebuilt = buildInventory(sources(), inventory.selection ? { selection: inventory.selection } : {});
  const carried: Problem[] = inventory.problems.filter((p) => !RECOMPUTED.has(p.code));
  return { ...rebuilt, problems: [...rebuilt.problems, ...carried].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0))) };
};

export type FixPlan = {
  /** Everything the run changes (every round, merged). */
  readonly set: ChangeSet;
  /** The findings before any fix. */
  readonly before: CheckResult;
  /** Every rule on the result. */
  readonly after: CheckResult;
  /** Fixable findings left on the result, and why they were not fixed. */
  readonly skipped: readonly Skipped[];
};

const MAX_ROUNDS = 5;

/**
 * Fixes to a fixed point: check, apply the fixes the options allow (merged per element), check the
 * result again and fix what it still reports, until nothing changes. So one run leaves nothing a
 * second run would change, even when two rules fix one element.
 */
export const planFixes = (inventory: Inventory, context: RuleContext, options: CheckOptions & FixOptions = {}): FixPlan => {
  // A selection (--source-dir) limits what is fixed and reported; the whole project is still known.
  const scoped = (r: CheckResult): CheckResult => scopeResult(r, inventory);
  const before = scoped(runCheck(inventory, context, options));
  let set: ChangeSet = NO_CHANGES;
  let current = inventory;
  let findings = before;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { planned } = selectFixes(findings.findings, options);
    const step = planEdits(filesByPath(current), planned);
    if (step.changes.length === 0) break;
    set = chain(set, step);
    current = inventoryAfter(inventory, set);
    findings = scoped(runCheck(current, context, options));
  }
  const after = options.only ? scoped(runCheck(current, context, { configPath: options.configPath })) : findings;
  const skipped = selectFixes(findings.findings, options).skipped;
  return { set, before, after, skipped };
};
