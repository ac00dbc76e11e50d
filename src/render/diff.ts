import { createTwoFilesPatch } from 'diff';
import { redactText } from '../core/model/secrets.js';

/**
 * A git-style unified diff of file changes (jsdiff's "=====" separator lines dropped). Both sides are
 * redacted first: a secret never shows, neither as a changed line nor as context.
 */
export const unifiedDiff = (changes: ReadonlyArray<{ readonly path: string; readonly before: string | undefined; readonly after: string }>): string =>
  changes
    .map((c) =>
      createTwoFilesPatch(
        c.before === undefined || c.before === '' ? '/dev/null' : `a/${c.path}`,
        `b/${c.path}`,
        redactText(c.before ?? ''),
        redactText(c.after),
        '',
        '',
        { context: 3 }
      ).replace(/^=+\n/, '')
    )
    .join('');
