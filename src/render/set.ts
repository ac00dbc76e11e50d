/* Human output of `eca set`: the diff (dry run or org), what changed per file, what check still reports per app. */
import { type Style, UNBOUNDED } from './style.js';
import { renderHuman } from './report.js';
import type { FileChange } from '../core/change/plan.js';
import type { Finding } from '../core/rules/types.js';

type SetShown = {
  readonly apps: readonly string[];
  readonly set: { readonly changes: readonly FileChange[] };
  readonly created: ReadonlySet<string>;
  readonly findings: readonly Finding[];
  readonly diff: string | undefined;
};

export const renderSet = (run: SetShown, style: Style, width: number = UNBOUNDED): { text: string; remaining: string[] } => {
  const out: string[] = [];
  if (run.set.changes.length === 0) out.push(`Nothing to change: ${run.apps.join(', ')} already ${run.apps.length === 1 ? 'has' : 'have'} these values.`);
  if (run.diff) out.push(run.diff.trimEnd());
  for (const c of run.set.changes) {
    out.push(`${style.bold(c.path)}${run.created.has(c.path) ? ' (new)' : ''}`);
    for (const a of c.applied) out.push(`  ${a.description}`);
  }
  const remaining: string[] = [];
  for (const app of run.apps) {
    const own = run.findings.filter((f) => f.app === app);
    if (own.length > 0) remaining.push(`\nFindings "sf eca check" still reports for ${app}:\n${renderHuman(own, 1, style, width)}`);
  }
  return { text: out.join('\n'), remaining };
};
