import { Flags, SfCommand, toHelpSection } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { writeAllAtomic } from '../../adapters/write.js';

import { buildInventory, ECA_FILE_KINDS } from '../../core/project/inventory.js';
import { fails, runCheck } from '../../core/rules/engine.js';
import { applyFixes } from '../../core/rules/fix.js';
import type { Finding } from '../../core/rules/types.js';
import { sourceDirFlag } from '../../cli/flags.js';
import { failOnFlag, prepare, threshold } from '../../cli/check.js';
import { terminalStyle } from '../../cli/style.js';
import { renderHuman } from '../../render/report.js';
import { unifiedDiff } from '../../render/diff.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.fix');

export type EcaFixResult = {
  /** Files changed (or that would change with --dry-run), with the fixes applied to each. */
  changes: Array<{ path: string; fixes: Array<{ ruleId: string; description: string }> }>;
  /** Fixable findings not applied, and why (waived, needs --remove-secrets). */
  skipped: Array<{ ruleId: string; path: string; line: number; reason: string }>;
  /** Findings left after fixing: they need a person. */
  remaining: Finding[];
  dryRun: boolean;
  /** The unified diff of the changes (with --dry-run). */
  diff?: string;
};

export default class EcaFix extends SfCommand<EcaFixResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = toHelpSection('ERROR CODES', {
    '0': messages.getMessage('error-codes.ok'),
    '1': messages.getMessage('error-codes.findings'),
    '2': messages.getMessage('error-codes.usage'),
  });

  public static readonly flags = {
    'source-dir': sourceDirFlag,
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary') }),
    rule: Flags.string({ char: 'r', multiple: true, summary: messages.getMessage('flags.rule.summary') }),
    'remove-secrets': Flags.boolean({ summary: messages.getMessage('flags.remove-secrets.summary') }),
    config: Flags.file({ char: 'c', exists: true, summary: messages.getMessage('flags.config.summary') }),
    'fail-on': failOnFlag(messages.getMessage('flags.fail-on.summary')),
  };

  public async run(): Promise<EcaFixResult> {
    const { flags } = await this.parse(EcaFix);
    const prepared = await prepare(flags);
    const before = runCheck(prepared.inventory, prepared.ruleContext, { only: flags.rule, configPath: prepared.configSource });
    const outcome = applyFixes(prepared.inventory, before.findings, { removeSecrets: flags['remove-secrets'] });
    const dryRun = flags['dry-run'];
    if (!dryRun && outcome.changes.length > 0) {
      writeAllAtomic(prepared.project.cwd, outcome.changes.map((c) => ({ path: c.path, before: c.before, after: c.after })));
    }
    // What is left: check the fixed files again (all rules, so nothing a fix broke goes unseen).
    const fixedInventory = buildInventory(
      (function* () {
        const changed = new Map(outcome.changes.map((c) => [c.path, c.after]));
        for (const app of prepared.inventory.apps) {
          for (const k of ECA_FILE_KINDS) for (const f of app.files[k]) yield { path: f.path, text: changed.get(f.path) ?? f.source, packageDir: f.packageDir };
        }
        for (const ca of prepared.inventory.connectedApps) yield { path: ca.file.path, text: ca.file.source, packageDir: ca.packageDir };
      })()
    );
    const unreadable = prepared.inventory.problems.filter((p) => p.code === 'MalformedXml' || p.code === 'ForeignXml');
    const after = runCheck({ ...fixedInventory, problems: [...fixedInventory.problems, ...unreadable] }, prepared.ruleContext, { configPath: prepared.configSource });
    const remaining = after.findings.filter((f) => !f.waived);
    const diff = dryRun ? unifiedDiff(outcome.changes) : undefined;
    if (!this.jsonEnabled()) {
      const style = terminalStyle();
      const count = outcome.changes.reduce((n, c) => n + c.applied.length, 0);
      if (outcome.changes.length === 0) this.log(messages.getMessage('nothing'));
      else {
        if (diff) this.log(diff.trimEnd());
        for (const c of outcome.changes) {
          this.log(`${style.bold(c.path)}`);
          for (const a of c.applied) this.log(`  ${a.ruleId}  ${a.description}`);
        }
        this.log(messages.getMessage(dryRun ? 'would-fix' : 'fixed', [`${count} finding${count === 1 ? '' : 's'}`, `${outcome.changes.length} file${outcome.changes.length === 1 ? '' : 's'}`]));
      }
      for (const s of outcome.skipped) this.warn(`${s.finding.path}:${s.finding.line}: ${s.finding.ruleId} not fixed: ${s.reason}`);
      if (remaining.length > 0) this.log(`\n${messages.getMessage('remaining')}\n${renderHuman(remaining, after.apps.length, style)}`);
    }
    const failOn = threshold(flags['fail-on'], prepared.config);
    if (failOn !== 'never' && fails(remaining, failOn)) process.exitCode = 1;
    return {
      changes: outcome.changes.map((c) => ({ path: c.path, fixes: [...c.applied] })),
      skipped: outcome.skipped.map((s) => ({ ruleId: s.finding.ruleId, path: s.finding.path, line: s.finding.line, reason: s.reason })),
      remaining,
      dryRun,
      ...(diff !== undefined ? { diff } : {}),
    };
  }
}

