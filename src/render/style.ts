/** Text styling injected into renderers: colours on a terminal, plain text elsewhere (and in tests). */
export type Style = {
  readonly bad: (s: string) => string;
  readonly warn: (s: string) => string;
  readonly good: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
};

const same = (s: string): string => s;

export const PLAIN: Style = { bad: same, warn: same, good: same, dim: same, bold: same };

const ANSI = /\u001b\[[0-9;]*m/g;

export const visibleLength = (s: string): number => s.replace(ANSI, '').length;

export const padEnd = (s: string, width: number): string => s + ' '.repeat(Math.max(0, width - visibleLength(s)));

/** A plain-text table: a header row, a rule, then the rows; columns padded to their widest cell. */
export const renderTable = (headers: readonly string[], rows: ReadonlyArray<readonly string[]>, style: Style = PLAIN): string => {
  const widths = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : padEnd(c, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [style.bold(line(headers)), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
};

// C0 controls but tab and line feed, DEL, C1 controls; and escape sequences other than colour (SGR).
const SGR = /\u001b\[[0-9;]*m/y;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * Text safe for a terminal: every control character a file could smuggle in (ESC sequences that
 * clear the screen, set the title, hide text; carriage returns that overwrite a line; bidi
 * overrides) is shown escaped, as \x1b or \u202e. With `keepColour`, the colour sequences our own
 * styles emit stay.
 */
export const terminalSafe = (text: string, keepColour = false): string => {
  if (!CONTROL.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x1b && keepColour) {
      SGR.lastIndex = i;
      const m = SGR.exec(text);
      if (m) {
        out += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    if (CONTROL.test(text[i] as string)) out += c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    else out += text[i];
  }
  return out;
};
