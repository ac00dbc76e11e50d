import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Flags, SfCommand, toHelpSection } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { createFiles } from '../../adapters/write.js';
import { CONFIG_EXIT_CODE, loadConfig } from '../../adapters/config.js';
import { displayPath, loadInventory, packageDirOf, resolveProject, type ProjectContext } from '../../adapters/project.js';
import { apiNameProblem } from '../../core/authoring/render.js';
import { defaultBaseDir, MIN_API_VERSION, migrateConnectedApp } from '../../core/migrate/migrate.js';
import type { ConnectedAppInput, Migration, MigrationError, MigrationReport } from '../../core/migrate/types.js';
import { ECA_FILE_KINDS, type Inventory } from '../../core/project/inventory.js';
import type { RuleContext } from '../../core/rules/types.js';
import { parseApiVersion, ruleContextOf } from '../../cli/check.js';
import { sourceDirFlag } from '../../cli/flags.js';
import { orgFlags, timingOf, withOrg } from '../../cli/org.js';
import type { Timing } from '../../adapters/org.js';
import type { Org } from '@salesforce/core';
import { terminalStyle } from '../../cli/style.js';
import { renderMigration } from '../../render/migrate.js';

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

/** A Connected App of the project to migrate: readable, or a file that could not be read (its input reports why). */
type Candidate = { readonly name: string; readonly input: ConnectedAppInput; readonly packageDir: string | undefined };

const CONNECTED_APP_FILE = /\.connectedApp(-meta\.xml)?$/;
const nameOf = (path: string): string => (path.slice(path.lastIndexOf('/') + 1)).replace(CONNECTED_APP_FILE, '');

/**
 * The Connected Apps of the project, unreadable ones included (their migration reports the fault).
 * `--target-org` would add a second source here: Connected Apps retrieved from the org, as
 * ConnectedAppInput, with no change below.
 */
const connectedAppsOfProject = (project: ProjectContext, inventory: Inventory): Candidate[] => {
  const readable: Candidate[] = inventory.connectedApps.map((c) => ({ name: c.name, input: { path: c.file.path, text: c.file.source }, packageDir: c.packageDir }));
  const unreadable: Candidate[] = inventory.problems
    .filter((p) => CONNECTED_APP_FILE.test(p.path) && (p.code === 'MalformedXml' || p.code === 'ForeignXml'))
    .map((p) => {
      const abs = resolve(project.cwd, p.path);
      return { name: nameOf(p.path), input: { path: p.path, text: readFileSync(abs, 'utf8') }, packageDir: packageDirOf(project, abs) };
    });
  return [...readable, ...unreadable].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
};

/**
 * The Connected Apps of an org (one listMetadata, one retrieve), as if they sat in the default package
 * directory; their paths say where they came from (org:connectedApps/<Name>.connectedApp).
 */
const connectedAppsOfOrg = async (cmd: EcaMigrate, org: Org, project: ProjectContext, name: string | undefined, timing: Timing): Promise<Candidate[]> => {
  const { listComponents, retrieveComponents } = await import('../../adapters/org.js');
  const conn = org.getConnection();
  const files = await withOrg(cmd, 'Retrieving the Connected Apps of the org', async () => {
    const listed = (await listComponents(conn, ['ConnectedApp'], timing.waitMs)).filter((c) => name === undefined || c.fullName === name);
    return retrieveComponents(conn, listed, timing);
  });
  const pkg = project.packageDirs.find((p) => p.default) ?? project.packageDirs[0];
  return files
    .map((f) => ({ name: nameOf(f.path), input: { path: `org:${f.path}`, text: f.text }, packageDir: pkg?.fullPath }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
};

export default class EcaMigrate extends SfCommand<EcaMigrateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = toHelpSection('ERROR CODES', {
    '0': messages.getMessage('error-codes.ok'),
    '1': messages.getMessage('error-codes.refused'),
    '2': messages.getMessage('error-codes.usage'),
  });

  public static readonly flags = {
    name: Flags.string({ char: 'n', summary: messages.getMessage('flags.name.summary'), exactlyOne: ['name', 'all'] }),
    all: Flags.boolean({ summary: messages.getMessage('flags.all.summary'), exactlyOne: ['name', 'all'] }),
    'eca-name': Flags.string({ summary: messages.getMessage('flags.eca-name.summary') }),
    'output-dir': Flags.directory({ summary: messages.getMessage('flags.output-dir.summary') }),
    harden: Flags.boolean({ summary: messages.getMessage('flags.harden.summary') }),
    'accept-weaker': Flags.boolean({ summary: messages.getMessage('flags.accept-weaker.summary') }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary') }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary') }),
    'source-dir': sourceDirFlag,
    config: Flags.file({ char: 'c', exists: true, summary: messages.getMessage('flags.config.summary') }),
    'api-version': Flags.string({ summary: messages.getMessage('flags.api-version.summary') }),
    'target-org': Flags.optionalOrg({ summary: messages.getMessage('flags.target-org.summary') }),
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
    const cwd = process.cwd();
    const project = await resolveProject(cwd, flags['source-dir']);
    const { config } = loadConfig(project, flags.config);
    const apiVersion = parseApiVersion(flags['api-version'] ?? project.sourceApiVersion);
    if (apiVersion !== undefined && apiVersion < MIN_API_VERSION) {
      throw messages.createError('error.ApiVersionTooLow', [apiVersion.toFixed(1)], [], CONFIG_EXIT_CODE);
    }
    const inventory = loadInventory(project);
    const org = flags['target-org'];
    const all = org ? await connectedAppsOfOrg(this, org, project, flags.all ? undefined : flags.name, timingOf(flags)) : connectedAppsOfProject(project, inventory);
    const where = org ? `the org ${org.getUsername() ?? org.getOrgId()}` : project.scanRoots.map((r) => displayPath(project, r)).join(', ');
    const selected = flags.all ? all : all.filter((c) => c.name === flags.name);
    if (!flags.all && selected.length === 0) {
      throw messages.createError('error.NotFound', [flags.name ?? '', where], [all.length > 0 ? all.map((c) => c.name).join(', ') : 'none']);
    }
    const dryRun = flags['dry-run'];
    const result: EcaMigrateResult = { migrations: [], files: [], written: false, dryRun, errors: [], needsAcceptance: [] };
    if (selected.length === 0) {
      if (!this.jsonEnabled()) this.log(messages.getMessage('info.nothing', [where]));
      return result;
    }

    const ruleContext: RuleContext = ruleContextOf(apiVersion, config, project.packageDirs);
    const outputDir = flags['output-dir'] !== undefined ? displayPath(project, resolve(cwd, flags['output-dir'])) : undefined;
    const migrations: Migration[] = selected.map((c) => {
      const pkg = c.packageDir !== undefined ? displayPath(project, c.packageDir) : undefined;
      const baseDir = outputDir ?? (c.input.path.startsWith('org:') && pkg !== undefined ? `${pkg}/main/default` : defaultBaseDir(c.input.path, pkg));
      return migrateConnectedApp(c.input, {
        ...(flags['eca-name'] !== undefined ? { ecaName: flags['eca-name'] } : {}),
        apiVersion,
        baseDir,
        packageDir: packageDirOf(project, resolve(cwd, baseDir === '' ? '.' : baseDir)),
        harden: flags.harden,
        ruleContext,
      });
    });
    result.migrations = migrations.map((m) => m.report);
    result.errors = migrations.flatMap((m) => [...m.report.errors]);
    result.needsAcceptance = migrations.filter((m) => m.report.needsAcceptance).map((m) => m.report.connectedApp);
    const files = migrations.flatMap((m) => m.files);
    result.files = files.map((f) => ({ path: f.path, type: f.type, exists: existsSync(resolve(cwd, f.path)), ...(dryRun ? { text: f.text } : {}) }));

    const style = terminalStyle();
    if (!this.jsonEnabled()) this.log(result.migrations.map((r) => renderMigration(r, style)).join('\n\n'));

    // Refusals: nothing is written when any Connected App cannot be migrated as asked.
    if (result.errors.length > 0) {
      if (!this.jsonEnabled()) {
        for (const m of migrations.filter((x) => x.report.errors.length > 0)) this.logToStderr(messages.getMessage('error.Malformed', [m.report.source]));
      }
      process.exitCode = 1;
      return result;
    }
    this.checkNames(migrations, inventory, project);
    if (result.needsAcceptance.length > 0 && !flags['accept-weaker']) {
      const err = messages.createError('error.Weaker', [result.needsAcceptance.join(', ')]);
      if (!this.jsonEnabled()) this.logToStderr(`\n${err.message}\n${(err.actions ?? []).map((a) => `  ${a}`).join('\n')}`);
      process.exitCode = 1;
      return result;
    }
    const existing = result.files.filter((f) => f.exists).map((f) => f.path);
    if (dryRun) {
      if (!this.jsonEnabled()) {
        for (const f of files) this.log(`\n${style.bold(`--- ${f.path}`)}\n${f.text.trimEnd()}`);
        if (existing.length > 0 && !flags.force) this.warn(messages.getMessage('info.exists', [existing.join(', ')]));
        this.log(`\n${messages.getMessage('info.dry-run', [plural(files.length, 'file')])}`);
      }
      if (existing.length > 0 && !flags.force) process.exitCode = 1;
      return result;
    }
    createFiles(cwd, files.map((f) => ({ path: f.path, text: f.text })), flags.force);
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

  /** Refuses two migrations into one ECA, and an ECA name the project uses for other files. */
  private checkNames(migrations: readonly Migration[], inventory: Inventory, project: ProjectContext): void {
    const byEca = new Map<string, string[]>();
    for (const m of migrations) byEca.set(m.report.eca, [...(byEca.get(m.report.eca) ?? []), m.report.source]);
    for (const [eca, sources] of byEca) {
      if (sources.length > 1) throw messages.createError('error.DuplicateEca', [eca, sources.join(', ')]);
    }
    for (const m of migrations) {
      const app = inventory.apps.find((a) => a.name === m.report.eca);
      if (!app) continue;
      const ours = new Set(m.files.map((f) => f.path));
      const others = ECA_FILE_KINDS.flatMap((k) => app.files[k].map((f) => f.path)).filter((p) => !ours.has(p));
      // Files at the paths this migration writes are refused (or replaced with --force) by createFiles.
      if (others.length > 0) throw messages.createError('error.EcaExists', [m.report.eca, others.map((p) => displayPath(project, resolve(project.cwd, p))).join(', ')]);
    }
  }
}
