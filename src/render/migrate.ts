/* The parity report of `sf eca migrate`, as text. Pure: returns strings; colours injected. */
import type { Severity } from '../core/model/file.js';
import { OUTPUT_TYPES } from '../core/migrate/migrate.js';
import type { FieldMapping, MigrationError, MigrationReport, OutputKind, PolicyComparison } from '../core/migrate/types.js';
import { PLAIN, renderTable, type Style } from './style.js';

const title = (kind: OutputKind): string => OUTPUT_TYPES[kind].title;

const oneLine = (s: string): string => s.replace(/\r?\n/g, ' ⏎ ');

const target = (m: FieldMapping): string => (m.eca.length === 0 ? '—' : m.eca.map((t) => `${title(t.kind)} ${t.field}${t.written ? '' : ' (not written)'}`).join('; '));

/** The values written, when they differ from the value read. */
const written = (m: FieldMapping): string => {
  const values = [...new Set(m.eca.map((t) => t.value).filter((v): v is string => v !== undefined))];
  if (values.length === 0) return '';
  return values.length === 1 && values[0] === m.value ? 'same' : values.map(oneLine).join(', ');
};

const targetWithValue = (m: FieldMapping): string =>
  m.eca.map((t) => `${title(t.kind)} ${t.field}${t.value !== undefined ? ` = ${oneLine(t.value)}` : ''}`).join('; ');

const how = (m: FieldMapping): string => {
  const notes = m.eca.map((t) => t.note).filter((n): n is string => n !== undefined);
  return [m.status === 'not-migrated' ? `not migrated: ${m.transform.replace(/^not migrated: /, '')}` : m.transform, ...notes].join('; ');
};

const CHANGE: Readonly<Record<PolicyComparison['change'], (s: Style, t: string) => string>> = {
  same: (s, t) => s.dim(t),
  stronger: (s, t) => s.good(t),
  weaker: (s, t) => s.bad(t),
  lost: (s, t) => s.bad(t),
};

const sev = (severity: Severity, style: Style): string =>
  severity === 'error' ? style.bad('error') : severity === 'warning' ? style.warn('warning') : style.dim('info');

export const renderErrors = (errors: readonly MigrationError[], style: Style = PLAIN): string =>
  errors
    .map((e) => {
      const where = `${e.path}${e.line !== undefined ? `:${e.line}${e.col !== undefined ? `:${e.col}` : ''}` : ''}`;
      return `${where}  ${style.bad('error')}  ${e.message}${e.action ? `\n    ${style.dim(`to do: ${e.action}`)}` : ''}`;
    })
    .join('\n');

/** One migration: files, every field, what is not migrated, the policies compared, hardening, and what check says of the result. */
export const renderMigration = (r: MigrationReport, style: Style = PLAIN): string => {
  const out: string[] = [];
  out.push(style.bold(`${r.connectedApp} (Connected App) → ${r.eca} (External Client App)`) + style.dim(`  API ${r.apiVersion ?? 'version not known: every field written'}`));
  out.push(style.dim(`  from ${r.source}`));
  if (r.errors.length > 0) {
    out.push('', renderErrors(r.errors, style));
    return out.join('\n');
  }

  out.push('', style.bold('Files'));
  out.push(renderTable(['File', 'Path'], r.files.map((f) => [title(f.kind), f.path]), style).replace(/^/gm, '  '));

  const fromCa = r.fields.filter((f) => f.connectedApp !== null);
  const ecaOnly = r.fields.filter((f) => f.connectedApp === null);
  out.push('', style.bold('Fields'));
  out.push(
    renderTable(
      ['Connected App', 'Line', 'Value', 'External Client App', 'Written', 'How'],
      fromCa.map((f) => [f.connectedApp ?? '', f.line !== undefined ? String(f.line) : '', f.value !== undefined ? oneLine(f.value) : '(absent)', target(f), written(f), how(f)]),
      style
    ).replace(/^/gm, '  ')
  );
  if (ecaOnly.length > 0) {
    out.push('', style.bold('Set without a Connected App value'));
    out.push(renderTable(['External Client App', 'Why'], ecaOnly.map((f) => [targetWithValue(f), f.transform]), style).replace(/^/gm, '  '));
  }

  if (r.notMigrated.length > 0) {
    out.push('', style.bold('Not migrated'));
    for (const n of r.notMigrated) {
      out.push(`  ${style.warn(n.item)}${n.connectedApp && n.connectedApp !== n.item ? style.dim(` (${n.connectedApp}${n.line !== undefined ? `, line ${n.line}` : ''})`) : n.line !== undefined ? style.dim(` (line ${n.line})`) : ''}: ${n.reason}`);
      if (n.action) out.push(style.dim(`      to do: ${n.action}`));
    }
  }

  if (r.policies.length > 0) {
    out.push('', style.bold('Policies'));
    out.push(
      renderTable(
        ['Policy', 'Connected App', 'External Client App', 'Change'],
        r.policies.map((p) => [
          p.dimension,
          oneLine(p.connectedApp),
          oneLine(p.eca),
          CHANGE[p.change](style, `${p.change}${p.hardened ? ' (--harden)' : ''}${p.blocking ? ' — needs --accept-weaker' : ''}`) + (p.note ? style.dim(`: ${p.note}`) : ''),
        ]),
        style
      ).replace(/^/gm, '  ')
    );
  }

  if (r.hardening) {
    out.push('', style.bold('Hardening (--harden)'));
    if (r.hardening.changes.length === 0) out.push('  Nothing to harden: the migrated values already follow the recommendations.');
    for (const c of r.hardening.changes) out.push(`  ${c.ruleId}  ${c.description}  ${style.dim(c.path)}`);
    for (const c of r.hardening.skipped ?? []) out.push(style.warn(`  ${c.ruleId}  ${c.description}`));
  }

  out.push('', style.bold(r.hardening ? 'What check reports on the hardened files' : 'What check reports on the files (inherited from the Connected App)'));
  if (r.findings.length === 0) out.push('  No findings.');
  for (const f of r.findings) {
    out.push(`  ${f.path}:${f.line}  ${sev(f.severity, style)}  ${f.ruleId} ${style.dim(f.rule)}  ${f.message}${f.waived ? style.dim(' (waived)') : ''}`);
    out.push(style.dim(`      from: ${f.from ?? 'a default the migration writes, not a value of the Connected App'}`));
    if (f.action) out.push(style.dim(`      to do: ${f.action}`));
  }
  return out.join('\n');
};

/** One line per Connected App of `migrate --all`: migrated, skipped or failed, and why. */
export const renderAppOutcomes = (
  apps: ReadonlyArray<{ readonly connectedApp: string; readonly eca: string; readonly status: 'migrated' | 'skipped' | 'failed'; readonly message?: string; readonly files: readonly string[] }>,
  dryRun: boolean,
  style: Style = PLAIN
): string =>
  [
    style.bold('Connected Apps'),
    ...apps.map((a) => {
      const status = a.status === 'migrated' ? style.good(dryRun ? 'would migrate' : 'migrated') : a.status === 'skipped' ? style.warn('skipped') : style.bad('failed');
      const detail = a.status === 'migrated' ? `${a.files.length} file${a.files.length === 1 ? '' : 's'}` : (a.message ?? '');
      return `  ${a.connectedApp} → ${a.eca}  ${status}  ${oneLine(detail)}`;
    }),
  ].join('\n');
