import { Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { fails } from '../../core/rules/engine.js';
import { type EcaFinding, publicFindings } from '../../cli/findings.js';
import { EcaCommand } from '../../cli/command.js';
import { sourceDirFlag } from '../../cli/flags.js';
import { failOnFlag, threshold } from '../../cli/check.js';
import { terminalStyle } from '../../cli/style.js';
import { renderHuman } from '../../render/report.js';
import { renderFixChanges, renderSkipped } from '../../render/fix.js';
import { runFix } from '../../usecases/fix.js';

import { errorCodesSection } from '../../cli/exitCodes.js';
Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.fix');

export type EcaFixResult = {
  /** Files changed (or that would change with --dry-run), with the fixes applied to each. */
  changes: Array<{ path: string; fixes: Array<{ ruleId: string; description: string }> }>;
  /** Fixable findings not applied, and why (waived, needs --remove-secrets or --include-breaking). */
  skipped: Array<{ ruleId: string; path: string; line: number; reason: string; flag?: string }>;
  /** Findings left after fixing: they need a person, or a flag. */
  remaining: EcaFinding[];
  dryRun: boolean;
  /** The unified diff of the changes (with --dry-run); secret values redacted. */
  diff?: string;
};

export default class EcaFix extends EcaCommand<EcaFixResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = errorCodesSection({
    ok: messages.getMessage('error-codes.ok'),
    result: messages.getMessage('error-codes.findings'),
    usage: messages.getMessage('error-codes.usage'),
  });

  public static readonly flags = {
    'source-dir': sourceDirFlag,
    'dry-run': Flags.boolean({ default: false, summary: messages.getMessage('flags.dry-run.summary') }),
    rule: Flags.string({ char: 'r', multiple: true, summary: messages.getMessage('flags.rule.summary') }),
    'include-breaking': Flags.boolean({ summary: messages.getMessage('flags.include-breaking.summary') }),
    'remove-secrets': Flags.boolean({ summary: messages.getMessage('flags.remove-secrets.summary') }),
    config: Flags.file({ char: 'c', exists: true, summary: messages.getMessage('flags.config.summary') }),
    'fail-on': failOnFlag(messages.getMessage('flags.fail-on.summary')),
  };

  public async run(): Promise<EcaFixResult> {
    const { flags } = await this.parse(EcaFix);
    const dryRun = flags['dry-run'];
    const run = await runFix({
      ...flags,
      removeSecrets: flags['remove-secrets'],
      includeBreaking: flags['include-breaking'],
      dryRun,
    });
    if (!this.jsonEnabled()) {
      const style = terminalStyle();
      this.log(renderFixChanges(run.set.changes, dryRun, run.diff, style));
      for (const line of renderSkipped(run.skipped)) this.warn(line);
      if (run.secretRemoved) this.warn(messages.getMessage('warning.history'));
      if (run.remaining.length > 0) this.log(`\n${messages.getMessage('remaining')}\n${renderHuman(run.remaining, run.after.apps.length, style)}`);
    }
    const failOn = threshold(flags['fail-on'], run.prepared.config);
    if (failOn !== 'never' && fails(run.remaining, failOn)) process.exitCode = 1;
    return {
      changes: run.set.changes.map((c) => ({ path: c.path, fixes: c.applied.map((a) => ({ ruleId: a.label, description: a.description })) })),
      skipped: run.skipped.map((s) => ({
        ruleId: s.finding.ruleId,
        path: s.finding.path,
        line: s.finding.line,
        reason: s.reason,
        ...(s.flag ? { flag: s.flag } : {}),
      })),
      remaining: publicFindings(run.remaining),
      dryRun,
      ...(run.diff !== undefined ? { diff: run.diff } : {}),
    };
  }
}
