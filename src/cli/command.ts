/*
 * The plugin's base command: whatever a command prints for people goes through terminalSafe, so a
 * label or value holding escape sequences never reaches the terminal raw (--json output is JSON,
 * which escapes control characters itself).
 *
 * It also gives every failure of flag parsing the exit code of a usage error (2), standalone and under
 * the real sf alike. oclif's parse errors take their exit code from the root CLI's `oclif.exitCodes`
 * (when they have none of their own): standalone there is none, so CLIError's default 2 applies, but an
 * error thrown by a flag's own parse function (Flags.file's "No file found at") has no code and exits 1;
 * sf 2.150 sets `default: 1`, so an invalid option value (--format sarf) or a flag with no value
 * (--name) exits 1 there. Errors with a code of their own other than 1 (the org errors --target-org
 * throws while it is resolved: 20, 75) keep it.
 */
import { SfCommand } from '@salesforce/sf-plugins-core';
import type { Interfaces } from '@oclif/core';
import ansis from 'ansis';
import { terminalSafe } from '../render/style.js';
import { RESULT_EXIT, USAGE_EXIT } from './exitCodes.js';
import { runCommandEndHooks } from './lifecycle.js';

/** oclif's FlagOutput and ArgOutput, Record<string, any> (its index does not export them). */
type Output = Interfaces.OutputFlags<Record<string, never>>;

const colour = (): boolean => Boolean(process.stdout.isTTY) && ansis.isSupported();

const safe = <T>(input: T): T => (typeof input === 'string' ? (terminalSafe(input, colour()) as T) : input);

/**
 * The exit code of an error thrown while the flags are parsed: an error's own code when it has one
 * other than 1 (the org errors of --target-org: 20, 75), else 2 (a usage error: an unknown flag, a bad
 * value, a missing value, a --config file that does not exist, no such org alias).
 */
export const parseErrorExit = (e: unknown): unknown => {
  if (!(e instanceof Error)) return e;
  const own = (e as { exitCode?: unknown }).exitCode;
  const exit = typeof own === 'number' && own !== RESULT_EXIT && own !== 0 ? own : USAGE_EXIT;
  const carrier = e as Error & { oclif?: { exit?: number }; exitCode?: number };
  carrier.oclif = { ...carrier.oclif, exit };
  if (typeof own === 'number') carrier.exitCode = exit;
  return e;
};

export abstract class EcaCommand<T> extends SfCommand<T> {
  public log(message?: string, ...args: unknown[]): void {
    super.log(message === undefined ? message : safe(message), ...args.map(safe));
  }

  public logToStderr(message?: string, ...args: unknown[]): void {
    super.logToStderr(message === undefined ? message : safe(message), ...args.map(safe));
  }

  public warn(input: SfCommand.Warning): SfCommand.Warning {
    return super.warn(safe(input));
  }

  public info(input: SfCommand.Info): void {
    super.info(safe(input));
  }

  /** Undoes what the command set up for its run (the org clock's watchdog and signal handlers), then sf's own. */
  protected async finally(err: Error | undefined): Promise<unknown> {
    runCommandEndHooks();
    return super.finally(err);
  }

  protected async parse<F extends Output, B extends Output, A extends Output>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[]
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    try {
      return await super.parse(options, argv);
    } catch (e) {
      throw parseErrorExit(e);
    }
  }
}
