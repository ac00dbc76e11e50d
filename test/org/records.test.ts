/*
 * The org as it is (issue 13 §1): a deploy resolves the org's names of an app's records before it
 * writes (listMetadata + retrieve, confirmed by SOQL when the policies are not listed), refuses a file
 * named otherwise (never a second policies record), carries the org's values of the fields a file
 * leaves out (a deploy replaces the whole record), and reads the result back field by field.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import JSZip from 'jszip';
import { useEmulatorOrg } from '../support/emulator/index.js';
import { copyExample, type RunResult, snapshot } from '../support/helpers.js';
import { runCommand } from '../support/run.js';
import { orgClockRunning } from '../../src/cli/org.js';

const DEFAULT = 'force-app/main/default';
const POLICIES = 'ExtlClntAppOauthConfigurablePolicies';
const SETTINGS = 'ExtlClntAppOauthSettings';
const LOCAL_POLICIES = `${DEFAULT}/extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml`;
const ORG_POLICIES = `${DEFAULT}/extlClntAppOauthPolicies/Order_Sync_oauth_defaultPolicy.ecaOauthPlcy-meta.xml`;

type DeployJson = {
  status: number;
  result: {
    status: string;
    keptFromOrg: Array<{ path: string; fields: string[] }>;
    removedFromOrg: Array<{ path: string; elements: string[] }>;
    readBack?: { files: number; fields: number; differences: Array<{ path: string; element: string; sent?: string; org?: string }> };
  };
};

describe('the org as it is: names, merged writes and read-back (in-process)', function () {
  this.timeout(60_000);
  const org = useEmulatorOrg();
  const sf = (args: string[], cwd: string): Promise<RunResult> => runCommand(['eca', ...args, '--target-org', 'emu'], cwd, org.env);
  const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

  /** The org after Order_Sync's header and OAuth settings were deployed without policies: it made `Order_Sync_oauth_defaultPolicy`. */
  const seedWithGeneratedPolicies = (dir: string): void => {
    const r = org.emu.applyComponents([
      { type: 'ExternalClientApplication', fullName: 'Order_Sync', xml: read(dir, `${DEFAULT}/externalClientApps/Order_Sync.eca-meta.xml`) },
      { type: 'ExtlClntAppOauthSettings', fullName: 'Order_Sync_oauth', xml: read(dir, `${DEFAULT}/extlClntAppOauthSettings/Order_Sync_oauth.ecaOauth-meta.xml`) },
    ]);
    expect(r.status).to.equal('Succeeded');
    expect(org.emu.list(POLICIES)).to.deep.equal(['Order_Sync_oauth_defaultPolicy']);
  };

  it('the --wait clock (its watchdog and signal handlers) stops when the command ends, success or failure', async () => {
    const dir = copyExample();
    expect((await sf(['diff', '--name', 'Order_Sync'], dir)).code).to.equal(1);
    expect(orgClockRunning()).to.equal(false);
    org.emu.failRequests(1, { op: 'listMetadata' });
    expect((await sf(['diff', '--name', 'Order_Sync'], dir)).code).to.equal(20);
    expect(orgClockRunning()).to.equal(false);
    expect(process.listeners('SIGTERM').length).to.be.lessThan(5);
  });

  it('refuses a policies file named otherwise than the org\'s record, with the org\'s name and the rename; nothing is sent', async () => {
    const dir = copyExample();
    seedWithGeneratedPolicies(dir);
    const before = snapshot(dir);
    const r = await sf(['deploy', '--name', 'Order_Sync'], dir);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.include(`${LOCAL_POLICIES}: the org holds Order_Sync's record as Order_Sync_oauth_defaultPolicy`);
    expect(r.stderr).to.include(`git mv ${LOCAL_POLICIES} ${ORG_POLICIES}`);
    expect(org.emu.count('deploy')).to.equal(0);
    expect(org.emu.list(POLICIES)).to.deep.equal(['Order_Sync_oauth_defaultPolicy']);
    expect(snapshot(dir)).to.deep.equal(before);
  });

  it('after the rename the deploy updates the org\'s one record (never a second), and reads it back', async () => {
    const dir = copyExample();
    seedWithGeneratedPolicies(dir);
    renameSync(join(dir, LOCAL_POLICIES), join(dir, ORG_POLICIES));
    const r = await sf(['deploy', '--name', 'Order_Sync', '--json'], dir);
    const json = JSON.parse(r.stdout) as DeployJson;
    expect(r.code, r.stdout).to.equal(0);
    expect(org.emu.list(POLICIES)).to.deep.equal(['Order_Sync_oauth_defaultPolicy']);
    expect(org.emu.get(POLICIES, 'Order_Sync_oauth_defaultPolicy')).to.include('<permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType>');
    expect(json.result.readBack).to.deep.include({ files: 4, differences: [] });
    expect(json.result.readBack!.fields).to.be.greaterThan(10);
  });

  it('in a subscriber org the installed app\'s policies carry no namespace: a namespaced local name is refused with the org\'s', async () => {
    const dir = copyExample();
    // The project holds the packaged app acme__Order_Sync, its policies named with the namespace.
    const base = join(dir, DEFAULT);
    const move = (from: string, to: string, edit: (t: string) => string = (t) => t): void => {
      writeFileSync(join(base, to), edit(readFileSync(join(base, from), 'utf8')));
      rmSync(join(base, from));
    };
    const rename = (t: string): string => t.replace(/<externalClientApplication>Order_Sync</g, '<externalClientApplication>acme__Order_Sync<');
    move('externalClientApps/Order_Sync.eca-meta.xml', 'externalClientApps/acme__Order_Sync.eca-meta.xml');
    move('extlClntAppOauthSettings/Order_Sync_oauth.ecaOauth-meta.xml', 'extlClntAppOauthSettings/acme__Order_Sync_oauth.ecaOauth-meta.xml', rename);
    move('extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml', 'extlClntAppOauthPolicies/acme__Order_Sync_oauth_defaultPolicy.ecaOauthPlcy-meta.xml', rename);
    move('extlClntAppPolicies/Order_Sync_plcy.ecaPlcy-meta.xml', 'extlClntAppPolicies/acme__Order_Sync_plcy.ecaPlcy-meta.xml', rename);
    move('extlClntAppGlobalOauthSets/Order_Sync_glbloauth.ecaGlblOauth-meta.xml', 'extlClntAppGlobalOauthSets/acme__Order_Sync_glbloauth.ecaGlblOauth-meta.xml', rename);
    // The subscriber org: the installed header and settings, and the policies record the org made for them, unnamespaced.
    org.emu.put('ExternalClientApplication', 'acme__Order_Sync', readFileSync(join(base, 'externalClientApps/acme__Order_Sync.eca-meta.xml'), 'utf8'));
    org.emu.put('ExtlClntAppOauthSettings', 'acme__Order_Sync_oauth', readFileSync(join(base, 'extlClntAppOauthSettings/acme__Order_Sync_oauth.ecaOauth-meta.xml'), 'utf8'));
    org.emu.put(POLICIES, 'Order_Sync_oauth_defaultPolicy', readFileSync(join(base, 'extlClntAppOauthPolicies/acme__Order_Sync_oauth_defaultPolicy.ecaOauthPlcy-meta.xml'), 'utf8'));
    const r = await sf(['deploy', '--name', 'acme__Order_Sync', '--ignore-findings'], dir);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.include("the org holds acme__Order_Sync's record as Order_Sync_oauth_defaultPolicy");
    expect(r.stderr).to.include('extlClntAppOauthPolicies/Order_Sync_oauth_defaultPolicy.ecaOauthPlcy-meta.xml');
    expect(org.emu.count('deploy')).to.equal(0);
  });

  it('deploying one app to an org of many retrieves only the records that can be that app\'s', async () => {
    const dir = copyExample();
    expect((await sf(['deploy', '--name', 'Order_Sync', '--name', 'Desktop_CLI'], dir)).code).to.equal(0);
    org.emu.clearRequests();
    expect((await sf(['deploy', '--name', 'Order_Sync'], dir)).code).to.equal(0);
    const first = [...org.emu.retrieves.values()].at(-2)!;
    const asked = Object.values(first.members).flat();
    expect(asked.filter((n) => n.startsWith('Desktop_CLI'))).to.deep.equal([]);
    expect(asked).to.include.members(['Order_Sync', 'Order_Sync_oauth', 'Order_Sync_oauthPlcy', 'Order_Sync_plcy']);
  });

  it('records whose names do not start with the app\'s are found by reading every record, and the other local names refused', async () => {
    const dir = copyExample();
    const settings = readFileSync(join(dir, `${DEFAULT}/extlClntAppOauthSettings/Order_Sync_oauth.ecaOauth-meta.xml`), 'utf8');
    org.emu.applyComponents([
      { type: 'ExternalClientApplication', fullName: 'Order_Sync', xml: read(dir, `${DEFAULT}/externalClientApps/Order_Sync.eca-meta.xml`) },
      // settings under a name of another convention: the org names the generated policies after them
      { type: 'ExtlClntAppOauthSettings', fullName: 'OrderSyncOAuthSettings', xml: settings },
    ]);
    expect(org.emu.list(POLICIES)).to.deep.equal(['OrderSyncOAuthSettings_defaultPolicy']);
    const r = await sf(['deploy', '--name', 'Order_Sync', '--dry-run'], dir);
    expect(r.code, r.stderr).to.equal(1);
    // the narrow read finds neither record, so every record is read: both names are refused, no SOQL needed
    expect(r.stderr).to.include("the org holds Order_Sync's record as OrderSyncOAuthSettings_defaultPolicy");
    expect(r.stderr).to.include("the org holds Order_Sync's record as OrderSyncOAuthSettings\n");
    expect(org.emu.count('retrieve')).to.equal(2);
    expect(org.emu.count('deploy')).to.equal(0);
  });

  it('asks SOQL when the org does not list an app\'s policies, and refuses the other name', async () => {
    const dir = copyExample();
    seedWithGeneratedPolicies(dir);
    org.emu.unlistedTypes.add(POLICIES);
    const r = await sf(['deploy', '--name', 'Order_Sync', '--dry-run'], dir);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.include('the org holds Order_Sync\'s record as Order_Sync_oauth_defaultPolicy');
    expect(org.emu.count('query')).to.equal(2);
    expect(org.emu.count('deploy')).to.equal(0);
  });

  it('says when SOQL cannot confirm the name, and leaves the verdict to the org (whose error names the record)', async () => {
    const dir = copyExample();
    seedWithGeneratedPolicies(dir);
    org.emu.unlistedTypes.add(POLICIES);
    org.emu.unsupportedObjects.add('ExtlClntAppOauthPlcyCnfg');
    const r = await sf(['deploy', '--name', 'Order_Sync'], dir);
    expect(r.stderr).to.include('could not be asked (SOQL on ExtlClntAppOauthPlcyCnfg)');
    expect(r.code).to.equal(1);
    expect(r.stdout).to.include('duplicate value found: ExternalClientApplicationId duplicates value on Order_Sync_oauth_defaultPolicy');
    expect(org.emu.list(POLICIES)).to.deep.equal(['Order_Sync_oauth_defaultPolicy']);
  });

  it('sends the org\'s value of a field the file leaves out (no silent reset to the default), and says so', async () => {
    const dir = copyExample();
    expect((await sf(['deploy', '--name', 'Order_Sync'], dir)).code).to.equal(0);
    // Setup changed the session level in the org; the local file no longer says anything about it.
    const stored = org.emu.get(POLICIES, 'Order_Sync_oauthPlcy')!;
    org.emu.put(POLICIES, 'Order_Sync_oauthPlcy', stored.replace('<requiredSessionLevel>STANDARD</requiredSessionLevel>', '<requiredSessionLevel>HIGH_ASSURANCE</requiredSessionLevel>'));
    const file = join(dir, LOCAL_POLICIES);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\s*<requiredSessionLevel>STANDARD<\/requiredSessionLevel>/, ''));
    const before = snapshot(dir);
    const r = await sf(['deploy', '--name', 'Order_Sync', '--json'], dir);
    const json = JSON.parse(r.stdout) as DeployJson;
    expect(r.code, r.stdout).to.equal(0);
    expect(json.result.keptFromOrg).to.deep.equal([{ path: LOCAL_POLICIES, app: 'Order_Sync', fields: ['requiredSessionLevel'] }]);
    expect(org.emu.get(POLICIES, 'Order_Sync_oauthPlcy')).to.include('<requiredSessionLevel>HIGH_ASSURANCE</requiredSessionLevel>');
    const sent = org.emu.lastDeploy()!;
    expect(sent.entries).to.include('extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy');
    expect(snapshot(dir)).to.deep.equal(before);
    const human = await sf(['deploy', '--name', 'Order_Sync'], dir);
    expect(human.stderr).to.include(`${LOCAL_POLICIES} leaves out requiredSessionLevel: sent with the org's values`);
  });

  it('a field the org holds otherwise after the write is an error naming the field (exit 1), not a success', async () => {
    const dir = copyExample();
    org.emu.saveOverrides.push({ type: POLICIES, element: 'ipRelaxationPolicyType', value: 'Bypass' });
    const r = await sf(['deploy', '--name', 'Order_Sync', '--json'], dir);
    const json = JSON.parse(r.stdout) as DeployJson;
    expect(r.code).to.equal(1);
    expect(json.result.status).to.equal('Succeeded');
    expect(json.result.readBack?.differences).to.deep.equal([{ app: 'Order_Sync', path: LOCAL_POLICIES, element: 'ipRelaxationPolicyType', sent: 'Enforce', org: 'Bypass' }]);
    const human = await sf(['deploy', '--name', 'Order_Sync'], dir);
    expect(human.code).to.equal(1);
    expect(human.stderr).to.match(/holds something else than was sent, in 1 field/).and.match(/ipRelaxationPolicyType\s+Enforce\s+Bypass/);
  });
});

describe('set --target-org: what the org holds after the write (in-process)', function () {
  this.timeout(60_000);
  const org = useEmulatorOrg();
  const sf = (args: string[], cwd: string): Promise<RunResult> => runCommand(['eca', ...args, '--target-org', 'emu'], cwd, org.env);
  type SetJson = {
    result: {
      readBack?: { files: number; differences: Array<{ element: string; sent?: string; org?: string }> };
      heldAfter?: Array<{ app: string; element: string; value?: string }>;
    };
  };

  it('reads the changed records back and reports the org\'s values of what it touched', async () => {
    const dir = copyExample();
    expect((await sf(['deploy', '--name', 'Order_Sync'], dir)).code).to.equal(0);
    const r = await sf(['set', '--name', 'Order_Sync', '--session-level', 'high-assurance', '--json'], dir);
    expect(r.code, r.stdout).to.equal(0);
    const json = JSON.parse(r.stdout) as SetJson;
    expect(json.result.readBack).to.deep.include({ files: 1, differences: [] });
    expect(json.result.heldAfter).to.deep.equal([{ app: 'Order_Sync', path: 'org:extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml', element: 'requiredSessionLevel', value: 'HIGH_ASSURANCE' }]);
    const human = await sf(['set', '--name', 'Order_Sync', '--ip-relaxation', 'enforce-relax-refresh'], dir);
    expect(human.code, human.stderr).to.equal(0);
    expect(human.stdout).to.include('what the org now holds').and.match(/Order_Sync\s+ipRelaxationPolicyType\s+Enforce_RelaxRefresh/);
  });

  it('a value the org does not keep is an error naming the field (exit 1)', async () => {
    const dir = copyExample();
    expect((await sf(['deploy', '--name', 'Order_Sync'], dir)).code).to.equal(0);
    org.emu.saveOverrides.push({ type: POLICIES, element: 'requiredSessionLevel', value: 'STANDARD' });
    const r = await sf(['set', '--name', 'Order_Sync', '--session-level', 'high-assurance', '--json'], dir);
    expect(r.code).to.equal(1);
    expect((JSON.parse(r.stdout) as SetJson).result.readBack?.differences).to.deep.equal([{ app: 'Order_Sync', path: 'org:extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml', element: 'requiredSessionLevel', sent: 'HIGH_ASSURANCE', org: 'STANDARD' }]);
  });

  it('refuses admin-approved users when nobody is pre-authorized (everyone, the integration included, would be locked out)', async () => {
    const dir = copyExample();
    const file = join(dir, DEFAULT, 'extlClntAppOauthPolicies/Desktop_CLI_oauthPlcy.ecaOauthPlcy-meta.xml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\s*<commaSeparatedPermissionSet>[^<]*<\/commaSeparatedPermissionSet>/, '').replace('AdminApprovedPreAuthorized', 'AllSelfAuthorized'));
    expect((await sf(['deploy', '--name', 'Desktop_CLI', '--ignore-findings'], dir)).code).to.equal(0);
    const before = org.emu.get(POLICIES, 'Desktop_CLI_oauthPlcy');
    const r = await sf(['set', '--name', 'Desktop_CLI', '--permitted-users', 'admin-approved'], dir);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('would lock every user out').and.include('--permission-set');
    expect(org.emu.get(POLICIES, 'Desktop_CLI_oauthPlcy')).to.equal(before);
    const ok = await sf(['set', '--name', 'Desktop_CLI', '--permitted-users', 'admin-approved', '--permission-set', 'Desktop_CLI_Users', '--json'], dir);
    expect(ok.code, ok.stdout).to.equal(0);
    expect(org.emu.get(POLICIES, 'Desktop_CLI_oauthPlcy')).to.include('<commaSeparatedPermissionSet>Desktop_CLI_Users</commaSeparatedPermissionSet>');
  });
});

describe('set --target-org: IP ranges are added before any is removed (in-process)', function () {
  this.timeout(60_000);
  const org = useEmulatorOrg();
  const sf = (args: string[], cwd: string): Promise<RunResult> => runCommand(['eca', ...args, '--target-org', 'emu'], cwd, org.env);
  const settingsSent = async (job: { zip: Buffer }): Promise<string> => {
    const zip = await JSZip.loadAsync(job.zip);
    const entry = Object.keys(zip.files).find((n) => n.endsWith('.ecaOauth'));
    return entry ? zip.file(entry)!.async('string') : '';
  };

  it('one set that adds and removes deploys the additions first, then the result', async () => {
    const dir = copyExample();
    expect((await sf(['deploy', '--name', 'Order_Sync'], dir)).code).to.equal(0);
    const before = org.emu.deploys.size;
    const r = await sf(['set', '--name', 'Order_Sync', '--add-ip-range', '192.0.2.0/28', '--remove-ip-range', '198.51.100.0-198.51.100.7', '--json'], dir);
    expect(r.code, r.stdout).to.equal(0);
    const jobs = [...org.emu.deploys.values()].slice(before);
    expect(jobs).to.have.length(2);
    const first = await settingsSent(jobs[0]!);
    const second = await settingsSent(jobs[1]!);
    expect(first).to.include('<startIpAddress>198.51.100.0</startIpAddress>').and.include('<startIpAddress>192.0.2.0</startIpAddress>');
    expect(second).to.include('<startIpAddress>192.0.2.0</startIpAddress>').and.not.include('198.51.100.0');
    expect(org.emu.get(SETTINGS, 'Order_Sync_oauth')).to.not.include('198.51.100.0');
  });

  it('when the additions fail, nothing is removed', async () => {
    const dir = copyExample();
    expect((await sf(['deploy', '--name', 'Order_Sync'], dir)).code).to.equal(0);
    org.emu.failComponent(SETTINGS, 'Order_Sync_oauth', { problem: 'Invalid IP range', times: 1 });
    const r = await sf(['set', '--name', 'Order_Sync', '--add-ip-range', '192.0.2.0/28', '--remove-ip-range', '198.51.100.0-198.51.100.7'], dir);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('Invalid IP range').and.include('nothing was removed');
    expect(org.emu.get(SETTINGS, 'Order_Sync_oauth')).to.include('198.51.100.0').and.not.include('192.0.2.0');
  });
});

describe('audit --usage: what the org enforces against what the metadata says (in-process)', function () {
  this.timeout(60_000);
  const org = useEmulatorOrg();
  const sf = (args: string[], cwd: string): Promise<RunResult> => runCommand(['eca', ...args, '--target-org', 'emu'], cwd, org.env);
  type AuditJson = { result: { findings: Array<{ ruleId: string; app: string; path: string; line: number; message: string; actual?: string; expected?: string }> } };

  it('a Setup change the metadata does not show (the idle refresh-token limit) is ECA-USE-008 at the policies file\'s line', async () => {
    const dir = copyExample();
    expect((await sf(['deploy', '--name', 'Order_Sync'], dir)).code).to.equal(0);
    const clean = await sf(['audit', '--usage', '--rule', 'ECA-USE-008', '--json'], dir);
    expect((JSON.parse(clean.stdout) as AuditJson).result.findings).to.deep.equal([]);
    // Setup: "refresh token valid until revoked" → 30 days of inactivity; the metadata still says Zero.
    org.emu.overrideRecord('ExtlClntAppOauthPlcyCnfg', 'Order_Sync_oauthPlcy', { RefreshTokenPolicyType: 'SpecificInactivity', RefreshTokenValidityPeriod: 30, RefreshTokenValidityUnit: 'Days', IpRelaxationPolicyType: 'enforce' });
    const r = await sf(['audit', '--usage', '--rule', 'ECA-USE-008', '--json'], dir);
    const found = (JSON.parse(r.stdout) as AuditJson).result.findings;
    expect(found).to.have.length(1);
    expect(found[0]).to.include({ ruleId: 'ECA-USE-008', app: 'Order_Sync', path: 'org:extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml', actual: 'refreshTokenPolicyType=Zero', expected: 'refreshTokenPolicyType=SpecificInactivity' });
    expect(found[0]!.line).to.be.greaterThan(1);
    expect(found[0]!.message).to.include('the org enforces refreshTokenPolicyType SpecificInactivity');
  });

  it('an org that does not expose the policy fields (INVALID_FIELD) is read without them: nothing is compared, nothing fails', async () => {
    const dir = copyExample();
    expect((await sf(['deploy', '--name', 'Order_Sync'], dir)).code).to.equal(0);
    org.emu.overrideRecord('ExtlClntAppOauthPlcyCnfg', 'Order_Sync_oauthPlcy', { RefreshTokenPolicyType: 'SpecificInactivity' });
    org.emu.hiddenFields.add('ExtlClntAppOauthPlcyCnfg.RefreshTokenPolicyType');
    const r = await sf(['audit', '--usage', '--rule', 'ECA-USE-008', '--json'], dir);
    expect(r.code, r.stdout).to.equal(0);
    expect((JSON.parse(r.stdout) as AuditJson).result.findings).to.deep.equal([]);
  });
});

describe('migrate --target-org: the pre-flight and the checklist (in-process)', function () {
  this.timeout(60_000);
  const org = useEmulatorOrg();
  const sf = (args: string[], cwd: string): Promise<RunResult> => runCommand(['eca', ...args, '--target-org', 'emu'], cwd, org.env);
  const connectedApp = (label: string, extra = ''): string =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n    <contactEmail>a@example.com</contactEmail>\n    <label>${label}</label>\n    <oauthConfig>\n        <callbackUrl>https://legacy.example.com/cb</callbackUrl>\n        <isAdminApproved>true</isAdminApproved>\n        <scopes>Api</scopes>\n    </oauthConfig>\n    <oauthPolicy>\n        <ipRelaxation>ENFORCE</ipRelaxation>\n        <refreshTokenPolicy>zero</refreshTokenPolicy>\n    </oauthPolicy>\n${extra}</ConnectedApp>\n`;
  const ago = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString().replace('Z', '+0000');
  type MigrateJson = {
    result: {
      apps: Array<{ connectedApp: string; status: string; reason?: string; message?: string; preflight?: Record<string, unknown>; checklist: string[] }>;
    };
  };

  it('reports who holds tokens, username-password logins and pre-authorizations, and the checklist names them', async () => {
    const dir = copyExample();
    org.emu.put('ConnectedApp', 'Billing_Sync', connectedApp('Billing Sync', '    <permissionSetName>Billing_Users</permissionSetName>\n'));
    org.emu.setRecords('ConnectedApplication', [{ Id: '0H4000000000077AAA', Name: 'Billing Sync' }]);
    org.emu.setRecords('OauthToken', [
      { Id: '0CQ1', AppName: 'Billing Sync', AppMenuItem: { ApplicationId: '0H4000000000077AAA' }, UserId: '005A', UseCount: 12, LastUsedDate: ago(2) },
      { Id: '0CQ2', AppName: 'Billing Sync', AppMenuItem: null, UserId: '005B', UseCount: 1, LastUsedDate: ago(9) },
    ]);
    org.emu.setRecords('LoginHistory', [
      { Id: '0Ya1', UserId: '005B', LoginTime: ago(3), LoginType: 'Remote Access 2.0', LoginSubType: 'OAuth Username-Password', Application: 'Billing Sync', Status: 'Success' },
    ]);
    org.emu.setRecords('SetupEntityAccess', [
      { Id: '0J01', SetupEntityId: '0H4000000000077AAA', ParentId: '0PS1', Parent: { Name: 'Billing_Users', Label: 'Billing Users', IsOwnedByProfile: false, Profile: null } },
      { Id: '0J02', SetupEntityId: '0H4000000000077AAA', ParentId: '0PS2', Parent: { Name: 'X00e1', Label: 'x', IsOwnedByProfile: true, Profile: { Name: 'Integration User' } } },
    ]);
    const r = await sf(['migrate', '--name', 'Billing_Sync', '--accept-weaker', '--json'], dir);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    const app = (JSON.parse(r.stdout) as MigrateJson).result.apps[0]!;
    expect(app.preflight).to.deep.include({ found: true, managed: false, tokens: 2, users: 2, usernamePasswordLogins: 1, usernamePasswordUsers: 1, permissionSets: ['Billing_Users'], profiles: ['Integration User'], unknown: [] });
    expect(app.checklist.join('\n')).to.include('Re-key every client of Billing_Sync').and.include('2 users hold 2 tokens').and.include('--permission-set Billing_Users --profile "Integration User"').and.include('username-password flow (1 login in 30 days').and.include('Delete Billing_Sync once no token uses it (today: 2 tokens)');
    const human = await sf(['migrate', '--name', 'Billing_Sync', '--accept-weaker', '--force'], dir);
    expect(human.stdout).to.include('Pre-flight of Billing_Sync (from the org):').and.include('username-password logins in 30 days: 1 by 1 user(s)').and.include('After migrating Billing_Sync to Billing_Sync:');
  });

  it('skips a managed Connected App (installed from a package: not eligible), with --all the others are migrated', async () => {
    const dir = copyExample();
    org.emu.put('ConnectedApp', 'acme__Partner_Link', connectedApp('Partner Link'));
    org.emu.put('ConnectedApp', 'Own_App', connectedApp('Own App'));
    const r = await sf(['migrate', '--all', '--accept-weaker', '--json'], dir);
    const apps = (JSON.parse(r.stdout) as MigrateJson).result.apps;
    expect(apps.find((a) => a.connectedApp === 'acme__Partner_Link')).to.include({ status: 'skipped', reason: 'managed' });
    expect(apps.find((a) => a.connectedApp === 'acme__Partner_Link')?.preflight).to.include({ managed: true, namespacePrefix: 'acme' });
    expect(apps.find((a) => a.connectedApp === 'Own_App')).to.include({ status: 'migrated' });
    const one = await sf(['migrate', '--name', 'acme__Partner_Link'], dir);
    expect(one.code).to.equal(1);
    expect(one.stderr).to.include('installed from the managed package acme');
  });

  it('an org that does not let us read LoginHistory leaves those figures unknown, and says so', async () => {
    const dir = copyExample();
    org.emu.put('ConnectedApp', 'Billing_Sync', connectedApp('Billing Sync'));
    org.emu.setRecords('ConnectedApplication', [{ Id: '0H4000000000077AAA', Name: 'Billing Sync' }]);
    org.emu.unsupportedObjects.add('LoginHistory');
    const r = await sf(['migrate', '--name', 'Billing_Sync', '--accept-weaker', '--json'], dir);
    expect(r.code, r.stdout).to.equal(0);
    const app = (JSON.parse(r.stdout) as MigrateJson).result.apps[0]!;
    expect(app.preflight).to.deep.include({ found: true, unknown: ['LoginHistory'] });
    expect(app.preflight).to.not.have.property('usernamePasswordLogins');
  });
});

describe('org commands fit the terminal (in-process)', function () {
  this.timeout(60_000);
  const org = useEmulatorOrg();
  for (const columns of [80, 100]) {
    it(`deploy, retrieve, diff, set --target-org and audit --usage print no line longer than ${columns} columns`, async () => {
      const dir = copyExample();
      const env = { ...org.env, COLUMNS: String(columns) };
      const run = (args: string[]): Promise<RunResult> => runCommand(['eca', ...args, '--target-org', 'emu'], dir, env);
      const outs = [
        await run(['deploy', '--name', 'Order_Sync']),
        await run(['diff', '--name', 'Order_Sync']),
        await run(['set', '--name', 'Order_Sync', '--session-level', 'high-assurance']),
        await run(['retrieve', '--name', 'Order_Sync', '--dry-run']),
        await run(['audit', '--usage']),
      ];
      for (const r of outs) {
        // the lines of a unified diff are the files' own text: shown as they are, like git diff does
        const inDiff = (l: string): boolean => /^[ +-]/.test(l) && !/^- /.test(l);
        const long = r.stdout.split('\n').filter((l) => l.length > columns && !inDiff(l));
        expect(long).to.deep.equal([]);
      }
    });
  }
});
