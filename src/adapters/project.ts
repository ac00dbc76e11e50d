/*
 * File-system adapter: finds the sfdx project (package directories, sourceApiVersion, .forceignore)
 * or the --source-dir folders, walks them for ECA and Connected App files and reads them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SfError, SfProject } from '@salesforce/core';
import ignoreModule, { type Ignore } from 'ignore';
import { classifyFileName } from '../core/model/file.js';
import { buildInventory, type Inventory, type SourceText } from '../core/project/inventory.js';

// ignore 5 is CommonJS whose typings declare an ES default export; under nodenext the default import is module.exports.
const ignore = ((ignoreModule as unknown as { default?: unknown }).default ?? ignoreModule) as unknown as () => Ignore;

export type PackageDirectory = {
  /** Absolute path. */
  readonly fullPath: string;
  /** As written in sfdx-project.json (or the --source-dir value). */
  readonly path: string;
  readonly default: boolean;
  /** The directory is a package (has `package` and `versionNumber`). */
  readonly packaged: boolean;
};

export type ProjectContext = {
  /** Folder of sfdx-project.json, when there is one. */
  readonly root: string | undefined;
  /** Where the command runs; output paths are relative to it. */
  readonly cwd: string;
  readonly packageDirs: readonly PackageDirectory[];
  /** Folders to scan: the package directories, or the --source-dir values. */
  readonly scanRoots: readonly string[];
  readonly sourceApiVersion: string | undefined;
  /** The `plugins.eca` section of sfdx-project.json. */
  readonly pluginConfig: Readonly<Record<string, unknown>> | undefined;
  readonly forceIgnore: ForceIgnore;
};

/** .forceignore semantics as SDR applies them: its default patterns, then the file's, relative to its folder. */
export class ForceIgnore {
  private static readonly DEFAULTS = [
    '**/*.dup',
    '**/.*',
    '!.sf',
    '**/.sf/**',
    '!**/.sf/orgs',
    '!**/.sf/orgs/**',
    '**/.sf/orgs/*/**',
    '!**/.sf/orgs/*/remoteMetadata',
    '!**/.sf/orgs/*/remoteMetadata/**',
    '**/package2-descriptor.json',
    '**/package2-manifest.json',
  ];

  private constructor(private readonly dir: string | undefined, private readonly parser: Ignore | undefined) {}

  /** The .forceignore of `dir` or the nearest folder above it; accepts everything when there is none. */
  public static find(dir: string): ForceIgnore {
    for (let d = resolve(dir); ; d = dirname(d)) {
      const file = join(d, '.forceignore');
      if (existsSync(file)) {
        const contents = readFileSync(file, 'utf8');
        return new ForceIgnore(d, ignore().add(`${ForceIgnore.DEFAULTS.join('\n')}\n${contents}`));
      }
      if (dirname(d) === d) return new ForceIgnore(undefined, undefined);
    }
  }

  public denies(absPath: string, isDirectory = false): boolean {
    if (!this.parser || !this.dir) return false;
    const rel = relative(this.dir, absPath).split(sep).join('/');
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return false;
    return this.parser.ignores(rel) || (isDirectory && this.parser.ignores(`${rel}/`));
  }
}

const NO_PROJECT = 'NoProjectError';

/**
 * Resolves the project. With `sourceDirs`, those folders (or files) are scanned instead of the
 * package directories, and a project is optional.
 */
export const resolveProject = async (cwd: string, sourceDirs: readonly string[] = []): Promise<ProjectContext> => {
  // The project of the current folder; failing that, the one holding the first --source-dir.
  let project: SfProject | undefined;
  for (const dir of [cwd, ...sourceDirs.slice(0, 1).map((d) => resolve(cwd, d))]) {
    try {
      project = await SfProject.resolve(dir);
      break;
    } catch (e) {
      const name = e instanceof Error ? e.name : '';
      if (name !== 'InvalidProjectWorkspaceError' && name !== 'InvalidProjectWorkspace') {
        throw new SfError(
          `sfdx-project.json could not be read: ${e instanceof Error ? e.message : String(e)}`,
          'InvalidProjectError',
          ['Fix sfdx-project.json, or pass --source-dir to scan folders without it.']
        );
      }
    }
  }
  if (!project && sourceDirs.length === 0) {
    throw new SfError(`No sfdx-project.json was found in ${cwd} or any folder above it.`, NO_PROJECT, [
      'Run the command inside an sfdx project (a folder with sfdx-project.json).',
      'Or name the folders to scan: --source-dir force-app (repeatable).',
    ]);
  }
  const root = project?.getPath();
  const packageDirs: PackageDirectory[] = (project?.getPackageDirectories() ?? []).map((p) => ({
    fullPath: p.fullPath.replace(/[\\/]+$/, ''),
    path: p.path,
    default: p.default === true,
    packaged: 'package' in p && 'versionNumber' in p && Boolean(p.package) && Boolean(p.versionNumber),
  }));
  const scanRoots = sourceDirs.length > 0 ? sourceDirs.map((d) => resolve(cwd, d)) : packageDirs.map((p) => p.fullPath);
  for (const dir of scanRoots) {
    if (!existsSync(dir)) {
      throw new SfError(`The folder ${relative(cwd, dir) || dir} does not exist.`, 'SourceDirNotFoundError', [
        sourceDirs.length > 0
          ? 'Check the --source-dir value.'
          : 'Fix the packageDirectories entry of sfdx-project.json, or create the folder.',
      ]);
    }
  }
  const json = project ? project.getSfProjectJson().getContents() : undefined;
  const plugins = json?.plugins;
  const pluginConfig = plugins && typeof plugins.eca === 'object' && plugins.eca !== null ? (plugins.eca as Record<string, unknown>) : undefined;
  return {
    root,
    cwd,
    packageDirs,
    scanRoots,
    sourceApiVersion: typeof json?.sourceApiVersion === 'string' ? json.sourceApiVersion : undefined,
    pluginConfig,
    forceIgnore: ForceIgnore.find(root ?? scanRoots[0] ?? cwd),
  };
};

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.sf', '.sfdx']);

/** Absolute paths of every ECA or Connected App file under the scan roots, sorted, .forceignore applied. */
export const findMetadataFiles = (ctx: ProjectContext): string[] => {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name) || ctx.forceIgnore.denies(full, true)) continue;
        walk(full);
      } else if (entry.isFile() && classifyFileName(entry.name) && !ctx.forceIgnore.denies(full)) {
        found.add(full);
      }
    }
  };
  for (const root of ctx.scanRoots) {
    if (statSync(root).isDirectory()) walk(root);
    else if (classifyFileName(root.slice(root.lastIndexOf(sep) + 1))) found.add(root);
  }
  return [...found].sort();
};

/** The package directory (or scan root) holding a path. */
export const packageDirOf = (ctx: ProjectContext, absPath: string): string | undefined => {
  const roots = ctx.packageDirs.length > 0 && ctx.scanRoots.every((r) => ctx.packageDirs.some((p) => p.fullPath === r))
    ? ctx.packageDirs.map((p) => p.fullPath)
    : ctx.scanRoots;
  return roots.filter((r) => absPath === r || absPath.startsWith(r + sep)).sort((a, b) => b.length - a.length)[0];
};

/** A path as users see it: relative to where the command runs, with forward slashes. */
export const displayPath = (ctx: Pick<ProjectContext, 'cwd'>, absPath: string): string => {
  const rel = relative(ctx.cwd, absPath);
  return (rel === '' ? '.' : rel.startsWith('..') && isAbsolute(absPath) && rel.split(sep).filter((s) => s === '..').length > 3 ? absPath : rel)
    .split(sep)
    .join('/');
};

/** Reads every metadata file of the project and groups them into apps. Paths are display paths. */
export const loadInventory = (ctx: ProjectContext): Inventory => {
  const sources = function* (): Generator<SourceText> {
    for (const abs of findMetadataFiles(ctx)) {
      yield { path: displayPath(ctx, abs), text: readFileSync(abs, 'utf8'), packageDir: packageDirOf(ctx, abs) };
    }
  };
  return buildInventory(sources());
};
