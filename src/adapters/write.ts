/* Atomic, verified file writes: every file ends either as it was or fully written. */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
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
