import { Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { loadConfig } from '../../adapters/config.js';
import { resolveProject, type ProjectContext } from '../../adapters/project.js';
import { buildInventory } from '../../core/project/inventory.js';
import type { EcaConfig } from '../../core/rules/config.js';
import { runCheck } from '../../core/rules/engine.js';
import { checkRuleKeys, deliverReport, type EcaCheckReport, failOnFlag, ruleContextOf, threshold, usageRuleInfos } from '../../cli/check.js';
import { orgFlags, orgLabel, timingOf, withOrg } from '../../cli/org.js';
import { errorCodesSection } from '../../cli/exitCodes.js';
import type { Inventory } from '../../core/project/inventory.js';
import type { CheckResult } from '../../core/rules/engine.js';
import type { ConnectedAppUsage, EcaUsage, OtherAppUsage, UsageSource } from '../../core/usage/evaluate.js';
import { evaluateUsage } from '../../core/usage/evaluate.js';
import { findUsageRule } from '../../core/usage/rules.js';
import { renderUsage } from '../../render/usage.js';
import { terminalStyle, terminalWidth } from '../../cli/style.js';

import { EcaCommand } from '../../cli/command.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.audit');
const checkMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.check');
const commonMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.common');

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
};

/** Findings of the catalog and of the usage rules in one list, in the engine's order (path, line, column, rule). */
const mergeFindings = (a: CheckResult['findings'], b: CheckResult['findings']): CheckResult['findings'] =>
  [...a, ...b].sort((x, y) =>
    x.path < y.path ? -1 : x.path > y.path ? 1 : x.line - y.line || x.col - y.col || (x.ruleId < y.ruleId ? -1 : x.ruleId > y.ruleId ? 1 : 0)
  );

/** The retrieved file a usage finding about an app points at: the ECA's header, the Connected App's file (by name or label). */
const pathOf = (inventory: Inventory) => (kind: 'eca' | 'connectedApp', name: string): string | undefined => {
  if (kind === 'eca') return inventory.apps.find((a) => a.name === name)?.files.header[0]?.path;
  const entry = inventory.connectedApps.find((c) => c.name.toLowerCase() === name.toLowerCase() || c.file.value('label')?.toLowerCase() === name.toLowerCase());
  return entry?.file.path;
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
    const context = ruleContextOf(Number(conn.getApiVersion()), config, []);
    const checked = runCheck(inventory, context, { only: flags.rule });
    const options = {
      format: flags.format,
      outputFile: flags['output-file'],
      failOn: threshold(flags['fail-on'], config),
      tool: 'sf eca audit',
      written: (file: string): string => checkMessages.getMessage('info.written', [file]),
    };
    if (!flags.usage) return { ...deliverReport(this, checked, inventory, options), org: orgLabel(org) };

    // --usage: the figures (SOQL), evaluated in the core, reported with the catalog's findings.
    const { readUsage } = await import('../../adapters/usage.js');
    const read = await withOrg(
      this,
      `Reading how the apps of ${orgLabel(org)} are used`,
      () => readUsage(conn, { ...timingOf(flags), loginDays: config.usage.loginDays }),
      (r) => `${r.requests} request(s)`
    );
    for (const source of read.figures.unknown) this.warn(messages.getMessage(`warning.unknown.${source}`));
    for (const source of read.truncated) this.warn(messages.getMessage('warning.truncated', [source]));
    const usage = evaluateUsage(read.figures, config, { today: context.today, only: flags.rule, pathOf: pathOf(inventory) });
    const merged: CheckResult = { ...checked, findings: mergeFindings(checked.findings, usage.findings), rules: [...checked.rules, ...usage.rules] };
    const ecaNames = new Set(usage.apps.map((a) => a.name));
    const caNames = new Set(usage.connectedApps.map((c) => c.name));
    if (!this.jsonEnabled() && flags.format === 'human') this.log(`${renderUsage(usage, terminalStyle(), terminalWidth())}\n`);
    const report = deliverReport(this, merged, inventory, {
      ...options,
      extraRules: {
        infos: usageRuleInfos(),
        appliesTo: (ruleId, app) => {
          const rule = findUsageRule(ruleId);
          return rule !== undefined && ((ecaNames.has(app) && rule.appliesTo.includes('eca')) || (caNames.has(app) && rule.appliesTo.includes('connectedApp')));
        },
      },
    });
    return {
      ...report,
      org: orgLabel(org),
      usage: {
        today: context.today,
        thresholds: { ...config.usage },
        apps: [...usage.apps],
        connectedApps: [...usage.connectedApps],
        otherApps: [...usage.otherApps],
        unknown: [...read.figures.unknown],
        requests: read.requests,
      },
    };
  }
}
