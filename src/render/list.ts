import type { Problem } from '../core/model/file.js';
import { type AppSummary, FLOW_LABELS } from '../core/model/summary.js';
import type { EcaFileKind } from '../core/project/inventory.js';
import { profileLabel } from '../core/rules/profile.js';
import { PLAIN, renderTable, type Style, UNBOUNDED, wrap } from './style.js';

const FILE_LETTERS: ReadonlyArray<[EcaFileKind, string]> = [
  ['header', 'H'],
  ['globalOauth', 'G'],
  ['oauth', 'O'],
  ['oauthPolicies', 'P'],
  ['policies', 'L'],
];

export const FILES_LEGEND =
  'Files: H header, G global OAuth settings, O OAuth settings, P OAuth policies, L plugin policies (· missing; lower case: in .forceignore, checked but not deployed).';

/** A file's letter: upper case when present, lower case when .forceignore matches it, · when missing. */
const fileLetter = (s: AppSummary, kind: EcaFileKind, letter: string): string => {
  const path = s.files[kind];
  if (!path) return '·';
  return s.kind === 'ExternalClientApp' && s.ignored?.includes(path) ? letter.toLowerCase() : letter;
};

const permitted = (s: AppSummary, style: Style): string => {
  switch (s.permittedUsers) {
    case undefined:
      return '';
    case 'AdminApprovedPreAuthorized':
      return style.good('admin-approved');
    case 'AllSelfAuthorized':
      return style.bad('all users');
    default:
      return style.warn(s.permittedUsers);
  }
};

const ip = (s: AppSummary, style: Style): string => {
  switch (s.ipRelaxation?.toLowerCase()) {
    case undefined:
      return '';
    case 'enforce':
      return style.good('enforce');
    case 'enforce_relaxrefresh':
      return style.warn('enforce, relax refresh');
    case 'bypass_2factor':
      return style.bad('bypass with 2FA');
    case 'bypass':
      return style.bad('bypass');
    default:
      return style.warn(s.ipRelaxation ?? '');
  }
};

const refresh = (s: AppSummary, style: Style): string => {
  if (!s.refreshToken) return '';
  return s.refreshTokenPolicy === 'Infinite' || s.refreshToken.startsWith('never') ? style.bad(s.refreshToken) : s.refreshToken;
};

const row = (s: AppSummary, style: Style): string[] => {
  const noPolicies = s.kind === 'ExternalClientApp' && !s.files.oauthPolicies;
  return [
    s.orphan ? `${s.name} ${style.warn('(no header)')}` : s.name,
    s.kind === 'ConnectedApp' ? 'Connected App' : 'ECA',
    s.client ? profileLabel(s.client) : '',
    s.label ?? '',
    s.distributionState ?? '',
    s.kind === 'ConnectedApp' ? '' : FILE_LETTERS.map(([k, l]) => fileLetter(s, k, l)).join(' '),
    noPolicies ? style.dim(s.policies === 'malformed' ? '(malformed)' : s.client?.packaged ? '(subscriber orgs)' : '(not retrieved)') : permitted(s, style),
    noPolicies ? '' : ip(s, style),
    noPolicies ? '' : refresh(s, style),
    s.flows.map((f) => FLOW_LABELS[f]).join(', '),
  ];
};

export const renderProblem = (p: Problem): string =>
  `${p.path}${p.line !== undefined ? `:${p.line}:${p.col ?? 1}` : ''}: ${p.severity}: ${p.message}`;

const HEADERS = ['App', 'Kind', 'Client', 'Label', 'State', 'Files', 'Permitted users', 'IP relaxation', 'Refresh tokens', 'Flows'];

/**
 * The columns that wrap when the table is too wide, first to give way first: Flows, Refresh tokens,
 * Label, Permitted users, IP relaxation, Client, Kind, State. App and Files never wrap.
 */
const SHRINK = [9, 8, 3, 6, 7, 2, 1, 4];

/** The apps as a table fitting in `width` columns (a block per app when a table cannot), the legend, a count. */
export const renderList = (apps: readonly AppSummary[], style: Style = PLAIN, width: number = UNBOUNDED): string => {
  if (apps.length === 0) return 'No External Client Apps or Connected Apps found.';
  const table = renderTable(HEADERS, apps.map((a) => row(a, style)), style, { width, shrink: SHRINK });
  const ecas = apps.filter((a) => a.kind === 'ExternalClientApp').length;
  const cas = apps.length - ecas;
  const legend = wrap(FILES_LEGEND, width).map(style.dim).join('\n');
  return `${table}\n\n${legend}\n${ecas} External Client App${ecas === 1 ? '' : 's'}, ${cas} Connected App${cas === 1 ? '' : 's'}.`;
};
