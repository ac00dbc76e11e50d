/*
 * Migration pre-flight and post-migration checklist (pure). The pre-flight is what the org knows of a Connected App
 * before it is migrated (`migrate --target-org`): who holds its tokens, whether it still receives username-password
 * logins, which permission sets and profiles pre-authorize it, whether it is managed (installed from a package: not
 * eligible). The checklist is what people must still do once the ECA exists, from the report and, when known, the
 * pre-flight: nothing in it is done by the plugin.
 */
import type { MigrationReport } from './types.js';

export type MigrationPreflight = {
  /** The org has a ConnectedApplication record of that name (its figures are then known). */
  readonly found: boolean;
  /** Installed from a managed package: Salesforce does not migrate it; its publisher ships an ECA. */
  readonly managed: boolean;
  readonly namespacePrefix?: string;
  readonly tokens?: number;
  readonly users?: number;
  readonly lastUsed?: string;
  readonly usernamePasswordLogins?: number;
  readonly usernamePasswordUsers?: number;
  readonly lastUsernamePasswordLogin?: string;
  /** Permission sets and profiles pre-authorized to the Connected App (SetupEntityAccess). */
  readonly permissionSets?: readonly string[];
  readonly profiles?: readonly string[];
  /** Objects the org did not let us read (their figures are unknown, not zero). */
  readonly unknown: readonly string[];
  /** Days of Login History read. */
  readonly loginDays: number;
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const day = (iso: string | undefined): string => (iso ? iso.slice(0, 10) : 'never');

/** What people must do after the migration, in order. */
export const postMigrationChecklist = (report: MigrationReport, preflight?: MigrationPreflight): string[] => {
  const out: string[] = [];
  const { connectedApp: ca, eca } = report;
  out.push(
    `Deploy ${eca} ("sf eca deploy --name ${eca}"), then retrieve it ("sf eca retrieve --name ${eca}"): the org creates its OAuth policies record and issues a new consumer key and secret.`
  );
  const holders = preflight?.users !== undefined ? ` (${plural(preflight.users, 'user')} hold ${plural(preflight.tokens ?? 0, 'token')} of ${ca}, last used ${day(preflight.lastUsed)})` : '';
  out.push(`Re-key every client of ${ca} with ${eca}'s consumer key (and secret, or certificate): tokens of ${ca} do not carry over${holders}.`);
  const sets = preflight?.permissionSets ?? [];
  const profiles = preflight?.profiles ?? [];
  if (sets.length > 0 || profiles.length > 0) {
    out.push(
      `Pre-authorize ${eca} for what ${ca} had: ${[...(sets.length > 0 ? [`permission sets ${sets.join(', ')}`] : []), ...(profiles.length > 0 ? [`profiles ${profiles.join(', ')}`] : [])].join('; ')} ("sf eca set --name ${eca} --permitted-users admin-approved${sets.map((s) => ` --permission-set ${s}`).join('')}${profiles.map((p) => ` --profile "${p}"`).join('')}").`
    );
  } else if (preflight?.permissionSets === undefined) {
    out.push(`Assign the permission sets or profiles the users of ${ca} need to ${eca}'s policies ("sf eca migrate --target-org <org>" lists ${ca}'s pre-authorizations).`);
  }
  if (report.policies.some((p) => p.dimension === 'refresh-token-ip-allowlist' && p.change !== 'same')) {
    out.push(`Re-apply ${ca}'s refresh-token IP allowlist on ${eca} in Setup (External Client App Manager → ${eca} → Edit Settings → Enforce Refresh Token IP Allowlist): no migration carries it over.`);
  }
  if ((preflight?.usernamePasswordLogins ?? 0) > 0) {
    out.push(
      `Move the ${plural(preflight?.usernamePasswordUsers ?? 0, 'user')} who logged in through the username-password flow (${plural(preflight?.usernamePasswordLogins ?? 0, 'login')} in ${preflight?.loginDays ?? 0} days, last ${day(preflight?.lastUsernamePasswordLogin)}) to the client credentials or JWT bearer flow before 20 February 2027: migrating does not change the flow a client uses.`
    );
  }
  const manual = report.references.filter((r) => r.how === 'manual' || (r.how === 'relink' && !r.written));
  if (manual.length > 0) out.push(`Re-point what still names ${ca} (with --relink where it can be written, else in Setup): ${[...new Set(manual.map((r) => r.path))].join(', ')}.`);
  out.push(
    `Delete ${ca} once no token uses it${preflight?.tokens !== undefined ? ` (today: ${plural(preflight.tokens, 'token')})` : ''}: "sf eca audit --usage --target-org <org>" shows when.`
  );
  return out;
};
