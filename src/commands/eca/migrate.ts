import { Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { CONFIG_EXIT_CODE } from '../../adapters/config.js';
import { apiNameProblem } from '../../core/authoring/render.js';
import type { MigrationError, MigrationReport } from '../../core/migrate/types.js';
import { redactText } from '../../core/model/secrets.js';
import { EcaCommand } from '../../cli/command.js';
import { sourceDirFlag, withSummary } from '../../cli/flags.js';
import { optionalOrgFlag, orgFlags, timingOf, withOrg } from '../../cli/org.js';
import { terminalStyle, terminalWidth } from '../../cli/style.js';
import { renderMigration } from '../../render/migrate.js';
import { MigrateRefused, planMigration, type MigrateRefusal } from '../../usecases/migrate.js';

import { errorCodesSection, orgFailureMeanings } from '../../cli/exitCodes.js';
Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.migrate');

export type EcaMigrateResult = {
  /** One parity report per Connected App. */
  migrations: MigrationReport[];
  /** Every file of the migration; `text` with --dry-run. */
  files: Array<{ path: string; type: string; exists: boolean; text?: string }>;
  /** Whether files were written (false with --dry-run, or when the migration was refused). */
  written: boolean;
  dryRun: boolean;
  /** Malformed input, over all Connected Apps: nothing is written when there is any. */
  errors: MigrationError[];
  /** Connected Apps with a weaker (or lost) policy, refused without --accept-weaker. */
  needsAcceptance: string[];
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export default class EcaMigrate extends EcaCommand<EcaMigrateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = errorCodesSection({
    ok: messages.getMessage('error-codes.ok'),
    result: messages.getMessage('error-codes.refused'),
    usage: messages.getMessage('error-codes.usage'),
    ...orgFailureMeanings(),
  });

  public static readonly flags = {
    name: Flags.string({ char: 'n', summary: messages.getMessage('flags.name.summary'), exactlyOne: ['name', 'all'] }),
    all: Flags.boolean({ summary: messages.getMessage('flags.all.summary'), exactlyOne: ['name', 'all'] }),
    'eca-name': Flags.string({ summary: messages.getMessage('flags.eca-name.summary') }),
    'output-dir': Flags.directory({ summary: messages.getMessage('flags.output-dir.summary') }),
    harden: Flags.boolean({ summary: messages.getMessage('flags.harden.summary') }),
    'accept-weaker': Flags.boolean({ summary: messages.getMessage('flags.accept-weaker.summary') }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary') }),
    'dry-run': Flags.boolean({ default: false, summary: messages.getMessage('flags.dry-run.summary') }),
    verbose: Flags.boolean({ summary: messages.getMessage('flags.verbose.summary') }),
    'source-dir': sourceDirFlag,
    config: Flags.file({ char: 'c', exists: true, summary: messages.getMessage('flags.config.summary') }),
    'api-version': Flags.string({ summary: messages.getMessage('flags.api-version.summary') }),
    'target-org': withSummary(optionalOrgFlag, messages.getMessage('flags.target-org.summary')),
    wait: orgFlags.wait,
    'poll-interval': orgFlags['poll-interval'],
  };

  public async run(): Promise<EcaMigrateResult> {
    const { flags } = await this.parse(EcaMigrate);
    if (flags['eca-name'] !== undefined) {
      if (flags.all) throw messages.createError('error.EcaNameWithAll', [], [], CONFIG_EXIT_CODE);
      const problem = apiNameProblem(flags['eca-name']);
      if (problem) throw messages.createError('error.InvalidEcaName', [flags['eca-name'], problem], [], CONFIG_EXIT_CODE);
    }
    const dryRun = flags['dry-run'];
    let plan;
    try {
      plan = await planMigration(
        {
          name: flags.name,
          all: flags.all,
          ecaName: flags['eca-name'],
          outputDir: flags['output-dir'],
          harden: flags.harden,
          force: flags.force,
          dryRun,
          'source-dir': flags['source-dir'],
          config: flags.config,
          apiVersion: flags['api-version'],
          org: flags['target-org'],
          timing: timingOf(flags),
        },
        (label, work) => withOrg(this, label, work)
      );
    } catch (e) {
      if (e instanceof MigrateRefused) throw refusalError(e.refusal);
      throw e;
    }
    const { migrations, where, existing } = plan;
    const result: EcaMigrateResult = { migrations: [], files: [], written: false, dryRun, errors: [], needsAcceptance: [] };
    if (migrations.length === 0) {
      if (!this.jsonEnabled()) this.log(messages.getMessage('info.nothing', [where]));
      return result;
    }
    result.migrations = migrations.map((m) => m.report);
    result.errors = migrations.flatMap((m) => [...m.report.errors]);
    result.needsAcceptance = migrations.filter((m) => m.report.needsAcceptance).map((m) => m.report.connectedApp);
    const files = migrations.flatMap((m) => m.files);
    result.files = files.map((f) => ({ path: f.path, type: f.type, exists: existing.has(f.path), ...(dryRun ? { text: f.text } : {}) }));
    const style = terminalStyle();
    if (!this.jsonEnabled()) this.log(result.migrations.map((r) => renderMigration(r, style, { width: terminalWidth(), verbose: flags.verbose })).join('\n\n'));

    // Refusals: nothing is written when any Connected App cannot be migrated as asked.
    if (result.errors.length > 0) {
      if (!this.jsonEnabled()) {
        for (const m of migrations.filter((x) => x.report.errors.length > 0)) this.logToStderr(messages.getMessage('error.Malformed', [m.report.source]));
      }
      process.exitCode = 1;
      return result;
    }
    if (result.needsAcceptance.length > 0 && !flags['accept-weaker']) {
      const err = messages.createError('error.Weaker', [result.needsAcceptance.join(', ')]);
      if (!this.jsonEnabled()) this.logToStderr(`\n${err.message}\n${(err.actions ?? []).map((a) => `  ${a}`).join('\n')}`);
      process.exitCode = 1;
      return result;
    }
    if (dryRun) {
      if (!this.jsonEnabled()) {
        for (const f of files) this.log(`\n${style.bold(`--- ${f.path}`)}\n${redactText(f.text).trimEnd()}`);
        if (existing.size > 0 && !flags.force) this.warn(messages.getMessage('info.exists', [[...existing].join(', ')]));
        this.log(`\n${messages.getMessage('info.dry-run', [plural(files.length, 'file')])}`);
      }
      if (existing.size > 0 && !flags.force) process.exitCode = 1;
      return result;
    }
    plan.commit();
    result.written = true;
    if (!this.jsonEnabled()) {
      this.log(`\n${messages.getMessage('info.written', [plural(migrations.length, 'Connected App'), plural(files.length, 'file')])}`);
      for (const r of result.migrations) {
        const open = r.findings.filter((f) => !f.waived);
        if (open.length > 0) this.info(messages.getMessage('info.not-clean', [r.eca, plural(open.length, 'finding')]));
      }
    }
    return result;
  }
}

const refusalError = (r: MigrateRefusal): Error => {
  switch (r.kind) {
    case 'ApiVersionTooLow':
      return messages.createError('error.ApiVersionTooLow', [r.version], [], CONFIG_EXIT_CODE);
    case 'NotFound':
      return messages.createError('error.NotFound', [r.name, r.where], [r.known.length > 0 ? r.known.join(', ') : 'none']);
    case 'DuplicateEca':
      return messages.createError('error.DuplicateEca', [r.eca, r.sources.join(', ')]);
    case 'EcaExists':
      return messages.createError('error.EcaExists', [r.eca, r.paths.join(', ')]);
    case 'FilesExist':
      return messages.createError('error.FilesExist', [r.paths.join(', ')]);
  }
};
