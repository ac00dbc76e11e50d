import { Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import type { ComponentOutcome } from '../../adapters/org.js';
import { displayPath } from '../../adapters/project.js';
import { type EcaFinding, publicFindings } from '../../cli/findings.js';
import { prepare } from '../../cli/check.js';
import { sourceDirFlag } from '../../cli/flags.js';
import { appNameFlag, exitSoonAfterTimeout, orgFlags, orgLabel, setInterruptNote, timingOf, withOrg } from '../../cli/org.js';
import { terminalStyle, terminalWidth } from '../../cli/style.js';
import { renderHuman } from '../../render/report.js';
import { renderTable } from '../../render/style.js';

import { deployToOrg, type DroppedLists, type KeptFields, NamesDiffer, NothingToDeploy, planDeploy, type ReadBack } from '../../usecases/deploy.js';
import { EcaCommand } from '../../cli/command.js';

import { deployStatusExit, errorCodesSection } from '../../cli/exitCodes.js';
Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const commonMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.common');
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.deploy');

export type EcaDeployResult = {
  id: string;
  /** Succeeded, SucceededPartial, Failed, Canceled, or InProgress when the wait ran out. */
  status: string;
  checkOnly: boolean;
  /** The files sent. */
  files: string[];
  components: ComponentOutcome[];
  /** Error findings deployed despite --ignore-findings. */
  ignoredFindings: EcaFinding[];
  /** Single-valued fields the org holds that the files leave out, sent with the org's value (a deploy replaces the whole record). */
  keptFromOrg: KeptFields[];
  /** Lists (trusted IP ranges, attributes…) the org holds that the files leave out: the deploy removes them. */
  removedFromOrg: DroppedLists[];
  /** After a deploy that saved: the org's records compared field by field with what was sent; a difference exits 1. */
  readBack?: ReadBack;
};


export default class EcaDeploy extends EcaCommand<EcaDeployResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = errorCodesSection({
    ok: messages.getMessage('error-codes.ok'),
    result: messages.getMessage('error-codes.failed'),
    usage: commonMessages.getMessage('error-codes.usage'),
    orgError: messages.getMessage('error-codes.org-error'),
    partialDeploy: messages.getMessage('error-codes.partial'),
    stillRunning: messages.getMessage('error-codes.running'),
    orgUnreachable: messages.getMessage('error-codes.unreachable'),
    interrupted: messages.getMessage('error-codes.interrupted'),
  });

  public static readonly flags = {
    ...orgFlags,
    name: appNameFlag,
    'source-dir': sourceDirFlag,
    'dry-run': Flags.boolean({ default: false, summary: messages.getMessage('flags.dry-run.summary') }),
    'ignore-findings': Flags.boolean({ summary: messages.getMessage('flags.ignore-findings.summary') }),
    'ignore-errors': Flags.boolean({ summary: messages.getMessage('flags.ignore-errors.summary') }),
    'include-global-settings': Flags.boolean({ summary: messages.getMessage('flags.include-global-settings.summary') }),
    config: Flags.file({ char: 'c', exists: true, summary: messages.getMessage('flags.config.summary') }),
  };

  public async run(): Promise<EcaDeployResult> {
    const { flags } = await this.parse(EcaDeploy);
    const prepared = await prepare(flags);
    const { inventory, project } = prepared;
    const org = flags['target-org'];
    const conn = org.getConnection(flags['api-version']);
    let plan;
    try {
      plan = planDeploy(inventory, prepared.ruleContext, { names: flags.name, includeGlobalSettings: flags['include-global-settings'], targetOrgId: org.getOrgId() });
    } catch (e) {
      if (e instanceof NothingToDeploy) throw messages.createError('error.NothingToDeploy', [e.refusal.why]);
      throw e;
    }
    const { files, blocking: findings } = plan;
    if (findings.length > 0 && !flags['ignore-findings']) {
      throw messages.createError('error.FindingsBlockDeploy', [findings.length, renderHuman(findings, plan.apps.length)]);
    }
    if (findings.length > 0) this.warn(messages.getMessage('warning.ignoredFindings', [findings.length]));
    for (const n of plan.notes) this.warn(messages.getMessage(n.key, [...n.args]));
    const timing = timingOf(flags);
    let run;
    try {
      run = await deployToOrg(
        conn,
        project,
        inventory,
        plan,
        {
          timing,
          orgName: orgLabel(org),
          checkOnly: flags['dry-run'],
          rollbackOnError: !flags['ignore-errors'],
          onStatus: (s) => {
            if (!this.jsonEnabled()) this.spinner.status = s;
          },
          onStarted: (id) => setInterruptNote(messages.getMessage('info.interrupted', [id, id, orgLabel(org)])),
        },
        (label, work, done) => withOrg(this, label, work, done)
      );
    } catch (e) {
      if (e instanceof NamesDiffer) {
        const lines = e.refusal.mismatches.map((m) => messages.getMessage('error.NamesDiffer.line', [m.path, m.app, m.orgName]));
        const moves = e.refusal.mismatches.map((m) => `git mv ${m.path} ${m.renameTo}`);
        throw messages.createError('error.NamesDiffer', [lines.join('\n')], [moves.join('\n')]);
      }
      throw e;
    }
    const { outcome } = run;
    if (run.confirmedBySoql === 'unavailable') this.warn(messages.getMessage('warning.soqlUnavailable'));
    for (const k of run.kept) this.warn(messages.getMessage('warning.keptFromOrg', [k.path, k.fields.join(', ')]));
    for (const d of run.dropped) this.warn(messages.getMessage('warning.removedFromOrg', [d.path, d.elements.join(', ')]));
    const components = outcome.components.map((c) => ({ ...c, ...(c.filePath ? { filePath: displayPath(project, c.filePath) } : {}) }));
    if (!this.jsonEnabled()) {
      const style = terminalStyle();
      if (outcome.status === 'InProgress') {
        this.info(messages.getMessage('info.inProgress', [outcome.id, outcome.id, orgLabel(org)]));
        exitSoonAfterTimeout();
      } else {
        const rows = components.map((c) => [
          c.state === 'Failed' ? style.bad(c.state) : c.state,
          c.type,
          c.fullName,
          c.problem ? `${c.filePath ?? ''}${c.line ? `:${c.line}:${c.column ?? 1}` : ''}: ${c.problem}` : (c.filePath ?? ''),
        ]);
        if (rows.length > 0) this.log(renderTable(['State', 'Type', 'Name', 'File / problem'], rows, style, { width: terminalWidth(), shrink: [3, 1] }));
        const ok = components.filter((c) => c.state !== 'Failed').length;
        this.log(messages.getMessage('info.result', [outcome.status, ok, flags['dry-run'] ? 'validated' : 'deployed']));
        if (run.readBack && run.readBack.differences.length === 0) this.log(messages.getMessage('info.readBack', [run.readBack.fields, run.readBack.files]));
      }
    }
    if (run.readBack && run.readBack.differences.length > 0) {
      const style = terminalStyle();
      const rows = run.readBack.differences.map((d) => [d.path, d.element, d.sent ?? style.dim('(none)'), d.org ?? style.dim('(none)')]);
      if (!this.jsonEnabled()) this.logToStderr(messages.getMessage('error.readBack', [run.readBack.differences.length, renderTable(['File', 'Element', 'Sent', 'Org'], rows, style, { width: terminalWidth(), shrink: [0, 1] })]));
    }
    process.exitCode = run.readBack && run.readBack.differences.length > 0 && outcome.status === 'Succeeded' ? 1 : deployStatusExit(outcome.status);
    return { id: outcome.id, status: outcome.status, checkOnly: outcome.checkOnly, files: [...files], components, ignoredFindings: flags['ignore-findings'] ? publicFindings(findings) : [],
      keptFromOrg: [...run.kept],
      removedFromOrg: [...run.dropped],
      ...(run.readBack ? { readBack: run.readBack } : {}),
    };
  }
}
