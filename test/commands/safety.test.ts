/* Do no harm: local unless --target-org is on the command line, no lost update, no leftovers, nothing raw on the terminal. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { copyExample, snapshot } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

const POLICIES = 'force-app/main/default/extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml';
const PARTNER_POLICIES = 'force-app/main/default/extlClntAppOauthPolicies/Partner_Portal_Settings_defaultPolicy.ecaOauthPlcy-meta.xml';

/** A project whose sf configuration names a default org (that does not exist: using it at all fails). */
const withDefaultOrg = (): string => {
  const dir = copyExample();
  mkdirSync(join(dir, '.sf'), { recursive: true });
  writeFileSync(join(dir, '.sf', 'config.json'), JSON.stringify({ 'target-org': 'default-org@example.com' }));
  return dir;
};

describe('do no harm (in-process)', () => {
  it('set works on the project although a default org is configured: the org only with --target-org', async () => {
    const dir = withDefaultOrg();
    const r = await runCommand(['eca', 'set', '--name', 'Order_Sync', '--ip-relaxation', 'bypass-with-2fa', '--json'], dir);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(readFileSync(join(dir, POLICIES), 'utf8')).to.include('<ipRelaxationPolicyType>Bypass_2factor</ipRelaxationPolicyType>');
    expect(JSON.parse(r.stdout).result.org).to.equal(undefined);
  });

  it('migrate reads the project although a default org is configured', async () => {
    const dir = withDefaultOrg();
    const r = await runCommand(['eca', 'migrate', '--name', 'Legacy_Data_Loader', '--dry-run', '--accept-weaker', '--json'], dir);
    expect(r.stderr).not.to.include('default-org@example.com');
    const json = JSON.parse(r.stdout) as { result: { migrations: Array<{ source: string }> } };
    expect(json.result.migrations[0]?.source).to.match(/^force-app\//);
  });

  it('escapes control characters of a label in list and show (no raw control sequence reaches the terminal)', async () => {
    const dir = copyExample();
    const header = join(dir, 'force-app/main/default/externalClientApps/Order_Sync.eca-meta.xml');
    // XML 1.0 allows C1 controls (U+009B is an 8-bit CSI), carriage returns and bidi overrides; the reader refuses ESC itself.
    writeFileSync(header, readFileSync(header, 'utf8').replace(/<label>[^<]*<\/label>/, '<label>Evil&#x9b;2J&#13;Fake&#x202e;txt</label>'));
    for (const args of [['eca', 'list'], ['eca', 'show', '--name', 'Order_Sync']]) {
      const r = await runCommand(args, dir);
      expect(r.stdout + r.stderr, args.join(' ')).not.to.match(/[\u009b\r\u202e]/);
      expect(r.stdout).to.include('Evil\\x9b2J\\x0dFake\\u202etxt');
    }
    // ESC itself is refused by the reader, with its position.
    writeFileSync(header, readFileSync(header, 'utf8').replace(/<label>[^<]*<\/label>/, '<label>Evil&#x1b;[2J</label>'));
    const r = await runCommand(['eca', 'list'], dir);
    expect(r.stdout + r.stderr).not.to.match(/\u001b/);
    expect(r.code).to.equal(1);
  });

  it('show --name A is not failed by app B\'s malformed file', async () => {
    const dir = copyExample();
    writeFileSync(join(dir, PARTNER_POLICIES), '<ExtlClntAppOauthConfigurablePolicies><broken></ExtlClntAppOauthConfigurablePolicies>');
    const r = await runCommand(['eca', 'show', '--name', 'Order_Sync', '--json'], dir);
    expect(r.code, r.stdout).to.equal(0);
    expect(JSON.parse(r.stdout).result.problems).to.deep.equal([]);
    expect((await runCommand(['eca', 'show', '--name', 'Partner_Portal', '--json'], dir)).code).to.equal(1);
  });

  it('migrate --harden without --force refuses before reporting when the files exist', async () => {
    const dir = copyExample();
    expect((await runCommand(['eca', 'migrate', '--name', 'Legacy_Data_Loader', '--accept-weaker'], dir)).code).to.equal(0);
    const before = snapshot(dir);
    const r = await runCommand(['eca', 'migrate', '--name', 'Legacy_Data_Loader', '--harden', '--accept-weaker'], dir);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('exist already');
    expect(r.stdout).not.to.include('Hardening');
    expect(snapshot(dir)).to.deep.equal(before);
  });

  it('fix --dry-run --remove-secrets never prints the secret, and the real run says it must be rotated', async () => {
    const dir = copyExample();
    const glbl = readFileSync(join(dir, 'force-app/main/default/extlClntAppGlobalOauthSets/Partner_Portal_glbloauth.ecaGlblOauth-meta.xml'), 'utf8');
    const secret = /<consumerSecret>([^<]+)</.exec(glbl)?.[1] as string;
    expect(secret).to.be.a('string');
    for (const args of [['--dry-run', '--remove-secrets'], ['--dry-run', '--remove-secrets', '--include-breaking', '--json'], ['--dry-run', '--include-breaking']]) {
      const r = await runCommand(['eca', 'fix', ...args], dir);
      expect(r.stdout + r.stderr, args.join(' ')).not.to.include(secret);
    }
    const real = await runCommand(['eca', 'fix', '--remove-secrets'], dir);
    expect(real.stderr).to.include("repository's history");
  });

  it('fix and check agree on a file that names no app: both exit 1', async () => {
    const dir = copyExample();
    const settings = join(dir, 'force-app/main/default/extlClntAppOauthSettings/Order_Sync_oauth.ecaOauth-meta.xml');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace(/\s*<externalClientApplication>[^<]*<\/externalClientApplication>/, ''));
    expect((await runCommand(['eca', 'check'], dir)).code).to.equal(1);
    const fix = await runCommand(['eca', 'fix'], dir);
    expect(fix.code).to.equal(1);
    expect(fix.stdout).to.include('ECA-PRJ-004');
  });

  it('fix --remove-secrets removes two consumer secrets of one file, and a second run changes nothing', async () => {
    const dir = copyExample();
    const glbl = join(dir, 'force-app/main/default/extlClntAppGlobalOauthSets/Partner_Portal_glbloauth.ecaGlblOauth-meta.xml');
    const text = readFileSync(glbl, 'utf8');
    writeFileSync(glbl, text.replace(/( *)<consumerSecret>[^<]*<\/consumerSecret>\n/, (m, indent: string) => `${m}${indent}<consumerSecret>SECOND-SECRET-456</consumerSecret>\n`));
    const r = await runCommand(['eca', 'fix', '--remove-secrets', '--fail-on', 'never'], dir);
    expect(r.code, r.stderr).to.equal(0);
    expect(readFileSync(glbl, 'utf8')).not.to.include('consumerSecret');
    const snap = snapshot(dir);
    await runCommand(['eca', 'fix', '--remove-secrets', '--fail-on', 'never'], dir);
    expect(snapshot(dir)).to.deep.equal(snap);
  });

  it('check --source-dir on one folder reports what is in it, with the apps whole (no "has no header")', async () => {
    const dir = copyExample();
    const r = await runCommand(['eca', 'check', '--source-dir', 'force-app/main/default/extlClntAppOauthPolicies', '--json', '--fail-on', 'never'], dir);
    const json = JSON.parse(r.stdout) as { result: { findings: Array<{ path: string; message: string; ruleId: string }> } };
    expect(json.result.findings.map((f) => f.message).join('\n')).not.to.include('no header');
    expect(json.result.findings.every((f) => f.path.startsWith('force-app/main/default/extlClntAppOauthPolicies/'))).to.equal(true);
    expect(json.result.findings.map((f) => f.ruleId)).to.include('ECA-POL-010');
  });

  it('.forceignore hides nothing from check and list: ignored global settings are still checked, and marked', async () => {
    const dir = copyExample();
    writeFileSync(join(dir, '.forceignore'), '**/*.ecaGlblOauth-meta.xml\n');
    const check = JSON.parse((await runCommand(['eca', 'check', '--json'], dir)).stdout) as { result: { findings: Array<{ ruleId: string; app: string }> } };
    expect(check.result.findings.filter((f) => f.app === 'Partner_Portal').map((f) => f.ruleId)).to.include.members(['ECA-GLB-001', 'ECA-GLB-016']);
    const list = await runCommand(['eca', 'list'], dir, { COLUMNS: '250' });
    expect(list.stdout).to.match(/Partner_Portal\s+ECA\s+confidential\s+Partner Portal\s+Local\s+H g O P/);
    expect(list.stdout).to.include('lower case: in .forceignore');
  });

  it('after generate --template device --accept-device-flow, plain fix leaves the device flow on', async () => {
    const dir = copyExample();
    const g = await runCommand(['eca', 'generate', '-n', 'Kiosk', '-t', 'device', '-e', 'o@example.com', '--permission-set', 'P', '--accept-device-flow'], dir);
    expect(g.code, g.stderr).to.equal(0);
    const glbl = join(dir, 'force-app/main/default/extlClntAppGlobalOauthSets/Kiosk_glbloauth.ecaGlblOauth-meta.xml');
    const before = readFileSync(glbl, 'utf8');
    expect(before).to.include('<isDeviceFlowEnabled>true</isDeviceFlowEnabled>');
    const r = await runCommand(['eca', 'fix', '--fail-on', 'never'], dir);
    expect(r.stderr).to.include('ECA-GLB-014 not fixed');
    expect(readFileSync(glbl, 'utf8')).to.equal(before);
  });

  it('migrate never writes a file the reader would refuse: a Connected App with a forbidden character is refused', async () => {
    const dir = copyExample();
    const ca = join(dir, 'force-app/main/default/connectedApps/Legacy_Data_Loader.connectedApp-meta.xml');
    writeFileSync(ca, readFileSync(ca, 'utf8').replace('<label>Legacy Data Loader</label>', '<label>Legacy&#xFFFE;Loader</label>'));
    const before = snapshot(dir);
    const r = await runCommand(['eca', 'migrate', '--name', 'Legacy_Data_Loader', '--accept-weaker'], dir);
    expect(r.code).to.equal(1);
    expect(snapshot(dir)).to.deep.equal(before);
  });

  it('set on an app whose policies file is malformed says so, and never advises a second policies file', async () => {
    const dir = copyExample();
    writeFileSync(join(dir, PARTNER_POLICIES), '<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppOauthConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata">\n    <externalClientApplication>Partner_Portal</externalClientApplication>\n    <broken>\n</ExtlClntAppOauthConfigurablePolicies>\n');
    const before = snapshot(dir);
    for (const extra of [[], ['--create-policies']]) {
      const r = await runCommand(['eca', 'set', '--name', 'Partner_Portal', '--ip-relaxation', 'enforce', ...extra], dir);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.include('cannot be read');
      expect(r.stderr).not.to.include('--create-policies');
    }
    expect(snapshot(dir)).to.deep.equal(before);
    const show = await runCommand(['eca', 'show', '--name', 'Partner_Portal'], dir);
    expect(show.stdout).to.include('is malformed');
    expect(show.stdout).not.to.include('sf eca retrieve');
  });
});
