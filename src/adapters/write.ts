/* Atomic, verified file writes: every file ends either as it was or fully written. */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SfError } from '@salesforce/core';

export type PlannedWrite = { readonly path: string; readonly before: string; readonly after: string };

/**
 * Writes each file through a temporary file in the same folder and a rename. Before anything is
 * written, every file is checked to still hold exactly what was read (and to be valid UTF-8, so
 * that nothing is lost in decoding); if one does not, nothing is written.
 */
export const writeAllAtomic = (cwd: string, writes: readonly PlannedWrite[]): void => {
  const planned = writes.map((w) => ({ ...w, abs: resolve(cwd, w.path) }));
  for (const w of planned) {
    const disk = readFileSync(w.abs);
    if (!disk.equals(Buffer.from(w.before, 'utf8'))) {
      throw new SfError(
        `${w.path} changed on disk while the command ran, or is not valid UTF-8; nothing was written.`,
        'FileChangedError',
        ['Run the command again.']
      );
    }
  }
  for (const w of planned) {
    const tmp = join(dirname(w.abs), `.${basename(w.abs)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      writeFileSync(tmp, w.after, { encoding: 'utf8', flag: 'wx' });
      chmodSync(tmp, statSync(w.abs).mode);
      renameSync(tmp, w.abs);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  }
};

export type NewFile = { readonly path: string; readonly text: string };

/**
 * Creates files (parents included), each through a temporary file and a rename. Refuses, before
 * writing anything, when a file exists and `overwrite` is false.
 */
export const createFiles = (cwd: string, files: readonly NewFile[], overwrite: boolean): void => {
  const planned = files.map((f) => ({ ...f, abs: resolve(cwd, f.path) }));
  const existing = planned.filter((f) => existsSync(f.abs));
  if (existing.length > 0 && !overwrite) {
    throw new SfError(
      `${existing.length === 1 ? 'A file exists' : `${existing.length} files exist`} already: ${existing.map((f) => f.path).join(', ')}. Nothing was written.`,
      'FileExistsError',
      ['Pass --force to overwrite them, or choose another --output-dir or name.']
    );
  }
  for (const f of planned) {
    mkdirSync(dirname(f.abs), { recursive: true });
    const tmp = join(dirname(f.abs), `.${basename(f.abs)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      writeFileSync(tmp, f.text, { encoding: 'utf8', flag: 'wx' });
      renameSync(tmp, f.abs);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  }
};
