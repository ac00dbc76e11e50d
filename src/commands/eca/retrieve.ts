import { Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { selectedApps } from '../../core/project/scope.js';
import { prepare } from '../../cli/check.js';
import { EcaCommand } from '../../cli/command.js';
import { sourceDirFlag } from '../../cli/flags.js';
import { appNameFlag, orgFlags, timingOf, withOrg } from '../../cli/org.js';
import { terminalStyle, terminalWidth } from '../../cli/style.js';
import { renderTable } from '../../render/style.js';
import { NotInOrg, retrieveIntoProject, type RetrievedFile } from '../../usecases/retrieve.js';

import { errorCodesSection, orgFailureMeanings } from '../../cli/exitCodes.js';
Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const commonMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.common');
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.retrieve');

export type { RetrievedFile } from '../../usecases/retrieve.js';

export type EcaRetrieveResult = {
  apps: string[];
  files: RetrievedFile[];
  dryRun: boolean;
  diff?: string;
};

export default class EcaRetrieve extends EcaCommand<EcaRetrieveResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = errorCodesSection({
    ok: 'Retrieved (or shown with --dry-run).',
    result: 'An app is not in the org; nothing was written.',
    usage: commonMessages.getMessage('error-codes.usage'),
    ...orgFailureMeanings(),
  });

  public static readonly flags = {
    ...orgFlags,
    name: appNameFlag,
    all: Flags.boolean({ summary: messages.getMessage('flags.all.summary'), exclusive: ['name'] }),
    'source-dir': sourceDirFlag,
    'dry-run': Flags.boolean({ default: false, summary: messages.getMessage('flags.dry-run.summary') }),
  };

  public async run(): Promise<EcaRetrieveResult> {
    const { flags } = await this.parse(EcaRetrieve);
    const { inventory, project } = await prepare(flags);
    const names = flags.all ? undefined : (flags.name ?? selectedApps(inventory).filter((a) => !a.orphan).map((a) => a.name));
    if (names?.length === 0) throw messages.createError('error.NoApps');
    const conn = flags['target-org'].getConnection(flags['api-version']);
    const dryRun = flags['dry-run'];
    let run;
    try {
      run = await retrieveIntoProject(conn, project, inventory, names, { dryRun, timing: timingOf(flags) }, (label, work) => withOrg(this, label, work));
    } catch (e) {
      if (e instanceof NotInOrg) throw messages.createError('error.NotInOrg', [e.missing.join(', ')], [e.known.join(', ') || 'none']);
      throw e;
    }
    const files: RetrievedFile[] = [...run.files];
    if (!this.jsonEnabled()) {
      const style = terminalStyle();
      if (run.diff) this.log(run.diff.trimEnd());
      if (files.length > 0) {
        this.log(renderTable(['Action', 'App', 'Type', 'File'], files.map((f) => [f.action, f.app, f.type, `${f.path}${f.leftOut.length > 0 ? ' (secret left out)' : ''}`]), style, { width: terminalWidth(), shrink: [3] }));
      }
      for (const n of run.notes) this.info(messages.getMessage(n.key, [...n.args]));
      const count = (a: string): number => files.filter((f) => f.action === a).length;
      this.log(messages.getMessage('info.summary', [count('created'), count('updated'), count('unchanged')]));
    }
    return { apps: [...run.apps], files, dryRun, ...(run.diff !== undefined ? { diff: run.diff } : {}) };
  }
}
