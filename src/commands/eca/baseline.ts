import { Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { EcaCommand } from '../../cli/command.js';
import { errorCodesSection, orgFailureMeanings } from '../../cli/exitCodes.js';
import { orgFlags, orgLabel, timingOf, withOrg } from '../../cli/org.js';
import { BaselineRefused, takeBaseline } from '../../usecases/baseline.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const commonMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.common');
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.baseline');

export const DEFAULT_BASELINE_FILE = 'eca-baseline.json';

export type EcaBaselineResult = {
  /** The baseline file, as given. */
  file: string;
  /** The org, by username (or org id). */
  org: string;
  /** Its 15-character id, as the baseline records it. */
  orgId: string;
  apiVersion: string;
  capturedAt: string;
  /** The apps the baseline holds. */
  apps: string[];
  /** How many files (settings and policies) of those apps it holds. */
  files: number;
  /** An existing file was replaced (--force). */
  overwritten: boolean;
};

export default class EcaBaseline extends EcaCommand<EcaBaselineResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = errorCodesSection({
    ok: messages.getMessage('error-codes.ok'),
    result: messages.getMessage('error-codes.refused'),
    usage: commonMessages.getMessage('error-codes.usage'),
    ...orgFailureMeanings(),
  });

  public static readonly flags = {
    ...orgFlags,
    name: Flags.string({ char: 'n', multiple: true, summary: messages.getMessage('flags.name.summary') }),
    'output-file': Flags.string({ default: DEFAULT_BASELINE_FILE, summary: messages.getMessage('flags.output-file.summary') }),
    force: Flags.boolean({ default: false, summary: messages.getMessage('flags.force.summary') }),
  };

  public async run(): Promise<EcaBaselineResult> {
    const { flags } = await this.parse(EcaBaseline);
    const org = flags['target-org'];
    const conn = org.getConnection(flags['api-version']);
    let run;
    try {
      run = await takeBaseline(
        conn,
        {
          orgId: org.getOrgId(),
          names: flags.name,
          outputFile: flags['output-file'],
          cwd: process.cwd(),
          force: flags.force,
          timing: timingOf(flags),
          capturedAt: new Date().toISOString(),
        },
        (label, work) => withOrg(this, `${label} from ${orgLabel(org)}`, work)
      );
    } catch (e) {
      // A refusal is a result (exit 1, the table's "refused"), not a usage error (2): the flags are valid, and
      // what they ask for (replace a file without --force, an app the org does not have) is declined, as generate
      // and retrieve decline theirs.
      if (e instanceof BaselineRefused) {
        const r = e.refusal;
        if (r.kind === 'Exists') throw messages.createError('error.Exists', [r.file], [], 1);
        throw messages.createError('error.NotInOrg', [r.missing.join(', ')], [r.known.join(', ') || 'none'], 1);
      }
      throw e;
    }
    const apps = Object.keys(run.baseline.apps);
    const files = apps.reduce((n, a) => n + Object.keys(run.baseline.apps[a] ?? {}).length, 0);
    if (!this.jsonEnabled()) {
      this.log(messages.getMessage(run.overwritten ? 'info.overwritten' : 'info.written', [apps.length, files, orgLabel(org), run.file]));
    }
    return {
      file: run.file,
      org: orgLabel(org),
      orgId: run.baseline.org.id,
      apiVersion: run.baseline.org.apiVersion,
      capturedAt: run.baseline.capturedAt,
      apps,
      files,
      overwritten: run.overwritten,
    };
  }
}
