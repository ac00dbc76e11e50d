/*
 * Runs the built CLI (bin/run.js) as a child process WITHOUT blocking the event loop. An in-process
 * OrgEmulator can only answer while the test's event loop runs, so spawnSync-based runners
 * (helpers.runCli, testkit's synchronous execCmd) deadlock against it (pitfall 2).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export type AsyncRunResult = { code: number; stdout: string; stderr: string; ms: number; signal?: NodeJS.Signals };

/** A CLI child process started by startCliAsync: the child (to signal it) and its result. */
export type StartedCli = { child: ChildProcessWithoutNullStreams; done: Promise<AsyncRunResult> };

/**
 * Starts `node bin/run.js ...args` in `cwd` with `env` (a COMPLETE environment: pass auth.childEnv, or
 * `{...process.env, ...auth.env}`), killing it after `timeoutMs` (code -1 then). The child is returned so
 * that a test can send it a signal; `done` resolves when it has exited (`signal` is set if a signal ended it).
 */
export const startCliAsync = (
  args: readonly string[],
  cwd: string,
  env: Record<string, string | undefined>,
  timeoutMs = 60_000
): StartedCli => {
  const t0 = Date.now();
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'run.js'), ...args], {
    cwd,
    env: { NO_COLOR: '1', ...env },
  });
  const done = new Promise<AsyncRunResult>((resolveDone) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveDone({ code: code ?? -1, stdout, stderr, ms: Date.now() - t0, ...(signal ? { signal } : {}) });
    });
  });
  return { child, done };
};

/**
 * Runs `node bin/run.js ...args` in `cwd` with `env` (a COMPLETE environment: pass auth.childEnv, or
 * `{...process.env, ...auth.env}`), killing it after `timeoutMs` (code -1 then).
 */
export const runCliAsync = (
  args: readonly string[],
  cwd: string,
  env: Record<string, string | undefined>,
  timeoutMs = 60_000
): Promise<AsyncRunResult> => startCliAsync(args, cwd, env, timeoutMs).done;
