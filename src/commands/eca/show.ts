import { Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { displayPath, loadInventory, resolveProject } from '../../adapters/project.js';
import type { Problem } from '../../core/model/file.js';
import { type AppSummary, type ShownFile, showFile, summarizeApp, summarizeConnectedApp } from '../../core/model/summary.js';
import { ECA_FILE_KINDS } from '../../core/project/inventory.js';
import { EcaCommand } from '../../cli/command.js';
import { sourceDirFlag } from '../../cli/flags.js';
import { profilesOf } from '../../cli/profiles.js';
import { terminalStyle } from '../../cli/style.js';
import { renderShow } from '../../render/show.js';

import { errorCodesSection } from '../../cli/exitCodes.js';
Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const commonMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.common');
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.show');

export type EcaShowResult = {
  summary: AppSummary;
  /** Every file of the app with every element; secrets redacted. */
  files: ShownFile[];
  /** Problems of this app's files (duplicates, an orphan), and of its files that cannot be read. */
  problems: Problem[];
};

export default class EcaShow extends EcaCommand<EcaShowResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = errorCodesSection({
    ok: messages.getMessage('error-codes.ok'),
    result: messages.getMessage('error-codes.problems'),
    usage: commonMessages.getMessage('error-codes.usage'),
  });

  public static readonly flags = {
    name: Flags.string({ char: 'n', required: true, summary: messages.getMessage('flags.name.summary') }),
    'show-consumer-key': Flags.boolean({ summary: messages.getMessage('flags.show-consumer-key.summary') }),
    'source-dir': sourceDirFlag,
  };

  public async run(): Promise<EcaShowResult> {
    const { flags } = await this.parse(EcaShow);
    const ctx = await resolveProject(process.cwd(), flags['source-dir']);
    const inventory = loadInventory(ctx);
    const showKey = flags['show-consumer-key'];
    const app = inventory.apps.find((a) => a.name === flags.name);
    const ca = app ? undefined : inventory.connectedApps.find((c) => c.name === flags.name);
    if (!app && !ca) {
      const names = [...inventory.apps.map((a) => a.name), ...inventory.connectedApps.map((c) => `${c.name} (Connected App)`)];
      const where = ctx.scanRoots.map((r) => displayPath(ctx, r)).join(', ');
      throw messages.createError('error.AppNotFound', [flags.name, where], [names.length > 0 ? names.join(', ') : 'none']);
    }
    const summary = app ? summarizeApp(app, inventory.unreadable, (await profilesOf(ctx))(app)) : summarizeConnectedApp(ca!);
    const files = app ? ECA_FILE_KINDS.flatMap((k) => app.files[k].map((f) => showFile(f, showKey))) : [showFile(ca!.file, showKey)];
    const paths = new Set(files.map((f) => f.path));
    const problems = inventory.problems.filter((p) => paths.has(p.path) || inventory.unreadable.some((u) => u.path === p.path && u.app === flags.name));
    if (!this.jsonEnabled()) this.log(renderShow(summary, files, problems, terminalStyle()));
    if (problems.some((p) => p.severity === 'error')) process.exitCode = 1;
    return { summary, files, problems };
  }
}
