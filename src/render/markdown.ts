/*
 * A pull-request summary in GitHub-flavoured markdown: the verdict, counts by severity, a table of the errors and
 * warnings, and the info findings and the full list in collapsed <details> blocks. Pure: returns a string.
 *
 * Every cell is escaped for a GFM table (pipes, backticks and the other inline markers, newlines, HTML), and the
 * whole text stays under GitHub's comment limit (65,536 characters): rows that do not fit are left out and a line
 * says how many ("… and N more").
 */
import type { Severity } from '../core/model/file.js';
import { countFindings } from '../core/rules/engine.js';
import type { Finding } from '../core/rules/types.js';
import { fixableText, fixClassText, type RuleInfo } from './report.js';

/** GitHub's limit on a comment (and a sensible size for a step summary), in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** A cell longer than this is cut (a message is a sentence or two; this only bounds a pathological one). */
const MAX_CELL = 1_000;

export type MarkdownOptions = {
  /** The command, e.g. "sf eca check". */
  readonly tool: string;
  /** The threshold the verdict is judged at. */
  readonly failOn: Severity | 'never';
  /** Whether a finding at or above the threshold is not waived. */
  readonly failed: boolean;
  /** How many apps were checked. */
  readonly appCount: number;
  /** The rules, for the links to their documentation. */
  readonly rules: readonly RuleInfo[];
  /**
   * What a finding's path is resolved against in its link: absent, the link is relative (`path#Lline`: it resolves
   * only where the markdown is shown inside the repository, at the folder the check ran in); else a URL ending in
   * "/" (in GitHub Actions, `<server>/<repo>/blob/<sha>/<folder>/`). Paths that are not files (org:…) get no link.
   */
  readonly linkBase?: string;
  /** The most characters the summary may have (default GITHUB_COMMENT_LIMIT). */
  readonly maxChars?: number;
  /** The posture score (0–100) and the lowest app's. */
  readonly score?: { readonly score: number; readonly lowest: number };
};

/** Text for a GFM table cell: HTML and markdown markers escaped, pipes escaped, newlines as <br>, bounded. */
export const mdCell = (s: string): string => {
  const bounded = s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s;
  return bounded
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]#~|!]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, '<br>');
};

/** A URL as a markdown link destination: spaces, parentheses, pipes, angle brackets and quotes percent-encoded. */
export const mdUrl = (url: string): string =>
  encodeURI(url).replace(/[()|<>"'`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The command that applies a finding's fix, or undefined when it has none. */
export const fixCommand = (f: Finding): string | undefined => {
  if (!f.fix || f.waived) return undefined;
  const extra = f.fix.class === 'breaking' ? ' --include-breaking' : '';
  const secrets = f.fix.requires === 'remove-secrets' ? ' --remove-secrets' : '';
  return `sf eca fix --rule ${f.ruleId}${extra}${secrets}`;
};

/** "What to do": the fix command and what it does, and the action. */
const whatToDo = (f: Finding): string => {
  const parts: string[] = [];
  const cmd = fixCommand(f);
  if (cmd && f.fix) parts.push(`\`${cmd.replace(/[|`]/g, '')}\` (${mdCell(fixClassText(f))}): ${mdCell(f.fix.description)}`);
  if (f.action) parts.push(mdCell(f.action));
  if (f.waived) parts.push(`waived: ${mdCell(f.waived.reason)}${f.waived.expires ? ` (until ${mdCell(f.waived.expires)})` : ''}`);
  return parts.join('<br>');
};

const HEADER = ['Severity', 'Rule', 'App', 'Location', 'Message', 'What to do'];

/** One GFM table row of cells already escaped (mdCell). */
export const tableRow = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

/** A GFM table: the header, the delimiter row (`align` per column, default left) and the rows, cells escaped with mdCell. */
export const mdTable = (header: readonly string[], rows: ReadonlyArray<readonly string[]>, align: ReadonlyArray<'left' | 'right'> = []): string =>
  [tableRow(header.map(mdCell)), tableRow(header.map((_, i) => (align[i] === 'right' ? '---:' : '---'))), ...rows.map((r) => tableRow(r.map(mdCell)))].join('\n');

const SEVERITY_ICON: Readonly<Record<Severity, string>> = { error: '🔴', warning: '🟠', info: '🔵' };

export const renderMarkdown = (findings: readonly Finding[], options: MarkdownOptions): string => {
  const max = options.maxChars ?? GITHUB_COMMENT_LIMIT;
  const helpUri = new Map(options.rules.map((r) => [r.id, r.helpUri]));
  const location = (f: Finding): string => {
    const text = mdCell(`${f.path}:${f.line}`);
    if (f.path.startsWith('org:')) return text;
    const target = `${options.linkBase ?? ''}${f.path.replace(/\\/g, '/')}#L${f.line}`;
    return `[${text}](${mdUrl(target)})`;
  };
  const row = (f: Finding): string => {
    const uri = helpUri.get(f.ruleId);
    const rule = uri ? `[${mdCell(f.ruleId)}](${mdUrl(uri)})` : mdCell(f.ruleId);
    const severity = `${SEVERITY_ICON[f.severity]} ${f.severity}${f.waived ? ' (waived)' : ''}`;
    return tableRow([severity, `${rule}<br>${mdCell(f.rule)}`, mdCell(f.app), location(f), mdCell(f.message), whatToDo(f)]);
  };
  const tableHead = `${tableRow(HEADER)}\n${tableRow(HEADER.map(() => '---'))}\n`;

  const c = countFindings(findings);
  const verdict =
    options.failOn === 'never'
      ? `✅ ${options.tool}: passed (--fail-on never)`
      : options.failed
        ? `❌ ${options.tool}: failed at --fail-on ${options.failOn}`
        : `✅ ${options.tool}: passed at --fail-on ${options.failOn}`;
  const extras = [c.waived > 0 ? `${c.waived} waived` : undefined, fixableText(findings, (command) => `\`${command}\``)].filter(Boolean);
  const counts = `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${c.info} info in ${plural(options.appCount, 'app')}${extras.length > 0 ? ` (${extras.join('; ')})` : ''}.`;
  const posture = options.score ? `Posture score: **${options.score.score}**/100 (lowest app ${options.score.lowest}).\n\n` : '';
  const head = `## ${verdict}\n\n${counts}\n\n${posture}| Errors | Warnings | Info | Waived |\n| ---: | ---: | ---: | ---: |\n| ${c.error} | ${c.warning} | ${c.info} | ${c.waived} |\n`;

  const rank: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };
  const ordered = [...findings].sort((a, b) => rank[a.severity] - rank[b.severity]);
  const main = ordered.filter((f) => !f.waived && f.severity !== 'info');
  const info = ordered.filter((f) => !f.waived && f.severity === 'info');

  type Section = { readonly open: string; readonly close: string; readonly rows: readonly string[]; readonly empty?: string };
  const sections: Section[] = [
    { open: `\n### Errors and warnings\n\n${tableHead}`, close: '', rows: main.map(row), empty: '\n### Errors and warnings\n\nNone.\n' },
    ...(info.length > 0 ? [{ open: `\n<details>\n<summary>${plural(info.length, 'info finding')}</summary>\n\n${tableHead}`, close: '\n</details>\n', rows: info.map(row) }] : []),
    ...(findings.length > 0
      ? [{ open: `\n<details>\n<summary>All ${plural(findings.length, 'finding')}${c.waived > 0 ? `, ${c.waived} waived` : ''}</summary>\n\n${tableHead}`, close: '\n</details>\n', rows: ordered.map(row) }]
      : []),
  ];
  const more = (n: number): string =>
    `\n… and ${n} more not shown: this summary stays under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit. Run \`${options.tool}\` (or use --format sarif or --json) for every finding.\n`;
  // Room every section needs besides its rows: its frame, and the line saying how many rows were left out.
  const frame = (s: Section): number => Math.max(s.open.length + s.close.length + more(findings.length).length, s.empty?.length ?? 0);
  let used = head.length + sections.reduce((n, s) => n + frame(s), 0);
  const out = [head];
  for (const s of sections) {
    used -= frame(s);
    if (s.rows.length === 0 && s.empty !== undefined) {
      out.push(s.empty);
      used += s.empty.length;
      continue;
    }
    let text = s.open;
    let shown = 0;
    for (const r of s.rows) {
      const line = `${r}\n`;
      if (used + text.length + line.length + more(s.rows.length).length + s.close.length > max) break;
      text += line;
      shown++;
    }
    if (shown < s.rows.length) text += more(s.rows.length - shown);
    text += s.close;
    out.push(text);
    used += text.length;
  }
  return out.join('');
};
