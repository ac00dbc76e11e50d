/*
 * Runs a command in this process, as `sf eca <verb> ...args` would, and returns what the user would
 * see: { code, stdout, stderr }, the same shape as helpers.runCli (a spawned bin/run.js).
 *
 * The command class is imported from src/ (no build needed) and run with the plugin's oclif Config, so
 * flags, messages, --json and exit codes behave as they do in the built CLI. What a process would
 * otherwise start afresh is reset around every run:
 *  - the folder (process.chdir), the environment (the given variables over the current ones), the exit
 *    code (process.exitCode), and stdout/stderr (captured, not TTY, no columns: as in a pipe);
 *  - @salesforce/core's cached state (SfProject, ConfigAggregator, StateAggregator instances), so that a
 *    changed sfdx-project.json, SF_TARGET_ORG or HOME is read again;
 *  - the signal and Lifecycle listeners a run adds.
 * Runs are serialized: they share the process. process.exit from a command's timer is recorded, not
 * obeyed (see `exits`).
 *
 * Use runCli (spawned) for what needs a process of its own: start-up, signals, a killed process, the
 * Node version check, jsforce's load-time HTTP_TIMEOUT, and the few end-to-end tests of bin/run.js.
 * `--help` is shown as oclif's entry point shows it: the plugin's help class on the command oclif loaded
 * from oclif.manifest.json (so it needs the build, as bin/run.js does).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config, ux } from '@oclif/core';
import { ConfigAggregator, Lifecycle, SfProject, StateAggregator } from '@salesforce/core';
import type { RunResult } from './helpers.js';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// No log file (test/support/setup.cjs sets it before anything loads; here for other runners): core
// writes it from a worker thread, which resolves mocha's `--import tsx` from the current folder.
process.env.SF_DISABLE_LOG_FILE = 'true';

/** The variables every run gets, as runCli sets them for a child. */
/** GITHUB_STEP_SUMMARY is unset: a test run inside GitHub Actions must not append to the job's summary. */
const BASE_ENV = { SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true', NO_COLOR: '1', GITHUB_STEP_SUMMARY: undefined };

type Runnable = { id?: string; _run(): Promise<unknown> };
type CommandClass = new (argv: string[], config: Config) => Runnable;

let config: Promise<Config> | undefined;
const loadConfig = (): Promise<Config> => (config ??= Config.load({ root: PROJECT_ROOT }));

const classes = new Map<string, Promise<CommandClass>>();
const commandClass = (verb: string): Promise<CommandClass> => {
  let c = classes.get(verb);
  if (!c) {
    c = import(`../../src/commands/eca/${verb}.js`).then((m: { default: CommandClass }) => m.default);
    classes.set(verb, c);
  }
  return c;
};

let queue: Promise<unknown> = Promise.resolve();

/**
 * A command may end its process from a timer (src/cli/org.ts exitSoonAfterTimeout: a socket to an org
 * that never answered would keep it alive). In this process that would end mocha: during a run and a
 * few seconds after it, process.exit is recorded instead (lastExit) and the run's exit code stands.
 */
const EXIT_GRACE_MS = 5000;
let guardUntil = 0;
let running = false;
export const exits: Array<number | string | null | undefined> = [];
const realExit = process.exit.bind(process);
process.exit = (code?: number | string | null): never => {
  if (running || Date.now() < guardUntil) {
    exits.push(code);
    return undefined as never;
  }
  return realExit(code);
};

/** oclif's spinner writes through the stream functions it saved when it loaded: point them at the capture. */
type Action = { stdmockOrigs?: { stdout: Stream['write']; stderr: Stream['write'] } };

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGBREAK', 'SIGHUP'] as const;
type Listener = (...args: unknown[]) => void;

const setEnv = (vars: Record<string, string | undefined>): Record<string, string | undefined> => {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return saved;
};

const clearCoreState = async (): Promise<void> => {
  SfProject.clearInstances();
  StateAggregator.clearInstance();
  await ConfigAggregator.clearInstance();
};

type Stream = NodeJS.WriteStream & { write: (...args: unknown[]) => boolean };

/** Replaces a stream's write (and its TTY look) while a run goes on; returns what was written and an undo. */
const capture = (stream: Stream): { text: () => string; write: Stream['write']; restore: () => void } => {
  const chunks: string[] = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back exactly as it was
  const { write } = stream;
  const tty = Object.getOwnPropertyDescriptor(stream, 'isTTY');
  const columns = Object.getOwnPropertyDescriptor(stream, 'columns');
  const captured = (chunk: unknown, ...rest: unknown[]): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    const done = rest.find((r): r is () => void => typeof r === 'function');
    if (done) queueMicrotask(done);
    return true;
  };
  stream.write = captured;
  Object.defineProperty(stream, 'isTTY', { value: false, configurable: true, writable: true });
  Object.defineProperty(stream, 'columns', { value: undefined, configurable: true, writable: true });
  return {
    text: () => chunks.join(''),
    write: captured,
    restore: (): void => {
      stream.write = write;
      for (const [name, d] of [['isTTY', tty], ['columns', columns]] as const) {
        if (d) Object.defineProperty(stream, name, d);
        else delete (stream as unknown as Record<string, unknown>)[name];
      }
    },
  };
};

const exitCodeOf = (e: unknown): number => {
  const exit = (e as { oclif?: { exit?: unknown } } | undefined)?.oclif?.exit;
  return typeof exit === 'number' ? exit : 1;
};

const runOnce = async (args: readonly string[], cwd: string, env: Record<string, string | undefined>): Promise<RunResult> => {
  const [topic, verb, ...argv] = args;
  if (topic !== 'eca' || !verb || verb.startsWith('-')) throw new Error(`runCommand: expected "eca <verb> ...", got ${args.join(' ')}`);
  const [cfg, Command] = await Promise.all([loadConfig(), commandClass(verb)]);
  const savedEnv = setEnv({ ...BASE_ENV, ...env });
  const savedCwd = process.cwd();
  const savedExitCode = process.exitCode;
  const signalListeners = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  const out = capture(process.stdout as Stream);
  const err = capture(process.stderr as Stream);
  const action = ux.action as unknown as Action;
  const savedOrigs = action.stdmockOrigs;
  action.stdmockOrigs = { stdout: out.write, stderr: err.write };
  running = true;
  let code: number;
  try {
    process.chdir(cwd);
    process.exitCode = undefined;
    await clearCoreState();
    const cmd = new Command(argv, cfg);
    cmd.id = `eca:${verb}`;
    try {
      if (argv.includes('--help') || argv.includes('-h')) await showHelp(cfg, cmd.id);
      else await cmd._run();
      code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    } catch (e) {
      // What oclif's handle() does in bin/run.js: print errors sf did not print, then exit.
      const skip = (e as { skipOclifErrorHandling?: boolean }).skipOclifErrorHandling === true;
      if (!skip && !(e instanceof Error && e.name === 'ExitError')) process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      code = exitCodeOf(e);
    }
  } finally {
    running = false;
    guardUntil = Date.now() + EXIT_GRACE_MS;
    if (savedOrigs) action.stdmockOrigs = savedOrigs;
    out.restore();
    err.restore();
    process.chdir(savedCwd);
    process.exitCode = savedExitCode;
    setEnv(savedEnv);
    for (const [signal, before] of signalListeners) {
      for (const l of process.listeners(signal)) if (!before.includes(l)) process.removeListener(signal, l as Listener);
    }
    Lifecycle.getInstance().removeAllListeners('warning');
    await clearCoreState();
  }
  return { code, stdout: out.text(), stderr: err.text() };
};

/** oclif's entry point shows help (not the command): the plugin's help class, on the command oclif loaded (the manifest). */
const showHelp = async (cfg: Config, id: string): Promise<void> => {
  const { default: EcaHelp } = await import('../../src/cli/help.js');
  const command = cfg.findCommand(id);
  if (!command) throw new Error(`runCommand: oclif knows no command ${id} (run npm run build: help comes from oclif.manifest.json)`);
  await new EcaHelp(cfg, cfg.pjson.oclif.helpOptions).showCommandHelp(command);
};

/**
 * Runs `args` (["eca", verb, ...flags]) in `cwd` in this process; `env` is laid over the current
 * environment for the run (undefined removes a variable). See the header for what is reset.
 */
export const runCommand = (args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<RunResult> => {
  const next = queue.then(() => runOnce(args, cwd, env));
  queue = next.catch(() => undefined);
  return next;
};
