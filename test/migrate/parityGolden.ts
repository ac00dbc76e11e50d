/*
 * Renders a migration's parity report as the small markdown document the golden cases compare
 * (test/golden/migrate/<case>/expected-parity.md): what a reviewer needs to see that the migration
 * is right, in the order of the report, and nothing that depends on the clock or the machine.
 *
 * Shown in full: every Connected App field row that is not a plain copy (renamed, transformed, a
 * default written, dropped, not migrated), the ECA-only fixed values (grouped by reason), what is not
 * migrated, every policy comparison, the hardening changes, the findings, the errors and the files
 * written. A malformed Connected App shows its errors and no empty section.
 * Summarised: plain copies (status migrated, transform "copied", one target of the same name written
 * with the same value) are one line of element names and lines; their values are in the expected
 * ECA files, which the test compares byte for byte.
 */
import type { FieldMapping, FieldTarget, MigrationReport } from '../../src/core/migrate/types.js';

/** One table cell: no line breaks, no column separators. */
const cell = (s: string | number | undefined): string =>
  s === undefined || s === '' ? '' : String(s).replace(/\r?\n/g, '\\n').replace(/\|/g, '\\|');

/** Inline text outside tables (list items): one line. */
const inline = (s: string): string => s.replace(/\r?\n/g, '\\n');

const table = (head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | undefined>>): string[] => [
  `| ${head.join(' | ')} |`,
  `|${head.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
];

/** A value copied as it is into one ECA field of the same name. */
export const isPlainCopy = (f: FieldMapping): boolean => {
  const [t, ...more] = f.eca;
  return (
    f.status === 'migrated' &&
    f.transform === 'copied' &&
    f.connectedApp !== null &&
    t !== undefined &&
    more.length === 0 &&
    t.written &&
    t.note === undefined &&
    t.value === f.value &&
    (f.connectedApp === t.field || f.connectedApp.endsWith(`/${t.field}`))
  );
};

const target = (t: FieldTarget): string =>
  `${t.kind}.${t.field}${t.value === undefined ? '' : ` = ${t.value}`}${t.written ? '' : ' (not written)'}${t.note ? ` (${t.note})` : ''}`;

const at = (path: string, line?: number, col?: number): string =>
  `${path}${line === undefined ? '' : `:${line}`}${col === undefined ? '' : `:${col}`}`;

export const renderParity = (r: MigrationReport): string => {
  const out: string[] = [
    `# ${r.connectedApp} → ${r.eca}`,
    '',
    `- source: ${r.source}`,
    `- API version: ${r.apiVersion ?? '(none: every field written)'}`,
    `- needs --accept-weaker: ${r.needsAcceptance ? 'yes' : 'no'}`,
  ];
  // A malformed Connected App has only errors: its empty sections are left out.
  const failed = r.errors.length > 0;
  const section = (title: string, body: string[]): void => {
    if (body.length === 0 && failed) return;
    out.push('', `## ${title}`, '', ...(body.length > 0 ? body : ['(none)']));
  };

  if (r.errors.length > 0) {
    section(
      'Errors',
      r.errors.flatMap((e) => [
        `- ${e.code} at ${at(e.path, e.line, e.col)}${e.element ? ` (${e.element})` : ''}: ${inline(e.message)}`,
        ...(e.action ? [`  - action: ${inline(e.action)}`] : []),
      ])
    );
  }

  // Always there: a malformed Connected App writes no file.
  out.push('', '## Files written', '', ...(r.files.length > 0 ? r.files.map((f) => `- ${f.kind}: ${f.type} ${f.fullName} → ${f.path}`) : ['(none)']));

  if (!failed || r.fields.length > 0) {
    const plain = r.fields.filter(isPlainCopy);
    const other = r.fields.filter((f) => f.connectedApp !== null && !isPlainCopy(f));
    section('Connected App fields', [
      `Copied unchanged (${plain.length}): ${plain.length > 0 ? plain.map((f) => `${f.connectedApp ?? ''}${f.line === undefined ? '' : ` (${f.line})`}`).join(', ') : '(none)'}`,
      '',
      ...(other.length > 0
        ? table(
            ['Line', 'Connected App', 'Value', 'Status', 'ECA', 'Transform / reason'],
            other.map((f) => [f.line, f.connectedApp ?? '', f.value, f.status, f.eca.map(target).join('; '), f.transform])
          )
        : ['No other field.']),
    ]);
    // Values with no Connected App field, grouped by their reason (in the order the report first gives it).
    const byReason = new Map<string, string[]>();
    for (const f of r.fields.filter((x) => x.connectedApp === null)) {
      byReason.set(f.transform, [...(byReason.get(f.transform) ?? []), `${f.status === 'default' ? '' : `[${f.status}] `}${f.eca.map(target).join('; ')}`]);
    }
    section('ECA-only values', [...byReason].map(([reason, targets]) => `- ${inline(reason)}: ${targets.join(', ')}`));
  }

  section(
    'Not migrated',
    r.notMigrated.flatMap((n) => [
      `- ${n.item}${n.connectedApp ? ` (${n.connectedApp}${n.line === undefined ? '' : `, line ${n.line}`})` : ''}: ${inline(n.reason)}`,
      ...(n.action ? [`  - action: ${inline(n.action)}`] : []),
    ])
  );

  section(
    'Policies',
    r.policies.length > 0
      ? table(
          ['Dimension', 'Connected App', 'ECA', 'Change', 'Blocking', 'Hardened', 'Note'],
          r.policies.map((p) => [p.dimension, p.connectedApp, p.eca, p.change, p.blocking ? 'yes' : '', p.hardened ? 'yes' : '', p.note])
        )
      : []
  );

  if (r.hardening) {
    const change = (h: { path: string; ruleId: string; description: string }): string => `- ${h.ruleId} ${h.path}: ${inline(h.description)}`;
    section('Hardening', r.hardening.changes.map(change));
    if (r.hardening.skipped) section('Hardening skipped (the API version does not allow it)', r.hardening.skipped.map(change));
  }

  // Only when the project has files that name the Connected App: the cases without any stay as they were.
  if (r.references.length > 0) {
    section(
      'Files that name the Connected App',
      table(
        ['File', 'Line', 'Type', 'Element', 'How', 'Written', 'Change'],
        r.references.map((x) => [x.path, x.line, x.type, x.element, x.how, x.written ? 'yes' : '', x.change])
      )
    );
  }
  out.push('', '## Salesforce\'s Setup action', '', `- eligible: ${r.setupAction.eligible}`, ...r.setupAction.blockers.map((b) => `- refuses: ${b}`));

  section(
    'Findings',
    r.findings.flatMap((f) => [
      `- ${f.ruleId} ${f.severity}${f.waived ? ' (waived)' : ''} at ${at(f.path, f.line)} (${f.rule}): ${inline(f.message)}`,
      `  - from: ${f.from ?? '(not inherited)'}`,
      ...(f.action ? [`  - action: ${inline(f.action)}`] : []),
    ])
  );

  return `${out.join('\n')}\n`;
};
