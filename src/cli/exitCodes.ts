/*
 * The plugin's exit codes, in one table. Every command's ERROR CODES help section is built from it
 * (`errorCodesSection`), each command saying what the codes it uses mean for it.
 *
 *   0        ok: nothing at or above --fail-on, applied, same, written
 *   1        a result: findings, different, refused (never an org or network failure)
 *   2        usage or configuration: a bad flag or flag value, an invalid configuration, no project
 *   20       the org answered with an error (sf's own code for server errors)
 *   68       deploy partly succeeded
 *   69       deploy still running when --wait ended
 *   75       the org could not be reached or did not answer within --wait (sysexits EX_TEMPFAIL)
 *   130/143  interrupted by Ctrl-C / SIGTERM
 */
import { Messages } from '@salesforce/core/messages';
import { toHelpSection } from '@salesforce/sf-plugins-core';
import type { HelpSection } from '@oclif/core';
import { ORG_ERROR_EXIT, ORG_UNREACHABLE_EXIT, SIGNAL_EXIT } from './org.js';

export { ORG_ERROR_EXIT, ORG_UNREACHABLE_EXIT, SIGNAL_EXIT };

/** Exit code: nothing to report (no finding at or above the threshold, applied, same). */
export const OK_EXIT = 0;
/** Exit code: a result that should stop a pipeline: findings, a difference, a refusal. */
export const RESULT_EXIT = 1;
/** Exit code: a usage or configuration error (bad flag or value, invalid configuration, no project). */
export const USAGE_EXIT = 2;
/** Exit code: the deploy partly succeeded. */
export const PARTIAL_DEPLOY_EXIT = 68;
/** Exit code: the deploy was still running when --wait ended. */
export const STILL_RUNNING_EXIT = 69;

/** Every documented exit code by name, in the order the help lists them. */
export const EXIT_CODES = {
  ok: [OK_EXIT],
  result: [RESULT_EXIT],
  usage: [USAGE_EXIT],
  orgError: [ORG_ERROR_EXIT],
  partialDeploy: [PARTIAL_DEPLOY_EXIT],
  stillRunning: [STILL_RUNNING_EXIT],
  orgUnreachable: [ORG_UNREACHABLE_EXIT],
  interrupted: [SIGNAL_EXIT.SIGINT, SIGNAL_EXIT.SIGTERM],
} as const satisfies Record<string, readonly number[]>;

export type ExitCodeName = keyof typeof EXIT_CODES;

/** How a code (or pair of codes) is named in the help: "0", "130, 143". */
export const exitCodeLabel = (name: ExitCodeName): string => EXIT_CODES[name].join(', ');

/**
 * The ERROR CODES help section of a command: the codes it uses, in the table's order, each with what
 * it means for that command.
 */
export const errorCodesSection = (meanings: Partial<Record<ExitCodeName, string>>): HelpSection =>
  toHelpSection(
    'ERROR CODES',
    Object.fromEntries(
      (Object.keys(EXIT_CODES) as ExitCodeName[]).flatMap((name) => {
        const meaning = meanings[name];
        return meaning === undefined ? [] : [[exitCodeLabel(name), meaning]];
      })
    )
  );

/** The exit code of a deploy's final status (deploy, set --target-org). */
export const deployStatusExit = (status: string): number =>
  status === 'Succeeded' ? OK_EXIT : status === 'SucceededPartial' ? PARTIAL_DEPLOY_EXIT : status === 'InProgress' ? STILL_RUNNING_EXIT : RESULT_EXIT;

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const common = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.common');

/** What the org-failure codes mean for a command that talks to an org, in the common words. */
export const orgFailureMeanings = (): Pick<Record<ExitCodeName, string>, 'orgError' | 'orgUnreachable' | 'interrupted'> => ({
  orgError: common.getMessage('error-codes.org-error'),
  orgUnreachable: common.getMessage('error-codes.unreachable'),
  interrupted: common.getMessage('error-codes.interrupted'),
});
