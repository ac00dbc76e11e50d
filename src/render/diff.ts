import { createTwoFilesPatch } from 'diff';

/** A git-style unified diff of file changes (jsdiff's "=====" separator lines dropped). */
export const unifiedDiff = (changes: ReadonlyArray<{ readonly path: string; readonly before: string; readonly after: string }>): string =>
  changes
    .map((c) => createTwoFilesPatch(c.before === '' ? '/dev/null' : `a/${c.path}`, `b/${c.path}`, c.before, c.after, '', '', { context: 3 }).replace(/^=+\n/, ''))
    .join('');
