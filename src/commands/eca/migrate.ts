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
import { renderAfterMigration, renderAppOutcomes, renderMigration, renderMigrationMarkdown, renderSetupRoute } from '../../render/migrate.js';
import type { MigrationPreflight } from '../../core/migrate/checklist.js';
import { unifiedDiff } from '../../render/diff.js';
import { type AppHold, type AppPlan, MigrateRefused, needsAction, planMigration, statusOf, type MigrateRefusal } from '../../usecases/migrate.js';

import { errorCodesSection, orgFailureMeanings } from '../../cli/exitCodes.js';
Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.migrate');

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What became of one Connected App. */
export type EcaMigrateApp = {
  connectedApp: string;
  /** Where the Connected App was read. */
  source: string;
  eca: string;
  /**
   * migrated: its files were written (with --dry-run: would be); skipped: not written until you act
   * (files exist: --force; weaker policy: --accept-weaker), or nothing to write (up to date); failed:
   * the Connected App or the names must be corrected (malformed input, an ECA name in use) or the
   * files could not be written.
   */
  status: 'migrated' | 'skipped' | 'failed';
  /** Why it is skipped or failed. */
  reason?: 'malformed' | 'duplicate-eca' | 'eca-exists' | 'write-failed' | 'files-exist' | 'weaker' | 'up-to-date' | 'managed';
  /** The reason in words, with what to do. */
  message?: string;
  /** The files of the app (written when status is migrated and not --dry-run). */
  files: string[];
  /** With --relink: the project files edited so that they name the External Client App (written with the app's files). */
  relinked: string[];
  /** With --plan: the weaker policies the plan accepts that this migration needs, with the plan's reasons. */
  accepted?: Array<{ dimension: string; reason: string }>;
  /** With --plan: accepted in the plan but not weaker in this migration (the plan may be out of date). */
  unusedAcceptances?: Array<{ dimension: string; reason: string }>;
  /** With --target-org: what the org knows of the Connected App (tokens, username-password logins, pre-authorizations, managed). */
  preflight?: MigrationPreflight;
  /** What people must still do once the ECA exists (re-key clients, assign permission sets, re-apply allowlists, delete the Connected App). */
  checklist: string[];
};

export type EcaMigrateResult = {
  /** One parity report per Connected App. */
  migrations: MigrationReport[];
  /** One outcome per Connected App, in the order of `migrations`. */
  apps: EcaMigrateApp[];
  /** Every file of the migration; `text` with --dry-run. */
  files: Array<{ path: string; type: string; exists: boolean; text?: string }>;
  /** With --relink: every project file the migration edits, and why; `text` (the new text) with --dry-run. */
  relinks: Array<{ path: string; connectedApp: string; change: string; text?: string }>;
  /** The plan file replayed (--plan). */
  plan?: string;
  /** Whether files were written (false with --dry-run, or when no app could be migrated). */
  written: boolean;
  dryRun: boolean;
  /** Malformed input, over all Connected Apps: nothing is written for an app that has any. */
  errors: MigrationError[];
  /** Connected Apps with a weaker (or lost) policy, not written without --accept-weaker. */
  needsAcceptance: string[];
};

const REASON: Readonly<Record<AppHold['kind'], NonNullable<EcaMigrateApp['reason']>>> = {
  Malformed: 'malformed',
  DuplicateEca: 'duplicate-eca',
  EcaExists: 'eca-exists',
  WriteFailed: 'write-failed',
  FilesExist: 'files-exist',
  Weaker: 'weaker',
  UpToDate: 'up-to-date',
  Managed: 'managed',
};

const holdMessage = (hold: AppHold, eca: string): string => {
  switch (hold.kind) {
    case 'Malformed':
      return messages.getMessage('reason.malformed', [plural(hold.errors, 'error')]);
    case 'DuplicateEca':
      return messages.getMessage('reason.duplicate-eca', [eca, hold.sources.join(', ')]);
    case 'EcaExists':
      return messages.getMessage('reason.eca-exists', [eca, hold.paths.join(', ')]);
    case 'WriteFailed':
      return messages.getMessage('reason.write-failed', [hold.message]);
    case 'FilesExist':
      return messages.getMessage('reason.files-exist', [hold.paths.join(', ')]);
    case 'Weaker':
      return hold.dimensions ? messages.getMessage('reason.weaker-plan', [hold.dimensions.join(', ')]) : messages.getMessage('reason.weaker');
    case 'UpToDate':
      return messages.getMessage('reason.up-to-date');
    case 'Managed':
      return messages.getMessage('reason.managed', [hold.namespace]);
  }
};

const outcomeOf = (app: AppPlan): EcaMigrateApp => {
  const r = app.migration.report;
  const hold = app.hold;
  return {
    connectedApp: r.connectedApp,
    source: r.source,
    eca: r.eca,
    status: statusOf(hold),
    ...(hold ? { reason: REASON[hold.kind], message: holdMessage(hold, r.eca) } : {}),
    files: app.migration.files.map((f) => f.path),
    relinked: app.migration.relinks.map((x) => x.path),
    ...(app.accepted ? { accepted: app.accepted.map((a) => ({ ...a })) } : {}),
    ...(app.unusedAcceptances ? { unusedAcceptances: app.unusedAcceptances.map((a) => ({ ...a })) } : {}),
    ...(app.preflight ? { preflight: app.preflight } : {}),
    checklist: [...app.checklist],
  };
};

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
    name: Flags.string({ char: 'n', summary: messages.getMessage('flags.name.summary'), exactlyOne: ['name', 'all', 'plan'] }),
    all: Flags.boolean({ summary: messages.getMessage('flags.all.summary'), exactlyOne: ['name', 'all', 'plan'] }),
    plan: Flags.string({
      summary: messages.getMessage('flags.plan.summary'),
      description: messages.getMessage('flags.plan.description'),
      exactlyOne: ['name', 'all', 'plan'],
      exclusive: ['eca-name', 'harden', 'accept-weaker', 'relink'],
    }),
    relink: Flags.boolean({ summary: messages.getMessage('flags.relink.summary') }),
    format: Flags.option({ char: 'f', options: ['human', 'markdown'] as const, default: 'human' as const, summary: messages.getMessage('flags.format.summary') })(),
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
          acceptWeaker: flags['accept-weaker'],
          relink: flags.relink,
          ...(flags.plan !== undefined ? { planFile: flags.plan } : {}),
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
    const markdown = flags.format === 'markdown';
    const each = flags.all || flags.plan !== undefined;
    const result: EcaMigrateResult = {
      migrations: [],
      apps: [],
      files: [],
      relinks: [],
      written: false,
      dryRun,
      errors: [],
      needsAcceptance: [],
      ...(flags.plan !== undefined ? { plan: flags.plan } : {}),
    };
    if (migrations.length === 0) {
      if (!this.jsonEnabled()) this.log(markdown ? renderMigrationMarkdown([], [], dryRun) + messages.getMessage('info.nothing', [where]) : messages.getMessage('info.nothing', [where]));
      return result;
    }
    result.migrations = migrations.map((m) => m.report);
    result.errors = migrations.flatMap((m) => [...m.report.errors]);
    result.needsAcceptance = migrations.filter((m) => m.report.needsAcceptance).map((m) => m.report.connectedApp);
    const files = migrations.flatMap((m) => m.files);
    result.files = files.map((f) => ({ path: f.path, type: f.type, exists: existing.has(f.path), ...(dryRun ? { text: f.text } : {}) }));
    result.relinks = migrations.flatMap((m) => m.relinks.map((x) => ({ path: x.path, connectedApp: m.report.connectedApp, change: x.description, ...(dryRun ? { text: x.after } : {}) })));
    const style = terminalStyle();
    if (!this.jsonEnabled() && !markdown) {
      this.log(result.migrations.map((r) => renderMigration(r, style, { width: terminalWidth(), verbose: flags.verbose })).join('\n\n'));
      this.log(`\n${renderSetupRoute(style, terminalWidth())}`);
    }
    for (const a of plan.apps) {
      if (a.unusedAcceptances && a.unusedAcceptances.length > 0) {
        this.warn(messages.getMessage('info.unused-acceptance', [a.migration.report.connectedApp, a.unusedAcceptances.map((u) => u.dimension).join(', '), flags.plan ?? '']));
      }
    }
    const done = each ? this.finishAll(plan.apps, plan.commit, result, dryRun, markdown) : this.finishOne(plan.apps, plan.commit, result, dryRun, existing, flags.force, markdown);
    if (!this.jsonEnabled() && !markdown) {
      for (const a of done.apps) {
        const after = renderAfterMigration(a, style, terminalWidth());
        if (after) this.log(`\n${after}`);
      }
    }
    if (markdown && !this.jsonEnabled()) this.log(renderMigrationMarkdown(result.migrations, each ? result.apps : undefined, dryRun, done.apps));
    return done;
  }

  /** The --dry-run preview of the relink edits (a redacted unified diff). */
  private previewRelinks(apps: readonly AppPlan[]): void {
    const changes = apps.flatMap((a) => a.migration.relinks);
    if (changes.length > 0) this.log(`\n${unifiedDiff(changes).trimEnd()}`);
  }

  /** --name: one app, refused as a whole (nothing written) when it cannot be migrated as asked. */
  private finishOne(apps: readonly AppPlan[], commit: () => void, result: EcaMigrateResult, dryRun: boolean, existing: ReadonlySet<string>, force: boolean, markdown: boolean): EcaMigrateResult {
    const style = terminalStyle();
    // With --format markdown, stdout is the markdown report alone: the rest goes to stderr.
    const say = (line: string): void => (markdown ? this.logToStderr(line) : this.log(line));
    const files = apps.flatMap((a) => a.migration.files);
    const done = (): EcaMigrateResult => {
      result.apps = apps.map(outcomeOf);
      return result;
    };
    const installed = apps.find((a) => a.hold?.kind === 'Managed');
    if (installed?.hold) {
      if (!this.jsonEnabled()) this.logToStderr(`\n${messages.getMessage('error.Managed', [installed.migration.report.connectedApp, holdMessage(installed.hold, installed.migration.report.eca)])}`);
      process.exitCode = 1;
      return done();
    }
    if (result.errors.length > 0) {
      if (!this.jsonEnabled()) {
        for (const a of apps.filter((x) => x.migration.report.errors.length > 0)) this.logToStderr(messages.getMessage('error.Malformed', [a.migration.report.source]));
      }
      process.exitCode = 1;
      return done();
    }
    if (apps.some((a) => a.hold?.kind === 'Weaker')) {
      const err = messages.createError('error.Weaker', [result.needsAcceptance.join(', ')]);
      if (!this.jsonEnabled()) this.logToStderr(`\n${err.message}\n${(err.actions ?? []).map((a) => `  ${a}`).join('\n')}`);
      process.exitCode = 1;
      return done();
    }
    if (dryRun) {
      if (!this.jsonEnabled()) {
        if (!markdown) {
          for (const f of files) this.log(`\n${style.bold(`--- ${f.path}`)}\n${redactText(f.text).trimEnd()}`);
          this.previewRelinks(apps);
        }
        if (existing.size > 0 && !force) this.warn(messages.getMessage('info.exists', [[...existing].join(', ')]));
        say(`\n${messages.getMessage('info.dry-run', [plural(files.length + result.relinks.length, 'file')])}`);
      }
      if (existing.size > 0 && !force) {
        for (const a of apps) a.hold = { kind: 'FilesExist', paths: a.migration.files.filter((f) => existing.has(f.path)).map((f) => f.path) };
        process.exitCode = 1;
      }
      return done();
    }
    commit();
    result.written = true;
    if (!this.jsonEnabled()) {
      say(`\n${messages.getMessage('info.written', [plural(apps.length, 'Connected App'), plural(files.length, 'file')])}`);
      if (result.relinks.length > 0) say(messages.getMessage('info.relinked', [plural(result.relinks.length, 'file'), result.relinks.map((x) => x.path).join(', ')]));
      this.notClean(result.migrations);
    }
    return done();
  }

  /** --all: every app gets its own outcome; the files of each app that can be migrated are written (all or nothing per app). */
  private finishAll(apps: readonly AppPlan[], commit: () => void, result: EcaMigrateResult, dryRun: boolean, markdown: boolean): EcaMigrateResult {
    const style = terminalStyle();
    const say = (line: string): void => (markdown ? this.logToStderr(line) : this.log(line));
    const ready = apps.filter((a) => !a.hold);
    if (dryRun) {
      if (!this.jsonEnabled() && !markdown) {
        for (const f of ready.flatMap((a) => a.migration.files)) this.log(`\n${style.bold(`--- ${f.path}`)}\n${redactText(f.text).trimEnd()}`);
        this.previewRelinks(ready);
      }
    } else {
      commit();
    }
    const migrated = apps.filter((a) => !a.hold);
    result.apps = apps.map(outcomeOf);
    result.written = !dryRun && migrated.length > 0;
    const count = plural(migrated.flatMap((a) => a.migration.files).length, 'file');
    if (!this.jsonEnabled()) {
      if (!markdown) this.log(`\n${renderAppOutcomes(result.apps, dryRun, style)}`);
      say(`\n${messages.getMessage(dryRun ? 'info.dry-run-all' : 'info.written-all', [plural(migrated.length, 'Connected App'), String(apps.length), count])}`);
      const relinked = migrated.flatMap((a) => a.migration.relinks.map((x) => x.path));
      if (relinked.length > 0 && !dryRun) say(messages.getMessage('info.relinked', [plural(relinked.length, 'file'), relinked.join(', ')]));
      if (!dryRun) this.notClean(migrated.map((a) => a.migration.report));
    }
    const act = apps.filter((a) => needsAction(a.hold));
    if (act.length > 0) {
      if (!this.jsonEnabled()) this.logToStderr(messages.getMessage('error.NotAllMigrated', [act.map((a) => `${a.migration.report.connectedApp} (${statusOf(a.hold)})`).join(', ')]));
      process.exitCode = 1;
    }
    return result;
  }

  private notClean(reports: readonly MigrationReport[]): void {
    for (const r of reports) {
      const open = r.findings.filter((f) => !f.waived);
      if (open.length > 0) this.info(messages.getMessage('info.not-clean', [r.eca, plural(open.length, 'finding')]));
    }
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
    case 'PlanNotFound':
      return messages.createError('error.PlanNotFound', [r.path], [], CONFIG_EXIT_CODE);
    case 'PlanNotJson':
      return messages.createError('error.PlanNotJson', [`${r.path}${r.where}`, r.message], [], CONFIG_EXIT_CODE);
    case 'InvalidPlan':
      return messages.createError('error.InvalidPlan', [r.path, r.issues.map((i) => `  ${i.key}: ${i.message}`).join('\n')], [], CONFIG_EXIT_CODE);
  }
};
