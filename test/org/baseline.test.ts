/*
 * Baselines against the Metadata API emulator (in-process): `eca baseline` writes what the org's apps say,
 * never a credential; `eca diff --baseline` compares the org as it is now with it, field by field.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { useEmulatorOrg } from '../support/emulator/index.js';
import { FAKE_PUSH_SECRETS, samlMobileApp } from '../support/emulator/samples.js';
import { copyExample, type RunResult, snapshot, tempDir } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

type Difference = { app: string; kind: string; element: string; local?: string; org?: string; against?: string; note?: string; orgName?: string };
type DiffJson = { status: number; result: { same: boolean; apps: string[]; differences: Difference[]; baseline?: { file: string; orgId: string } } };

const POLICIES = 'ExtlClntAppOauthConfigurablePolicies';
const GLOBAL = 'ExtlClntAppGlobalOauthSettings';

describe('baseline and diff --baseline against the Metadata API emulator (in-process)', function () {
  this.timeout(60_000);
  const org = useEmulatorOrg();
  const sf = (args: string[], cwd: string): Promise<RunResult> => runCommand(['eca', ...args, '--target-org', 'emu'], cwd, org.env);

  /** The org after Order_Sync (with its global settings) and Field_Service_Mobile were deployed from the example project. */
  const seedOrg = async (): Promise<void> => {
    const dir = copyExample();
    const r = await sf(['deploy', '--name', 'Order_Sync', '--name', 'Field_Service_Mobile', '--include-global-settings'], dir);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    org.emu.clearRequests();
  };

  const valueOf = (xml: string | undefined, element: string): string => {
    const v = new RegExp(`<${element}>([^<]+)</${element}>`).exec(xml ?? '')?.[1];
    expect(v, `${element} in the org`).to.be.a('string');
    return v!;
  };

  it('writes the effective settings of every app of the org, JSON in a stable order, never a credential or an org id', async () => {
    await seedOrg();
    org.emu.applyComponents(samlMobileApp('Sso_Portal'));
    const dir = tempDir();
    const r = await sf(['baseline', '--json'], dir);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    const result = (JSON.parse(r.stdout) as { result: { file: string; apps: string[]; orgId: string; overwritten: boolean } }).result;
    expect(result).to.include({ file: 'eca-baseline.json', orgId: '00D000000000001', overwritten: false });
    expect(result.apps).to.deep.equal(['Field_Service_Mobile', 'Order_Sync', 'Sso_Portal']);
    const text = readFileSync(join(dir, 'eca-baseline.json'), 'utf8');
    expect(text.endsWith('}\n')).to.equal(true);
    expect(text).to.match(/^\{\n {2}"format": "eca-baseline\/1",\n {2}"org": \{\n {4}"id": "00D000000000001",\n {4}"apiVersion": "66.0"\n {2}\},\n {2}"capturedAt": "/);
    const baseline = JSON.parse(text) as {
      apps: Record<string, Record<string, { type: string; fullName: string; queryable: boolean; fields: Record<string, string> }>>;
    };
    expect(Object.keys(baseline.apps)).to.deep.equal(['Field_Service_Mobile', 'Order_Sync', 'Sso_Portal']);
    const order = baseline.apps.Order_Sync!;
    expect(Object.keys(order)).to.deep.equal(['header', 'globalOauth', 'oauth', 'oauthPolicies', 'policies']);
    expect(order.globalOauth).to.include({ type: GLOBAL, fullName: 'Order_Sync_glbloauth', queryable: false });
    expect(order.globalOauth!.fields).to.include({ callbackUrl: 'https://login.salesforce.com/services/oauth2/success', isPkceRequired: 'true' });
    expect(order.oauthPolicies).to.include({ type: POLICIES, fullName: 'Order_Sync_oauthPlcy', queryable: true });
    expect(order.oauthPolicies!.fields).to.include({ ipRelaxationPolicyType: 'Enforce', refreshTokenPolicyType: 'Zero' });
    expect(order.oauth!.fields).to.include({ 'trustedIpRanges[2]/startIpAddress': '198.51.100.0' });
    for (const file of Object.values(order)) expect(Object.keys(file.fields)).to.deep.equal(Object.keys(file.fields).sort());
    // The org generated the consumer key and secret, the ids of oauthLink and orgScopedExternalApp: none is in the file.
    const stored = org.emu.get(GLOBAL, 'Order_Sync_glbloauth');
    const key = valueOf(stored, 'consumerKey');
    const secret = valueOf(stored, 'consumerSecret');
    expect(key).to.match(/^3MVG9/);
    for (const value of [key, secret, ...Object.values(FAKE_PUSH_SECRETS)]) {
      expect(text, value).to.not.include(value);
      expect(r.stdout + r.stderr, value).to.not.include(value);
    }
    expect(text).to.not.match(/consumerKey|consumerSecret|oauthLink|orgScopedExternalApp|serviceAccount|signingKey|"applePushConfig\/password"/);
    expect(text).to.not.include(valueOf(org.emu.get('ExternalClientApplication', 'Order_Sync'), 'orgScopedExternalApp'));
    // What the org knows of Sso_Portal beyond OAuth is there too (its push settings without their credentials).
    expect(baseline.apps.Sso_Portal!.push!.fields).to.include({ 'androidPushConfig/fcmProject': 'example-mobile-4f2a1' });
    expect(org.emu.count('retrieve')).to.equal(1);
  });

  it('audit --baseline reports the drift as findings (ECA-DRF-001) at the org file\'s line, in every format; the configuration can waive it', async () => {
    await seedOrg();
    const dir = tempDir();
    expect((await sf(['baseline'], dir)).code).to.equal(0);
    const clean = await sf(['audit', '--baseline', 'eca-baseline.json', '--rule', 'ECA-DRF-001', '--json'], dir);
    expect(clean.code, clean.stdout).to.equal(0);
    expect((JSON.parse(clean.stdout) as { result: { baseline: { differences: number } } }).result.baseline).to.include({ file: 'eca-baseline.json', differences: 0 });
    const policies = org.emu.get(POLICIES, 'Order_Sync_oauthPlcy')!;
    org.emu.put(POLICIES, 'Order_Sync_oauthPlcy', policies.replace('<ipRelaxationPolicyType>Enforce<', '<ipRelaxationPolicyType>Bypass<'));
    const r = await sf(['audit', '--baseline', 'eca-baseline.json', '--json'], dir);
    const json = JSON.parse(r.stdout) as { result: { findings: Array<{ ruleId: string; app: string; path: string; line: number; message: string; expected?: string; actual?: string }> } };
    const drift = json.result.findings.filter((f) => f.ruleId === 'ECA-DRF-001');
    expect(drift).to.have.length(1);
    expect(drift[0]).to.include({ app: 'Order_Sync', path: 'org:extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml', expected: 'Enforce', actual: 'Bypass' });
    expect(drift[0]!.line).to.be.greaterThan(1);
    expect(drift[0]!.message).to.equal('ipRelaxationPolicyType differs from the baseline: the baseline says Enforce, the org holds Bypass');
    expect((await sf(['audit', '--baseline', 'eca-baseline.json', '--rule', 'matches-baseline', '--fail-on', 'warning'], dir)).code).to.equal(1);
    const sarif = await sf(['audit', '--baseline', 'eca-baseline.json', '--rule', 'ECA-DRF-001', '--format', 'sarif'], dir);
    expect(sarif.stdout).to.include('"id": "ECA-DRF-001"');
    writeFileSync(join(dir, 'waive.json'), JSON.stringify({ waivers: [{ app: 'Order_Sync', rule: 'matches-baseline', reason: 'reviewed in CHG-42' }] }));
    expect((await sf(['audit', '--baseline', 'eca-baseline.json', '--rule', 'ECA-DRF-001', '--fail-on', 'warning', '--config', 'waive.json'], dir)).code).to.equal(0);
    const broken = await sf(['audit', '--baseline', 'waive.json'], dir);
    expect(broken.code).to.equal(2);
    expect(broken.stderr).to.include('waive.json is not a usable baseline');
  });

  it('round trip: diff --baseline names the changed field with both values (exit 1), and nothing when the org is unchanged (exit 0)', async () => {
    await seedOrg();
    const dir = tempDir();
    expect((await sf(['baseline'], dir)).code).to.equal(0);
    const same = await sf(['diff', '--baseline', 'eca-baseline.json'], dir);
    expect(same.code, same.stdout + same.stderr).to.equal(0);
    expect(same.stdout).to.include('No difference in 2 app(s).');
    // Someone relaxes the IP restrictions of Order_Sync in the org.
    const policies = org.emu.get(POLICIES, 'Order_Sync_oauthPlcy')!;
    org.emu.put(POLICIES, 'Order_Sync_oauthPlcy', policies.replace('<ipRelaxationPolicyType>Enforce<', '<ipRelaxationPolicyType>Bypass<'));
    const r = await sf(['diff', '--baseline', 'eca-baseline.json', '--json'], dir);
    expect(r.code, r.stdout + r.stderr).to.equal(1);
    const json = JSON.parse(r.stdout) as DiffJson;
    expect(json.result.same).to.equal(false);
    expect(json.result.baseline).to.include({ file: 'eca-baseline.json', orgId: '00D000000000001' });
    expect(json.result.differences).to.deep.equal([
      { app: 'Order_Sync', kind: 'oauthPolicies', orgName: 'Order_Sync_oauthPlcy', against: 'baseline', element: 'ipRelaxationPolicyType', local: 'Enforce', org: 'Bypass' },
    ]);
    const human = await sf(['diff', '--baseline', 'eca-baseline.json'], dir);
    expect(human.code).to.equal(1);
    expect(human.stdout).to.match(/App\s+File\s+Element\s+Baseline\s+Org/);
    expect(human.stdout).to.match(/Order_Sync\s+Order_Sync_oauthPlcy\s+ipRelaxationPolicyType\s+Enforce\s+Bypass/);
    expect(human.stdout).to.not.include('Project');
    // --name limits what is reported
    const other = await sf(['diff', '--baseline', 'eca-baseline.json', '--name', 'Field_Service_Mobile'], dir);
    expect(other.code, other.stdout + other.stderr).to.equal(0);
    // an app neither side has is a bad --name, not "no difference"
    const nope = await sf(['diff', '--baseline', 'eca-baseline.json', '--name', 'Nope'], dir);
    expect(nope.code, nope.stdout + nope.stderr).to.equal(2);
    expect(nope.stderr).to.include('Neither the baseline eca-baseline.json nor the org has an External Client App named Nope');
  });

  it('a change in the global OAuth settings carries the note that they are known only from the last retrieve', async () => {
    await seedOrg();
    const dir = tempDir();
    expect((await sf(['baseline', '--name', 'Order_Sync'], dir)).code).to.equal(0);
    const global = org.emu.get(GLOBAL, 'Order_Sync_glbloauth')!;
    org.emu.put(GLOBAL, 'Order_Sync_glbloauth', global.replace('<isPkceRequired>true<', '<isPkceRequired>false<'));
    const r = await sf(['diff', '--baseline', 'eca-baseline.json', '--name', 'Order_Sync', '--json'], dir);
    expect(r.code).to.equal(1);
    expect((JSON.parse(r.stdout) as DiffJson).result.differences).to.deep.equal([
      {
        app: 'Order_Sync',
        kind: 'globalOauth',
        orgName: 'Order_Sync_glbloauth',
        against: 'baseline',
        note: 'known only from the last retrieve (not queryable)',
        element: 'isPkceRequired',
        local: 'true',
        org: 'false',
      },
    ]);
    const human = await sf(['diff', '--baseline', 'eca-baseline.json', '--name', 'Order_Sync'], dir);
    expect(human.stdout).to.include('* known only from the last retrieve (not queryable)');
    expect(human.stdout + human.stderr).to.not.include(valueOf(global, 'consumerSecret')).and.not.include(valueOf(global, 'consumerKey'));
  });

  it('an app gone from the org and an app new in it are differences', async () => {
    await seedOrg();
    const dir = tempDir();
    expect((await sf(['baseline'], dir)).code).to.equal(0);
    org.emu.remove('ExternalClientApplication', 'Field_Service_Mobile');
    org.emu.applyComponents(samlMobileApp('Sso_Portal'));
    const r = await sf(['diff', '--baseline', 'eca-baseline.json', '--json'], dir);
    expect(r.code).to.equal(1);
    const rows = (JSON.parse(r.stdout) as DiffJson).result.differences.map((d) => [d.app, d.element, d.local, d.org]);
    expect(rows).to.deep.equal([
      ['Field_Service_Mobile', '(app)', 'in the baseline', 'not in the org'],
      ['Sso_Portal', '(app)', 'not in the baseline', 'in the org'],
    ]);
  });

  it('refuses to replace an existing baseline without --force (exit 1, the org not asked), and replaces it with --force', async () => {
    await seedOrg();
    const dir = tempDir();
    writeFileSync(join(dir, 'prod.json'), 'hand-written\n');
    const refused = await sf(['baseline', '--output-file', 'prod.json'], dir);
    expect(refused.code, refused.stdout + refused.stderr).to.equal(1);
    expect(refused.stderr).to.include('prod.json exists already').and.include('--force');
    expect(readFileSync(join(dir, 'prod.json'), 'utf8')).to.equal('hand-written\n');
    expect(org.emu.ops()).to.deep.equal([]);
    const forced = await sf(['baseline', '--output-file', 'prod.json', '--force', '--json'], dir);
    expect(forced.code, forced.stdout + forced.stderr).to.equal(0);
    expect((JSON.parse(forced.stdout) as { result: { overwritten: boolean } }).result.overwritten).to.equal(true);
    expect(JSON.parse(readFileSync(join(dir, 'prod.json'), 'utf8'))).to.have.property('format', 'eca-baseline/1');
    // nothing but the baseline is left in the folder (no temporary file)
    expect([...snapshot(dir).keys()]).to.deep.equal(['prod.json']);
  });

  it('refuses an app the org does not have (exit 1), writing nothing', async () => {
    await seedOrg();
    const dir = tempDir();
    const r = await sf(['baseline', '--name', 'Nope'], dir);
    expect(r.code, r.stdout + r.stderr).to.equal(1);
    expect(r.stderr).to.include('no External Client App named Nope').and.include('Field_Service_Mobile, Order_Sync');
    expect(existsSync(join(dir, 'eca-baseline.json'))).to.equal(false);
  });

  const broken: Array<[string, string, RegExp]> = [
    ['not JSON', '{ "format": ', /broken\.json is not a usable baseline: it is not valid JSON/],
    ['another format', '{ "format": "eca-baseline/2", "org": {}, "apps": {} }', /broken\.json is not a usable baseline: "format" is "eca-baseline\/2", expected "eca-baseline\/1"/],
    [
      'a field of the wrong type',
      '{ "format": "eca-baseline/1", "org": { "id": "00D000000000001", "apiVersion": "66.0" }, "capturedAt": "2026-01-01T00:00:00.000Z", "apps": { "A": { "header": { "type": "ExternalClientApplication", "fullName": "A", "queryable": true, "fields": { "label": 3 } } } } }',
      /broken\.json is not a usable baseline: "apps\.A\.header\.fields\.label" must be a string/,
    ],
  ];
  for (const [what, text, message] of broken) {
    it(`refuses a baseline file that is ${what}: exit 2, the file named, nothing compared`, async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'broken.json'), text);
      const r = await sf(['diff', '--baseline', 'broken.json'], dir);
      expect(r.code, r.stdout + r.stderr).to.equal(2);
      expect(r.stderr).to.match(message);
      expect(org.emu.ops()).to.deep.equal([]);
      const json = await sf(['diff', '--baseline', 'broken.json', '--json'], dir);
      expect(json.code).to.equal(2);
      expect((JSON.parse(json.stdout) as { message: string }).message).to.match(message);
    });
  }

  it('refuses a baseline file that does not exist (exit 2), and --baseline with --source-dir (exit 2)', async () => {
    const dir = tempDir();
    const missing = await sf(['diff', '--baseline', 'nowhere.json'], dir);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('nowhere.json is not a usable baseline: it cannot be read (ENOENT)');
    const both = await sf(['diff', '--baseline', 'nowhere.json', '--source-dir', 'force-app'], copyExample());
    expect(both.code).to.equal(2);
    expect(both.stderr).to.match(/--source-dir|--baseline/);
    expect(org.emu.ops()).to.deep.equal([]);
  });

  it('an org failure is never a difference: exit 20 for diff --baseline and baseline, nothing written', async () => {
    await seedOrg();
    const dir = tempDir();
    expect((await sf(['baseline'], dir)).code).to.equal(0);
    const before = snapshot(dir);
    org.emu.failRequests(1, { op: 'retrieve' });
    const diff = await sf(['diff', '--baseline', 'eca-baseline.json'], dir);
    expect(diff.code, diff.stdout + diff.stderr).to.equal(20);
    expect(diff.stderr).to.include('answered with an error');
    org.emu.failRequests(1, { op: 'retrieve' });
    const again = await sf(['baseline', '--output-file', 'second.json'], dir);
    expect(again.code, again.stdout + again.stderr).to.equal(20);
    expect(snapshot(dir)).to.deep.equal(before);
  });

  it('warns when the baseline was taken from another org, and still compares', async () => {
    await seedOrg();
    const dir = tempDir();
    expect((await sf(['baseline', '--name', 'Order_Sync'], dir)).code).to.equal(0);
    const file = join(dir, 'eca-baseline.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"id": "00D000000000001"', '"id": "00D5e000000AbCd"'));
    const r = await sf(['diff', '--baseline', 'eca-baseline.json', '--name', 'Order_Sync'], dir);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stderr).to.include('was taken from the org 00D5e000000AbCd');
  });
});
