/* Do no harm: local unless --target-org is on the command line, no lost update, no leftovers, nothing raw on the terminal. */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { copyExample, PROJECT_ROOT, runCli, snapshot } from '../support/helpers.js';

const POLICIES = 'force-app/main/default/extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml';
const PARTNER_POLICIES = 'force-app/main/default/extlClntAppOauthPolicies/Partner_Portal_Settings_defaultPolicy.ecaOauthPlcy-meta.xml';

/** A project whose sf configuration names a default org (that does not exist: using it at all fails). */
const withDefaultOrg = (): string => {
  const dir = copyExample();
  mkdirSync(join(dir, '.sf'), { recursive: true });
  writeFileSync(join(dir, '.sf', 'config.json'), JSON.stringify({ 'target-org': 'default-org@example.com' }));
  return dir;
};

const runAsync = (args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((done) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'run.js'), ...args], {
      cwd,
      env: { ...process.env, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true', NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

describe('do no harm (built CLI)', () => {
  it('set works on the project although a default org is configured: the org only with --target-org', () => {
    const dir = withDefaultOrg();
    const r = runCli(['eca', 'set', '--name', 'Order_Sync', '--ip-relaxation', 'bypass-with-2fa', '--json'], dir);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(readFileSync(join(dir, POLICIES), 'utf8')).to.include('<ipRelaxationPolicyType>Bypass_2factor</ipRelaxationPolicyType>');
    expect(JSON.parse(r.stdout).result.org).to.equal(undefined);
  });

  it('migrate reads the project although a default org is configured', () => {
    const dir = withDefaultOrg();
    const r = runCli(['eca', 'migrate', '--name', 'Legacy_Data_Loader', '--dry-run', '--accept-weaker', '--json'], dir);
    expect(r.stderr).not.to.include('default-org@example.com');
    const json = JSON.parse(r.stdout) as { result: { migrations: Array<{ source: string }> } };
    expect(json.result.migrations[0]?.source).to.match(/^force-app\//);
  });

  it('set and fix at once on one project: a write that would lose the other\'s change is refused', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const dir = copyExample();
      const [set, fix] = await Promise.all([
        runAsync(['eca', 'set', '--name', 'Partner_Portal', '--refresh-token', 'inactivity', '--refresh-token-validity', '30d'], dir),
        runAsync(['eca', 'fix', '--include-breaking', '--rule', 'ECA-POL-010', '--fail-on', 'never'], dir),
      ]);
      const text = readFileSync(join(dir, PARTNER_POLICIES), 'utf8');
      if (set.code === 0) expect(text, `trial ${trial}: set's change lost`).to.include('SpecificInactivity');
      if (fix.code === 0 && !fix.stdout.includes('Nothing to fix')) expect(text, `trial ${trial}: fix's change lost`).to.include('<ipRelaxationPolicyType>Enforce<');
      for (const r of [set, fix]) if (r.code !== 0) expect(r.stderr).to.match(/changed on disk|being written/);
    }
  });

  it('a SIGKILL during fix leaves no temporary file in the package directories', async () => {
    for (let trial = 0; trial < 4; trial++) {
      const dir = copyExample();
      const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'run.js'), 'eca', 'fix', '--include-breaking'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
      const closed = new Promise((r) => child.on('close', r));
      await new Promise((r) => setTimeout(r, 600 + trial * 250));
      child.kill('SIGKILL');
      await closed;
      expect(walk(join(dir, 'force-app')).filter((p) => p.endsWith('.tmp'))).to.deep.equal([]);
    }
  });

  it('escapes control characters of a label in list and show (no raw control sequence reaches the terminal)', () => {
    const dir = copyExample();
    const header = join(dir, 'force-app/main/default/externalClientApps/Order_Sync.eca-meta.xml');
    // XML 1.0 allows C1 controls (U+009B is an 8-bit CSI), carriage returns and bidi overrides; the reader refuses ESC itself.
    writeFileSync(header, readFileSync(header, 'utf8').replace(/<label>[^<]*<\/label>/, '<label>Evil&#x9b;2J&#13;Fake&#x202e;txt</label>'));
    for (const args of [['eca', 'list'], ['eca', 'show', '--name', 'Order_Sync']]) {
      const r = runCli(args, dir);
      expect(r.stdout + r.stderr, args.join(' ')).not.to.match(/[\u009b\r\u202e]/);
      expect(r.stdout).to.include('Evil\\x9b2J\\x0dFake\\u202etxt');
    }
    // ESC itself is refused by the reader, with its position.
    writeFileSync(header, readFileSync(header, 'utf8').replace(/<label>[^<]*<\/label>/, '<label>Evil&#x1b;[2J</label>'));
    const r = runCli(['eca', 'list'], dir);
    expect(r.stdout + r.stderr).not.to.match(/\u001b/);
    expect(r.code).to.equal(1);
  });

  it('show --name A is not failed by app B\'s malformed file', () => {
    const dir = copyExample();
    writeFileSync(join(dir, PARTNER_POLICIES), '<ExtlClntAppOauthConfigurablePolicies><broken></ExtlClntAppOauthConfigurablePolicies>');
    const r = runCli(['eca', 'show', '--name', 'Order_Sync', '--json'], dir);
    expect(r.code, r.stdout).to.equal(0);
    expect(JSON.parse(r.stdout).result.problems).to.deep.equal([]);
    expect(runCli(['eca', 'show', '--name', 'Partner_Portal', '--json'], dir).code).to.equal(1);
  });

  it('migrate --harden without --force refuses before reporting when the files exist', () => {
    const dir = copyExample();
    expect(runCli(['eca', 'migrate', '--name', 'Legacy_Data_Loader', '--accept-weaker'], dir).code).to.equal(0);
    const before = snapshot(dir);
    const r = runCli(['eca', 'migrate', '--name', 'Legacy_Data_Loader', '--harden', '--accept-weaker'], dir);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('exist already');
    expect(r.stdout).not.to.include('Hardening');
    expect(snapshot(dir)).to.deep.equal(before);
  });

  it('fix --dry-run --remove-secrets never prints the secret, and the real run says it must be rotated', () => {
    const dir = copyExample();
    const glbl = readFileSync(join(dir, 'force-app/main/default/extlClntAppGlobalOauthSets/Partner_Portal_glbloauth.ecaGlblOauth-meta.xml'), 'utf8');
    const secret = /<consumerSecret>([^<]+)</.exec(glbl)?.[1] as string;
    expect(secret).to.be.a('string');
    for (const args of [['--dry-run', '--remove-secrets'], ['--dry-run', '--remove-secrets', '--include-breaking', '--json'], ['--dry-run', '--include-breaking']]) {
      const r = runCli(['eca', 'fix', ...args], dir);
      expect(r.stdout + r.stderr, args.join(' ')).not.to.include(secret);
    }
    const real = runCli(['eca', 'fix', '--remove-secrets'], dir);
    expect(real.stderr).to.include("repository's history");
  });

  it('fix and check agree on a file that names no app: both exit 1', () => {
    const dir = copyExample();
    const settings = join(dir, 'force-app/main/default/extlClntAppOauthSettings/Order_Sync_oauth.ecaOauth-meta.xml');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace(/\s*<externalClientApplication>[^<]*<\/externalClientApplication>/, ''));
    expect(runCli(['eca', 'check'], dir).code).to.equal(1);
    const fix = runCli(['eca', 'fix'], dir);
    expect(fix.code).to.equal(1);
    expect(fix.stdout).to.include('ECA-PRJ-004');
  });

  it('fix --remove-secrets removes two consumer secrets of one file, and a second run changes nothing', () => {
    const dir = copyExample();
    const glbl = join(dir, 'force-app/main/default/extlClntAppGlobalOauthSets/Partner_Portal_glbloauth.ecaGlblOauth-meta.xml');
    const text = readFileSync(glbl, 'utf8');
    writeFileSync(glbl, text.replace(/( *)<consumerSecret>[^<]*<\/consumerSecret>\n/, (m, indent: string) => `${m}${indent}<consumerSecret>SECOND-SECRET-456</consumerSecret>\n`));
    const r = runCli(['eca', 'fix', '--remove-secrets', '--fail-on', 'never'], dir);
    expect(r.code, r.stderr).to.equal(0);
    expect(readFileSync(glbl, 'utf8')).not.to.include('consumerSecret');
    const snap = snapshot(dir);
    runCli(['eca', 'fix', '--remove-secrets', '--fail-on', 'never'], dir);
    expect(snapshot(dir)).to.deep.equal(snap);
  });

  it('check --source-dir on one folder reports what is in it, with the apps whole (no "has no header")', () => {
    const dir = copyExample();
    const r = runCli(['eca', 'check', '--source-dir', 'force-app/main/default/extlClntAppOauthPolicies', '--json', '--fail-on', 'never'], dir);
    const json = JSON.parse(r.stdout) as { result: { findings: Array<{ path: string; message: string; ruleId: string }> } };
    expect(json.result.findings.map((f) => f.message).join('\n')).not.to.include('no header');
    expect(json.result.findings.every((f) => f.path.startsWith('force-app/main/default/extlClntAppOauthPolicies/'))).to.equal(true);
    expect(json.result.findings.map((f) => f.ruleId)).to.include('ECA-POL-010');
  });

  it('.forceignore hides nothing from check and list: ignored global settings are still checked, and marked', () => {
    const dir = copyExample();
    writeFileSync(join(dir, '.forceignore'), '**/*.ecaGlblOauth-meta.xml\n');
    const check = JSON.parse(runCli(['eca', 'check', '--json'], dir).stdout) as { result: { findings: Array<{ ruleId: string; app: string }> } };
    expect(check.result.findings.filter((f) => f.app === 'Partner_Portal').map((f) => f.ruleId)).to.include.members(['ECA-GLB-001', 'ECA-GLB-016']);
    const list = runCli(['eca', 'list'], dir);
    expect(list.stdout).to.match(/Partner_Portal\s+ECA\s+Partner Portal\s+Local\s+H g O P/);
    expect(list.stdout).to.include('lower case: in .forceignore');
  });

  it('after generate --template device --accept-device-flow, plain fix leaves the device flow on', () => {
    const dir = copyExample();
    const g = runCli(['eca', 'generate', '-n', 'Kiosk', '-t', 'device', '-e', 'o@example.com', '--permission-set', 'P', '--accept-device-flow'], dir);
    expect(g.code, g.stderr).to.equal(0);
    const glbl = join(dir, 'force-app/main/default/extlClntAppGlobalOauthSets/Kiosk_glbloauth.ecaGlblOauth-meta.xml');
    const before = readFileSync(glbl, 'utf8');
    expect(before).to.include('<isDeviceFlowEnabled>true</isDeviceFlowEnabled>');
    const r = runCli(['eca', 'fix', '--fail-on', 'never'], dir);
    expect(r.stderr).to.include('ECA-GLB-014 not fixed');
    expect(readFileSync(glbl, 'utf8')).to.equal(before);
  });

  it('migrate never writes a file the reader would refuse: a Connected App with a forbidden character is refused', () => {
    const dir = copyExample();
    const ca = join(dir, 'force-app/main/default/connectedApps/Legacy_Data_Loader.connectedApp-meta.xml');
    writeFileSync(ca, readFileSync(ca, 'utf8').replace('<label>Legacy Data Loader</label>', '<label>Legacy&#xFFFE;Loader</label>'));
    const before = snapshot(dir);
    const r = runCli(['eca', 'migrate', '--name', 'Legacy_Data_Loader', '--accept-weaker'], dir);
    expect(r.code).to.equal(1);
    expect(snapshot(dir)).to.deep.equal(before);
  });

  it('set on an app whose policies file is malformed says so, and never advises a second policies file', () => {
    const dir = copyExample();
    writeFileSync(join(dir, PARTNER_POLICIES), '<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppOauthConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata">\n    <externalClientApplication>Partner_Portal</externalClientApplication>\n    <broken>\n</ExtlClntAppOauthConfigurablePolicies>\n');
    const before = snapshot(dir);
    for (const extra of [[], ['--create-policies']]) {
      const r = runCli(['eca', 'set', '--name', 'Partner_Portal', '--ip-relaxation', 'enforce', ...extra], dir);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.include('cannot be read');
      expect(r.stderr).not.to.include('--create-policies');
    }
    expect(snapshot(dir)).to.deep.equal(before);
    const show = runCli(['eca', 'show', '--name', 'Partner_Portal'], dir);
    expect(show.stdout).to.include('is malformed');
    expect(show.stdout).not.to.include('sf eca retrieve');
  });
});
