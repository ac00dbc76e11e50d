import { dirname, join, relative } from 'node:path';
import { Flags, SfCommand, toHelpSection } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { displayPath } from '../../adapters/project.js';
import { createFiles, writeAllAtomic } from '../../adapters/write.js';
import { isProblem, MetadataFile } from '../../core/model/file.js';
import { buildInventory, ECA_FILE_KINDS, fileOf } from '../../core/project/inventory.js';
import { applyEdits } from '../../core/rules/fix.js';
import { mergeEdits, withoutSecrets } from '../../core/sync/merge.js';
import { prepare } from '../../cli/check.js';
import { sourceDirFlag } from '../../cli/flags.js';
import { appNameFlag, orgFlags, timingOf, withOrg } from '../../cli/org.js';
import { terminalStyle } from '../../cli/style.js';
import { unifiedDiff } from '../../render/diff.js';
import { renderTable } from '../../render/style.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.retrieve');

export type RetrievedFile = {
  path: string;
  app: string;
  type: string;
  action: 'created' | 'updated' | 'unchanged';
  /** Elements left out (the consumer secret). */
  leftOut: string[];
};

export type EcaRetrieveResult = {
  apps: string[];
  files: RetrievedFile[];
  dryRun: boolean;
  diff?: string;
};

export default class EcaRetrieve extends SfCommand<EcaRetrieveResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = toHelpSection('ERROR CODES', {
    '0': 'Retrieved (or shown with --dry-run).',
    '1': 'An app is not in the org, or the org could not be reached; nothing was written.',
  });

  public static readonly flags = {
    ...orgFlags,
    name: appNameFlag,
    all: Flags.boolean({ summary: messages.getMessage('flags.all.summary'), exclusive: ['name'] }),
    'source-dir': sourceDirFlag,
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary') }),
  };

  public async run(): Promise<EcaRetrieveResult> {
    const { flags } = await this.parse(EcaRetrieve);
    const prepared = await prepare(flags);
    const { inventory, project } = prepared;
    const names = flags.all ? undefined : (flags.name ?? inventory.apps.filter((a) => !a.orphan).map((a) => a.name));
    if (names?.length === 0) throw messages.createError('error.NoApps');
    const conn = flags['target-org'].getConnection(flags['api-version']);
    const { retrieveApps } = await import('../../adapters/org.js');
    const fetched = await withOrg(this, 'Retrieving from the org', () => retrieveApps(conn, names, timingOf(flags)));
    if (fetched.missing.length > 0) throw messages.createError('error.NotInOrg', [fetched.missing.join(', ')], [fetched.orgAppNames.join(', ') || 'none']);
    const remote = buildInventory(fetched.sources);
    const defaultDir = project.packageDirs.find((p) => p.default) ?? project.packageDirs[0];
    const defaultBase = defaultDir ? join(defaultDir.fullPath, 'main', 'default') : (project.root ?? project.cwd);
    const files: RetrievedFile[] = [];
    const edited: Array<{ path: string; before: string; after: string }> = [];
    const created: Array<{ path: string; text: string }> = [];
    const notes: string[] = [];
    for (const app of remote.apps) {
      const local = inventory.apps.find((a) => a.name === app.name);
      const header = local ? fileOf(local, 'header') : undefined;
      const base = header ? dirname(dirname(join(project.cwd, header.path))) : defaultBase;
      for (const kind of ECA_FILE_KINDS) {
        for (const theirs of app.files[kind]) {
          const { removed } = withoutSecrets(theirs);
          if (removed.length > 0) notes.push(messages.getMessage('info.secret', [`${app.name} ${theirs.type.title}`]));
          const mine = local?.files[kind].find((f) => f.fullName === theirs.fullName);
          if (kind === 'oauthPolicies' && local) {
            for (const stale of local.files.oauthPolicies.filter((f) => f.fullName !== theirs.fullName)) {
              notes.push(messages.getMessage('info.staleName', [app.name, theirs.fullName, stale.path]));
            }
          }
          if (mine) {
            const { changes } = applyEdits(new Map([[mine.path, mine]]), [{ label: 'retrieve', fix: { path: mine.path, edits: mergeEdits(mine, theirs), description: 'org content' } }]);
            const change = changes[0];
            if (change) edited.push({ path: change.path, before: change.before, after: change.after });
            files.push({ path: mine.path, app: app.name, type: theirs.type.name, action: change ? 'updated' : 'unchanged', leftOut: removed });
          } else {
            const path = displayPath(project, join(base, theirs.type.directory, `${theirs.fullName}.${theirs.type.suffix}-meta.xml`));
            created.push({ path, text: theirs.source });
            files.push({ path, app: app.name, type: theirs.type.name, action: 'created', leftOut: removed });
          }
        }
      }
    }
    const outside = created.find((c) => relative(project.root ?? project.cwd, join(project.cwd, c.path)).startsWith('..'));
    if (outside) throw new Error(`refusing to write outside the project: ${outside.path}`);
    // Every retrieved file must read back (the org's text, less the secret) before anything is written.
    for (const c of created) if (isProblem(MetadataFile.read(c.path, c.text))) throw new Error(`the org returned an unreadable file: ${c.path}`);
    const dryRun = flags['dry-run'];
    if (!dryRun) {
      if (edited.length > 0) writeAllAtomic(project.cwd, edited);
      if (created.length > 0) createFiles(project.cwd, created, false);
    }
    const diff = dryRun ? unifiedDiff([...edited, ...created.map((c) => ({ path: c.path, before: '', after: c.text }))]) : undefined;
    if (!this.jsonEnabled()) {
      const style = terminalStyle();
      if (diff) this.log(diff.trimEnd());
      if (files.length > 0) {
        this.log(renderTable(['Action', 'App', 'Type', 'File'], files.map((f) => [f.action, f.app, f.type, `${f.path}${f.leftOut.length > 0 ? ' (secret left out)' : ''}`]), style));
      }
      for (const n of notes) this.info(n);
      const count = (a: string): number => files.filter((f) => f.action === a).length;
      this.log(messages.getMessage('info.summary', [count('created'), count('updated'), count('unchanged')]));
    }
    return { apps: remote.apps.map((a) => a.name), files, dryRun, ...(diff !== undefined ? { diff } : {}) };
  }
}
