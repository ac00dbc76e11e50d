/*
 * Counts the requests each org command makes against the loopback emulator, for projects of 1 and
 * 50 apps: the number must not grow with the apps (one listMetadata per three types, one retrieve).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizeEmulatorOrg, OrgEmulator, runCliAsync } from '../test/support/emulator/index.js';
import { generateProject } from './generate.js';

export type RequestCount = { command: string; apps: number; code: number; requests: Record<string, number>; total: number };

const COMMANDS: ReadonlyArray<[string, string[]]> = [
  ['deploy --dry-run', ['deploy', '--dry-run', '--ignore-findings']],
  ['deploy', ['deploy', '--ignore-findings']],
  ['retrieve', ['retrieve']],
  ['diff', ['diff']],
  ['audit', ['audit', '--fail-on', 'never']],
  // the org now holds the apps: what a redeploy, a change in the org, a baseline and the usage cost
  ['deploy (apps in the org)', ['deploy', '--ignore-findings']],
  ['set --all --target-org', ['set', '--all', '--session-level', 'high-assurance']],
  ['baseline', ['baseline', '--force']],
  ['diff --baseline', ['diff', '--baseline', 'eca-baseline.json']],
  ['audit --usage', ['audit', '--usage', '--fail-on', 'never']],
  ['audit --baseline', ['audit', '--baseline', 'eca-baseline.json', '--fail-on', 'never']],
];

/** Runs one command: `args` in `cwd` with the variables `env` laid over the environment; resolves to its exit code. */
export type CommandRunner = (args: readonly string[], cwd: string, env: Record<string, string>) => Promise<{ code: number }>;

/** The built CLI, spawned (what the benchmark counts). */
const spawned: CommandRunner = (args, cwd, env) => runCliAsync(args, cwd, { ...process.env, ...env }, 120_000);

export const countOrgRequests = async (sizes: readonly number[] = [1, 50], run: CommandRunner = spawned): Promise<RequestCount[]> => {
  const emu = new OrgEmulator();
  await emu.start();
  const auth = await authorizeEmulatorOrg(emu, { alias: 'emu' });
  const out: RequestCount[] = [];
  try {
    for (const size of sizes) {
      emu.reset();
      const dir = mkdtempSync(join(tmpdir(), `eca-org-${size}-`));
      generateProject(size, dir, 7);
      for (const [name, args] of COMMANDS) {
        emu.clearRequests();
        const r = await run(['eca', ...args, '--target-org', 'emu'], dir, { ...auth.childEnv, ECA_POLL_INTERVAL_MS: '10' });
        const requests: Record<string, number> = {};
        for (const op of emu.ops()) requests[op] = (requests[op] ?? 0) + 1;
        out.push({ command: name, apps: size, code: r.code, requests, total: emu.requests.length });
      }
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await auth.restore();
    await emu.stop();
  }
  return out;
};

export const renderRequestTable = (rows: readonly RequestCount[]): string => {
  const lines = ['| command | apps | requests | total | exit |', '|---|---:|---|---:|---:|'];
  for (const r of rows) {
    const ops = Object.entries(r.requests).map(([op, n]) => `${op} ×${n}`).join(', ');
    lines.push(`| ${r.command} | ${r.apps} | ${ops} | ${r.total} | ${r.code} |`);
  }
  return lines.join('\n');
};
