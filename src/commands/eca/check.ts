import { Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { runCheck } from '../../core/rules/engine.js';
import { EcaCommand } from '../../cli/command.js';
import { sourceDirFlag } from '../../cli/flags.js';
import { deliverReport, type EcaCheckReport, type EcaRuleList, failOnFlag, filesChecked, prepare, ruleList, threshold } from '../../cli/check.js';
import { errorCodesSection } from '../../cli/exitCodes.js';
import { displayPath } from '../../adapters/project.js';
import { renderTable } from '../../render/style.js';
import { terminalWidth } from '../../cli/style.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.check');
const commonMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.common');

export type { EcaCheckReport, EcaRuleList, EcaRuleListEntry } from '../../cli/check.js';

/** What `sf eca check --json` returns: the findings, or with --list-rules the rules. */
export type EcaCheckResult = EcaCheckReport | EcaRuleList;

export default class EcaCheck extends EcaCommand<EcaCheckResult> {
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
    config: Flags.file({ char: 'c', exists: true, summary: messages.getMessage('flags.config.summary') }),
    format: Flags.option({ char: 'f', options: ['human', 'sarif', 'junit', 'markdown', 'html'] as const, default: 'human' as const, summary: messages.getMessage('flags.format.summary') })(),
    'output-file': Flags.string({ summary: messages.getMessage('flags.output-file.summary') }),
    'fail-on': failOnFlag(messages.getMessage('flags.fail-on.summary')),
    rule: Flags.string({ char: 'r', multiple: true, summary: messages.getMessage('flags.rule.summary') }),
    'api-version': Flags.string({ summary: messages.getMessage('flags.api-version.summary') }),
    'list-rules': Flags.boolean({ summary: messages.getMessage('flags.list-rules.summary') }),
  };

  public async run(): Promise<EcaCheckResult> {
    const { flags } = await this.parse(EcaCheck);
    if (flags['list-rules']) {
      const list = ruleList();
      if (!this.jsonEnabled()) {
        this.log(renderTable(
            ['Id', 'Name', 'Severity', 'Fix', 'Clients', 'Checks that', 'Controls'],
            list.rules.map((r) => [r.id, r.name, r.severity, r.fixClass, r.clients?.join(', ') ?? 'all', r.summary, r.controls.map((c) => c.title).join('; ')]),
            undefined,
            { width: terminalWidth() }
          ));
        this.log(messages.getMessage('info.fix-classes'));
      }
      return list;
    }
    const prepared = await prepare(flags);
    if (filesChecked(prepared.inventory) === 0) {
      const { project } = prepared;
      const where = (project.selection ?? (project.scanRoots.length > 0 ? project.scanRoots : [project.root ?? project.cwd])).map((p) => displayPath(project, p));
      this.warn(commonMessages.getMessage('warning.NothingChecked', [where.join(', ')]));
    }
    const result = runCheck(prepared.inventory, prepared.ruleContext, { only: flags.rule, configPath: prepared.configSource });
    return deliverReport(this, result, prepared.inventory, {
      format: flags.format,
      outputFile: flags['output-file'],
      failOn: threshold(flags['fail-on'], prepared.config),
      tool: 'sf eca check',
      written: (file) => messages.getMessage('info.written', [file]),
      stepSummary: true,
    });
  }
}
