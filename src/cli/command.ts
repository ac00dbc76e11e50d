/*
 * The plugin's base command: whatever a command prints for people goes through terminalSafe, so a
 * label or value holding escape sequences never reaches the terminal raw (--json output is JSON,
 * which escapes control characters itself).
 */
import { SfCommand } from '@salesforce/sf-plugins-core';
import ansis from 'ansis';
import { terminalSafe } from '../render/style.js';

const colour = (): boolean => Boolean(process.stdout.isTTY) && ansis.isSupported();

const safe = <T>(input: T): T => (typeof input === 'string' ? (terminalSafe(input, colour()) as T) : input);

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
}
