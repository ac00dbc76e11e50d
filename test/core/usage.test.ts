/*
 * The usage evaluator (src/core/usage/evaluate.ts): figures + configuration + today → per-app figures and findings.
 */
import { expect } from 'chai';
import { configError } from '../support/eca-app.js';
import { DEFAULT_CONFIG, type EcaConfig, parseConfig } from '../../src/core/rules/config.js';
import { RULE_KEYS } from '../../src/core/rules/engine.js';
import { evaluateUsage, isUsernamePasswordLogin, type UsageFigures } from '../../src/core/usage/evaluate.js';
import { ALL_USAGE_RULES } from '../../src/core/usage/rules.js';

const TODAY = '2026-12-01';
const daysAgo = (n: number): string => new Date(Date.parse(`${TODAY}T12:00:00Z`) - n * 86_400_000).toISOString();

const EMPTY: UsageFigures = { ecas: [], policies: [], connectedApps: [], tokens: [], grants: [], logins: [], unknown: [] };

/** Six apps, one per situation, and two Connected Apps. */
const figures = (): UsageFigures => ({
  ecas: [
    { id: '0xa000000000001AAA', developerName: 'Idle', label: 'Idle App' },
    { id: '0xa000000000002AAA', developerName: 'Busy', label: 'Busy App' },
    { id: '0xa000000000003AAA', developerName: 'Nobody', label: 'Nobody App' },
    { id: '0xa000000000004AAA', developerName: 'Granted', label: 'Granted App' },
    { id: '0xa000000000005AAA', developerName: 'Robot', namespacePrefix: 'acme', label: 'Robot Integration' },
  ],
  policies: [
    { appId: '0xa000000000001AAA', permittedUsers: 'AdminApprovedPreAuthorized' },
    { appId: '0xa000000000002AAA', permittedUsers: 'AllSelfAuthorized' },
    { appId: '0xa000000000003AAA', permittedUsers: 'AdminApprovedPreAuthorized' },
    { appId: '0xa000000000004AAA', permittedUsers: 'AdminApprovedPreAuthorized' },
    { appId: '0xa000000000005AAA', permittedUsers: 'AdminApprovedPreAuthorized' },
  ],
  connectedApps: [
    { id: '0H4000000000001AAA', name: 'Legacy Loader' },
    { id: '0H4000000000002AAA', name: 'Old Sync' },
    { id: '0H4000000000003AAA', name: 'Dead CA' },
  ],
  tokens: [
    { appName: 'Idle App', userId: '005A', useCount: 3, lastUsed: daysAgo(200) },
    // by id (AppMenuItem.ApplicationId, 15 characters) beats a misleading name
    { appName: 'Something else', applicationId: '0xa000000000002', userId: '005A', useCount: 10, lastUsed: daysAgo(1) },
    { appName: 'busy', userId: '005B', useCount: 5, lastUsed: daysAgo(2) },
    { appName: 'Busy', userId: '005C', useCount: 1, lastUsed: daysAgo(120) },
    { appName: 'Granted', userId: '005A', useCount: 1, lastUsed: daysAgo(3) },
    { appName: 'Legacy Loader', userId: '005A', useCount: 40, lastUsed: daysAgo(1) },
    { appName: 'Old Sync', userId: '005B', useCount: 400, lastUsed: daysAgo(5) },
    { appName: 'Salesforce CLI', userId: '005A', useCount: 7, lastUsed: daysAgo(1) },
  ],
  grants: [
    { setupEntityId: '0xa000000000001AAA', kind: 'permissionSet', name: 'Idle_Users' },
    ...['A', 'B', 'C', 'D', 'E', 'F'].map((n) => ({ setupEntityId: '0xa000000000004AAA', kind: 'permissionSet' as const, name: `PS_${n}` })),
    { setupEntityId: '0xa000000000004AAA', kind: 'profile', name: 'Sales User' },
    { setupEntityId: '0xa000000000005AAA', kind: 'permissionSet', name: 'Robot_Run' },
  ],
  logins: [
    // the robot logs in with username-password only (no refresh token): used, and an error
    { userId: '005R', loginTime: daysAgo(2), loginType: 'Remote Access 2.0', loginSubType: 'OAuth Username-Password', application: 'Robot Integration' },
    { userId: '005R', loginTime: daysAgo(3), loginType: 'Remote Access 2.0', loginSubType: 'OAuth username password', application: 'acme__Robot' },
    { userId: '005S', loginTime: daysAgo(4), loginType: 'Remote Access 2.0', loginSubType: 'UsernamePassword', application: 'Unknown Tool' },
    // older than loginDays, another login type, another flow: none of them counts as username-password
    { userId: '005R', loginTime: daysAgo(45), loginType: 'Remote Access 2.0', loginSubType: 'OAuth Username-Password', application: 'Robot Integration' },
    { userId: '005R', loginTime: daysAgo(1), loginType: 'Application', loginSubType: 'Username-Password', application: 'Browser' },
    { userId: '005T', loginTime: daysAgo(1), loginType: 'Remote Access 2.0', loginSubType: 'OAuth JWT Bearer', application: 'Dead CA' },
  ],
  unknown: [],
});

const config = (usage: Partial<EcaConfig['usage']> = {}, more: Partial<EcaConfig> = {}): EcaConfig => ({ ...DEFAULT_CONFIG, ...more, usage: { ...DEFAULT_CONFIG.usage, ...usage } });
const ids = (r: ReturnType<typeof evaluateUsage>, app: string): string[] => r.findings.filter((f) => f.app === app).map((f) => f.ruleId).sort();

describe('usage evaluator', () => {
  it('reports each situation once, with the rule\'s name, category and severity', () => {
    const r = evaluateUsage(figures(), config(), { today: TODAY });
    expect(ids(r, 'Idle')).to.deep.equal(['ECA-USE-001']);
    expect(ids(r, 'Busy')).to.deep.equal(['ECA-USE-002', 'ECA-USE-005']);
    expect(ids(r, 'Nobody')).to.deep.equal(['ECA-USE-001', 'ECA-USE-003']);
    expect(ids(r, 'Granted')).to.deep.equal(['ECA-USE-004']);
    expect(ids(r, 'acme__Robot')).to.deep.equal(['ECA-USE-007']);
    expect(ids(r, 'Legacy Loader')).to.deep.equal(['ECA-USE-006']);
    expect(ids(r, 'Old Sync')).to.deep.equal(['ECA-USE-006']);
    // a JWT login within the days is a use: not unused, in the migration order
    expect(ids(r, 'Dead CA')).to.deep.equal(['ECA-USE-006']);
    expect(ids(r, 'Unknown Tool')).to.deep.equal(['ECA-USE-007']);
    const self = r.findings.find((f) => f.ruleId === 'ECA-USE-005')!;
    expect(self).to.include({ rule: 'self-authorized-not-in-use', category: 'usage', severity: 'error', path: 'org:ExternalClientApplication/Busy', line: 1, col: 1 });
    expect(self.message).to.include('3 users, 16 uses');
    expect(r.findings.find((f) => f.ruleId === 'ECA-USE-007' && f.app === 'acme__Robot')).to.include({ severity: 'error', path: 'org:ExternalClientApplication/acme__Robot' });
    expect(r.findings.find((f) => f.ruleId === 'ECA-USE-001' && f.app === 'Nobody')?.message).to.include('no OAuth token at all');
    expect(r.findings.find((f) => f.ruleId === 'ECA-USE-004')?.message).to.include('1 profile and 6 permission sets (7, more than 5)');
    expect(r.rules).to.deep.equal(ALL_USAGE_RULES.map((x) => x.id));
  });

  it('gives every app its figures: tokens, users, uses, last use, policy, grants, logins; Connected Apps ranked by use', () => {
    const r = evaluateUsage(figures(), config(), { today: TODAY });
    const busy = r.apps.find((a) => a.name === 'Busy')!;
    expect(busy).to.deep.include({ tokens: 3, users: 3, useCount: 16, lastUsed: daysAgo(1), permittedUsers: 'AllSelfAuthorized', permissionSets: [], profiles: [], usernamePasswordLogins: 0 });
    expect(busy.byUser?.map((u) => u.userId)).to.deep.equal(['005A', '005B', '005C']);
    const robot = r.apps.find((a) => a.name === 'acme__Robot')!;
    expect(robot).to.deep.include({ namespacePrefix: 'acme', tokens: 0, oauthLogins: 2, usernamePasswordLogins: 2, usernamePasswordUsers: 1, permissionSets: ['Robot_Run'] });
    expect(r.apps.find((a) => a.name === 'Granted')?.profiles).to.deep.equal(['Sales User']);
    expect(r.connectedApps.map((c) => [c.name, c.migrationRank])).to.deep.equal([
      ['Old Sync', 1],
      ['Legacy Loader', 2],
      ['Dead CA', 3],
    ]);
    expect(r.findings.find((f) => f.app === 'Old Sync')?.message).to.include('number 1 of 3 in the migration order');
    expect(r.otherApps.map((o) => [o.name, o.tokens, o.usernamePasswordLogins])).to.deep.equal([
      ['Salesforce CLI', 1, 0],
      ['Unknown Tool', 0, 1],
    ]);
  });

  it('thresholds change the outcome: unusedDays, maxPreAuthorizations, loginDays', () => {
    const loose = evaluateUsage(figures(), config({ unusedDays: 365, maxPreAuthorizations: 7, loginDays: 1 }), { today: TODAY });
    expect(ids(loose, 'Idle')).to.deep.equal([]);
    expect(ids(loose, 'Busy')).to.deep.equal(['ECA-USE-005']);
    expect(ids(loose, 'Granted')).to.deep.equal([]);
    expect(loose.findings.filter((f) => f.ruleId === 'ECA-USE-007')).to.deep.equal([]);
    const strict = evaluateUsage(figures(), config({ unusedDays: 1, maxPreAuthorizations: 0, loginDays: 60 }), { today: TODAY });
    expect(ids(strict, 'Idle')).to.include.members(['ECA-USE-001', 'ECA-USE-004']);
    expect(strict.apps.find((a) => a.name === 'acme__Robot')?.usernamePasswordLogins).to.equal(3);
  });

  it('applies severity overrides, "off", waivers and --rule like the engine', () => {
    const r = evaluateUsage(
      figures(),
      config({}, { rules: { 'self-authorized-not-in-use': 'warning', 'ECA-USE-006': 'off' }, waivers: [{ app: 'Idle', rule: 'ECA-USE-001', reason: 'kept for the auditors' }] }),
      { today: TODAY }
    );
    expect(r.findings.find((f) => f.ruleId === 'ECA-USE-005')?.severity).to.equal('warning');
    expect(r.findings.filter((f) => f.ruleId === 'ECA-USE-006')).to.deep.equal([]);
    expect(r.rules).to.not.include('ECA-USE-006');
    expect(r.findings.find((f) => f.app === 'Idle')?.waived).to.deep.equal({ reason: 'kept for the auditors' });
    const only = evaluateUsage(figures(), config(), { today: TODAY, only: ['no-username-password-logins'] });
    expect([...new Set(only.findings.map((f) => f.ruleId))]).to.deep.equal(['ECA-USE-007']);
    expect(only.rules).to.deep.equal(['ECA-USE-007']);
  });

  it('an object the org did not answer leaves its figures out and skips the rules that need them', () => {
    const noLogins = evaluateUsage({ ...figures(), logins: [], unknown: ['LoginHistory'] }, config(), { today: TODAY });
    expect(noLogins.rules).to.not.include('ECA-USE-007');
    expect(noLogins.apps[0]).to.not.have.property('usernamePasswordLogins');
    expect(noLogins.apps[0]).to.have.property('tokens');
    const noTokens = evaluateUsage({ ...figures(), tokens: [], unknown: ['OauthToken'] }, config(), { today: TODAY });
    expect(noTokens.rules).to.not.include.members(['ECA-USE-001', 'ECA-USE-002']);
    expect(noTokens.findings.filter((f) => f.ruleId === 'ECA-USE-001')).to.deep.equal([]);
    expect(noTokens.apps[0]).to.not.have.property('tokens');
    const noGrants = evaluateUsage({ ...figures(), grants: [], unknown: ['SetupEntityAccess'] }, config(), { today: TODAY });
    expect(noGrants.findings.filter((f) => ['ECA-USE-003', 'ECA-USE-004'].includes(f.ruleId))).to.deep.equal([]);
    expect(noGrants.apps[0]).to.not.have.property('permissionSets');
  });

  it('points a finding at the retrieved file when the caller knows it', () => {
    const r = evaluateUsage(figures(), config(), { today: TODAY, pathOf: (kind, name) => (kind === 'eca' ? `org:externalClientApps/${name}.eca` : undefined) });
    expect(r.findings.find((f) => f.app === 'Idle')?.path).to.equal('org:externalClientApps/Idle.eca');
    expect(r.findings.find((f) => f.app === 'Old Sync')?.path).to.equal('org:ConnectedApplication/Old Sync');
    expect(r.findings.find((f) => f.app === 'Unknown Tool')?.path).to.equal('org:LoginHistory/Unknown Tool');
  });

  it('an org without apps has no findings', () => {
    expect(evaluateUsage(EMPTY, config(), { today: TODAY })).to.deep.include({ findings: [], apps: [], connectedApps: [], otherApps: [] });
  });

  it('tells username-password logins by LoginType and a LoginSubType naming the flow, in any case', () => {
    expect(isUsernamePasswordLogin({ loginType: 'Remote Access 2.0', loginSubType: 'OAuth Username-Password Flow' })).to.equal(true);
    expect(isUsernamePasswordLogin({ loginType: 'remote access 2.0', loginSubType: 'USERNAME PASSWORD' })).to.equal(true);
    expect(isUsernamePasswordLogin({ loginType: 'Remote Access 2.0', loginSubType: 'OAuth Refresh Token' })).to.equal(false);
    expect(isUsernamePasswordLogin({ loginType: 'SAML Idp Initiated SSO', loginSubType: 'username-password' })).to.equal(false);
  });

  it('the usage rules are rule keys (configuration, waivers, --rule) with unique ids and kebab-case names', () => {
    for (const r of ALL_USAGE_RULES) {
      expect(RULE_KEYS.has(r.id) && RULE_KEYS.has(r.name), r.id).to.equal(true);
      expect(r.id).to.match(/^ECA-USE-\d{3}$/);
      expect(r.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
    expect(new Set(ALL_USAGE_RULES.map((r) => r.name)).size).to.equal(ALL_USAGE_RULES.length);
    const severities = Object.fromEntries(ALL_USAGE_RULES.map((r) => [r.id, r.severity]));
    expect(severities).to.deep.include({ 'ECA-USE-005': 'error', 'ECA-USE-007': 'error' });
  });

  it('the configuration validates the usage thresholds, names the key, and merges layers', () => {
    const c = parseConfig([{ source: 'a', value: { usage: { unusedDays: 30 } } }, { source: 'b', value: { usage: { loginDays: 7 } } }], RULE_KEYS);
    expect(c.usage).to.deep.equal({ unusedDays: 30, maxPreAuthorizations: 5, loginDays: 7 });
    expect(DEFAULT_CONFIG.usage).to.deep.equal({ unusedDays: 90, maxPreAuthorizations: 5, loginDays: 30 });
    const bad = configError;
    expect(bad({ usage: { unusedDays: 0 } })).to.equal('eca.json: usage.unusedDays: expected a whole number of days, from 1 to 3650');
    expect(bad({ usage: { loginDays: 365 } })).to.include('usage.loginDays: expected a whole number of days, from 1 to 180');
    expect(bad({ usage: { maxPreAuthorizations: -1 } })).to.include('usage.maxPreAuthorizations');
    expect(bad({ usage: { days: 3 } })).to.include('usage.days: unknown key; expected one of unusedDays, maxPreAuthorizations, loginDays');
    expect(bad({ usage: 3 })).to.include('usage: expected an object');
    expect(bad({ waivers: [{ app: 'A', rule: 'ECA-USE-001', reason: 'known' }] })).to.equal('no error');
  });
});
