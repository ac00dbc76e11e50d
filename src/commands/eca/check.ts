import { Flags, toHelpSection } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { ruleFixClass, runCheck } from '../../core/rules/engine.js';
import { EcaCommand } from '../../cli/command.js';
import { sourceDirFlag } from '../../cli/flags.js';
import { deliverReport, type EcaCheckResult, failOnFlag, prepare, ruleInfos, threshold } from '../../cli/check.js';
import { renderTable } from '../../render/style.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.check');

export type { EcaCheckResult } from '../../cli/check.js';

export default class EcaCheck extends EcaCommand<EcaCheckResult> {
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
      const rows = ruleInfos().map((r) => [r.id, r.name, r.severity, ruleFixClass(r.id), r.summary]);
      this.log(renderTable(['Id', 'Name', 'Severity', 'Fix', 'Checks that'], rows));
      this.log(messages.getMessage('info.fix-classes'));
      return { findings: [], summary: { error: 0, warning: 0, info: 0, waived: 0, fixable: 0, apps: 0 }, failOn: 'error', failed: false };
    }
    const prepared = await prepare(flags);
    const result = runCheck(prepared.inventory, prepared.ruleContext, { only: flags.rule, configPath: prepared.configSource });
    return deliverReport(this, result, prepared.inventory, {
      format: flags.format,
      outputFile: flags['output-file'],
      failOn: threshold(flags['fail-on'], prepared.config),
      tool: 'sf eca check',
      written: (file) => messages.getMessage('info.written', [file]),
    });
  }
}
