/*
 * sf eca audit --usage, in-process against the emulator: the apps are deployed metadata (ExternalClientApplication
 * and ExtlClntAppOauthPlcyCnfg are derived from it), tokens, grants, logins and Connected Apps are query fixtures.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Ajv } from 'ajv';
import { metadataFile, useEmulatorOrg } from '../support/emulator/index.js';
import { PROJECT_ROOT, tempDir } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

type Finding = { ruleId: string; rule: string; severity: string; category: string; app: string; path: string; message: string; waived?: unknown };
type AppFigures = Record<string, unknown> & { name: string };
type AuditJson = {
  status: number;
  warnings?: string[];
  result: {
    findings: Finding[];
    failed: boolean;
    usage?: { apps: AppFigures[]; connectedApps: AppFigures[]; otherApps: AppFigures[]; unknown: string[]; requests: number; thresholds: Record<string, number> };
  };
};

const DAY = 86_400_000;
const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString().replace('Z', '+0000');

describe('audit --usage against the emulator (in-process)', function () {
  this.timeout(60_000);
  const org = useEmulatorOrg();
  // The --wait watchdog of a run (src/cli/org.ts) is meant to stop when the command ends, but oclif hands the flag's
  // parse a copy of the command, so its `finally` hook never runs: after the 1.5 s wait below, the watchdog would end
  // mocha 5.5 s later if no other org command had started by then. Stop it after each test.
  const audit = (args: string[], cwd = tempDir(), extra: Record<string, string> = {}) =>
    runCommand(['eca', 'audit', ...args, '--target-org', 'emu'], cwd, { ...org.env, ...extra });
  const json = (stdout: string): AuditJson => JSON.parse(stdout) as AuditJson;

  /** Deploys apps (header, OAuth settings, and policies when a permitted-users policy is given) and returns their ids. */
  const seed = (apps: ReadonlyArray<{ name: string; label?: string; permittedUsers?: string }>): Record<string, string> => {
    const components = apps.flatMap(({ name, label, permittedUsers }) => [
      {
        type: 'ExternalClientApplication',
        fullName: name,
        xml: metadataFile('ExternalClientApplication', [
          ['contactEmail', 'owner@example.com'],
          ['distributionState', 'Local'],
          ['isProtected', 'false'],
          ['label', label ?? name],
        ]),
      },
      {
        type: 'ExtlClntAppOauthSettings',
        fullName: `${name}_oauth`,
        xml: metadataFile('ExtlClntAppOauthSettings', [
          ['commaSeparatedOauthScopes', 'Api'],
          ['externalClientApplication', name],
          ['label', `${name} OAuth`],
        ]),
      },
      ...(permittedUsers
        ? [
            {
              type: 'ExtlClntAppOauthConfigurablePolicies',
              fullName: `${name}_oauthPlcy`,
              xml: metadataFile('ExtlClntAppOauthConfigurablePolicies', [
                ['externalClientApplication', name],
                ['ipRelaxationPolicyType', 'Enforce'],
                ['label', `${name} policies`],
                ['permittedUsersPolicyType', permittedUsers],
                ['refreshTokenPolicyType', 'SpecificLifetime'],
              ]),
            },
          ]
        : []),
    ]);
    const r = org.emu.applyComponents(components);
    expect(JSON.stringify(r)).to.include('"success":true');
    return Object.fromEntries(apps.map(({ name }) => [name, org.emu.component('ExternalClientApplication', name)!.id]));
  };

  const grant = (appId: string, i: number, profile?: string) => ({
    Id: `0J0${appId.slice(-6)}${i}`,
    SetupEntityId: appId,
    ParentId: `0PS${i}`,
    Parent: profile
      ? { Name: `X00e${i}`, Label: null, IsOwnedByProfile: true, Profile: { Name: profile } }
      : { Name: `PS_${i}`, Label: `Permission set ${i}`, IsOwnedByProfile: false, Profile: null },
  });

  /** The org of the brief: one app per situation, a Connected App in use, username-password logins. */
  const seedScenario = (): Record<string, string> => {
    const ids = seed([
      { name: 'Idle', label: 'Idle App', permittedUsers: 'AdminApprovedPreAuthorized' },
      { name: 'Busy', label: 'Busy App' }, // the org generates AllSelfAuthorized policies
      { name: 'Nobody', permittedUsers: 'AdminApprovedPreAuthorized' },
      { name: 'Granted', permittedUsers: 'AdminApprovedPreAuthorized' },
      { name: 'Robot', label: 'Robot Integration', permittedUsers: 'AdminApprovedPreAuthorized' },
    ]);
    org.emu.setRecords('OauthToken', [
      { Id: '0CQ1', AppName: 'Idle App', AppMenuItem: null, UserId: '005A', UseCount: 3, LastUsedDate: ago(200) },
      { Id: '0CQ2', AppName: 'Busy App', AppMenuItem: { ApplicationId: ids.Busy }, UserId: '005A', UseCount: 10, LastUsedDate: ago(1) },
      { Id: '0CQ3', AppName: 'busy', AppMenuItem: null, UserId: '005B', UseCount: 5, LastUsedDate: ago(2) },
      { Id: '0CQ4', AppName: 'Granted', AppMenuItem: null, UserId: '005A', UseCount: 1, LastUsedDate: ago(3) },
      { Id: '0CQ5', AppName: 'Legacy Loader', AppMenuItem: { ApplicationId: '0H4000000000001AAA' }, UserId: '005A', UseCount: 40, LastUsedDate: ago(1) },
      { Id: '0CQ6', AppName: 'Legacy Loader', AppMenuItem: { ApplicationId: '0H4000000000001AAA' }, UserId: '005B', UseCount: 2, LastUsedDate: ago(4) },
    ]);
    org.emu.setRecords('ConnectedApplication', [
      { Id: '0H4000000000001AAA', Name: 'Legacy Loader' },
      { Id: '0H4000000000002AAA', Name: 'Forgotten CA' },
    ]);
    org.emu.setRecords('SetupEntityAccess', [
      grant(ids.Idle!, 1),
      grant(ids.Robot!, 2),
      ...[1, 2, 3, 4, 5].map((i) => grant(ids.Granted!, i)),
      grant(ids.Granted!, 6, 'Sales User'),
    ]);
    org.emu.setRecords('LoginHistory', [
      { Id: '0Ya1', UserId: '005R', LoginTime: ago(2), LoginType: 'Remote Access 2.0', LoginSubType: 'OAuth Username-Password', Application: 'Robot Integration', Status: 'Success' },
      { Id: '0Ya2', UserId: '005R', LoginTime: ago(40), LoginType: 'Remote Access 2.0', LoginSubType: 'OAuth Username-Password', Application: 'Robot Integration', Status: 'Success' },
      { Id: '0Ya3', UserId: '005S', LoginTime: ago(1), LoginType: 'Application', LoginSubType: 'Username-Password', Application: 'Browser', Status: 'Success' },
    ]);
    return ids;
  };

  const byApp = (findings: Finding[], app: string): string[] => findings.filter((f) => f.app === app && f.category === 'usage').map((f) => f.ruleId).sort();

  it('reports unused, unassigned, over-granted, self-authorized-in-use, connected-app-in-use and username-password findings with their figures', async () => {
    const ids = seedScenario();
    const r = await audit(['--usage', '--json']);
    expect(r.code, r.stdout + r.stderr).to.equal(1);
    const out = json(r.stdout);
    const { findings, usage } = out.result;
    expect(byApp(findings, 'Idle')).to.deep.equal(['ECA-USE-001']);
    expect(byApp(findings, 'Busy')).to.deep.equal(['ECA-USE-005']);
    expect(byApp(findings, 'Nobody')).to.deep.equal(['ECA-USE-001', 'ECA-USE-003']);
    expect(byApp(findings, 'Granted')).to.deep.equal(['ECA-USE-004']);
    expect(byApp(findings, 'Robot')).to.deep.equal(['ECA-USE-007']);
    expect(byApp(findings, 'Legacy Loader')).to.deep.equal(['ECA-USE-006']);
    expect(byApp(findings, 'Forgotten CA')).to.deep.equal(['ECA-USE-001']);
    // the catalog's findings are still there, and the usage findings point at the retrieved header
    expect(findings.some((f) => f.category !== 'usage')).to.equal(true);
    const self = findings.find((f) => f.ruleId === 'ECA-USE-005')!;
    expect(self).to.include({ rule: 'self-authorized-not-in-use', severity: 'error', path: 'org:externalClientApps/Busy.eca-meta.xml' });
    expect(findings.find((f) => f.ruleId === 'ECA-USE-007')).to.include({ severity: 'error', app: 'Robot' });
    expect(findings.find((f) => f.ruleId === 'ECA-USE-006')?.message).to.include('2 users, 42 uses').and.include('number 1 of 1 in the migration order');

    const app = (name: string) => usage!.apps.find((a) => a.name === name)!;
    expect(usage!.apps.map((a) => a.name)).to.deep.equal(['Busy', 'Granted', 'Idle', 'Nobody', 'Robot']);
    expect(app('Busy')).to.deep.include({ id: ids.Busy, label: 'Busy App', permittedUsers: 'AllSelfAuthorized', tokens: 2, users: 2, useCount: 15, usernamePasswordLogins: 0, permissionSets: [], profiles: [] });
    expect(app('Granted')).to.deep.include({ permittedUsers: 'AdminApprovedPreAuthorized', permissionSets: ['PS_1', 'PS_2', 'PS_3', 'PS_4', 'PS_5'], profiles: ['Sales User'] });
    expect(app('Robot')).to.deep.include({ tokens: 0, usernamePasswordLogins: 1, usernamePasswordUsers: 1, permissionSets: ['PS_2'] });
    expect(app('Idle').lastUsed).to.be.a('string');
    expect(app('Nobody')).to.not.have.property('lastUsed');
    expect(usage!.connectedApps.map((c) => [c.name, c.migrationRank, c.tokens, c.users, c.useCount])).to.deep.equal([
      ['Legacy Loader', 1, 2, 2, 42],
      ['Forgotten CA', undefined, 0, 0, 0],
    ]);
    expect(usage!.thresholds).to.deep.equal({ unusedDays: 90, maxPreAuthorizations: 5, loginDays: 30 });
    expect(usage!.unknown).to.deep.equal([]);
    expect(usage!.requests).to.equal(org.emu.count('query'));
    // the result is what schemas/eca-audit.json says
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(PROJECT_ROOT, 'schemas/eca-audit.json'), 'utf8')) as object);
    expect(validate(out.result), JSON.stringify(validate.errors)).to.equal(true);
  });

  it('without --usage the audit is what it was: no query, no usage in the result', async () => {
    seedScenario();
    const before = await audit(['--json']);
    const ops = org.emu.ops();
    expect(ops).to.not.include('query');
    expect(json(before.stdout).result).to.not.have.property('usage');
    expect(json(before.stdout).result.findings.filter((f) => f.category === 'usage')).to.deep.equal([]);
    org.emu.clearRequests();
    await audit(['--usage', '--json']);
    // the same requests, then the queries
    expect(org.emu.ops().filter((op) => op !== 'query')).to.deep.equal(ops);
  });

  it('--fail-on sets the exit code from the usage findings, --rule limits them', async () => {
    seed([{ name: 'Idle', permittedUsers: 'AdminApprovedPreAuthorized' }]);
    org.emu.setRecords('SetupEntityAccess', [grant(org.emu.component('ExternalClientApplication', 'Idle')!.id, 1)]);
    // a warning (unused) only
    const warned = await audit(['--usage', '--rule', 'ECA-USE-001', '--json']);
    expect(warned.code, warned.stdout).to.equal(0);
    expect(json(warned.stdout).result.findings.map((f) => [f.ruleId, f.severity])).to.deep.equal([['ECA-USE-001', 'warning']]);
    expect((await audit(['--usage', '--rule', 'ECA-USE-001', '--fail-on', 'warning'])).code).to.equal(1);
    // username-password logins are errors: fail by default, not with --fail-on never
    org.emu.setRecords('LoginHistory', [{ Id: '0Ya1', UserId: '005R', LoginTime: ago(1), LoginType: 'Remote Access 2.0', LoginSubType: 'username password', Application: 'Idle' }]);
    expect((await audit(['--usage', '--rule', 'no-username-password-logins'])).code).to.equal(1);
    const never = await audit(['--usage', '--rule', 'no-username-password-logins', '--fail-on', 'never', '--json']);
    expect(never.code).to.equal(0);
    expect(json(never.stdout).result.failed).to.equal(false);
    // without --usage the usage rules do not run
    expect(json((await audit(['--rule', 'ECA-USE-001', '--json'])).stdout).result.findings).to.deep.equal([]);
  });

  it('SARIF, JUnit, markdown and HTML describe the usage rules, with the posture score', async () => {
    seedScenario();
    const dir = tempDir();
    expect((await audit(['--usage', '--format', 'sarif', '--output-file', 'usage.sarif'], dir)).code).to.equal(1);
    const sarif = JSON.parse(readFileSync(join(dir, 'usage.sarif'), 'utf8')) as {
      runs: Array<{ tool: { driver: { rules: Array<{ id: string; name: string; properties: { tags: string[] } }> } }; results: Array<{ ruleId: string }> }>;
    };
    const rules = sarif.runs[0]!.tool.driver.rules;
    expect(rules.map((x) => x.id)).to.include.members(['ECA-USE-001', 'ECA-USE-003', 'ECA-USE-004', 'ECA-USE-005', 'ECA-USE-006', 'ECA-USE-007']);
    expect(rules.find((x) => x.id === 'ECA-USE-007')?.properties.tags).to.include('usage');
    expect(sarif.runs[0]!.results.map((x) => x.ruleId)).to.include.members(['ECA-USE-005', 'ECA-USE-007']);
    const junit = await audit(['--usage', '--format', 'junit'], dir);
    expect(junit.stdout).to.include('name="ECA-USE-005 self-authorized-not-in-use"').and.include('name="ECA-USE-001 app-recently-used"');
    const markdown = await audit(['--usage', '--format', 'markdown'], dir);
    expect(markdown.stdout).to.include('ECA-USE-007').and.include('Posture score: **');
    const html = await audit(['--usage', '--format', 'html'], dir);
    expect(html.stdout).to.match(/^<!DOCTYPE html>/).and.include('ECA-USE-007').and.include('id="project-score"');
    expect(sarif.runs[0]).to.have.nested.property('properties.postureScore');
    const human = await audit(['--usage'], dir, { COLUMNS: '200' });
    expect(human.stdout).to.match(/Legacy Loader\s+Connected App #1/).and.include('ECA-USE-004');
    // the catalog's SARIF without --usage names no usage rule
    await audit(['--format', 'sarif', '--output-file', 'plain.sarif'], dir);
    expect(readFileSync(join(dir, 'plain.sarif'), 'utf8')).to.not.include('ECA-USE-');
  });

  it('thresholds from the configuration change the outcome', async () => {
    seedScenario();
    const dir = tempDir();
    writeFileSync(join(dir, 'eca.json'), JSON.stringify({ usage: { unusedDays: 365, maxPreAuthorizations: 6, loginDays: 1 } }));
    const r = await audit(['--usage', '--config', 'eca.json', '--json'], dir);
    const { findings, usage } = json(r.stdout).result;
    expect(byApp(findings, 'Idle')).to.deep.equal([]);
    expect(byApp(findings, 'Granted')).to.deep.equal([]);
    // no login within one day: no username-password finding, and with no token the app now counts as unused
    expect(byApp(findings, 'Robot')).to.deep.equal(['ECA-USE-001']);
    expect(usage!.thresholds).to.deep.equal({ unusedDays: 365, maxPreAuthorizations: 6, loginDays: 1 });
    expect(org.emu.requests.some((q) => /LAST_N_DAYS:1\b/.test(JSON.stringify(q.query)))).to.equal(true);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ usage: { unusedDays: 0 } }));
    const bad = await audit(['--usage', '--config', 'bad.json'], dir);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('usage.unusedDays');
  });

  it('an object the org does not know (INVALID_TYPE) is skipped with a warning naming what is unknown', async () => {
    seedScenario();
    org.emu.unsupportedObjects.add('LoginHistory');
    const r = await audit(['--usage', '--json']);
    expect(r.code, r.stdout).to.equal(1);
    const out = json(r.stdout);
    expect(out.warnings?.join('\n')).to.include('LoginHistory').and.include('username-password logins (ECA-USE-007) are unknown');
    expect(out.result.usage!.unknown).to.deep.equal(['LoginHistory']);
    expect(out.result.findings.filter((f) => f.ruleId === 'ECA-USE-007')).to.deep.equal([]);
    expect(out.result.usage!.apps[0]).to.not.have.property('usernamePasswordLogins');
    org.emu.unsupportedObjects.add('OauthToken');
    const both = json((await audit(['--usage', '--json'])).stdout);
    expect(both.result.usage!.unknown).to.have.members(['LoginHistory', 'OauthToken']);
    expect(both.result.findings.filter((f) => f.ruleId === 'ECA-USE-001')).to.deep.equal([]);
    expect(byApp(both.result.findings, 'Nobody')).to.deep.equal(['ECA-USE-003']);
  });

  it('the number of requests does not grow with the number of apps (1 and 50 apps)', async () => {
    const queries = async (n: number): Promise<{ total: number; queries: number; reported: number }> => {
      org.emu.reset();
      const ids = seed(Array.from({ length: n }, (_, i) => ({ name: `App_${i}`, permittedUsers: 'AdminApprovedPreAuthorized' })));
      org.emu.setRecords('SetupEntityAccess', Object.values(ids).map((id, i) => grant(id, i)));
      org.emu.setRecords('OauthToken', Object.keys(ids).map((name, i) => ({ Id: `0CQ${i}`, AppName: name, AppMenuItem: null, UserId: '005A', UseCount: 1, LastUsedDate: ago(1) })));
      org.emu.clearRequests();
      const r = await audit(['--usage', '--json']);
      expect(r.code, r.stderr).to.be.oneOf([0, 1]);
      const out = json(r.stdout).result;
      expect(out.usage!.apps).to.have.length(n);
      expect(out.usage!.apps.every((a) => (a.permissionSets as string[]).length === 1)).to.equal(true);
      return { total: org.emu.requests.length, queries: org.emu.count('query'), reported: out.usage!.requests };
    };
    const one = await queries(1);
    const fifty = await queries(50);
    expect(one.queries).to.equal(6);
    expect(fifty).to.deep.equal(one);
    expect(one.reported).to.equal(6);
  });

  it('a query the org fails exits 20, one that never answers exits 75 within the wait; never 1', async () => {
    seedScenario();
    org.emu.failRequests(Infinity, { op: 'query', status: 500 });
    const failed = await audit(['--usage']);
    expect(failed.code, failed.stderr).to.equal(20);
    expect(failed.stderr).to.include('answered with an error while reading');
    org.emu.clearFaults();
    org.emu.hang({ op: 'query', times: Infinity });
    const t0 = Date.now();
    const hung = await audit(['--usage'], tempDir(), { ECA_WAIT_MS: '1500' });
    expect(hung.code, hung.stderr).to.equal(75);
    expect(hung.stderr).to.include('did not answer within 2 s while reading');
    expect(Date.now() - t0).to.be.lessThan(20_000);
    org.emu.dropHanging();
  });
});
