import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Flags, SfCommand, toHelpSection } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { ALL_RULES, countFindings, fails, runCheck } from '../../core/rules/engine.js';
import type { Finding } from '../../core/rules/types.js';
import { sourceDirFlag } from '../../cli/flags.js';
import { failOnFlag, prepare, ruleAppliesTo, ruleInfos, threshold } from '../../cli/check.js';
import { terminalStyle } from '../../cli/style.js';
import { renderHuman, renderJunit, renderSarif } from '../../render/report.js';
import { renderTable } from '../../render/style.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.check');

export type EcaCheckResult = {
  /** Every finding, waived ones included (marked). */
  findings: Finding[];
  /** Counts by severity; waived and fixable apart. */
  summary: { error: number; warning: number; info: number; waived: number; fixable: number; apps: number };
  /** The threshold used. */
  failOn: string;
  /** Whether a finding at or above the threshold is not waived. */
  failed: boolean;
  /** Where the report was written, with --output-file. */
  outputFile?: string;
};

export default class EcaCheck extends SfCommand<EcaCheckResult> {
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
    config: Flags.file({ char: 'c', exists: true, summary: messages.getMessage('flags.config.summary') }),
    format: Flags.option({ char: 'f', options: ['human', 'sarif', 'junit'] as const, default: 'human' as const, summary: messages.getMessage('flags.format.summary') })(),
    'output-file': Flags.string({ summary: messages.getMessage('flags.output-file.summary') }),
    'fail-on': failOnFlag(messages.getMessage('flags.fail-on.summary')),
    rule: Flags.string({ char: 'r', multiple: true, summary: messages.getMessage('flags.rule.summary') }),
    'api-version': Flags.string({ summary: messages.getMessage('flags.api-version.summary') }),
    'list-rules': Flags.boolean({ summary: messages.getMessage('flags.list-rules.summary') }),
  };

  public async run(): Promise<EcaCheckResult> {
    const { flags } = await this.parse(EcaCheck);
    if (flags['list-rules']) {
      const rows = ruleInfos().map((r) => [r.id, r.name, r.severity, ALL_RULES.find((x) => x.id === r.id)?.fixable ? 'yes' : '', r.summary]);
      this.log(renderTable(['Id', 'Name', 'Severity', 'Fix', 'Checks that'], rows));
      return { findings: [], summary: { error: 0, warning: 0, info: 0, waived: 0, fixable: 0, apps: 0 }, failOn: 'error', failed: false };
    }
    const prepared = await prepare(flags);
    const result = runCheck(prepared.inventory, prepared.ruleContext, { only: flags.rule, configPath: prepared.configSource });
    const failOn = threshold(flags['fail-on'], prepared.config);
    const failed = failOn !== 'never' && fails(result.findings, failOn);
    const report =
      flags.format === 'sarif'
        ? renderSarif(result.findings, ruleInfos(), { name: 'sf eca check', version: this.config.pjson.version, informationUri: 'https://github.com/eca-tools/plugin-eca' })
        : flags.format === 'junit'
          ? renderJunit(result.findings, result.apps, ruleInfos().filter((r) => result.rules.includes(r.id) || r.id.startsWith('ECA-PRJ-00')), failOn === 'never' ? 'error' : failOn, ruleAppliesTo(prepared.inventory))
          : undefined;
    const outputFile = flags['output-file'] ? resolve(process.cwd(), flags['output-file']) : undefined;
    if (outputFile) {
      writeFileSync(outputFile, report ?? `${renderHuman(result.findings, result.apps.length)}\n`);
    }
    if (!this.jsonEnabled()) {
      if (report && !outputFile) process.stdout.write(report);
      else this.log(renderHuman(result.findings, result.apps.length, terminalStyle()));
      if (outputFile) this.info(messages.getMessage('info.written', [flags['output-file']]));
    }
    if (failed) process.exitCode = 1;
    const c = countFindings(result.findings);
    return {
      findings: [...result.findings],
      summary: { ...c, apps: result.apps.length },
      failOn,
      failed,
      ...(outputFile ? { outputFile } : {}),
    };
  }
}
