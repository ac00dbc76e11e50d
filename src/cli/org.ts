/* Flags and timing shared by the commands that talk to an org (deploy, retrieve, diff, audit, set --target-org). */
import { Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import type { Timing } from '../adapters/org.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.org');

export const orgFlags = {
  'target-org': Flags.requiredOrg({ summary: messages.getMessage('flags.target-org.summary') }),
  'api-version': Flags.orgApiVersion({ summary: messages.getMessage('flags.api-version.summary') }),
  wait: Flags.duration({ unit: 'minutes', defaultValue: 10, min: 1, summary: messages.getMessage('flags.wait.summary') }),
  'poll-interval': Flags.integer({ hidden: true, summary: messages.getMessage('flags.poll-interval.summary') }),
};

export const appNameFlag = Flags.string({ char: 'n', multiple: true, summary: messages.getMessage('flags.name.summary') });

/** The wait and the polling interval: flags, then ECA_POLL_INTERVAL_MS and ECA_WAIT_MS (for tests), then defaults. */
export const timingOf = (flags: { wait?: { milliseconds: number }; 'poll-interval'?: number }): Timing => {
  const envPoll = Number(process.env.ECA_POLL_INTERVAL_MS);
  const envWait = Number(process.env.ECA_WAIT_MS);
  return {
    waitMs: Number.isFinite(envWait) && envWait > 0 ? envWait : (flags.wait?.milliseconds ?? 600_000),
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
