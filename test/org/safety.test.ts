/*
 * What an org command must never do, whatever the org does: print the access token, hang past --wait,
 * ignore Ctrl-C/SIGTERM, take long to report an unreachable org, or let an org failure read as a result.
 * Run as the built CLI against the loopback emulator, with the access token itself as --target-org
 * (SF_ORG_INSTANCE_URL gives the URL; core then resolves the org with REST calls).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { authorizeEmulatorOrg, type AsyncRunResult, type EmulatorAuth, OrgEmulator, runCliAsync, startCliAsync, tokenTargetOrg } from '../support/emulator/index.js';
import type { RunResult } from '../support/helpers.js';
import { runCommand } from '../support/run.js';
import { copyExample, tempDir } from '../support/helpers.js';

/** The exit code of "the org could not be reached, or did not answer within --wait". */
const UNREACHABLE = 75;
/** The exit code of "the org answered with an error" (sf's code for server errors). */
const ORG_ERROR = 20;

const noStack = (r: AsyncRunResult): void => {
  expect(r.stderr + r.stdout).to.not.match(/\n\s+at /);
};

describe('org commands: the token, deadlines, signals and unreachable orgs (built CLI and in-process)', function () {
  this.timeout(60_000);
  let emu: OrgEmulator;
  let auth: EmulatorAuth;
  let token: string;
  let env: Record<string, string>;
  /** Runs `sf eca <args> --target-org <access token>`. */
  const sf = (args: string[], cwd: string, extra: Record<string, string> = {}, timeoutMs = 45_000): Promise<AsyncRunResult> =>
    runCliAsync(['eca', ...args, '--target-org', token], cwd, { ...env, ...extra }, timeoutMs);
  /** The same in this process (test/support/run.ts), for what neither hangs nor needs a signal. */
  const inProcess = (args: string[], cwd: string, extra: Record<string, string> = {}): Promise<RunResult> =>
    runCommand(['eca', ...args, '--target-org', token], cwd, { ...env, ...extra });
  /** The URL of a port nothing listens on any more. */
  const closedUrl = async (): Promise<string> => {
    const gone = new OrgEmulator();
    const { url } = await gone.start();
    await gone.stop();
    return url;
  };

  before(async () => {
    emu = new OrgEmulator();
    await emu.start();
    // an isolated HOME (and an alias, for the diff test); the commands below use the token itself
    auth = await authorizeEmulatorOrg(emu, { alias: 'emu' });
    const t = tokenTargetOrg(emu);
    token = t.targetOrg;
    env = { ...auth.childEnv, ...t.env, ECA_POLL_INTERVAL_MS: '10' };
  });
  after(async () => {
    await auth.restore();
    await emu.stop();
  });
  beforeEach(() => emu.reset());
  afterEach(() => emu.dropHanging());

  describe('the access token given as --target-org', () => {
    it('appears in no output of deploy, deploy --dry-run --json, audit, audit --json, diff, diff --json: the org id does', async () => {
      expect(token).to.match(/^00D\w+!/);
      const dir = copyExample();
      const runs: Array<[string, RunResult]> = [];
      for (const args of [
        ['deploy', '--name', 'Order_Sync', '--include-global-settings'],
        ['deploy', '--name', 'Order_Sync', '--dry-run', '--json'],
        ['diff', '--name', 'Order_Sync'],
        ['diff', '--name', 'Order_Sync', '--json'],
        ['retrieve', '--name', 'Order_Sync'],
        ['retrieve', '--name', 'Order_Sync', '--json'],
      ]) {
        runs.push([args.join(' '), await inProcess(args, dir)]);
      }
      const empty = tempDir();
      runs.push(['audit', await inProcess(['audit'], empty)], ['audit --json', await inProcess(['audit', '--json'], empty)]);
      for (const [name, r] of runs) {
        expect(r.code, `${name}: ${r.stderr}`).to.be.oneOf([0, 1]);
        expect(r.stdout + r.stderr, name).to.not.include(token);
        expect(r.stdout + r.stderr, name).to.not.include(token.split('!')[1]);
      }
      expect(runs[0]![1].stderr).to.include(`to ${emu.orgId15}`);
      const audit = JSON.parse(runs.at(-1)![1].stdout) as { result: { org: string } };
      expect(audit.result.org).to.equal(emu.orgId15);
    });

    // Enable once set.ts and migrate.ts take the org from cli/org (optionalOrgFlag) and name it with orgLabel(org).
    it('appears in no output of set --target-org and migrate --target-org', async () => {
      const dir = copyExample();
      expect((await inProcess(['deploy', '--name', 'Partner_Portal', '--ignore-findings'], dir)).code).to.equal(0);
      const runs = [
        await inProcess(['set', '--name', 'Partner_Portal', '--ip-relaxation', 'enforce', '--dry-run'], dir),
        await inProcess(['set', '--name', 'Partner_Portal', '--ip-relaxation', 'enforce', '--dry-run', '--json'], dir),
        await inProcess(['migrate', '--all', '--json'], dir),
        await inProcess(['migrate', '--all'], dir),
      ];
      for (const r of runs) expect(r.stdout + r.stderr).to.not.include(token);
    });

    it('appears neither in the "still running" advice when --wait runs out (exit 69)', async () => {
      emu.setPolling({ deploy: Infinity });
      const r = await sf(['deploy', '--name', 'Order_Sync'], copyExample(), { ECA_WAIT_MS: '1500' });
      expect(r.code, r.stderr).to.equal(69);
      expect(r.stdout + r.stderr).to.include('sf project deploy report --job-id');
      expect(r.stdout + r.stderr).to.not.include(token);
    });
  });

  describe('an org that accepts the connection but never answers', () => {
    it('deploy ends within --wait even when the org and API version resolution hangs (exit 75, an action, no stack trace)', async () => {
      emu.hangRest();
      const r = await sf(['deploy', '--name', 'Order_Sync'], copyExample(), { ECA_WAIT_MS: '2000' }, 20_000);
      expect(emu.requests[0]).to.include({ api: 'rest', fault: 'hang' });
      expect(r.code, r.stdout + r.stderr).to.equal(UNREACHABLE);
      expect(r.ms).to.be.lessThan(2000 + 6000);
      expect(r.stderr).to.include('did not answer within 2 s').and.include('Try this:');
      expect(r.stdout + r.stderr).to.not.include(token);
      noStack(r);
      expect(emu.count('deploy')).to.equal(0);
    });

    it('diff and audit end within --wait on a listMetadata that never comes back (exit 75, never 1)', async () => {
      emu.hang({ op: 'listMetadata', times: Infinity });
      const diff = await sf(['diff', '--name', 'Order_Sync'], copyExample(), { ECA_WAIT_MS: '1500' }, 20_000);
      expect(diff.code, diff.stderr).to.equal(UNREACHABLE);
      expect(diff.stderr).to.include('did not answer within 2 s');
      noStack(diff);
      const audit = await sf(['audit', '--json'], tempDir(), { ECA_WAIT_MS: '1500' }, 20_000);
      expect(audit.code, audit.stdout).to.equal(UNREACHABLE);
      expect((JSON.parse(audit.stdout) as { name: string }).name).to.equal('OrgTimeoutError');
    });

    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const) {
      it(`${signal} ends a command stuck on the org within about a second: exit ${code}, with a message`, async () => {
        emu.hangRest();
        const run = startCliAsync(['eca', 'deploy', '--name', 'Order_Sync', '--target-org', token], copyExample(), env, 30_000);
        await emu.untilHanging(15_000);
        const t0 = Date.now();
        run.child.kill(signal);
        const r = await run.done;
        expect(Date.now() - t0, r.stderr).to.be.lessThan(2000);
        expect(r.code, r.stderr).to.equal(code);
        expect(r.stderr).to.match(new RegExp(`Interrupted \\(${signal}\\)`));
        expect(r.stderr).to.not.include(token);
        noStack(r);
      });
    }

    it('SIGTERM while a deploy runs in the org names the deploy and how to follow it', async () => {
      emu.setPolling({ deploy: Infinity });
      const run = startCliAsync(['eca', 'deploy', '--name', 'Order_Sync', '--target-org', token], copyExample(), env, 30_000);
      const end = Date.now() + 15_000;
      while (emu.count('checkDeployStatus') === 0 && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
      run.child.kill('SIGTERM');
      const r = await run.done;
      expect(r.code, r.stderr).to.equal(143);
      const id = emu.lastDeploy()?.id ?? 'no deploy';
      expect(r.stderr).to.include(`The deploy ${id} may still run in the org: sf project deploy report --job-id ${id}`);
      expect(r.stderr).to.not.include(token);
    });

    it('--json: an interrupted command prints a JSON error on stdout', async () => {
      emu.hangRest();
      const run = startCliAsync(['eca', 'audit', '--json', '--target-org', token], tempDir(), env, 30_000);
      await emu.untilHanging(15_000);
      run.child.kill('SIGTERM');
      const r = await run.done;
      expect(r.code).to.equal(143);
      expect(JSON.parse(r.stdout)).to.include({ status: 143, name: 'InterruptedError' });
    });
  });

  describe('an unreachable org (nothing listens on its port)', () => {
    it('deploy reports it within seconds: exit 75, an action, no stack trace', async () => {
      const r = await sf(['deploy', '--name', 'Order_Sync'], copyExample(), { SF_ORG_INSTANCE_URL: await closedUrl() }, 40_000);
      expect(r.code, r.stdout + r.stderr).to.equal(UNREACHABLE);
      expect(r.ms, 'took').to.be.lessThan(10_000);
      expect(r.stderr).to.include('could not be reached').and.include('Try this:');
      expect(r.stdout + r.stderr).to.not.include(token);
      noStack(r);
    });
  });

  describe('diff: 1 means "different", never "the org failed"', () => {
    it('0 same, 1 different, 75 unreachable, 20 when the org answers with an error', async () => {
      const dir = copyExample();
      const byAlias = (args: string[], extra: Record<string, string> = {}): Promise<RunResult> =>
        runCommand(['eca', ...args, '--target-org', 'emu'], dir, { ...env, ...extra });
      expect((await byAlias(['deploy', '--name', 'Order_Sync', '--include-global-settings'])).code).to.equal(0);
      expect((await byAlias(['diff', '--name', 'Order_Sync'])).code).to.equal(0);
      const pol = join(dir, 'force-app/main/default/extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml');
      writeFileSync(pol, readFileSync(pol, 'utf8').replace('<refreshTokenPolicyType>Zero', '<refreshTokenPolicyType>Infinite'));
      expect((await byAlias(['diff', '--name', 'Order_Sync'])).code).to.equal(1);

      const unreachable = await inProcess(['diff', '--name', 'Order_Sync', '--json'], dir, { SF_ORG_INSTANCE_URL: await closedUrl() });
      expect(unreachable.code, unreachable.stdout).to.equal(UNREACHABLE);
      expect(JSON.parse(unreachable.stdout)).to.include({ status: UNREACHABLE, name: 'OrgUnreachableError' });

      emu.failRequests(1, { op: 'listMetadata' });
      const failed = await byAlias(['diff', '--name', 'Order_Sync']);
      expect(failed.code, failed.stderr).to.equal(ORG_ERROR);
      expect(failed.stderr).to.include('answered with an error');
      emu.soapFault('INVALID_SESSION_ID', { op: 'listMetadata' });
      const session = await byAlias(['diff', '--name', 'Order_Sync']);
      expect(session.code, session.stderr).to.equal(ORG_ERROR);
      expect(session.stderr).to.include('Log in again');
    });

    it('documents its exit codes in --help', async () => {
      const r = await runCommand(['eca', 'diff', '--help'], tempDir(), env);
      expect(r.stdout).to.match(/ERROR CODES[\s\S]*\b1\b[^\n]*differ[\s\S]*\b20\b[\s\S]*\b75\b[^\n]*reached/);
    });
  });
});
