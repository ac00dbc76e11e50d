/*
 * Runs the built CLI (bin/run.js) as a child process WITHOUT blocking the event loop. An in-process
 * OrgEmulator can only answer while the test's event loop runs, so spawnSync-based runners
 * (helpers.runCli, testkit's synchronous execCmd) deadlock against it (pitfall 2).
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export type AsyncRunResult = { code: number; stdout: string; stderr: string; ms: number };

/**
 * Runs `node bin/run.js ...args` in `cwd` with `env` (a COMPLETE environment: pass auth.childEnv, or
 * `{...process.env, ...auth.env}`), killing it after `timeoutMs` (code -1 then).
 */
export const runCliAsync = (
  args: readonly string[],
  cwd: string,
  env: Record<string, string | undefined>,
  timeoutMs = 60_000
): Promise<AsyncRunResult> =>
  new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'run.js'), ...args], {
      cwd,
      env: { NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? -1, stdout, stderr, ms: Date.now() - t0 });
    });
  });
