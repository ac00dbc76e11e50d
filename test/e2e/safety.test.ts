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
      await new Promise((r) => setTimeout(r, 600 + trial * 250));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('close', r));
      expect(walk(join(dir, 'force-app')).filter((p) => p.endsWith('.tmp'))).to.deep.equal([]);
    }
  });

  it('escapes control characters of a label in list and show (no raw ESC reaches the terminal)', () => {
    const dir = copyExample();
    const header = join(dir, 'force-app/main/default/externalClientApps/Order_Sync.eca-meta.xml');
    writeFileSync(header, readFileSync(header, 'utf8').replace(/<label>[^<]*<\/label>/, '<label>Evil&#x1b;[2J&#x1b;]0;pwned&#x7;</label>'));
    for (const args of [['eca', 'list'], ['eca', 'show', '--name', 'Order_Sync']]) {
      const r = runCli(args, dir);
      expect(r.stdout + r.stderr, args.join(' ')).not.to.match(/[\u001b\u0007]/);
      expect(r.stdout).to.include('Evil\\x1b[2J');
    }
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
});
