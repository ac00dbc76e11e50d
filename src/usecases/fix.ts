/*
 * `eca fix`: plan every fix the flags allow to a fixed point, preview it, commit it, and re-check the
 * result — through the one change pipeline.
 */
import { commitChanges } from '../adapters/write.js';
import type { ChangeSet } from '../core/change/plan.js';
import { planFixes } from '../core/change/recheck.js';
import type { CheckResult } from '../core/rules/engine.js';
import type { Skipped } from '../core/rules/fix.js';
import type { Finding } from '../core/rules/types.js';
import { prepare, type Prepared } from '../cli/check.js';
import { unifiedDiff } from '../render/diff.js';

export type FixRequest = {
  readonly 'source-dir'?: string[];
  readonly config?: string;
  readonly rule?: string[];
  readonly removeSecrets: boolean;
  readonly includeBreaking: boolean;
  readonly dryRun: boolean;
};

export type FixRun = {
  readonly prepared: Prepared;
  readonly set: ChangeSet;
  readonly after: CheckResult;
  readonly skipped: readonly Skipped[];
  /** Findings left on the result that are not waived: they need a person (or a flag). */
  readonly remaining: readonly Finding[];
  /** The unified diff of the change set, secrets redacted (dry run only). */
  readonly diff: string | undefined;
  /** A committed secret was removed: it is still in the repository's history. */
  readonly secretRemoved: boolean;
};

export const runFix = async (request: FixRequest): Promise<FixRun> => {
  const prepared = await prepare(request);
  const plan = planFixes(prepared.inventory, prepared.ruleContext, {
    only: request.rule,
    configPath: prepared.configSource,
    removeSecrets: request.removeSecrets,
    includeBreaking: request.includeBreaking,
  });
  if (!request.dryRun) commitChanges(plan.set, { cwd: prepared.project.cwd, root: prepared.project.root });
  const secretRules = new Set(plan.before.findings.filter((f) => f.fix?.requires === 'remove-secrets').map((f) => f.ruleId));
  return {
    prepared,
    set: plan.set,
    after: plan.after,
    skipped: plan.skipped,
    remaining: plan.after.findings.filter((f) => !f.waived),
    diff: request.dryRun ? unifiedDiff(plan.set.changes) : undefined,
    secretRemoved: plan.set.changes.some((c) => c.applied.some((a) => secretRules.has(a.label))),
  };
};
