import { Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { loadConfig } from '../../adapters/config.js';
import { resolveProject, type ProjectContext } from '../../adapters/project.js';
import type { EcaConfig } from '../../core/rules/config.js';
import { checkRuleKeys, deliverReport, driftRuleInfo, type EcaCheckReport, failOnFlag, ruleContextOf, threshold, usageRuleInfos } from '../../cli/check.js';
import { orgFlags, orgLabel, timingOf, withOrg } from '../../cli/org.js';
import { errorCodesSection, USAGE_EXIT } from '../../cli/exitCodes.js';
import { InvalidBaseline, type Baseline } from '../../core/sync/baseline.js';
import type { ConnectedAppUsage, EcaUsage, OtherAppUsage, UsageSource } from '../../core/usage/evaluate.js';
import { renderUsage } from '../../render/usage.js';
import { terminalStyle, terminalWidth } from '../../cli/style.js';
import { auditOrg } from '../../usecases/audit.js';
import { readBaseline } from '../../usecases/baseline.js';

import { EcaCommand } from '../../cli/command.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.audit');
const checkMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.check');
const commonMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.common');
const diffMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.diff');

/** What `audit --usage` adds to the result: the figures of every app, beside the usage findings. */
export type EcaAuditUsage = {
  /** The day the days are counted back from (UTC), YYYY-MM-DD. */
  today: string;
  /** The thresholds used (configuration key `usage`). */
  thresholds: { unusedDays: number; maxPreAuthorizations: number; loginDays: number };
  /** Every External Client App of the org with its figures; a figure whose object the org did not answer is absent. */
  apps: EcaUsage[];
  /** Every Connected App of the org with its figures; `migrationRank` 1 is the most used. */
  connectedApps: ConnectedAppUsage[];
  /** Tokens and logins of apps that are neither (Salesforce's own apps, or apps not visible). */
  otherApps: OtherAppUsage[];
  /** Objects the org did not answer for (INVALID_TYPE): what depends on them is unknown, not checked. */
  unknown: UsageSource[];
  /** Query requests made for the figures (pages included). */
  requests: number;
};

export type EcaAuditResult = EcaCheckReport & {
  org: string;
  /** With --usage: how the apps are used. */
  usage?: EcaAuditUsage;
  /** With --baseline: the baseline compared with (its drift is in the findings, rule ECA-DRF-001). */
  baseline?: { file: string; orgId: string; capturedAt: string; differences: number };
};

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
    format: Flags.option({ char: 'f', options: ['human', 'sarif', 'junit', 'markdown', 'html'] as const, default: 'human' as const, summary: checkMessages.getMessage('flags.format.summary') })(),
    'output-file': Flags.string({ summary: checkMessages.getMessage('flags.output-file.summary') }),
    'fail-on': failOnFlag(checkMessages.getMessage('flags.fail-on.summary')),
    rule: Flags.string({ char: 'r', multiple: true, summary: checkMessages.getMessage('flags.rule.summary') }),
    usage: Flags.boolean({ summary: messages.getMessage('flags.usage.summary'), description: messages.getMessage('flags.usage.description') }),
    baseline: Flags.file({ summary: messages.getMessage('flags.baseline.summary'), description: messages.getMessage('flags.baseline.description') }),
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
    // A baseline is read and validated before the org is asked anything (a broken one: exit 2, nothing audited).
    let baseline: Baseline | undefined;
    if (flags.baseline !== undefined) {
      try {
        baseline = readBaseline(flags.baseline, process.cwd());
      } catch (e) {
        if (e instanceof InvalidBaseline) throw diffMessages.createError('error.InvalidBaseline', [e.message], [], USAGE_EXIT);
        throw e;
      }
    }
    const org = flags['target-org'];
    const conn = org.getConnection(flags['api-version']);
    const run = await auditOrg(
      conn,
      config,
      (apiVersion) => ruleContextOf(apiVersion, config, []),
      { orgName: orgLabel(org), timing: () => timingOf(flags), only: flags.rule, usage: flags.usage, ...(baseline ? { baseline } : {}) },
      (label, work, done) => withOrg(this, label, work, done)
    );
    if (baseline && baseline.org.id !== org.getOrgId().slice(0, 15)) this.warn(diffMessages.getMessage('warning.otherOrg', [flags.baseline ?? '', baseline.org.id, orgLabel(org)]));
    for (const source of run.usage?.unknown ?? []) this.warn(messages.getMessage(`warning.unknown.${source}`));
    for (const source of run.usage?.truncated ?? []) this.warn(messages.getMessage('warning.truncated', [source]));
    if (run.usage && !this.jsonEnabled() && flags.format === 'human') this.log(`${renderUsage(run.usage, terminalStyle(), terminalWidth())}\n`);
    const extraInfos = [...(run.usage ? usageRuleInfos() : []), ...(baseline ? [driftRuleInfo()] : [])];
    const report = deliverReport(this, run.checked, run.inventory, {
      format: flags.format,
      outputFile: flags['output-file'],
      failOn: threshold(flags['fail-on'], config),
      tool: 'sf eca audit',
      written: (file: string): string => checkMessages.getMessage('info.written', [file]),
      ...(extraInfos.length > 0 ? { extraRules: { infos: extraInfos, appliesTo: run.appliesTo } } : {}),
    });
    return {
      ...report,
      org: orgLabel(org),
      ...(run.usage
        ? {
            usage: {
              today: run.today,
              thresholds: { ...config.usage },
              apps: [...run.usage.apps],
              connectedApps: [...run.usage.connectedApps],
              otherApps: [...run.usage.otherApps],
              unknown: [...run.usage.unknown],
              requests: run.usage.requests,
            },
          }
        : {}),
      ...(baseline && run.drift && flags.baseline
        ? { baseline: { file: flags.baseline, orgId: baseline.org.id, capturedAt: baseline.capturedAt, differences: run.drift.length } }
        : {}),
    };
  }
}
