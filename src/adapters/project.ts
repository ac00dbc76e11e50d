/*
 * File-system adapter: finds the sfdx project (package directories, sourceApiVersion, .forceignore)
 * and the --source-dir selection, walks the folders for ECA and Connected App files and reads them.
 *
 * What is read is bounded: package directories must be inside the project, .forceignore is capped,
 * symbolic links are followed only while they stay inside the project (or the scan root), and a file
 * that cannot be read (permissions, encoding, links) becomes a problem, never an aborted command.
 * .forceignore decides what a deploy sends, not what is checked: ECA files it denies are read all
 * the same and marked `ignored`.
 */
import { closeSync, type Dirent, existsSync, fstatSync, openSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Messages, SfError, SfProject } from '@salesforce/core';
import ignoreModule, { type Ignore } from 'ignore';
import { classifyFileName } from '../core/model/file.js';
import { buildInventory, type Inventory, type SourceText } from '../core/project/inventory.js';
import { MAX_XML_CHARS } from '../core/xml/parse.js';
import { decodeMetadataBytes, isDecodeProblem } from './decode.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.common');

// ignore 5 is CommonJS whose typings declare an ES default export; under nodenext the default import is module.exports.
const ignore = ((ignoreModule as unknown as { default?: unknown }).default ?? ignoreModule) as unknown as () => Ignore;

/** Exit code of configuration errors (as CONFIG_EXIT_CODE in config.ts, which imports this module). */
const CONFIG_EXIT = 2;
/** Largest .forceignore read, and its longest line: the ignore library's cost grows with both. */
export const MAX_FORCEIGNORE_BYTES = 1024 * 1024;
export const MAX_FORCEIGNORE_LINE = 4096;
/** Every path is matched against every pattern: at 5,000 patterns a path costs milliseconds already. */
export const MAX_FORCEIGNORE_PATTERNS = 5000;
/** A metadata file over this many bytes has more than MAX_XML_CHARS characters: refused unread. */
const MAX_METADATA_BYTES = 3 * MAX_XML_CHARS;

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
  /**
   * Folders (or files) read: every package directory plus the --source-dir values outside them;
   * without a project, the --source-dir values.
   */
  readonly scanRoots: readonly string[];
  /** The --source-dir values (absolute): what commands report. Undefined without --source-dir. */
  readonly selection: readonly string[] | undefined;
  readonly sourceApiVersion: string | undefined;
  /** The `plugins.eca` section of sfdx-project.json. */
  readonly pluginConfig: Readonly<Record<string, unknown>> | undefined;
  readonly forceIgnore: ForceIgnore;
};

/** What .forceignore says of a path: read it, read it but mark it ignored, or leave it unread (SDR's default patterns). */
export type IgnoreDecision = 'accept' | 'ignore' | 'skip';

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

  private constructor(
    private readonly dir: string | undefined,
    private readonly parser: Ignore | undefined,
    private readonly defaults: Ignore | undefined
  ) {}

  /**
   * The .forceignore of `dir` or the nearest folder above it; accepts everything when there is none.
   * Refuses (exit code 2) a file over 1 MiB or with a line over 4 KiB, which would stall every command.
   */
  public static find(dir: string, display: (abs: string) => string = (p) => p): ForceIgnore {
    for (let d = resolve(dir); ; d = dirname(d)) {
      const file = join(d, '.forceignore');
      if (existsSync(file)) {
        const contents = ForceIgnore.read(file, display(file));
        return new ForceIgnore(
          d,
          ignore().add(`${ForceIgnore.DEFAULTS.join('\n')}\n${contents}`),
          ignore().add(ForceIgnore.DEFAULTS.join('\n'))
        );
      }
      if (dirname(d) === d) return new ForceIgnore(undefined, undefined, undefined);
    }
  }

  private static read(file: string, shown: string): string {
    let contents: string;
    try {
      const size = statSync(file).size;
      if (size > MAX_FORCEIGNORE_BYTES) {
        throw messages.createError('error.ForceIgnoreTooLarge', [shown, (size / 1024 / 1024).toFixed(1)], [], CONFIG_EXIT);
      }
      contents = readFileSync(file, 'utf8');
    } catch (e) {
      if (e instanceof SfError) throw e;
      const code = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
      throw messages.createError('error.ForceIgnoreUnreadable', [shown, code], [], CONFIG_EXIT);
    }
    let line = 1;
    let start = 0;
    let patterns = 0;
    for (let i = contents.indexOf('\n'); ; i = contents.indexOf('\n', start)) {
      const end = i < 0 ? contents.length : i;
      if (end - start > MAX_FORCEIGNORE_LINE) {
        throw messages.createError('error.ForceIgnoreLineTooLong', [shown, line, end - start, MAX_FORCEIGNORE_LINE], [], CONFIG_EXIT);
      }
      const first = contents.slice(start, Math.min(end, start + 64)).trimStart();
      if (first !== '' && !first.startsWith('#') && ++patterns > MAX_FORCEIGNORE_PATTERNS) {
        throw messages.createError('error.ForceIgnoreTooManyPatterns', [shown, MAX_FORCEIGNORE_PATTERNS], [], CONFIG_EXIT);
      }
      if (i < 0) break;
      start = i + 1;
      line++;
    }
    return contents;
  }

  public denies(absPath: string, isDirectory = false): boolean {
    return this.decide(absPath, isDirectory) !== 'accept';
  }

  /** 'skip' when SDR's default patterns deny the path (dot files, .sf, *.dup), 'ignore' when the project's patterns do. */
  public decide(absPath: string, isDirectory = false): IgnoreDecision {
    if (!this.parser || !this.defaults || !this.dir) return 'accept';
    const rel = relative(this.dir, absPath).split(sep).join('/');
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return 'accept';
    const denied = (p: Ignore): boolean => p.ignores(rel) || (isDirectory && p.ignores(`${rel}/`));
    if (!denied(this.parser)) return 'accept';
    return denied(this.defaults) ? 'skip' : 'ignore';
  }
}

const NO_PROJECT = 'NoProjectError';

/** `inner` is `outer` or inside it. */
const isInside = (inner: string, outer: string): boolean => {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

const realpathOr = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/** The shape SfProject assumes without checking (a wrong one ends in a TypeError, exit code 10). */
const checkProjectShape = (contents: unknown, shown: string): void => {
  const fail = (key: string, problem: string): never => {
    throw messages.createError('error.InvalidProjectShape', [shown, key, problem], [], CONFIG_EXIT);
  };
  if (typeof contents !== 'object' || contents === null || Array.isArray(contents)) fail('(the file)', `must hold a JSON object, not ${typeName(contents)}`);
  const dirs = (contents as Record<string, unknown>).packageDirectories;
  if (!Array.isArray(dirs)) {
    fail('packageDirectories', dirs === undefined ? 'is missing: it must be a list such as [{ "path": "force-app", "default": true }]' : `must be a list such as [{ "path": "force-app", "default": true }], not ${typeName(dirs)}`);
  }
  (dirs as unknown[]).forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      fail(`packageDirectories[${i}]`, `must be an object such as { "path": "force-app" }, not ${typeName(entry)}`);
    }
    const path = (entry as Record<string, unknown>).path;
    if (typeof path !== 'string' || path.trim() === '') {
      fail(`packageDirectories[${i}].path`, `must be the folder's path as a non-empty string, not ${typeof path === 'string' ? 'an empty string' : typeName(path)}`);
    }
  });
};

/** Roots that are not inside another root, each once, in their order. */
const outermost = (roots: readonly string[]): string[] =>
  roots.filter((r, i) => !roots.some((o, j) => (o === r ? j < i : isInside(r, o))));

/**
 * Resolves the project. Every package directory is read; --source-dir values outside them are read
 * too, and the --source-dir values are the selection (what commands report). Without a project,
 * the --source-dir values are what is read.
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
          ['Fix sfdx-project.json, or pass --source-dir to scan folders without it.'],
          CONFIG_EXIT
        );
      }
    }
  }
  if (!project && sourceDirs.length === 0) {
    throw new SfError(`No sfdx-project.json was found in ${cwd} or any folder above it.`, NO_PROJECT, [
      'Run the command inside an sfdx project (a folder with sfdx-project.json).',
      'Or name the folders to scan: --source-dir force-app (repeatable).',
    ], 2); // a usage error in every command
  }
  const root = project?.getPath();
  const show = (abs: string): string => displayPath({ cwd }, abs);
  const json = project ? project.getSfProjectJson().getContents() : undefined;
  let packageDirs: PackageDirectory[] = [];
  if (project && root) {
    const shown = show(join(root, 'sfdx-project.json'));
    checkProjectShape(json, shown);
    let dirs;
    try {
      dirs = project.getPackageDirectories();
    } catch (e) {
      if (e instanceof SfError) throw e;
      throw messages.createError('error.InvalidProjectShape', [shown, 'packageDirectories', `cannot be read (${e instanceof Error ? e.message : String(e)})`], [], CONFIG_EXIT);
    }
    const realRoot = realpathOr(root);
    packageDirs = dirs.map((p, i) => {
      const fullPath = resolve(root, p.path);
      if (!isInside(fullPath, root) || !isInside(realpathOr(fullPath), realRoot)) {
        throw messages.createError('error.PackageDirOutsideProject', [shown, i, p.path, show(root) === '.' ? root : show(root)], [], CONFIG_EXIT);
      }
      return {
        fullPath,
        path: p.path,
        default: p.default === true,
        packaged: 'package' in p && 'versionNumber' in p && Boolean(p.package) && Boolean(p.versionNumber),
      };
    });
  }
  const explicit = sourceDirs.map((d) => resolve(cwd, d));
  for (const dir of explicit) {
    if (!existsSync(dir)) {
      throw new SfError(`The folder ${relative(cwd, dir) || dir} does not exist.`, 'SourceDirNotFoundError', ['Check the --source-dir value.'], 2);
    }
  }
  // With --source-dir, a package directory that does not exist is passed over; without, it is an error.
  const existing = packageDirs.filter((p) => explicit.length === 0 || existsSync(p.fullPath));
  for (const p of existing) {
    if (!existsSync(p.fullPath)) {
      throw new SfError(`The folder ${relative(cwd, p.fullPath) || p.fullPath} does not exist.`, 'SourceDirNotFoundError', [
        'Fix the packageDirectories entry of sfdx-project.json, or create the folder.',
      ], 2);
    }
  }
  const scanRoots = project
    ? outermost([...existing.map((p) => p.fullPath), ...explicit.filter((d) => !packageDirs.some((p) => isInside(d, p.fullPath)))])
    : outermost(explicit);
  const plugins = json?.plugins;
  const pluginConfig = plugins && typeof plugins.eca === 'object' && plugins.eca !== null ? (plugins.eca as Record<string, unknown>) : undefined;
  return {
    root,
    cwd,
    packageDirs,
    scanRoots,
    selection: explicit.length > 0 ? explicit : undefined,
    sourceApiVersion: typeof json?.sourceApiVersion === 'string' ? json.sourceApiVersion : undefined,
    pluginConfig,
    forceIgnore: ForceIgnore.find(root ?? scanRoots[0] ?? cwd, show),
  };
};

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.sf', '.sfdx']);

/**
 * What join(dir, name) puts before an entry `name` of the folder `dir` (a name read from a folder has no separator and
 * is never '.' or '..'): `dir/` when `dir` is a normalised absolute path, as the walk passes on; undefined otherwise
 * (then join decides).
 */
const NORMAL_DIR = /^\/(?:[^/]+\/)*[^/]+$/;
const DOT_SEGMENT = /\/\.\.?(\/|$)/;
const entryPrefix = (dir: string): string | undefined =>
  sep !== '/' ? undefined : dir === '/' ? '/' : NORMAL_DIR.test(dir) && !DOT_SEGMENT.test(dir) ? `${dir}/` : undefined;

/** The file-system calls the reader makes; tests inject failures (EACCES cannot be simulated as root). */
export type FileSystem = {
  readonly readdir: (dir: string) => Dirent[];
  readonly readFile: (path: string) => Buffer;
  /** Follows links. */
  readonly stat: (path: string) => { isFile(): boolean; isDirectory(): boolean; readonly size: number };
  readonly realpath: (path: string) => string;
};

export const NODE_FS: FileSystem = {
  readdir: (dir) => readdirSync(dir, { withFileTypes: true }),
  readFile: (path) => readFileSync(path),
  stat: (path) => statSync(path),
  realpath: (path) => realpathSync(path),
};

export type FoundProblem = { readonly code: string; readonly message: string };

/** A candidate found by the walk: a metadata file to read, or a path that could not be followed or listed. */
export type FoundFile = {
  /** As reached (a link keeps its own path). */
  readonly abs: string;
  /** Denied by .forceignore (the file or a folder above it). */
  readonly ignored: boolean;
  readonly problem?: FoundProblem;
};

const errorCode = (e: unknown): string => (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));

const unreadable = (e: unknown, what: string): FoundProblem => ({
  code: 'UnreadableFile',
  message: `the ${what} cannot be read (${errorCode(e)})`,
});

/**
 * Every ECA or Connected App file under the scan roots, sorted by path, with the folders and links that
 * could not be followed. Files and folders .forceignore denies are included and marked; SDR's default
 * patterns (dot files, .sf) and node_modules, .git, .sf, .sfdx are not entered.
 */
export const scanMetadataFiles = (ctx: ProjectContext, fs: FileSystem = NODE_FS): FoundFile[] => {
  // Real path → what was found there (a file reached by a link and by its own path is read once).
  const files = new Map<string, FoundFile>();
  const problems: FoundFile[] = [];
  const visited = new Set<string>();
  type Link = { readonly abs: string; readonly parentReal: string; readonly bound: string; readonly ignored: boolean };
  const links: Link[] = [];

  const addFile = (abs: string, real: string, ignored: boolean): void => {
    if (!files.has(real)) files.set(real, { abs, ignored });
  };

  const walk = (dir: string, realDir: string, bound: string, ignored: boolean): void => {
    visited.add(realDir);
    let entries: Dirent[];
    try {
      entries = fs.readdir(dir);
    } catch (e) {
      problems.push({ abs: dir, ignored, problem: unreadable(e, 'folder') });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const prefix = entryPrefix(dir);
    const realPrefix = entryPrefix(realDir);
    const realChild = (name: string): string => (realPrefix === undefined ? join(realDir, name) : realPrefix + name);
    for (const entry of entries) {
      const full = prefix === undefined ? join(dir, entry.name) : prefix + entry.name;
      if (entry.isSymbolicLink()) {
        links.push({ abs: full, parentReal: realDir, bound, ignored });
      } else if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        const decision = ctx.forceIgnore.decide(full, true);
        if (decision !== 'skip') walk(full, realChild(entry.name), bound, ignored || decision === 'ignore');
      } else if (entry.isFile() && classifyFileName(entry.name)) {
        const decision = ctx.forceIgnore.decide(full);
        if (decision !== 'skip') addFile(full, realChild(entry.name), ignored || decision === 'ignore');
      }
    }
  };

  const follow = (link: Link): void => {
    const name = link.abs.slice(link.abs.lastIndexOf(sep) + 1);
    const isMetadata = classifyFileName(name) !== undefined;
    // A link SDR's default patterns skip (a dot file) is not followed at all.
    if (SKIPPED_DIRS.has(name) || ctx.forceIgnore.decide(link.abs) === 'skip') return;
    let real: string;
    let stat;
    try {
      real = fs.realpath(link.abs);
      stat = fs.stat(link.abs);
    } catch (e) {
      const code = errorCode(e);
      if (code === 'ELOOP') problems.push({ abs: link.abs, ignored: link.ignored, problem: { code: 'SymlinkLoop', message: 'the symbolic link loops (it leads back to itself)' } });
      else if (code === 'ENOENT') {
        if (isMetadata) problems.push({ abs: link.abs, ignored: link.ignored, problem: { code: 'UnreadableFile', message: 'the symbolic link points to nothing (its target does not exist)' } });
      } else problems.push({ abs: link.abs, ignored: link.ignored, problem: unreadable(e, 'symbolic link') });
      return;
    }
    const isDir = stat.isDirectory();
    if (isDir ? SKIPPED_DIRS.has(name) : !(stat.isFile() && isMetadata)) return;
    const decision = ctx.forceIgnore.decide(link.abs, isDir);
    if (decision === 'skip') return;
    const ignored = link.ignored || decision === 'ignore';
    if (!isInside(real, link.bound)) {
      problems.push({
        abs: link.abs,
        ignored,
        problem: { code: 'SymlinkOutside', message: `the symbolic link leads outside the ${ctx.root ? 'project' : 'scanned folder'}: it is not read (a deploy would follow it)` },
      });
      return;
    }
    if (!isDir) {
      addFile(link.abs, real, ignored);
    } else if (isInside(link.parentReal, real)) {
      problems.push({ abs: link.abs, ignored, problem: { code: 'SymlinkLoop', message: 'the symbolic link loops (it leads to a folder that holds it)' } });
    } else if (!visited.has(real)) {
      walk(link.abs, real, link.bound, ignored);
    }
  };

  for (const root of ctx.scanRoots) {
    const bound = realpathOr(ctx.root && isInside(root, ctx.root) ? ctx.root : root);
    const realRoot = realpathOr(root);
    let stat;
    try {
      stat = fs.stat(root);
    } catch (e) {
      problems.push({ abs: root, ignored: false, problem: unreadable(e, 'folder') });
      continue;
    }
    if (stat.isDirectory()) {
      walk(root, realRoot, bound, ctx.forceIgnore.decide(root, true) === 'ignore');
    } else if (stat.isFile() && classifyFileName(root.slice(root.lastIndexOf(sep) + 1))) {
      const decision = ctx.forceIgnore.decide(root);
      addFile(root, realRoot, decision !== 'accept');
    }
  }
  // Links last: a folder reached by its own path and by a link is read under its own path.
  for (let i = 0; i < links.length; i++) follow(links[i] as Link);
  return [...files.values(), ...problems].sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0));
};

/** Absolute paths of the ECA and Connected App files a deploy would send (.forceignore applied), sorted. */
export const findMetadataFiles = (ctx: ProjectContext, fs: FileSystem = NODE_FS): string[] =>
  scanMetadataFiles(ctx, fs)
    .filter((f) => !f.ignored && !f.problem)
    .map((f) => f.abs);

/** The package directory holding a path; failing that, the scan root holding it. */
export const packageDirOf = (ctx: Pick<ProjectContext, 'packageDirs' | 'scanRoots'>, absPath: string): string | undefined => {
  const longest = (roots: readonly string[]): string | undefined =>
    roots.filter((r) => absPath === r || absPath.startsWith(r + sep)).sort((a, b) => b.length - a.length)[0];
  return longest(ctx.packageDirs.map((p) => p.fullPath)) ?? longest(ctx.scanRoots);
};

/** A path as users see it: relative to where the command runs, with forward slashes. */
/** The last folder displayPath was asked about, as `folder/` when it is a normalised absolute path (else undefined). */
let lastCwd: { readonly cwd: string; readonly prefix: string | undefined } | undefined;
/** A path below `cwd` whose rest has no empty, '.' or '..' segment is its own relative path (path.relative would say so). */
const UNCLEAN_REST = /^\/|\/\/|(^|\/)\.\.?(\/|$)|\/$/;
const fastRelative = (cwd: string, absPath: string): string | undefined => {
  if (sep !== '/') return undefined;
  if (lastCwd?.cwd !== cwd) lastCwd = { cwd, prefix: isAbsolute(cwd) && resolve(cwd) === cwd ? (cwd.endsWith('/') ? cwd : `${cwd}/`) : undefined };
  const prefix = lastCwd.prefix;
  if (prefix === undefined || absPath.length <= prefix.length || !absPath.startsWith(prefix)) return undefined;
  const rest = absPath.slice(prefix.length);
  return UNCLEAN_REST.test(rest) ? undefined : rest;
};

export const displayPath = (ctx: Pick<ProjectContext, 'cwd'>, absPath: string): string => {
  const rel = fastRelative(ctx.cwd, absPath) ?? relative(ctx.cwd, absPath);
  return (rel === '' ? '.' : rel.startsWith('..') && isAbsolute(absPath) && rel.split(sep).filter((s) => s === '..').length > 3 ? absPath : rel)
    .split(sep)
    .join('/');
};

/**
 * The bytes of a file of at most `max` bytes (undefined when it is larger), through one open file: the size comes from
 * the open file (fstat), not from a second lookup of the path (at 50,000 files, stat by path cost 150 ms).
 */
const readBoundedNode = (abs: string, max: number): Buffer | undefined => {
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (e) {
    // As stat-then-read would: a file too large to read is that, even when it could not be opened either.
    let size = -1;
    try {
      size = statSync(abs).size;
    } catch {
      // the open's error says why
    }
    if (size > max) return undefined;
    throw e;
  }
  try {
    if (fstatSync(fd).size > max) return undefined;
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
};

/** The bytes of a file of at most `max` bytes, undefined when it is larger. */
const readBounded = (fs: FileSystem, abs: string, max: number): Buffer | undefined => {
  // An injected file system (tests) is asked through its own calls.
  if (fs === NODE_FS) return readBoundedNode(abs, max);
  return fs.stat(abs).size > max ? undefined : fs.readFile(abs);
};

/** Reads one found file: its text, or why it cannot be read. */
const readSource = (fs: FileSystem, abs: string): Pick<SourceText, 'text' | 'unreadable'> => {
  try {
    const bytes = readBounded(fs, abs, MAX_METADATA_BYTES);
    if (bytes === undefined) {
      return { text: '', unreadable: { code: 'MalformedXml', message: `malformed XML: the file is larger than ${MAX_XML_CHARS / 1024 / 1024} MiB`, line: 1, col: 1 } };
    }
    const decoded = decodeMetadataBytes(bytes);
    return isDecodeProblem(decoded) ? { text: '', unreadable: decoded } : { text: decoded.text };
  } catch (e) {
    return { text: '', unreadable: unreadable(e, 'file') };
  }
};

/**
 * Reads every metadata file of the project and groups them into apps. Paths are display paths.
 * With --source-dir, the inventory's selection holds the paths inside it.
 */
export const loadInventory = (ctx: ProjectContext, fs: FileSystem = NODE_FS): Inventory => {
  const found = scanMetadataFiles(ctx, fs);
  const selected = ctx.selection;
  const selection = selected ? new Set<string>() : undefined;
  const sources = function* (): Generator<SourceText> {
    for (const f of found) {
      const path = displayPath(ctx, f.abs);
      if (selection && selected?.some((s) => isInside(f.abs, s))) selection.add(path);
      const packageDir = packageDirOf(ctx, f.abs);
      const read = f.problem ? { text: '', unreadable: f.problem } : readSource(fs, f.abs);
      yield { path, ...read, packageDir, ...(f.ignored ? { ignored: true } : {}) };
    }
  };
  return buildInventory(sources(), selection ? { selection } : {});
};
