/* Human output of `eca fix`: the diff (dry run), what was fixed per file, what was left and why. */
import type { Style } from './style.js';
import type { FileChange } from '../core/change/plan.js';
import type { Skipped } from '../core/rules/fix.js';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const renderFixChanges = (changes: readonly FileChange[], dryRun: boolean, diff: string | undefined, style: Style): string => {
  if (changes.length === 0) return 'Nothing to fix.';
  const out: string[] = [];
  if (diff) out.push(diff.trimEnd());
  for (const c of changes) {
    out.push(style.bold(c.path));
    for (const a of c.applied) out.push(`  ${a.label}  ${a.description}`);
  }
  const count = changes.reduce((n, c) => n + c.applied.length, 0);
  out.push(`${dryRun ? 'Would fix' : 'Fixed'} ${plural(count, 'finding')} in ${plural(changes.length, 'file')}${dryRun ? ' (dry run: nothing written)' : ''}.`);
  return out.join('\n');
};

/** One line per fixable finding left alone, grouped by the flag that would apply it. */
export const renderSkipped = (skipped: readonly Skipped[]): string[] => {
  const lines = skipped.map((s) => `${s.finding.path}:${s.finding.line}: ${s.finding.ruleId} not fixed: ${s.reason}`);
  const breaking = skipped.filter((s) => s.flag === '--include-breaking').length;
  if (breaking > 0) {
    lines.push(`${breaking} ${breaking === 1 ? 'fix' : 'fixes'} would change what clients see (they must change first): review them with --dry-run --include-breaking, then apply with --include-breaking.`);
  }
  return lines;
};
