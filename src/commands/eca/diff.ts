import { Messages } from '@salesforce/core/messages';
import { buildInventory } from '../../core/project/inventory.js';
import { compareApps, type EcaDifference } from '../../core/sync/merge.js';
import { prepare } from '../../cli/check.js';
import { sourceDirFlag } from '../../cli/flags.js';
import { appNameFlag, ORG_ERROR_EXIT, orgFlags, orgLabel, timingOf, withOrg } from '../../cli/org.js';
import { terminalStyle } from '../../cli/style.js';
import { renderTable } from '../../render/style.js';

import { selectedApps } from '../../core/project/scope.js';
import { EcaCommand } from '../../cli/command.js';

import { errorCodesSection } from '../../cli/exitCodes.js';
Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.diff');

export type { EcaDifference } from '../../core/sync/merge.js';

export type EcaDiffResult = {
  apps: string[];
  differences: EcaDifference[];
  same: boolean;
};

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
  };

  public async run(): Promise<EcaDiffResult> {
    const { flags } = await this.parse(EcaDiff);
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
    if (!this.jsonEnabled()) {
      const style = terminalStyle();
      if (differences.length === 0) this.log(messages.getMessage('info.same', [names.length]));
      else {
        this.log(
          renderTable(
            ['App', 'File', 'Element', 'Project', 'Org'],
            differences.map((d) => [d.app, d.localPath ?? d.orgName ?? d.kind, d.element, d.local ?? style.dim('(none)'), d.org ?? style.dim('(none)')]),
            style
          )
        );
        this.log(messages.getMessage('info.summary', [differences.length, new Set(differences.map((d) => d.app)).size]));
      }
    }
    if (differences.length > 0) process.exitCode = 1;
    return { apps: names, differences, same: differences.length === 0 };
  }
}
