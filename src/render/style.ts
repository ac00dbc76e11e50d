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

/** No width limit: what a renderer lays out when it is not told the terminal's width (a file, a message). */
export const UNBOUNDED = Number.POSITIVE_INFINITY;

/*
 * Wrapping. Text is cut into glyphs (one visible character with the colour codes before it) and the
 * glyphs into words (runs of non-spaces) and spaces. A line breaks between words; a word breaks only
 * after a "/" (a path's folders), and mid-word only when a piece is longer than the line on its own.
 * Colours carry over: a line that ends inside a colour is reset, and the next one opens it again.
 */
type Glyph = { readonly text: string; readonly ch: string };

const glyphsOf = (s: string): Glyph[] => {
  const out: Glyph[] = [];
  let codes = '';
  for (const part of s.split(/(\u001b\[[0-9;]*m)/)) {
    if (part === '') continue;
    if (part.startsWith('\u001b[')) codes += part;
    else
      for (const ch of part) {
        out.push({ text: codes + ch, ch });
        codes = '';
      }
  }
  if (codes !== '') out.push({ text: codes, ch: '' });
  return out;
};

const widthOf = (gs: readonly Glyph[]): number => gs.reduce((n, g) => n + g.ch.length, 0);

type Token = { readonly space: boolean; readonly glyphs: Glyph[] };

const tokensOf = (gs: readonly Glyph[]): Token[] => {
  const out: Token[] = [];
  for (const g of gs) {
    const space = g.ch === ' ';
    const last = out[out.length - 1];
    if (last && (last.space === space || g.ch === '')) last.glyphs.push(g);
    else out.push({ space, glyphs: [g] });
  }
  return out;
};

/** The pieces a word may break into without breaking mid-word: after each "/". */
const piecesOf = (word: string): string[] => word.split(/(?<=\/)(?=.)/);

/** The widest piece of text that never breaks (a word, or a path's folder). */
export const longestPiece = (s: string): number =>
  Math.max(0, ...s.replace(ANSI, '').split(/\s+/).flatMap(piecesOf).map((p) => p.length));

/** After the last "/" that fits in `room` (0: none does). */
const slashCut = (word: readonly Glyph[], room: number): number => {
  let cut = 0;
  for (let i = 0, seen = 0; i < word.length - 1 && seen < room; i++) {
    seen += word[i]?.ch.length ?? 0;
    if (word[i]?.ch === '/' && seen <= room) cut = i + 1;
  }
  return cut;
};

/** Where to cut a word too long for `room`: after the last "/" that fits, else at `room`. */
const cutAt = (word: readonly Glyph[], room: number): number => {
  const slash = slashCut(word, room);
  if (slash > 0) return slash;
  let n = 0;
  for (let seen = 0; n < word.length && seen + (word[n]?.ch.length ?? 0) <= room; n++) seen += word[n]?.ch.length ?? 0;
  return Math.max(1, n);
};

const SGR_PARAMS = /\u001b\[([0-9;]*)m/g;
const CLOSES = new Set(['22', '23', '24', '27', '28', '29', '39', '49', '55']);

/** Lines joined from glyphs, with the colours open at a line's end closed there and opened again on the next. */
const withColours = (lines: ReadonlyArray<readonly Glyph[]>): string[] => {
  let open: string[] = [];
  return lines.map((l) => {
    const prefix = open.join('');
    const text = l.map((g) => g.text).join('');
    for (const m of text.matchAll(SGR_PARAMS)) {
      const p = m[1] ?? '';
      if (p === '' || p === '0') open = [];
      else if (CLOSES.has(p)) open.pop();
      else open.push(m[0]);
    }
    return `${prefix}${text}${open.length > 0 ? '\u001b[0m' : ''}`;
  });
};

/** A line without its trailing spaces (the colour codes they carry stay). */
const trimEnd = (l: readonly Glyph[]): Glyph[] => {
  let end = l.length;
  while (end > 0 && (l[end - 1]?.ch === ' ' || l[end - 1]?.ch === '')) end--;
  const tail = l.slice(end).map((g) => ({ text: g.ch === ' ' ? g.text.slice(0, -1) : g.text, ch: '' }));
  return [...l.slice(0, end), ...tail.filter((g) => g.text !== '')];
};

/**
 * `text` as lines of at most `width` visible characters, breaking at spaces (leading spaces kept);
 * lines after the first start with `indent` spaces (counted in the width).
 */
export const wrap = (text: string, width: number, indent = 0): string[] => {
  if (!Number.isFinite(width) || visibleLength(text) <= width) return [text];
  const lines: Glyph[][] = [];
  let line: Glyph[] = [];
  let used = 0;
  let blank = true;
  let space: Glyph[] = [];
  const newLine = (): void => {
    lines.push(line);
    line = Array.from({ length: indent }, () => ({ text: ' ', ch: ' ' }));
    used = indent;
    blank = true;
    space = [];
  };
  const put = (gs: readonly Glyph[]): void => {
    line.push(...gs);
    used += widthOf(gs);
  };
  // a space dropped at a line break keeps the colour codes it carries
  const codesOf = (gs: readonly Glyph[]): Glyph[] => gs.filter((g) => g.text !== g.ch).map((g) => ({ text: g.text.slice(0, g.text.length - g.ch.length), ch: '' }));
  for (const t of tokensOf(glyphsOf(text))) {
    if (t.space) {
      if (lines.length === 0 && blank) put(t.glyphs);
      else space = t.glyphs;
      continue;
    }
    let word: Glyph[] = t.glyphs;
    if (!blank && used + widthOf(space) + widthOf(word) <= width) {
      put([...space, ...word]);
      space = [];
      continue;
    }
    if (!blank) {
      // a path longer than a line starts on this one, broken after a folder
      if (widthOf(word) > width - indent) {
        const n = slashCut(word, width - used - widthOf(space));
        if (n > 0) {
          put([...space, ...word.slice(0, n)]);
          space = [];
          word = word.slice(n);
        }
      }
      put(codesOf(space));
      newLine();
    }
    space = [];
    while (widthOf(word) > width - used) {
      const n = cutAt(word, Math.max(1, width - used));
      put(word.slice(0, n));
      word = word.slice(n);
      newLine();
    }
    put(word);
    blank = false;
  }
  put(codesOf(space));
  lines.push(line);
  return withColours(lines.map(trimEnd));
};

export type TableOptions = {
  /** The width the table must fit in (the terminal's columns); unbounded when absent. */
  readonly width?: number;
  /**
   * The columns that may shrink (their cells then wrap), by index; the widest of them gives up a column
   * first, ties going to the one listed first. Default: every column but the first. The others keep
   * their widest cell.
   */
  readonly shrink?: readonly number[];
};

const GAP = 2;

/**
 * A plain-text table: a header row, a rule, then the rows; columns padded to their widest cell. When
 * that is wider than `width`, the shrinkable columns narrow (down to their longest word, or the
 * longest folder of a path) and their cells wrap inside the column; when even that does not fit, each
 * row becomes a block: "First header: value", then "  Header: value" for every other non-empty cell.
 */
const naturalWidths = (headers: readonly string[], rows: ReadonlyArray<readonly string[]>): number[] =>
  headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));

const tableWidth = (ws: readonly number[]): number => ws.reduce((a, b) => a + b, 0) + GAP * Math.max(0, ws.length - 1);

const shrinkOrder = (headers: readonly string[], options: TableOptions): readonly number[] => options.shrink ?? headers.map((_, i) => i).slice(1);

/** The narrowest each column may be: its widest cell, or for a shrinkable column its longest word. */
const minimumWidths = (headers: readonly string[], rows: ReadonlyArray<readonly string[]>, options: TableOptions): number[] => {
  const order = shrinkOrder(headers, options);
  return naturalWidths(headers, rows).map((n, i) =>
    order.includes(i) ? Math.min(n, Math.max(longestPiece(headers[i] ?? ''), ...rows.map((r) => longestPiece(r[i] ?? '')))) : n
  );
};

/** Whether renderTable lays these rows out as a table in `options.width` (false: as blocks). */
export const fitsAsTable = (headers: readonly string[], rows: ReadonlyArray<readonly string[]>, options: TableOptions = {}): boolean =>
  tableWidth(minimumWidths(headers, rows, options)) <= (options.width ?? UNBOUNDED);

export const renderTable = (headers: readonly string[], rows: ReadonlyArray<readonly string[]>, style: Style = PLAIN, options: TableOptions = {}): string => {
  const width = options.width ?? UNBOUNDED;
  const total = tableWidth;
  const widths = naturalWidths(headers, rows);
  if (total(widths) > width) {
    const order = shrinkOrder(headers, options);
    const min = minimumWidths(headers, rows, options);
    if (total(min) > width) return renderBlocks(headers, rows, style, width);
    let excess = total(widths) - width;
    while (excess > 0) {
      let pick = -1;
      for (const i of order) if ((widths[i] ?? 0) > (min[i] ?? 0) && (pick < 0 || (widths[i] ?? 0) > (widths[pick] ?? 0))) pick = i;
      if (pick < 0) break;
      widths[pick] = (widths[pick] ?? 0) - 1;
      excess--;
    }
  }
  const lines = (cells: readonly string[]): string[] => {
    const wrapped = cells.map((c, i) => wrap(c, widths[i] ?? UNBOUNDED));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, k) =>
      wrapped
        .map((w, i) => (i === wrapped.length - 1 ? (w[k] ?? '') : padEnd(w[k] ?? '', widths[i] ?? 0)))
        .join(' '.repeat(GAP))
        .trimEnd()
    );
  };
  return [...lines(headers).map(style.bold), widths.map((w) => '─'.repeat(w)).join(' '.repeat(GAP)), ...rows.flatMap(lines)].join('\n');
};

/** Each row as a block: its first cell as a title, then its other non-empty cells, one a line, wrapped. */
const renderBlocks = (headers: readonly string[], rows: ReadonlyArray<readonly string[]>, style: Style, width: number): string =>
  rows
    .map((r) =>
      [
        ...wrap(`${style.bold(`${headers[0] ?? ''}:`)} ${r[0] ?? ''}`, width, 4),
        ...headers.slice(1).flatMap((h, j) => {
          const cell = r[j + 1] ?? '';
          return cell === '' ? [] : wrap(`  ${h}: ${cell}`, width, 4);
        }),
      ].join('\n')
    )
    .join('\n\n');

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
