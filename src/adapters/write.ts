/*
 * The change pipeline's commit: a change set is written whole or not at all. Before anything is
 * written, each file must read back (the reader would accept it), each edited file must still hold
 * exactly what was planned against, and no new file may overwrite one unless asked. Files are
 * locked against our own concurrent runs while this is verified and the files are renamed into place;
 * temporary files live outside the package directories (the project's .sf folder), so a killed
 * process leaves nothing SDR would deploy.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { SfError } from '@salesforce/core';
import { unreadableResults, type ChangeSet } from '../core/change/plan.js';

export type CommitOptions = {
  /** Where paths are relative to. */
  readonly cwd: string;
  /** The project root: nothing is written outside it, and temporaries go to its .sf folder. */
  readonly root: string | undefined;
  /** New files may replace existing ones (--force). */
  readonly overwrite?: boolean;
  /** How long to wait for another run of the plugin that is writing the same file. */
  readonly lockWaitMs?: number;
};

const TMP_PREFIX = '.eca-';
const TMP_SUFFIX = '.tmp';

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const LOCK_DIR = join(tmpdir(), 'eca-plugin-locks');

/** Takes the lock of one file (a lock file in the system temp folder, naming our pid). */
const lock = (abs: string, waitMs: number, shown: string): string => {
  mkdirSync(LOCK_DIR, { recursive: true });
  const path = join(LOCK_DIR, `${createHash('sha256').update(abs).digest('hex').slice(0, 32)}.lock`);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number(readFileSafe(path));
    if (!Number.isInteger(holder) || holder <= 0 || !alive(holder)) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new SfError(`${shown} is being written by another run of the plugin (process ${holder}); nothing was written.`, 'FileLockedError', [
        'Wait for the other command to finish, then run this one again.',
      ]);
    }
    sleep(25);
  }
};

const readFileSafe = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** The folder for temporary files: the project's .sf folder when it is on the same device, else beside the file (a dot file). */
const tempFolder = (root: string | undefined, targetDir: string): string => {
  if (root) {
    const dir = join(root, '.sf', 'eca-tmp');
    try {
      mkdirSync(dir, { recursive: true });
      if (statSync(dir).dev === statSync(targetDir).dev) return dir;
    } catch {
      // fall through
    }
  }
  return targetDir;
};

/** Removes temporaries left behind by killed runs (their process is gone). */
const sweep = (dir: string): void => {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^\.eca-(\d+)-[0-9a-f]+-.*\.tmp$/.exec(name);
    if (m && !alive(Number(m[1]))) rmSync(join(dir, name), { force: true });
  }
};

const refuse = (message: string, name: string, actions: string[]): never => {
  throw new SfError(`${message} Nothing was written.`, name, actions);
};

/** Writes a change set: all of it, or (on any refusal) none of it. */
export const commitChanges = (set: ChangeSet, options: CommitOptions): void => {
  if (set.changes.length === 0) return;
  const bad = unreadableResults(set);
  if (bad.length > 0) {
    refuse(
      `The result would not be readable metadata: ${bad.map((p) => `${p.path}${p.line ? `:${p.line}:${p.col ?? 1}` : ''} ${p.message}`).join('; ')}.`,
      'UnreadableResultError',
      ['Check the values given (a character XML forbids, such as a control character, cannot be written).']
    );
  }
  const root = options.root ? resolve(options.root) : undefined;
  const planned = set.changes.map((c) => ({ ...c, abs: resolve(options.cwd, c.path) }));
  if (root) {
    const outside = planned.find((p) => {
      const rel = relative(root, p.abs);
      return rel.startsWith('..') || isAbsolute(rel);
    });
    if (outside) refuse(`${outside.path} is outside the project ${root}.`, 'OutsideProjectError', ['Write inside the project.']);
  }
  const locks: string[] = [];
  const temps: string[] = [];
  try {
    for (const p of [...planned].sort((a, b) => (a.abs < b.abs ? -1 : 1))) locks.push(lock(p.abs, options.lockWaitMs ?? 5000, p.path));
    const existing = planned.filter((p) => p.before === undefined && existsSync(p.abs));
    if (existing.length > 0 && !options.overwrite) {
      refuse(
        `${existing.length === 1 ? 'A file exists' : `${existing.length} files exist`} already: ${existing.map((f) => f.path).join(', ')}.`,
        'FileExistsError',
        ['Pass --force to overwrite them, or choose another --output-dir or name.']
      );
    }
    for (const p of planned) {
      if (p.before === undefined) continue;
      let disk: Buffer | undefined;
      try {
        disk = readFileSync(p.abs);
      } catch {
        disk = undefined;
      }
      if (!disk?.equals(Buffer.from(p.before, 'utf8'))) {
        refuse(`${p.path} changed on disk since it was read (another command or an editor wrote it).`, 'FileChangedError', [
          'Run the command again: it reads the file anew.',
        ]);
      }
    }
    const swept = new Set<string>();
    const writes = planned.map((p) => {
      const dir = dirname(p.abs);
      mkdirSync(dir, { recursive: true });
      const folder = tempFolder(root, dir);
      if (!swept.has(folder)) sweep(folder);
      swept.add(folder);
      const tmp = join(folder, `${TMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}-${basename(p.abs)}${TMP_SUFFIX}`);
      writeFileSync(tmp, p.after, { encoding: 'utf8', flag: 'wx' });
      temps.push(tmp);
      if (p.before !== undefined || existsSync(p.abs)) chmodSync(tmp, statSync(p.abs).mode);
      return { tmp, abs: p.abs };
    });
    for (const w of writes) {
      renameSync(w.tmp, w.abs);
      temps.splice(temps.indexOf(w.tmp), 1);
    }
  } finally {
    for (const t of temps) rmSync(t, { force: true });
    for (const l of locks) rmSync(l, { force: true });
  }
};
