/* The parity report of `sf eca migrate`, as text. Pure: returns strings; colours injected. */
import type { Severity } from '../core/model/file.js';
import { ALLOWLIST_ACTION } from '../core/migrate/mapping.js';
import { OUTPUT_TYPES } from '../core/migrate/migrate.js';
import type { FieldMapping, MigrationError, MigrationReport, OutputKind, PolicyComparison } from '../core/migrate/types.js';
import type { MigrationPreflight } from '../core/migrate/checklist.js';
import { mdCell, mdTable } from './markdown.js';
import { fitsAsTable, PLAIN, renderTable, type Style, UNBOUNDED, wrap } from './style.js';

/**
 * Salesforce's own route, for the report: what the Setup action does that this command does not, and when each
 * fits (shared/reference: H-MIG-UI; the credential claim is unconfirmed). Paragraphs, plain text.
 */
export const SETUP_ROUTE: readonly string[] = [
  'Salesforce\'s own route: Setup → App Manager → the Connected App → Migrate to External Client App. It takes local Connected Apps that use none of the username-password flow, user provisioning, a custom Apex plugin, canvas, dynamic client registration or Triple DES SAML encryption, and fails on invalid push settings.',
  'What it does that this command does not: it creates the External Client App in the org itself and makes the Connected App read-only (later changes to the ECA do not flow back; deleting the ECA reactivates the Connected App with its old settings), and the app leaves Notification Delivery Settings. Whether it keeps the consumer key and secret is not confirmed in Salesforce\'s documentation: check it in a sandbox before counting on it.',
  'What this command does that it does not: source files reviewed in a pull request, deployed to every org (sandboxes included) and replayed with --plan; the Connected App stays active next to the ECA, so clients move over one at a time; every value accounted for in this report. Clients get new credentials.',
  'When each fits: the Setup action for one local app in one org whose clients cannot be re-keyed soon (if the credentials do carry over) and that nobody keeps in source — retrieve the result afterwards (sf eca retrieve); this command for many apps, for apps kept in source control and deployed by pipelines, for sandboxes rebuilt from source, and when the Connected App must keep working during the cutover.',
  `Neither route carries a refresh-token IP allowlist over (Help known issue 005387022). If the Connected App has one (Setup shows it; the Metadata API may not), set it on the ECA: ${ALLOWLIST_ACTION.replace(/^Set it on the ECA: /, '').replace(/ Salesforce's own migration does not carry.*$/, '')}`,
];

/** What the Setup action would make of this app, in one sentence. */
export const setupVerdict = (r: MigrationReport): string =>
  r.setupAction.eligible === 'no'
    ? `For ${r.connectedApp} the Setup action is not available: ${r.setupAction.blockers.join('; ')}.`
    : `Nothing in the files rules the Setup action out for ${r.connectedApp}; it also needs a local Connected App whose clients do not use the username-password flow, which the files cannot show.`;

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

/** The field, its value and its line in one cell. */
const caWithValue = (m: FieldMapping): string =>
  `${m.connectedApp ?? ''}${m.value !== undefined ? ` = ${oneLine(m.value)}` : ' (absent)'}${m.line !== undefined ? ` (line ${m.line})` : ''}`;

/** Where the value went, with the value written when it is not the one read. */
const targetWithWritten = (m: FieldMapping): string =>
  m.eca.length === 0
    ? '—'
    : m.eca.map((t) => `${title(t.kind)} ${t.field}${t.value !== undefined && t.value !== m.value ? ` = ${oneLine(t.value)}` : ''}${t.written ? '' : ' (not written)'}`).join('; ');

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

export type MigrationLayout = {
  /** The width to fit in (the terminal's columns); unbounded when absent. */
  readonly width?: number;
  /** Every field, also those copied unchanged (otherwise counted in one line). */
  readonly verbose?: boolean;
};

/** A field copied as it is: the same element's value, unchanged. */
const copiedUnchanged = (f: FieldMapping): boolean => f.status === 'migrated' && f.transform === 'copied' && written(f) === 'same';

/** One migration: files, every field, what is not migrated, the policies compared, hardening, and what check says of the result. */
export const renderMigration = (r: MigrationReport, style: Style = PLAIN, layout: MigrationLayout = {}): string => {
  const width = layout.width ?? UNBOUNDED;
  // tables and lines are indented by two under their heading
  const inner = width - 2;
  const wrapped = (text: string, indent: number, paint: (s: string) => string = (s): string => s): string[] => wrap(text, width, indent).map(paint);
  const out: string[] = [];
  out.push(...wrapped(style.bold(`${r.connectedApp} (Connected App) → ${r.eca} (External Client App)`) + style.dim(`  API ${r.apiVersion ?? 'version not known: every field written'}`), 4));
  out.push(...wrapped(`  from ${r.source}`, 4, style.dim));
  if (r.errors.length > 0) {
    out.push('', renderErrors(r.errors, style));
    return out.join('\n');
  }

  out.push('', style.bold('Files'));
  out.push(renderTable(['File', 'Path'], r.files.map((f) => [title(f.kind), f.path]), style, { width: inner, shrink: [1] }).replace(/^(?=.)/gm, '  '));

  const fromCa = r.fields.filter((f) => f.connectedApp !== null && (layout.verbose === true || !copiedUnchanged(f)));
  const unchanged = r.fields.filter((f) => f.connectedApp !== null && layout.verbose !== true && copiedUnchanged(f)).length;
  const ecaOnly = r.fields.filter((f) => f.connectedApp === null);
  out.push('', style.bold('Fields'));
  const wide = {
    headers: ['Connected App', 'Line', 'Value', 'External Client App', 'Written', 'How'],
    rows: fromCa.map((f) => [f.connectedApp ?? '', f.line !== undefined ? String(f.line) : '', f.value !== undefined ? oneLine(f.value) : '(absent)', target(f), written(f), how(f)]),
    shrink: [5, 3, 2, 4, 0],
  };
  // too narrow for six columns: the line and the values go with the fields, in three
  const narrow = {
    headers: ['Connected App', 'External Client App', 'How'],
    rows: fromCa.map((f) => [caWithValue(f), targetWithWritten(f), how(f)]),
    shrink: [2, 1, 0],
  };
  const fields = fitsAsTable(wide.headers, wide.rows, { width: inner, shrink: wide.shrink }) ? wide : narrow;
  out.push(renderTable(fields.headers, fields.rows, style, { width: inner, shrink: fields.shrink }).replace(/^(?=.)/gm, '  '));
  if (unchanged > 0) out.push(...wrapped(`  ${unchanged === 1 ? '1 more field' : `${unchanged} more fields`} copied unchanged (--verbose lists them).`, 4, style.dim));
  if (ecaOnly.length > 0) {
    out.push('', style.bold('Set without a Connected App value'));
    out.push(renderTable(['External Client App', 'Why'], ecaOnly.map((f) => [targetWithValue(f), f.transform]), style, { width: inner, shrink: [1, 0] }).replace(/^(?=.)/gm, '  '));
  }

  if (r.notMigrated.length > 0) {
    out.push('', style.bold('Not migrated'));
    for (const n of r.notMigrated) {
      out.push(...wrapped(`  ${style.warn(n.item)}${n.connectedApp && n.connectedApp !== n.item ? style.dim(` (${n.connectedApp}${n.line !== undefined ? `, line ${n.line}` : ''})`) : n.line !== undefined ? style.dim(` (line ${n.line})`) : ''}: ${n.reason}`, 4));
      if (n.action) out.push(...wrapped(`      to do: ${n.action}`, 8, style.dim));
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
        style,
        { width: inner, shrink: [3, 1, 2] }
      ).replace(/^(?=.)/gm, '  ')
    );
  }

  if (r.references.length > 0) {
    out.push('', style.bold('Files that name the Connected App'));
    for (const x of r.references) {
      const how = x.how === 'done' ? style.good('done') : x.how === 'manual' ? style.warn('by hand') : x.written ? style.good('written (--relink)') : style.warn('--relink writes it');
      out.push(...wrapped(`  ${x.path}:${x.line}  ${x.type} ${style.dim(x.element)}  ${how}`, 4));
      out.push(...wrapped(`      ${x.change}`, 6, style.dim));
    }
  }

  if (r.hardening) {
    out.push('', style.bold('Hardening (--harden)'));
    if (r.hardening.changes.length === 0) out.push(...wrapped('  Nothing to harden: the migrated values already follow the recommendations.', 4));
    for (const c of r.hardening.changes) out.push(...wrapped(`  ${c.ruleId}  ${c.description}  ${style.dim(c.path)}`, 4));
    for (const c of r.hardening.skipped ?? []) out.push(...wrapped(`  ${c.ruleId}  ${c.description}`, 4, style.warn));
  }

  out.push('', style.bold('Salesforce\'s own migration (Setup)'));
  out.push(...wrapped(`  ${setupVerdict(r)}`, 2));

  out.push('', style.bold(r.hardening ? 'What check reports on the hardened files' : 'What check reports on the files (inherited from the Connected App)'));
  if (r.findings.length === 0) out.push('  No findings.');
  // grouped by file: the path once, then each finding's line
  let path: string | undefined;
  for (const f of r.findings) {
    if (f.path !== path) out.push(...wrapped(`  ${f.path}`, 2, style.bold));
    path = f.path;
    out.push(...wrapped(`    ${f.line}  ${sev(f.severity, style)}  ${f.ruleId} ${style.dim(f.rule)}  ${f.message}${f.waived ? style.dim(' (waived)') : ''}`, 8));
    out.push(...wrapped(`        from: ${f.from ?? 'a default the migration writes, not a value of the Connected App'}`, 10, style.dim));
    if (f.action) out.push(...wrapped(`        to do: ${f.action}`, 10, style.dim));
  }
  return out.join('\n');
};

/** The other route, once per run (after the reports): what Salesforce's Setup action does and when each route fits. */
export const renderSetupRoute = (style: Style = PLAIN, width: number = UNBOUNDED): string =>
  [style.bold('Salesforce\'s own migration (Setup) or this command'), ...SETUP_ROUTE.flatMap((p) => wrap(`  ${p}`, width, 2))].join('\n');

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

export type MigrationOutcome = { readonly connectedApp: string; readonly eca: string; readonly status: 'migrated' | 'skipped' | 'failed'; readonly message?: string; readonly files: readonly string[] };

const CHANGE_MD: Readonly<Record<PolicyComparison['change'], string>> = { same: 'same', stronger: '🟢 stronger', weaker: '🔴 weaker', lost: '🔴 lost' };

/** One migration as markdown sections (for change boards): the policies, what is lost, the files, the references, the findings, the other route. */
const migrationMarkdown = (r: MigrationReport): string => {
  const out: string[] = [];
  out.push(`## ${mdCell(r.connectedApp)} → ${mdCell(r.eca)}`, '');
  out.push(`Source: ${mdCell(r.source)} · API version: ${mdCell(r.apiVersion ?? 'not known (every field written)')} · Needs --accept-weaker: ${r.needsAcceptance ? '**yes**' : 'no'}`);
  if (r.errors.length > 0) {
    out.push('', '### Errors', '', mdTable(['Location', 'Message', 'To do'], r.errors.map((e) => [`${e.path}${e.line !== undefined ? `:${e.line}${e.col !== undefined ? `:${e.col}` : ''}` : ''}`, e.message, e.action ?? ''])));
    return out.join('\n');
  }
  if (r.policies.length > 0) {
    out.push(
      '',
      '### Policies',
      '',
      mdTable(
        ['Policy', 'Connected App', 'External Client App', 'Change', 'Note'],
        r.policies.map((p) => [p.dimension, oneLine(p.connectedApp), oneLine(p.eca), `${CHANGE_MD[p.change]}${p.hardened ? ' (--harden)' : ''}${p.blocking ? ' — needs --accept-weaker' : ''}`, p.note ?? ''])
      )
    );
  }
  if (r.notMigrated.length > 0) {
    out.push('', '### Not migrated', '', mdTable(['What', 'Where', 'Why', 'To do'], r.notMigrated.map((n) => [n.item, `${n.connectedApp ?? ''}${n.line !== undefined ? ` (line ${n.line})` : ''}`, n.reason, n.action ?? ''])));
  }
  if (r.references.length > 0) {
    const how = (x: MigrationReport['references'][number]): string => (x.how === 'done' ? 'done' : x.how === 'manual' ? 'by hand' : x.written ? 'written (--relink)' : '--relink writes it');
    out.push('', '### Files that name the Connected App', '', mdTable(['File', 'Type', 'Element', 'Change', 'How'], r.references.map((x) => [`${x.path}:${x.line}`, x.type, x.element, x.change, how(x)])));
  }
  out.push('', '### Files written', '', mdTable(['File', 'Path'], r.files.map((f) => [title(f.kind), f.path])));
  if (r.hardening) {
    out.push('', '### Hardening (--harden)', '');
    const rows = [...r.hardening.changes.map((c) => [c.ruleId, c.description, c.path]), ...(r.hardening.skipped ?? []).map((c) => [c.ruleId, c.description, c.path])];
    out.push(rows.length > 0 ? mdTable(['Rule', 'Change', 'File'], rows) : 'Nothing to harden: the migrated values already follow the recommendations.');
  }
  out.push('', r.hardening ? '### What check reports on the hardened files' : '### What check reports on the files', '');
  out.push(
    r.findings.length > 0
      ? mdTable(
          ['Severity', 'Rule', 'Location', 'Message', 'From the Connected App'],
          r.findings.map((f) => [`${f.severity}${f.waived ? ' (waived)' : ''}`, `${f.ruleId} ${f.rule}`, `${f.path}:${f.line}`, f.message, f.from ?? 'a default the migration writes'])
        )
      : 'No findings.'
  );
  out.push('', '### Salesforce\'s own migration (Setup)', '', mdCell(setupVerdict(r)));
  return out.join('\n').trimEnd();
};

/**
 * The parity report in GitHub-flavoured markdown, for change boards and pull requests: with several apps (--all,
 * --plan) a table of outcomes first, then one section per Connected App. Cells are escaped with the check
 * summary's helpers (render/markdown.ts).
 */
export const renderMigrationMarkdown = (
  reports: readonly MigrationReport[],
  outcomes: readonly MigrationOutcome[] | undefined,
  dryRun: boolean,
  /** Each app's pre-flight (with --target-org) and checklist. */
  after: ReadonlyArray<{ readonly connectedApp: string; readonly eca: string; readonly status: string; readonly preflight?: MigrationPreflight; readonly checklist: readonly string[] }> = []
): string => {
  const out: string[] = ['# sf eca migrate: parity report', ''];
  if (outcomes && outcomes.length > 0) {
    const status = (a: MigrationOutcome): string => (a.status === 'migrated' ? (dryRun ? 'would migrate' : 'migrated') : a.status);
    out.push(mdTable(['Connected App', 'External Client App', 'Status', 'Detail'], outcomes.map((a) => [a.connectedApp, a.eca, status(a), a.status === 'migrated' ? `${a.files.length} files` : (a.message ?? '')])), '');
  }
  out.push(reports.map(migrationMarkdown).join('\n\n'));
  for (const a of after) {
    if (a.preflight) out.push('', `## Pre-flight of ${mdCell(a.connectedApp)} (from the org)`, '', ...preflightLines(a.preflight).map((l) => `- ${mdCell(l)}`));
    if (a.status === 'migrated' && a.checklist.length > 0) out.push('', `## After migrating ${mdCell(a.connectedApp)} to ${mdCell(a.eca)}`, '', ...a.checklist.map((l) => `- [ ] ${mdCell(l)}`));
  }
  if (reports.length > 0) out.push('', '## Salesforce\'s own migration (Setup) or this command', '', SETUP_ROUTE.map(mdCell).join('\n\n'));
  return `${out.join('\n')}\n`;
};

const day = (iso: string | undefined): string => (iso ? iso.slice(0, 10) : 'never');

/** The pre-flight lines of an app (migrate --target-org): what the org knows of the Connected App. */
export const preflightLines = (p: MigrationPreflight): string[] => {
  const lines: string[] = [];
  if (p.managed) lines.push(`installed from the managed package ${p.namespacePrefix ?? ''}: not eligible (its publisher ships an ECA)`.replace('  ', ' '));
  if (!p.found) {
    lines.push('no ConnectedApplication record of that name or label: its usage is unknown');
    return lines;
  }
  lines.push(p.tokens !== undefined ? `OAuth tokens: ${p.tokens} held by ${p.users ?? 0} user(s), last used ${day(p.lastUsed)}` : 'OAuth tokens: unknown (OauthToken not readable)');
  lines.push(
    p.usernamePasswordLogins !== undefined
      ? `username-password logins in ${p.loginDays} days: ${p.usernamePasswordLogins}${p.usernamePasswordLogins > 0 ? ` by ${p.usernamePasswordUsers ?? 0} user(s), last ${day(p.lastUsernamePasswordLogin)} (the flow is switched off on 20 February 2027)` : ''}`
      : 'username-password logins: unknown (LoginHistory not readable)'
  );
  lines.push(
    p.permissionSets !== undefined
      ? `pre-authorized: ${[...p.permissionSets.map((s) => `permission set ${s}`), ...(p.profiles ?? []).map((x) => `profile ${x}`)].join(', ') || 'nobody'}`
      : 'pre-authorizations: unknown (SetupEntityAccess not readable)'
  );
  return lines;
};

/** What an app's outcome adds for people: its pre-flight (with --target-org) and the checklist once it is migrated. */
export const renderAfterMigration = (
  app: { readonly connectedApp: string; readonly eca: string; readonly status: string; readonly preflight?: MigrationPreflight; readonly checklist: readonly string[] },
  style: Style = PLAIN,
  width: number = UNBOUNDED
): string => {
  const out: string[] = [];
  if (app.preflight) {
    out.push(style.bold(`Pre-flight of ${app.connectedApp} (from the org):`));
    for (const l of preflightLines(app.preflight)) out.push(...wrap(`- ${l}`, width, 2));
  }
  if (app.status === 'migrated' && app.checklist.length > 0) {
    out.push(style.bold(`After migrating ${app.connectedApp} to ${app.eca}:`));
    app.checklist.forEach((l, i) => out.push(...wrap(`${i + 1}. ${l}`, width, 3)));
  }
  return out.join('\n');
};
