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
