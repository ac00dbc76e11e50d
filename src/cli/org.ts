/*
 * Flags, timing and process safety shared by the commands that talk to an org (deploy, retrieve, diff,
 * audit, set --target-org, migrate --target-org).
 *
 * The whole conversation with the org is bounded by --wait, from the first request on: --target-org is
 * resolved (core may call GET /services/data and the Organization query, for an access token) under the
 * same clock as the deploy or retrieve that follows, a watchdog ends the process if anything still hangs
 * after it, Ctrl-C and SIGTERM end it at once, and a refused connection is not retried for seconds.
 */
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Flags } from '@salesforce/sf-plugins-core';
import { ConfigAggregator, matchesAccessToken, Org, OrgConfigProperties, SfError } from '@salesforce/core';
import { Messages } from '@salesforce/core/messages';
import type { Timing } from '../adapters/org.js';
import { onCommandEnd } from './lifecycle.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.org');

/** Exit code: the org answered with an error (a server error, a maintenance page, a rejected session); sf uses 20 for server errors. The same as in adapters/org.ts (not imported here: that module loads SDR). */
export const ORG_ERROR_EXIT = 20;
/** Exit code: the org could not be reached, or did not answer within --wait (sysexits EX_TEMPFAIL: try again later). */
export const ORG_UNREACHABLE_EXIT = 75;
/** Exit codes after a signal (128 + the signal number, as shells report them). */
export const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

const DEFAULT_WAIT_MS = 600_000;
/** How long after the --wait deadline the watchdog ends a process that is still stuck. */
const WATCHDOG_GRACE_MS = 4000;

// ---------------------------------------------------------------------------------------------- labels

/**
 * What to call the org in output: its username, or its org id when the "username" is an access token
 * (sf accepts the token itself as --target-org). Never prints a token.
 */
export const orgLabel = (org: Org): string => {
  const username = org.getUsername();
  return username && !matchesAccessToken(username) ? username : org.getOrgId().slice(0, 15);
};

/** Replaces anything shaped like an access token in a text (a safety net for messages from the libraries). */
export const redactTokens = (text: string): string => text.replace(/00D\w{12,15}![.\w]+/g, '<access token>');

// ---------------------------------------------------------------------------------------------- the clock

type Clock = { readonly startedAt: number; readonly waitMs: number; readonly endsAt: number; readonly json: boolean };
let clock: Clock | undefined;
let interruptNote: string | undefined;

/** The wait: ECA_WAIT_MS (tests), else --wait <minutes> from the command line, else 10 minutes. */
export const waitMsOf = (argv: readonly string[]): number => {
  const env = Number(process.env.ECA_WAIT_MS);
  if (Number.isFinite(env) && env > 0) return env;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = a === '--wait' ? argv[i + 1] : a.startsWith('--wait=') ? a.slice('--wait='.length) : undefined;
    const minutes = Number(value);
    if (value !== undefined && Number.isFinite(minutes) && minutes > 0) return minutes * 60_000;
  }
  return DEFAULT_WAIT_MS;
};

const isJson = (argv: readonly string[]): boolean => argv.includes('--json') || process.env.SF_CONTENT_TYPE?.toUpperCase() === 'JSON';

/**
 * Ends the process now with an sf-shaped error (stderr, or a JSON error on stdout with --json). Written
 * to the file descriptors directly: while a spinner runs, oclif holds back process.stdout/stderr writes
 * until it stops, and it never will.
 */
const endProcess = (name: string, message: string, actions: string[], exitCode: number): never => {
  try {
    if (clock?.json) {
      writeSync(1, `${JSON.stringify({ name, message, exitCode, actions, status: exitCode, code: name, warnings: [] }, null, 2)}\n`);
    } else {
      writeSync(2, `\nError (${name}): ${message}\n\nTry this:\n\n${actions.join('\n')}\n`);
    }
  } catch {
    // a closed stream: the exit code still tells
  }
  process.exit(exitCode);
};

const onSignal = (signal: 'SIGINT' | 'SIGTERM') => (): void => {
  endProcess(
    'InterruptedError',
    `Interrupted (${signal}): stopped waiting for the org.${interruptNote ? ` ${interruptNote}` : ''}`,
    [interruptNote ? 'Follow the operation in the org with the command above, or run this command again.' : 'Run the command again when you are ready.'],
    SIGNAL_EXIT[signal]
  );
};

/**
 * Keeps jsforce from retrying a refused or unresolvable connection for seconds (5 retries with backoff
 * per GET: about 15 s each, 48 s and more in all), and bounds each request by the wait. Connections
 * dropped mid-way and 5xx answers are still retried, twice. Best effort: if jsforce's request module
 * cannot be found, its defaults stay.
 */
const boundRetries = (waitMs: number): void => {
  try {
    const fromCore = createRequire(createRequire(import.meta.url).resolve('@salesforce/core'));
    const request = fromCore('@jsforce/jsforce-node/lib/request') as { setDefaults?: (d: Record<string, unknown>) => void };
    const envTimeout = process.env.HTTP_TIMEOUT ? Number.parseInt(process.env.HTTP_TIMEOUT, 10) : undefined;
    request.setDefaults?.({
      // what jsforce's transport sets when it loads
      httpProxy: process.env.https_proxy ?? process.env.http_proxy ?? process.env.HTTPS_PROXY ?? process.env.HTTP_PROXY ?? undefined,
      followRedirect: true,
      timeout: Math.min(envTimeout ?? Infinity, waitMs + WATCHDOG_GRACE_MS),
      retry: { maxRetries: 2, errorCodes: ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'] },
    });
  } catch {
    // jsforce keeps its own defaults
  }
};

let watchdog: NodeJS.Timeout | undefined;
const signalHandlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };

/** Stops the clock: the watchdog and the signal handlers (when the command ends; in-process runs and tests). */
export const stopOrgClock = (): void => {
  clearTimeout(watchdog);
  watchdog = undefined;
  for (const [signal, handler] of Object.entries(signalHandlers)) process.removeListener(signal, handler);
  clock = undefined;
  interruptNote = undefined;
};

/**
 * Starts the clock --wait bounds, at the first request to the org (a new command restarts it): installs
 * the Ctrl-C/SIGTERM handlers (before sf's own, which would not end a process stuck on a socket), the
 * watchdog that ends a process still stuck after the wait, and the bounded retries. The clock stops
 * when the command ends (EcaCommand.finally runs the hook it registers).
 */
export const startOrgClock = (argv: readonly string[] = process.argv.slice(2)): Clock => {
  stopOrgClock();
  const waitMs = waitMsOf(argv);
  const startedAt = Date.now();
  const started: Clock = { startedAt, waitMs, endsAt: startedAt + waitMs, json: isJson(argv) };
  clock = started;
  process.prependListener('SIGINT', signalHandlers.SIGINT);
  process.prependListener('SIGTERM', signalHandlers.SIGTERM);
  boundRetries(waitMs);
  watchdog = setTimeout(() => {
    endProcess(
      'OrgTimeoutError',
      `The org did not answer within ${Math.round(waitMs / 1000)} s (--wait).${interruptNote ? ` ${interruptNote}` : ''}`,
      ['Run the command again with a longer --wait, or check the org\'s status (https://status.salesforce.com).'],
      ORG_UNREACHABLE_EXIT
    );
  }, waitMs + WATCHDOG_GRACE_MS).unref();
  // Stopped when the command ends (EcaCommand.finally), unless another command restarted it.
  onCommandEnd(() => {
    if (clock === started) stopOrgClock();
  });
  return started;
};

/** Whether the clock runs (its watchdog armed): false once a command has ended. */
export const orgClockRunning = (): boolean => clock !== undefined || watchdog !== undefined;

/** Milliseconds left of the wait (the whole wait if the clock has not started). */
export const remainingMs = (fallbackMs = DEFAULT_WAIT_MS): number => (clock ? Math.max(0, clock.endsAt - Date.now()) : fallbackMs);

/** What an interruption or the watchdog should add (e.g. the deploy id and how to follow it); undefined clears it. */
export const setInterruptNote = (note: string | undefined): void => {
  interruptNote = note;
};

/** Rejects when a promise does not settle within `ms` (exit code 75). */
export const withinMs = async <T>(p: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      exitSoonAfterTimeout();
      reject(
        new SfError(`The org did not answer within ${Math.max(1, Math.round((clock?.waitMs ?? ms) / 1000))} s while ${what}.`, 'OrgTimeoutError', [
          'Run the command again with a longer --wait, or check the org\'s status (https://status.salesforce.com).',
        ], ORG_UNREACHABLE_EXIT)
      );
    }, ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
};

// ---------------------------------------------------------------------------------------------- flags

const NO_DEFAULT_ORG = (): SfError =>
  new SfError('No target org: --target-org is not given and no default org is set.', 'NoDefaultEnvError', [
    'Pass --target-org <username or alias>, or set a default: sf config set target-org <username or alias>.',
  ], 1);

/**
 * Resolves --target-org (or the default target-org) like Flags.requiredOrg, but on the command's clock:
 * core's requests (for an access token: GET /services/data and the Organization query) end within --wait.
 */
const resolveOrg = async (input: string | undefined, argv: readonly string[]): Promise<Org> => {
  startOrgClock(argv);
  const aliasOrUsername = input ?? (await ConfigAggregator.create()).getPropertyValue<string>(OrgConfigProperties.TARGET_ORG);
  if (!aliasOrUsername) throw NO_DEFAULT_ORG();
  try {
    return await withinMs(Org.create({ aliasOrUsername }), remainingMs(), 'connecting to the org (resolving the org and its API version)');
  } catch (e) {
    // network, server and session failures become OrgErrors; core's own (no such alias…) stay as they are
    const { orgError } = await import('../adapters/org.js');
    const mapped = orgError(e, 'connecting to the org');
    if (!['OrgTimeoutError', 'OrgUnreachableError', 'OrgError', 'InvalidSessionError'].includes(mapped.name)) throw e;
    // oclif prefixes errors thrown while parsing a flag with "Parsing --target-org … See more help with
    // --help", which reads as a usage error: an org that failed is not one, so the message stays as it is
    const text = mapped.message;
    Object.defineProperty(mapped, 'message', { get: () => text, set: () => undefined, configurable: true, enumerable: false });
    throw mapped;
  }
};

const targetOrgFlag = Flags.requiredOrg({
  summary: messages.getMessage('flags.target-org.summary'),
  parse: async (input, context) => resolveOrg(input, context.argv ?? process.argv.slice(2)),
  default: async () => resolveOrg(undefined, process.argv.slice(2)),
  // sf's default help resolves the default org with requests; the help names no org instead
  defaultHelp: async () => Promise.resolve(undefined),
});

/**
 * An optional --target-org (set, migrate), resolved on the command's clock like orgFlags['target-org'].
 * Unlike Flags.optionalOrg it does not fall back to the configured default org: the org is used only
 * when the flag is given. A command with its own summary spreads it: `{ ...optionalOrgFlag, summary }`.
 */
export const optionalOrgFlag = Flags.optionalOrg({
  summary: messages.getMessage('flags.optional-target-org.summary'),
  parse: async (input, context) => resolveOrg(input, context.argv ?? process.argv.slice(2)),
  default: async () => Promise.resolve(undefined),
  defaultHelp: async () => Promise.resolve(undefined),
});

export const orgFlags = {
  'target-org': targetOrgFlag,
  'api-version': Flags.orgApiVersion({ summary: messages.getMessage('flags.api-version.summary') }),
  wait: Flags.duration({ unit: 'minutes', defaultValue: 10, min: 1, summary: messages.getMessage('flags.wait.summary') }),
  'poll-interval': Flags.integer({ hidden: true, summary: messages.getMessage('flags.poll-interval.summary') }),
};

export const appNameFlag = Flags.string({ char: 'n', multiple: true, summary: messages.getMessage('flags.name.summary') });

/**
 * The wait and the polling interval: what is left of the command's wait (flags, then ECA_WAIT_MS for
 * tests, then 10 minutes, counted from the first request), then the poll interval (the hidden flag,
 * ECA_POLL_INTERVAL_MS, 1 s).
 */
export const timingOf = (flags: { wait?: { milliseconds: number }; 'poll-interval'?: number }): Timing => {
  const envPoll = Number(process.env.ECA_POLL_INTERVAL_MS);
  const envWait = Number(process.env.ECA_WAIT_MS);
  const total = Number.isFinite(envWait) && envWait > 0 ? envWait : (flags.wait?.milliseconds ?? DEFAULT_WAIT_MS);
  return {
    waitMs: Math.min(total, remainingMs(total)),
    totalWaitMs: total,
    pollMs: flags['poll-interval'] ?? (Number.isFinite(envPoll) && envPoll > 0 ? envPoll : 1000),
  };
};

/**
 * After an org that never answered, the pending socket would keep the process alive: exit once the
 * command has reported (the timer does not keep the process alive by itself).
 */
export const exitSoonAfterTimeout = (): void => {
  setTimeout(() => process.exit(process.exitCode ?? 1), 500).unref();
};

type Spinning = { jsonEnabled(): boolean; spinner: { start(s: string): void; stop(s?: string): void } };

/**
 * Runs one conversation with the org behind a spinner (not in JSON mode). When the org never
 * answered, the pending socket would keep the process alive after the error is shown: it exits then.
 */
export const withOrg = async <T>(cmd: Spinning, label: string, work: () => Promise<T>, done: (r: T) => string = () => 'done'): Promise<T> => {
  const show = !cmd.jsonEnabled();
  if (show) cmd.spinner.start(label);
  try {
    const r = await work();
    if (show) cmd.spinner.stop(done(r));
    return r;
  } catch (e) {
    if (show) cmd.spinner.stop('failed');
    if (e instanceof Error && e.name === 'OrgTimeoutError') exitSoonAfterTimeout();
    throw e;
  }
};
