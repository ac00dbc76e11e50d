/*
 * `eca retrieve`: the org's files merged into the project through the change pipeline — existing
 * files change only where the org's content differs, new files are created, a consumer secret is
 * never written.
 */
import { dirname, join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { displayPath, type ProjectContext } from '../adapters/project.js';
import { commitChanges } from '../adapters/write.js';
import type { Timing } from '../adapters/org.js';
import { creations, planEdits, union, type ChangeSet } from '../core/change/plan.js';
import { buildInventory, ECA_FILE_KINDS, fileOf, type Inventory } from '../core/project/inventory.js';
import { mergeEdits, withoutSecrets } from '../core/sync/merge.js';
import { unifiedDiff } from '../render/diff.js';

export type RetrievedFile = {
  path: string;
  app: string;
  type: string;
  action: 'created' | 'updated' | 'unchanged';
  /** Elements left out (the consumer secret). */
  leftOut: string[];
};

export type RetrieveRun = {
  readonly apps: readonly string[];
  readonly files: readonly RetrievedFile[];
  readonly set: ChangeSet;
  readonly diff: string | undefined;
  /** Notes for people: secrets left out, a local policies file under another name than the org's. */
  readonly notes: ReadonlyArray<{ readonly key: 'info.secret' | 'info.staleName'; readonly args: readonly string[] }>;
};

export class NotInOrg extends Error {
  public constructor(public readonly missing: readonly string[], public readonly known: readonly string[]) {
    super(`not in the org: ${missing.join(', ')}`);
    this.name = 'NotInOrg';
  }
}

export const retrieveIntoProject = async (
  conn: Connection,
  project: ProjectContext,
  inventory: Inventory,
  names: readonly string[] | undefined,
  options: { readonly dryRun: boolean; readonly timing: Timing },
  step: <T>(label: string, work: () => Promise<T>) => Promise<T>
): Promise<RetrieveRun> => {
  const { retrieveApps } = await import('../adapters/org.js');
  const fetched = await step('Retrieving from the org', () => retrieveApps(conn, names, options.timing));
  if (fetched.missing.length > 0) throw new NotInOrg(fetched.missing, fetched.orgAppNames);
  const remote = buildInventory(fetched.sources);
  const defaultDir = project.packageDirs.find((p) => p.default) ?? project.packageDirs[0];
  const defaultBase = defaultDir ? join(defaultDir.fullPath, 'main', 'default') : (project.root ?? project.cwd);
  const files: RetrievedFile[] = [];
  const edits: ChangeSet[] = [];
  const created: Array<{ path: string; text: string; description: string }> = [];
  const notes: Array<RetrieveRun['notes'][number]> = [];
  for (const app of remote.apps) {
    const local = inventory.apps.find((a) => a.name === app.name);
    const header = local ? fileOf(local, 'header') : undefined;
    const base = header ? dirname(dirname(join(project.cwd, header.path))) : defaultBase;
    for (const kind of ECA_FILE_KINDS) {
      for (const remoteFile of app.files[kind]) {
        const { file: theirs, removed } = withoutSecrets(remoteFile);
        if (removed.length > 0) notes.push({ key: 'info.secret', args: [`${app.name} ${theirs.type.title}`, removed.join(', ')] });
        const mine = local?.files[kind].find((f) => f.fullName === theirs.fullName);
        if (kind === 'oauthPolicies' && local) {
          for (const stale of local.files.oauthPolicies.filter((f) => f.fullName !== theirs.fullName)) {
            notes.push({ key: 'info.staleName', args: [app.name, theirs.fullName, stale.path] });
          }
        }
        if (mine) {
          const set = planEdits(new Map([[mine.path, mine]]), [{ label: 'retrieve', fix: { path: mine.path, edits: mergeEdits(mine, theirs), description: 'org content', class: 'safe' } }]);
          edits.push(set);
          files.push({ path: mine.path, app: app.name, type: theirs.type.name, action: set.changes.length > 0 ? 'updated' : 'unchanged', leftOut: removed });
        } else {
          const path = displayPath(project, join(base, theirs.type.directory, `${theirs.fullName}.${theirs.type.suffix}-meta.xml`));
          created.push({ path, text: theirs.source, description: 'retrieved from the org' });
          files.push({ path, app: app.name, type: theirs.type.name, action: 'created', leftOut: removed });
        }
      }
    }
  }
  const set = union(...edits, creations(created, 'retrieve'));
  if (!options.dryRun) commitChanges(set, { cwd: project.cwd, root: project.root ?? project.cwd });
  return { apps: remote.apps.map((a) => a.name), files, set, diff: options.dryRun ? unifiedDiff(set.changes) : undefined, notes };
};
