/*
 * deploy, retrieve, diff, audit and set --target-org, run as the built CLI against the loopback
 * Metadata API emulator (test/support/emulator), with the faults each must survive.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { type OrgEmulator, useEmulatorOrg } from '../support/emulator/index.js';
import { copyExample, type RunResult, snapshot, tempDir } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

const SECRET_RE = /<consumerSecret>/;


describe('org commands against the Metadata API emulator (in-process)', function () {
  this.timeout(60_000);
  const org = useEmulatorOrg();
  const sf = (args: string[], cwd: string, extra: Record<string, string> = {}): Promise<RunResult> =>
    runCommand(['eca', ...args, '--target-org', 'emu'], cwd, { ...org.env, ...extra });

  describe('deploy', () => {
    it('--dry-run validates (checkOnly) the app without its global settings, and saves nothing', async () => {
      const r = await sf(['deploy', '--name', 'Order_Sync', '--dry-run', '--json'], copyExample());
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      const job = org.emu.lastDeploy()!;
      expect(job.checkOnly).to.equal(true);
      expect(job.entries.sort()).to.deep.equal([
        'externalClientApps/Order_Sync.eca',
        'extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy',
        'extlClntAppOauthSettings/Order_Sync_oauth.ecaOauth',
        'extlClntAppPolicies/Order_Sync_plcy.ecaPlcy',
        'package.xml',
      ]);
      expect(org.emu.list('ExternalClientApplication')).to.deep.equal([]);
      const json = JSON.parse(r.stdout) as { status: number; result: { status: string; checkOnly: boolean } };
      expect(json.result).to.include({ status: 'Succeeded', checkOnly: true });
      // the org is read first (its names for the app's records; an empty org: nothing to retrieve); a check-only deploy is not read back
      expect(org.emu.ops()).to.deep.equal(['listMetadata', 'listMetadata', 'listMetadata', 'listMetadata', 'deploy', 'checkDeployStatus']);
    });

    it('deploys and reports each component with its file; the org then holds the app', async () => {
      const r = await sf(['deploy', '--name', 'Order_Sync'], copyExample());
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/Created\s+ExtlClntAppOauthConfigurablePolicies\s+Order_Sync_oauthPlcy\s+force-app\/main\/default\/extlClntAppOauthPolicies\/Order_Sync_oauthPlcy\.ecaOauthPlcy-meta\.xml/);
      expect(r.stderr).to.include('global OAuth settings of Order_Sync are left out');
      expect(org.emu.list('ExtlClntAppOauthConfigurablePolicies')).to.deep.equal(['Order_Sync_oauthPlcy']);
      expect(org.emu.lastDeploy()?.members).to.deep.include({ ExternalClientApplication: ['Order_Sync'] });
    });

    it('refuses to deploy an app with error findings, unless --ignore-findings', async () => {
      const dir = copyExample();
      const blocked = await sf(['deploy', '--name', 'Partner_Portal'], dir);
      expect(blocked.code).to.equal(1);
      expect(blocked.stderr).to.include('Not deployed: "sf eca check" reports 7 error finding(s)').and.include('--ignore-findings');
      expect(org.emu.count('deploy')).to.equal(0);
      const forced = await sf(['deploy', '--name', 'Partner_Portal', '--ignore-findings', '--include-global-settings'], dir);
      expect(forced.code, forced.stderr).to.equal(0);
      expect(forced.stderr).to.include('Deploying despite 7 error finding(s)');
      expect(org.emu.lastDeploy()?.entries).to.include('extlClntAppGlobalOauthSets/Partner_Portal_glbloauth.ecaGlblOauth');
      expect(forced.stdout + forced.stderr).to.not.include('EXAMPLE0FAKE0SECRET');
    });

    it('warns when oauthLink names another org', async () => {
      const dir = copyExample();
      const oauth = join(dir, 'force-app/main/default/extlClntAppOauthSettings/Order_Sync_oauth.ecaOauth-meta.xml');
      writeFileSync(oauth, readFileSync(oauth, 'utf8').replace('    <label>', '    <oauthLink>00D5e000000AbCd:8885e000000XyZa</oauthLink>\n    <label>'));
      const r = await sf(['deploy', '--name', 'Order_Sync', '--dry-run'], dir);
      expect(r.stderr).to.include('oauthLink names the org 00D5e000000AbCd, not the target org 00D000000000001');
    });

    it('maps component failures to the local file and line, exit 1, no local change', async () => {
      const dir = copyExample();
      const before = snapshot(dir);
      org.emu.failComponent('ExtlClntAppOauthConfigurablePolicies', 'Order_Sync_oauthPlcy', { problem: 'The permission set Order_Sync_Integration does not exist.', line: 3, column: 5 });
      const r = await sf(['deploy', '--name', 'Order_Sync'], dir);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.include('force-app/main/default/extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml:3:5: The permission set Order_Sync_Integration does not exist.');
      expect(snapshot(dir)).to.deep.equal(before);
      expect(org.emu.list('ExternalClientApplication')).to.deep.equal([]);
    });

    it('keeps what deployed with --ignore-errors when a component fails: exit 68', async () => {
      org.emu.failComponent('ExtlClntAppOauthConfigurablePolicies', 'Order_Sync_oauthPlcy', { problem: 'Invalid run-as user.' });
      const r = await sf(['deploy', '--name', 'Order_Sync', '--ignore-errors', '--json'], copyExample());
      expect(r.code).to.equal(68);
      expect((JSON.parse(r.stdout) as { result: { status: string } }).result.status).to.equal('SucceededPartial');
      expect(org.emu.list('ExternalClientApplication')).to.deep.equal(['Order_Sync']);
      expect(org.emu.lastDeploy()?.options).to.include({ rollbackOnError: 'false' });
    });

    it('prints the deploy id and how to follow it when --wait runs out (exit 69)', async () => {
      org.emu.setPolling({ deploy: Infinity });
      const r = await sf(['deploy', '--name', 'Order_Sync'], copyExample(), { ECA_WAIT_MS: '1500' });
      expect(r.code).to.equal(69);
      const id = org.emu.lastDeploy()?.id ?? '';
      expect(id).to.match(/^0Af/);
      expect(r.stdout + r.stderr).to.include(`sf project deploy report --job-id ${id}`);
      expect(org.emu.count('checkDeployStatus')).to.be.greaterThan(1);
    });

    // The org answered with an error → 20 (sf's code for server errors, e.g. a "gack" with an error id);
    // the org could not be reached or did not answer → 75. Never 1, which is a failed deploy.
    const faults: Array<[string, (e: OrgEmulator) => void, RegExp, number]> = [
      ['HTTP 500', (e) => e.failRequests(1, { op: 'deploy' }), /answered with an error/, 20],
      ['a SOAP fault INVALID_SESSION_ID', (e) => e.soapFault('INVALID_SESSION_ID', { op: 'deploy' }), /Log in again/, 20],
      ['a malformed response', (e) => e.malformed('html', { op: 'deploy' }), /answered with an error/, 20],
      ['a reset connection', (e) => e.resetConnection({ op: 'deploy' }), /could not be reached/, 75],
    ];
    for (const [name, inject, text, code] of faults) {
      it(`fails clearly on ${name}: exit ${code}, an action, no stack trace, no local change`, async () => {
        const dir = copyExample();
        const before = snapshot(dir);
        inject(org.emu);
        const r = await sf(['deploy', '--name', 'Order_Sync'], dir);
        expect(r.code, r.stderr).to.equal(code);
        expect(r.stderr).to.match(text);
        expect(r.stderr).to.include('Try this:');
        expect(r.stderr).to.not.match(/\n\s+at /);
        expect(snapshot(dir)).to.deep.equal(before);
      });
    }

    it('gives up on a server that never answers within the wait, exit 75', async () => {
      org.emu.hang({ op: 'deploy' });
      const t0 = Date.now();
      const r = await sf(['deploy', '--name', 'Order_Sync'], copyExample(), { ECA_WAIT_MS: '1500' });
      expect(r.code).to.equal(75);
      expect(r.stderr).to.include('did not answer within 2 s');
      expect(Date.now() - t0).to.be.lessThan(20_000);
      org.emu.dropHanging();
    });
  });

  describe('retrieve', () => {
    it('writes the org-generated policies under the org\'s name, and changes only the lines that differ', async () => {
      const dir = copyExample();
      expect((await sf(['deploy', '--name', 'Order_Sync', '--name', 'Field_Service_Mobile'], dir)).code).to.equal(0);
      const before = snapshot(dir);
      org.emu.clearRequests();
      const r = await sf(['retrieve', '--name', 'Order_Sync', '--name', 'Field_Service_Mobile', '--json'], dir);
      expect(r.code, r.stderr).to.equal(0);
      const json = JSON.parse(r.stdout) as { result: { files: Array<{ path: string; action: string }> } };
      const created = json.result.files.filter((f) => f.action === 'created').map((f) => f.path);
      expect(created).to.deep.equal(['force-app/main/default/extlClntAppOauthPolicies/Field_Service_Mobile_oauth_defaultPolicy.ecaOauthPlcy-meta.xml']);
      const after = snapshot(dir);
      for (const [path, text] of before) {
        if (text === after.get(path)) continue;
        // The org filled its own ids in: each changed file gained exactly those lines.
        const added = (after.get(path) ?? '').split('\n').filter((l) => !text.split('\n').includes(l));
        const removed = text.split('\n').filter((l) => !(after.get(path) ?? '').split('\n').includes(l));
        expect(removed, path).to.deep.equal([]);
        for (const l of added) expect(l, path).to.match(/<(orgScopedExternalApp|oauthLink)>/);
      }
      expect(org.emu.ops()).to.deep.equal(['listMetadata', 'listMetadata', 'listMetadata', 'listMetadata', 'retrieve', 'checkRetrieveStatus']);
      const again = await sf(['retrieve', '--name', 'Order_Sync', '--name', 'Field_Service_Mobile'], dir);
      expect(again.stdout).to.include('0 file(s) created, 0 updated');
      expect(snapshot(dir)).to.deep.equal(after);
    });

    it('never writes a retrieved consumer secret', async () => {
      const dir = copyExample();
      const glbl = join(dir, 'force-app/main/default/extlClntAppGlobalOauthSets/Order_Sync_glbloauth.ecaGlblOauth-meta.xml');
      expect((await sf(['deploy', '--name', 'Order_Sync', '--include-global-settings'], dir)).code).to.equal(0);
      const r = await sf(['retrieve', '--name', 'Order_Sync'], dir);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout + r.stderr).to.include('consumerSecret left out');
      const text = readFileSync(glbl, 'utf8');
      expect(text).to.match(/<consumerKey>/);
      expect(text).to.not.match(SECRET_RE);
      const stored = org.emu.get('ExtlClntAppGlobalOauthSettings', 'Order_Sync_glbloauth') ?? '';
      const secret = /<consumerSecret>([^<]+)</.exec(stored)?.[1] ?? 'no secret in the org';
      expect(r.stdout + r.stderr).to.not.include(secret);
    });

    it('names the org\'s apps when one is missing, and writes nothing when the org fails', async () => {
      const dir = copyExample();
      const before = snapshot(dir);
      const missing = await sf(['retrieve', '--name', 'Nope'], dir);
      expect(missing.code).to.equal(1);
      expect(missing.stderr).to.include('no External Client App named Nope');
      expect(snapshot(dir)).to.deep.equal(before);
      // the org has the app, then fails the retrieve: exit 20 (the org answered with an error), nothing written
      expect((await sf(['deploy', '--name', 'Order_Sync'], dir)).code).to.equal(0);
      org.emu.failRequests(1, { op: 'retrieve' });
      const failed = await sf(['retrieve', '--name', 'Order_Sync'], dir);
      expect(failed.code, failed.stderr).to.equal(20);
      expect(failed.stderr).to.include('answered with an error');
      expect(snapshot(dir)).to.deep.equal(before);
    });
  });

  describe('diff', () => {
    it('reports field differences (exit 1), and nothing when source and org agree (exit 0)', async () => {
      const dir = copyExample();
      expect((await sf(['deploy', '--name', 'Order_Sync', '--include-global-settings'], dir)).code).to.equal(0);
      const same = await sf(['diff', '--name', 'Order_Sync'], dir);
      expect(same.code, same.stdout + same.stderr).to.equal(0);
      expect(same.stdout).to.include('No difference in 1 app(s).');
      const pol = join(dir, 'force-app/main/default/extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml');
      writeFileSync(pol, readFileSync(pol, 'utf8').replace('<refreshTokenPolicyType>Zero', '<refreshTokenPolicyType>Infinite'));
      const r = await sf(['diff', '--name', 'Order_Sync', '--json'], dir);
      expect(r.code).to.equal(1);
      const json = JSON.parse(r.stdout) as { result: { differences: Array<{ element: string; local: string; org: string }> } };
      expect(json.result.differences).to.deep.include({
        app: 'Order_Sync',
        kind: 'oauthPolicies',
        localPath: 'force-app/main/default/extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml',
        orgName: 'Order_Sync_oauthPlcy',
        element: 'refreshTokenPolicyType',
        local: 'Infinite',
        org: 'Zero',
      });
    });
  });

  describe('audit', () => {
    it('checks every app of the org in memory, with the check report formats, writing nothing', async () => {
      const dir = copyExample();
      expect((await sf(['deploy', '--name', 'Partner_Portal', '--ignore-findings'], dir)).code).to.equal(0);
      const empty = tempDir();
      const r = await sf(['audit', '--json'], empty);
      expect(r.code).to.equal(1);
      const json = JSON.parse(r.stdout) as { result: { findings: Array<{ ruleId: string; app: string; path: string }> } };
      const ids = json.result.findings.filter((f) => f.app === 'Partner_Portal').map((f) => f.ruleId);
      expect(ids).to.include.members(['ECA-POL-001', 'ECA-POL-010', 'ECA-POL-020', 'ECA-SET-001']);
      expect(json.result.findings[0]?.path).to.match(/^org:/);
      const sarif = await sf(['audit', '--format', 'sarif', '--output-file', 'audit.sarif'], empty);
      expect(sarif.code).to.equal(1);
      expect((JSON.parse(readFileSync(join(empty, 'audit.sarif'), 'utf8')) as { version: string }).version).to.equal('2.1.0');
      expect([...snapshot(empty).keys()]).to.deep.equal(['audit.sarif']);
    });
  });

  it('a status check the org answers with a 503 page is retried by SDR: the deploy still succeeds', async () => {
    org.emu.malformed('html', { op: 'checkDeployStatus' });
    const r = await sf(['deploy', '--name', 'Order_Sync'], copyExample());
    expect(r.code, r.stderr).to.equal(0);
    expect(org.emu.count('checkDeployStatus')).to.equal(2);
  });

  describe('migrate --target-org', () => {
    it('reads a Connected App from the org and writes its hardened ECA into the project', async () => {
      const dir = copyExample();
      org.emu.put(
        'ConnectedApp',
        'Org_Legacy',
        '<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n    <contactEmail>a@example.com</contactEmail>\n    <label>Org Legacy</label>\n    <oauthConfig>\n        <callbackUrl>https://legacy.example.com/cb</callbackUrl>\n        <consumerKey>3MVG9ORGKEY</consumerKey>\n        <isAdminApproved>false</isAdminApproved>\n        <scopes>Api</scopes>\n    </oauthConfig>\n    <oauthPolicy>\n        <ipRelaxation>BYPASS</ipRelaxation>\n        <refreshTokenPolicy>infinite</refreshTokenPolicy>\n    </oauthPolicy>\n    <permissionSetName>Legacy_Users</permissionSetName>\n</ConnectedApp>\n'
      );
      const r = await sf(['migrate', '--name', 'Org_Legacy', '--harden', '--json'], dir);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      // the Connected App, then the pre-flight: five queries at once (no app ids, so no SetupEntityAccess query)
      expect(org.emu.ops()).to.deep.equal(['listMetadata', 'retrieve', 'checkRetrieveStatus', 'query', 'query', 'query', 'query', 'query']);
      const header = readFileSync(join(dir, 'force-app/main/default/externalClientApps/Org_Legacy.eca-meta.xml'), 'utf8');
      expect(header).to.include('<label>Org Legacy</label>');
      const written = [...snapshot(dir).entries()].filter(([p]) => p.includes('Org_Legacy'));
      expect(written.map(([p]) => p).sort()).to.have.length(5);
      expect(written.some(([, t]) => t.includes('3MVG9ORGKEY'))).to.equal(false);
      const check = await runCommand(['eca', 'check', '--json', ...written.flatMap(([p]) => ['--source-dir', p])], dir, org.env);
      expect(check.code, check.stdout).to.equal(0);
      expect((JSON.parse(check.stdout) as { result: { findings: unknown[] } }).result.findings).to.deep.equal([]);
    });
  });

  describe('set --target-org', () => {
    it('retrieves, changes and deploys the policies; --dry-run validates only', async () => {
      const dir = copyExample();
      expect((await sf(['deploy', '--name', 'Partner_Portal', '--ignore-findings'], dir)).code).to.equal(0);
      const before = snapshot(dir);
      const dry = await sf(['set', '--name', 'Partner_Portal', '--ip-relaxation', 'enforce', '--dry-run'], dir);
      expect(dry.code, dry.stderr).to.equal(0);
      expect(dry.stdout).to.include('+    <ipRelaxationPolicyType>Enforce</ipRelaxationPolicyType>');
      expect(org.emu.lastDeploy()?.checkOnly).to.equal(true);
      expect(org.emu.get('ExtlClntAppOauthConfigurablePolicies', 'Partner_Portal_Settings_defaultPolicy')).to.include('Bypass');
      const real = await sf(['set', '--name', 'Partner_Portal', '--ip-relaxation', 'enforce'], dir);
      expect(real.code, real.stderr).to.equal(0);
      expect(org.emu.lastDeploy()?.entries).to.deep.equal(['package.xml', 'extlClntAppOauthPolicies/Partner_Portal_Settings_defaultPolicy.ecaOauthPlcy']);
      expect(org.emu.get('ExtlClntAppOauthConfigurablePolicies', 'Partner_Portal_Settings_defaultPolicy')).to.include('<ipRelaxationPolicyType>Enforce<');
      expect(snapshot(dir)).to.deep.equal(before);
    });

    it('refuses settings that live in the global settings', async () => {
      const r = await sf(['set', '--name', 'Partner_Portal', '--pkce', 'on'], copyExample());
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('--include-global-settings');
    });
  });
});
