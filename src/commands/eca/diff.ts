import { Flags } from '@salesforce/sf-plugins-core';
import type { Org } from '@salesforce/core';
import { Messages } from '@salesforce/core/messages';
import { buildInventory } from '../../core/project/inventory.js';
import { compareApps, type EcaDifference } from '../../core/sync/merge.js';
import { compareBaseline, InvalidBaseline, type Baseline, type BaselineDifference } from '../../core/sync/baseline.js';
import { prepare } from '../../cli/check.js';
import { sourceDirFlag } from '../../cli/flags.js';
import { appNameFlag, ORG_ERROR_EXIT, orgFlags, orgLabel, timingOf, withOrg } from '../../cli/org.js';
import { terminalStyle, terminalWidth } from '../../cli/style.js';
import { renderTable } from '../../render/style.js';
import { readBaseline, retrieveOrgInventory } from '../../usecases/baseline.js';

import { selectedApps } from '../../core/project/scope.js';
import { EcaCommand } from '../../cli/command.js';

import { errorCodesSection, USAGE_EXIT } from '../../cli/exitCodes.js';
Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.diff');

export type { EcaDifference } from '../../core/sync/merge.js';
export type { BaselineDifference } from '../../core/sync/baseline.js';

export type EcaDiffResult = {
  apps: string[];
  /** With --baseline: rows carry `against: "baseline"`, and `local` is the baseline's value. */
  differences: Array<EcaDifference | BaselineDifference>;
  same: boolean;
  /** With --baseline: the file compared with, and the org and time it was taken from. */
  baseline?: { file: string; orgId: string; apiVersion: string; capturedAt: string };
};

type OrgRunFlags = { 'target-org': Org; 'api-version'?: string; name?: string[] } & Parameters<typeof timingOf>[0];

export default class EcaDiff extends EcaCommand<EcaDiffResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = errorCodesSection({
    ok: messages.getMessage('error-codes.same'),
    result: messages.getMessage('error-codes.different'),
    usage: messages.getMessage('error-codes.usage'),
    orgError: messages.getMessage('error-codes.org-error'),
    orgUnreachable: messages.getMessage('error-codes.unreachable'),
    interrupted: messages.getMessage('error-codes.interrupted'),
  });

  public static readonly flags = {
    ...orgFlags,
    name: appNameFlag,
    'source-dir': sourceDirFlag,
    baseline: Flags.file({
      summary: messages.getMessage('flags.baseline.summary'),
      description: messages.getMessage('flags.baseline.description'),
      exclusive: ['source-dir'],
    }),
  };

  public async run(): Promise<EcaDiffResult> {
    const { flags } = await this.parse(EcaDiff);
    if (flags.baseline !== undefined) return this.againstBaseline(flags.baseline, flags);
    const prepared = await prepare(flags);
    const local = prepared.inventory;
    const names = flags.name ?? selectedApps(local).filter((a) => !a.orphan).map((a) => a.name);
    const org = flags['target-org'];
    const conn = org.getConnection(flags['api-version']);
    const { orgError, retrieveApps } = await import('../../adapters/org.js');
    const fetched = await withOrg(this, `Retrieving ${names.length} app(s) from ${orgLabel(org)}`, async () => {
      try {
        return await retrieveApps(conn, names, timingOf(flags));
      } catch (e) {
        // 1 means "different": whatever went wrong with the org must not read as a result
        const err = orgError(e, 'retrieving the apps to compare');
        if (err.exitCode === 1) err.exitCode = ORG_ERROR_EXIT;
        throw err;
      }
    });
    const remote = buildInventory(fetched.sources);
    // Credentials (a consumer secret, push credentials at any depth) are never compared, so never shown (compareFiles).
    const differences = compareApps(local, remote, names);
    this.show(differences, names.length, 'Project');
    if (differences.length > 0) process.exitCode = 1;
    return { apps: names, differences, same: differences.length === 0 };
  }

  /** --baseline: the baseline file against the org as it is now (no project needed). */
  private async againstBaseline(file: string, flags: OrgRunFlags): Promise<EcaDiffResult> {
    // The file is read and validated first: a broken baseline asks nothing of the org (exit 2, a configuration error).
    let baseline: Baseline;
    try {
      baseline = readBaseline(file, process.cwd());
    } catch (e) {
      if (e instanceof InvalidBaseline) throw messages.createError('error.InvalidBaseline', [e.message], [], USAGE_EXIT);
      throw e;
    }
    const org = flags['target-org'];
    const conn = org.getConnection(flags['api-version']);
    const names = flags.name;
    const { inventory } = await retrieveOrgInventory(
      conn,
      names,
      timingOf(flags),
      (label, work) => withOrg(this, `${label} from ${orgLabel(org)}`, work),
      'retrieving the apps to compare with the baseline'
    );
    if (names) {
      const unknown = names.filter((n) => !Object.prototype.hasOwnProperty.call(baseline.apps, n) && !inventory.apps.some((a) => a.name === n));
      if (unknown.length > 0) throw messages.createError('error.UnknownApp', [file, unknown.join(', ')], [], USAGE_EXIT);
    }
    const orgId = org.getOrgId().slice(0, 15);
    if (baseline.org.id !== orgId) this.warn(messages.getMessage('warning.otherOrg', [file, baseline.org.id, orgLabel(org)]));
    const differences = compareBaseline(baseline, inventory, names);
    const apps = names ?? [...new Set([...Object.keys(baseline.apps), ...inventory.apps.filter((a) => !a.orphan).map((a) => a.name)])].sort();
    this.show(differences, apps.length, 'Baseline');
    if (differences.length > 0) process.exitCode = 1;
    return {
      apps,
      differences,
      same: differences.length === 0,
      baseline: { file, orgId: baseline.org.id, apiVersion: baseline.org.apiVersion, capturedAt: baseline.capturedAt },
    };
  }

  /** The human table (not with --json): the second column's header names what the org is compared with. */
  private show(differences: ReadonlyArray<EcaDifference | BaselineDifference>, appCount: number, against: 'Project' | 'Baseline'): void {
    if (this.jsonEnabled()) return;
    const style = terminalStyle();
    if (differences.length === 0) {
      this.log(messages.getMessage('info.same', [appCount]));
      return;
    }
    const notes = [...new Set(differences.flatMap((d) => ('note' in d && d.note ? [d.note] : [])))];
    const marker = (d: EcaDifference | BaselineDifference): string => ('note' in d && d.note ? ` ${'*'.repeat(notes.indexOf(d.note) + 1)}` : '');
    const fileOf = (d: EcaDifference | BaselineDifference): string =>
      d.localPath ?? d.orgName ?? ('baselineName' in d ? d.baselineName : undefined) ?? d.kind;
    this.log(
      renderTable(
        ['App', 'File', 'Element', against, 'Org'],
        differences.map((d) => [d.app, `${fileOf(d)}${marker(d)}`, d.element, d.local ?? style.dim('(none)'), d.org ?? style.dim('(none)')]),
        style,
        { width: terminalWidth(), shrink: [1, 2, 3, 4] }
      )
    );
    for (const [i, note] of notes.entries()) this.log(`${'*'.repeat(i + 1)} ${note}`);
    this.log(messages.getMessage('info.summary', [differences.length, new Set(differences.map((d) => d.app)).size]));
  }
}
