import { Messages } from '@salesforce/core/messages';
import { loadInventory, resolveProject } from '../../adapters/project.js';
import type { Problem } from '../../core/model/file.js';
import { type AppSummary, summarizeApp, summarizeConnectedApp } from '../../core/model/summary.js';
import { inSelection, releaseApp } from '../../core/project/inventory.js';
import { selectedApps, selectedConnectedApps } from '../../core/project/scope.js';
import { EcaCommand } from '../../cli/command.js';
import { sourceDirFlag } from '../../cli/flags.js';
import { profilesOf } from '../../cli/profiles.js';
import { terminalStyle, terminalWidth } from '../../cli/style.js';
import { renderList, renderProblem } from '../../render/list.js';

import { errorCodesSection } from '../../cli/exitCodes.js';
Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const commonMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.common');
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.list');

export type EcaListResult = {
  /** One entry per External Client App, then one per Connected App. */
  apps: AppSummary[];
  /** Files that could not be read, and project-level inconsistencies. */
  problems: Problem[];
};

export default class EcaList extends EcaCommand<EcaListResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = errorCodesSection({
    ok: messages.getMessage('error-codes.ok'),
    result: messages.getMessage('error-codes.problems'),
    usage: commonMessages.getMessage('error-codes.usage'),
  });

  public static readonly flags = {
    'source-dir': sourceDirFlag,
  };

  public async run(): Promise<EcaListResult> {
    const { flags } = await this.parse(EcaList);
    const ctx = await resolveProject(process.cwd(), flags['source-dir']);
    const inventory = loadInventory(ctx);
    const profileOf = await profilesOf(ctx);
    // A selection (--source-dir) limits what is listed; files are still grouped with the whole project.
    const apps = [
      ...selectedApps(inventory).map((app) => {
        const summary = summarizeApp(app, inventory.unreadable, profileOf(app));
        releaseApp(app);
        return summary;
      }),
      ...selectedConnectedApps(inventory).map(summarizeConnectedApp),
    ];
    const problems = inventory.problems.filter((p) => inSelection(inventory, p.path));
    if (!this.jsonEnabled()) {
      const style = terminalStyle();
      this.log(renderList(apps, style, terminalWidth()));
      if (problems.length > 0) {
        this.log(`\n${style.bold(messages.getMessage('problems'))}\n${problems.map((p) => `  ${renderProblem(p)}`).join('\n')}`);
      }
    }
    if (problems.some((p) => p.severity === 'error')) process.exitCode = 1;
    return { apps, problems };
  }
}
