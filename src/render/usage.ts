/* The usage figures of `audit --usage` as a table (human output). Pure: returns a string. */
import type { UsageCounts, UsageResult } from '../core/usage/evaluate.js';
import { PLAIN, renderTable, type Style, UNBOUNDED } from './style.js';

const n = (v: number | undefined): string => (v === undefined ? '?' : String(v));
const day = (iso: string | undefined, known: boolean): string => (!known ? '?' : iso ? iso.slice(0, 10) : 'never');
const counts = (c: UsageCounts): string[] => [
  n(c.tokens),
  n(c.users),
  n(c.useCount),
  day(c.lastUsed, c.tokens !== undefined),
  n(c.usernamePasswordLogins),
];

/** One row per External Client App, Connected App (with its migration rank) and other app with tokens or logins. */
export const renderUsage = (usage: Pick<UsageResult, 'apps' | 'connectedApps' | 'otherApps'>, style: Style = PLAIN, width: number = UNBOUNDED): string => {
  const rows = [
    ...usage.apps.map((a) => [
      a.name,
      'ECA',
      a.permittedUsers ?? '',
      a.permissionSets === undefined ? '?' : String(a.permissionSets.length + (a.profiles?.length ?? 0)),
      ...counts(a),
    ]),
    ...usage.connectedApps.map((c) => [c.name, `Connected App${c.migrationRank ? ` #${c.migrationRank}` : ''}`, '', '', ...counts(c)]),
    ...usage.otherApps.map((o) => [o.name, 'other', '', '', ...counts(o)]),
  ];
  if (rows.length === 0) return 'No apps in the org.';
  return renderTable(['App', 'Kind', 'Permitted users', 'Grants', 'Tokens', 'Users', 'Uses', 'Last used', 'Username-password logins'], rows, style, {
    width,
    shrink: [0, 1, 2, 8],
  });
};
