import { Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { loadConfig } from '../../adapters/config.js';
import { resolveProject, type ProjectContext } from '../../adapters/project.js';
import { buildInventory } from '../../core/project/inventory.js';
import type { EcaConfig } from '../../core/rules/config.js';
import { runCheck } from '../../core/rules/engine.js';
import { checkRuleKeys, deliverReport, type EcaCheckReport, failOnFlag, ruleContextOf, threshold } from '../../cli/check.js';
import { orgFlags, orgLabel, timingOf, withOrg } from '../../cli/org.js';
import { errorCodesSection } from '../../cli/exitCodes.js';

import { EcaCommand } from '../../cli/command.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.audit');
const checkMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.check');
const commonMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.common');

export type EcaAuditResult = EcaCheckReport & { org: string };

export default class EcaAudit extends EcaCommand<EcaAuditResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = errorCodesSection({
    ok: checkMessages.getMessage('error-codes.ok'),
    result: checkMessages.getMessage('error-codes.findings'),
    usage: commonMessages.getMessage('error-codes.usage'),
    orgError: messages.getMessage('error-codes.org-error'),
    orgUnreachable: messages.getMessage('error-codes.unreachable'),
    interrupted: commonMessages.getMessage('error-codes.interrupted'),
  });

  public static readonly flags = {
    ...orgFlags,
    config: Flags.file({ char: 'c', exists: true, summary: checkMessages.getMessage('flags.config.summary') }),
    format: Flags.option({ char: 'f', options: ['human', 'sarif', 'junit', 'markdown'] as const, default: 'human' as const, summary: checkMessages.getMessage('flags.format.summary') })(),
    'output-file': Flags.string({ summary: checkMessages.getMessage('flags.output-file.summary') }),
    'fail-on': failOnFlag(checkMessages.getMessage('flags.fail-on.summary')),
    rule: Flags.string({ char: 'r', multiple: true, summary: checkMessages.getMessage('flags.rule.summary') }),
  };

  public async run(): Promise<EcaAuditResult> {
    const { flags } = await this.parse(EcaAudit);
    checkRuleKeys(flags.rule);
    // The configuration of the project the command runs in, if any; an org can be audited from anywhere.
    let project: ProjectContext | undefined;
    try {
      project = await resolveProject(process.cwd());
    } catch (e) {
      if (!(e instanceof Error) || e.name !== 'NoProjectError') throw e;
    }
    const config: EcaConfig = loadConfig(project ?? { cwd: process.cwd(), root: undefined, pluginConfig: undefined }, flags.config).config;
    const org = flags['target-org'];
    const conn = org.getConnection(flags['api-version']);
    const { retrieveApps } = await import('../../adapters/org.js');
    const fetched = await withOrg(
      this,
      `Retrieving the External Client Apps and Connected Apps of ${orgLabel(org)}`,
      () => retrieveApps(conn, undefined, timingOf(flags), { connectedApps: true }),
      (r) => `${r.sources.length} file(s)`
    );
    const inventory = buildInventory(fetched.sources.map((s) => ({ ...s, path: `org:${s.path}` })));
    const result = runCheck(inventory, ruleContextOf(Number(conn.getApiVersion()), config, []), { only: flags.rule });
    const report = deliverReport(this, result, inventory, {
      format: flags.format,
      outputFile: flags['output-file'],
      failOn: threshold(flags['fail-on'], config),
      tool: 'sf eca audit',
      written: (file) => checkMessages.getMessage('info.written', [file]),
    });
    return { ...report, org: orgLabel(org) };
  }
}
