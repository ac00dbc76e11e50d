/*
 * `eca migrate`: the Connected Apps to migrate (from the project, or from the org with --target-org),
 * their migrations (pure, in src/core/migrate), the refusals that come before any report (names in
 * use, files in the way), and the commit of the new files through the change pipeline.
 */
import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Org } from '@salesforce/core';
import { loadConfig } from '../adapters/config.js';
import { Refused } from './refused.js';
import { decodeMetadataBytes, isDecodeProblem } from '../adapters/decode.js';
import { displayPath, loadInventory, packageDirOf, resolveProject, type ProjectContext } from '../adapters/project.js';
import type { Timing } from '../adapters/org.js';
import type { EcaConfig } from '../core/rules/config.js';
import { commitChanges, type CommitOptions } from '../adapters/write.js';
import { creations, type FileChange, union } from '../core/change/plan.js';
import { defaultBaseDir, MIN_API_VERSION, migrateConnectedApp } from '../core/migrate/migrate.js';
import { type MigrationPlan, parsePlan, PlanError, type PlanAcceptance, type PlanIssue } from '../core/migrate/planFile.js';
import { mayReference, relinkText } from '../core/migrate/references.js';
import { type MigrationPreflight, postMigrationChecklist } from '../core/migrate/checklist.js';
import { evaluateUsage } from '../core/usage/evaluate.js';
import type { ConnectedAppInput, Migration, PolicyDimension, ProjectFile } from '../core/migrate/types.js';
import { classifyFileName, isProblem, MetadataFile } from '../core/model/file.js';
import { MAX_XML_CHARS } from '../core/xml/parse.js';
import { ECA_FILE_KINDS, type Inventory } from '../core/project/inventory.js';
import { parseApiVersion, ruleContextOf } from '../cli/check.js';
import { orgLabel } from '../cli/org.js';

export type MigrateRequest = {
  readonly name?: string;
  readonly all: boolean;
  readonly ecaName?: string;
  readonly outputDir?: string;
  readonly harden: boolean;
  readonly force: boolean;
  readonly dryRun: boolean;
  /** --accept-weaker: a weaker policy does not hold an app back. */
  readonly acceptWeaker: boolean;
  /** --relink: edit the project files that name the Connected App, where the Metadata API can express it. */
  readonly relink: boolean;
  /** --plan: the migration plan file (which apps, ECA names, harden, relink, accepted weaker policies). */
  readonly planFile?: string;
  readonly 'source-dir'?: string[];
  readonly config?: string;
  readonly apiVersion?: string;
  readonly org?: Org;
  readonly timing: Timing;
};

/** Why a migration cannot even be reported: the caller turns these into the command's messages. */
export type MigrateRefusal =
  | { readonly kind: 'ApiVersionTooLow'; readonly version: string }
  | { readonly kind: 'NotFound'; readonly name: string; readonly where: string; readonly known: readonly string[] }
  | { readonly kind: 'DuplicateEca'; readonly eca: string; readonly sources: readonly string[] }
  | { readonly kind: 'EcaExists'; readonly eca: string; readonly paths: readonly string[] }
  | { readonly kind: 'FilesExist'; readonly paths: readonly string[] }
  | { readonly kind: 'PlanNotFound'; readonly path: string }
  | { readonly kind: 'PlanNotJson'; readonly path: string; readonly where: string; readonly message: string }
  | { readonly kind: 'InvalidPlan'; readonly path: string; readonly issues: readonly PlanIssue[] };

export class MigrateRefused extends Refused<MigrateRefusal> {}

/**
 * Why one Connected App is not migrated (with --all, each app gets its own; --name refuses as before).
 * failed: the input or the names must be corrected. skipped: the migration is sound but not written
 * without a flag (files in the way, a weaker policy), or there is nothing to write (up to date).
 */
export type AppHold =
  | { readonly kind: 'Malformed'; readonly errors: number }
  | { readonly kind: 'DuplicateEca'; readonly sources: readonly string[] }
  | { readonly kind: 'EcaExists'; readonly paths: readonly string[] }
  | { readonly kind: 'WriteFailed'; readonly message: string }
  | { readonly kind: 'FilesExist'; readonly paths: readonly string[] }
  | { readonly kind: 'Weaker'; readonly dimensions?: readonly PolicyDimension[] }
  | { readonly kind: 'UpToDate' }
  | { readonly kind: 'Managed'; readonly namespace: string };

export type AppStatus = 'migrated' | 'skipped' | 'failed';

const STATUS_OF: Readonly<Record<AppHold['kind'], AppStatus>> = {
  Malformed: 'failed',
  DuplicateEca: 'failed',
  EcaExists: 'failed',
  WriteFailed: 'failed',
  FilesExist: 'skipped',
  Weaker: 'skipped',
  UpToDate: 'skipped',
  Managed: 'skipped',
};

export const statusOf = (hold: AppHold | undefined): AppStatus => (hold ? STATUS_OF[hold.kind] : 'migrated');

/** Whether the user must act on an app's outcome (the command exits 1): every failure and skip but UpToDate. */
export const needsAction = (hold: AppHold | undefined): boolean => hold !== undefined && hold.kind !== 'UpToDate';

export type AppPlan = {
  readonly migration: Migration;
  /** With --plan: the weaker policies the plan accepts for this app and the migration needs (each with its reason). */
  readonly accepted?: readonly PlanAcceptance[];
  /** With --plan: accepted in the plan, but not weaker in this migration (the plan may be out of date). */
  readonly unusedAcceptances?: readonly PlanAcceptance[];
  /** Undefined: the app is migrated (with --dry-run: would be). */
  hold: AppHold | undefined;
  /** With --target-org: what the org knows of the Connected App before it is migrated. */
  readonly preflight?: MigrationPreflight;
  /** What people must still do once the ECA exists. */
  readonly checklist: readonly string[];
};

export type MigratePlan = {
  readonly migrations: readonly Migration[];
  /** One per migration, in the same order. */
  readonly apps: readonly AppPlan[];
  /** Where the Connected Apps came from, for people. */
  readonly where: string;
  /** Paths of the migration's files that exist already. */
  readonly existing: ReadonlySet<string>;
  /** The plan file, as given (with --plan). */
  readonly planFile?: string;
  /**
   * Writes the files of every app without a hold, one commit (all or nothing) per app. With --all, an
   * app whose commit fails gets a WriteFailed hold and the others are still written; with --name the
   * error is thrown, as before.
   */
  readonly commit: () => void;
};

/** A Connected App of the project to migrate: readable, or a file that could not be read (its input reports why). */
type Step = <T>(label: string, work: () => Promise<T>) => Promise<T>;

type Candidate = {
  readonly name: string;
  readonly input: ConnectedAppInput;
  readonly packageDir: string | undefined;
  /** From the org: installed from a managed package (its namespace). */
  readonly managedBy?: string;
};

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
      // Malformed XML is still valid UTF-8 (the reader decoded it before it parsed it).
      const decoded = decodeMetadataBytes(readFileSync(abs));
      return { name: nameOf(p.path), input: { path: p.path, text: isDecodeProblem(decoded) ? '' : decoded.text }, packageDir: packageDirOf(project, abs) };
    });
  return [...readable, ...unreadable].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
};

/**
 * The Connected Apps of an org (one listMetadata, one retrieve), as if they sat in the default package
 * directory; their paths say where they came from (org:connectedApps/<Name>.connectedApp).
 */
const connectedAppsOfOrg = async (org: Org, project: ProjectContext, name: string | undefined, timing: Timing, step: Step): Promise<Candidate[]> => {
  const { listComponents, retrieveComponents } = await import('../adapters/org.js');
  const conn = org.getConnection();
  const { listed, files } = await step('Retrieving the Connected Apps of the org', async () => {
    const found = (await listComponents(conn, ['ConnectedApp'], timing.waitMs)).filter((c) => name === undefined || c.fullName === name);
    return { listed: found, files: await retrieveComponents(conn, found, timing) };
  });
  const pkg = project.packageDirs.find((p) => p.default) ?? project.packageDirs[0];
  const managedBy = (n: string): string | undefined => {
    const c = listed.find((l) => l.fullName === n);
    return c && c.manageableState !== undefined && c.manageableState !== 'unmanaged' ? (c.namespacePrefix ?? 'a managed package') : undefined;
  };
  return files
    .map((f) => {
      const n = nameOf(f.path);
      const by = managedBy(n);
      return { name: n, input: { path: `org:${f.path}`, text: f.text }, packageDir: pkg?.fullPath, ...(by ? { managedBy: by } : {}) };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
};

/**
 * The pre-flight of the Connected Apps to migrate, in their order: from the org's OauthToken, LoginHistory and
 * SetupEntityAccess (the queries of audit --usage, the Connected Apps' grants included), matched by the Connected
 * App's name or label. An object the org does not let us read leaves its figures unknown (named in `unknown`).
 */
const preflightOf = async (org: Org, candidates: readonly Candidate[], config: EcaConfig, today: string, timing: Timing, step: Step): Promise<MigrationPreflight[]> => {
  const { readUsage } = await import('../adapters/usage.js');
  const read = await step('Pre-flight: reading how the Connected Apps are used (OauthToken, LoginHistory, SetupEntityAccess)', () =>
    readUsage(org.getConnection(), { ...timing, loginDays: config.usage.loginDays, connectedAppGrants: true })
  );
  const usage = evaluateUsage(read.figures, config, { today, connectedAppGrants: true, only: [] });
  const key = (s: string | undefined): string => (s ?? '').trim().toLowerCase();
  return candidates.map((c): MigrationPreflight => {
    const file = MetadataFile.read(c.input.path.replace(/^org:/, ''), c.input.text);
    const label = isProblem(file) ? undefined : file.value('label');
    const u = usage.connectedApps.find((x) => key(x.name) === key(c.name) || (label !== undefined && key(x.name) === key(label)));
    return {
      found: u !== undefined,
      managed: c.managedBy !== undefined,
      ...(c.managedBy ? { namespacePrefix: c.managedBy } : {}),
      ...(u?.tokens !== undefined ? { tokens: u.tokens, users: u.users ?? 0, ...(u.lastUsed ? { lastUsed: u.lastUsed } : {}) } : {}),
      ...(u?.usernamePasswordLogins !== undefined
        ? { usernamePasswordLogins: u.usernamePasswordLogins, usernamePasswordUsers: u.usernamePasswordUsers ?? 0, ...(u.lastUsernamePasswordLogin ? { lastUsernamePasswordLogin: u.lastUsernamePasswordLogin } : {}) }
        : {}),
      ...(u?.permissionSets !== undefined ? { permissionSets: [...u.permissionSets], profiles: [...(u.profiles ?? [])] } : {}),
      unknown: [...read.figures.unknown],
      loginDays: config.usage.loginDays,
    };
  });
};

/** Files that may name a Connected App, besides ECA and Connected App files (source and metadata format). */
const REFERENCE_FILE = /(-meta\.xml|\.(customPermission|oauthcustomscope|oauthtokenexchangehandler|config|userProvisioningConfig|EmbeddedServiceConfig))$/;
const SKIPPED = new Set(['node_modules', '.git', '.sf', '.sfdx']);

/**
 * The project's other metadata files that name a Connected App (<connectedApp>, <connectedAppName>): custom scopes,
 * token-exchange handlers, custom permissions, user provisioning, embedded messaging, notification delivery settings,
 * anything else. Read once, from every scan root; files .forceignore's default patterns skip are not entered.
 */
const referenceFilesOf = (project: ProjectContext): ProjectFile[] => {
  const out = new Map<string, ProjectFile>();
  const walk = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // an unreadable folder: loadInventory reports it
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || SKIPPED.has(e.name)) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (project.forceIgnore.decide(full, true) !== 'skip') walk(full);
      } else if (e.isFile() && REFERENCE_FILE.test(e.name) && !classifyFileName(e.name)) {
        try {
          if (statSync(full).size > MAX_XML_CHARS) continue;
          const decoded = decodeMetadataBytes(readFileSync(full));
          if (isDecodeProblem(decoded) || !mayReference(decoded.text)) continue;
          const path = displayPath(project, full);
          if (!out.has(path)) out.set(path, { path, text: decoded.text });
        } catch {
          // unreadable: not a reference this command can use
        }
      }
    }
  };
  for (const root of project.scanRoots) walk(root);
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
};

/** Reads and validates the plan file; refuses (MigrateRefused, exit 2 in the command) naming the file. */
const readPlan = (project: ProjectContext, file: string): MigrationPlan => {
  const abs = resolve(project.cwd, file);
  const path = displayPath(project, abs);
  if (!existsSync(abs)) throw new MigrateRefused({ kind: 'PlanNotFound', path });
  const text = readFileSync(abs, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
    const m = /position (\d+)/.exec(message);
    let where = '';
    if (m) {
      const before = text.slice(0, Number(m[1]));
      where = `:${before.split('\n').length}:${Number(m[1]) - before.lastIndexOf('\n')}`;
    }
    throw new MigrateRefused({ kind: 'PlanNotJson', path, where, message });
  }
  try {
    return parsePlan(value);
  } catch (e) {
    if (e instanceof PlanError) throw new MigrateRefused({ kind: 'InvalidPlan', path, issues: e.issues });
    throw e;
  }
};

/** Two migrations into one ECA, and an ECA name the project uses for other files: the hold of each app concerned. */
const nameHolds = (migrations: readonly Migration[], inventory: Inventory, project: ProjectContext): Map<Migration, AppHold> => {
  const holds = new Map<Migration, AppHold>();
  const byEca = new Map<string, Migration[]>();
  for (const m of migrations) byEca.set(m.report.eca, [...(byEca.get(m.report.eca) ?? []), m]);
  for (const group of byEca.values()) {
    if (group.length > 1) for (const m of group) holds.set(m, { kind: 'DuplicateEca', sources: group.map((x) => x.report.source) });
  }
  for (const m of migrations) {
    if (holds.has(m)) continue;
    const app = inventory.apps.find((a) => a.name === m.report.eca);
    if (!app) continue;
    const ours = new Set(m.files.map((f) => f.path));
    const others = ECA_FILE_KINDS.flatMap((k) => app.files[k].map((f) => f.path)).filter((p) => !ours.has(p));
    // Files at the paths this migration writes are held back below (or replaced with --force).
    if (others.length > 0) holds.set(m, { kind: 'EcaExists', paths: others.map((p) => displayPath(project, resolve(project.cwd, p))) });
  }
  return holds;
};

/** Refuses two migrations into one ECA, and an ECA name the project uses for other files (--name). */
const checkNames = (migrations: readonly Migration[], inventory: Inventory, project: ProjectContext): void => {
  for (const [m, hold] of nameHolds(migrations, inventory, project)) {
    if (hold.kind === 'DuplicateEca') throw new MigrateRefused({ kind: 'DuplicateEca', eca: m.report.eca, sources: hold.sources });
    if (hold.kind === 'EcaExists') throw new MigrateRefused({ kind: 'EcaExists', eca: m.report.eca, paths: hold.paths });
  }
};

/** Whether the file at a path holds exactly the text planned for it. */
const sameText = (abs: string, text: string): boolean => {
  try {
    return readFileSync(abs, 'utf8') === text;
  } catch {
    return false;
  }
};

/** Plans the migrations; refuses (MigrateRefused) before any report when they could not be written. */
export const planMigration = async (request: MigrateRequest, step: Step): Promise<MigratePlan> => {
  const cwd = process.cwd();
  const project = await resolveProject(cwd, request['source-dir']);
  const { config } = loadConfig(project, request.config);
  const apiVersion = parseApiVersion(request.apiVersion ?? project.sourceApiVersion);
  if (apiVersion !== undefined && apiVersion < MIN_API_VERSION) throw new MigrateRefused({ kind: 'ApiVersionTooLow', version: apiVersion.toFixed(1) });
  const plan = request.planFile !== undefined ? readPlan(project, request.planFile) : undefined;
  const inventory = loadInventory(project);
  const { org } = request;
  // With a plan, every app gets its own outcome, as with --all.
  const each = request.all || plan !== undefined;
  const all = org ? await connectedAppsOfOrg(org, project, each ? undefined : request.name, request.timing, step) : connectedAppsOfProject(project, inventory);
  const where = org ? `the org ${orgLabel(org)}` : project.scanRoots.map((r) => displayPath(project, r)).join(', ');
  type Selected = { readonly c: Candidate; readonly ecaName?: string; readonly harden: boolean; readonly relink: boolean; readonly accept?: readonly PlanAcceptance[] };
  let selected: Selected[];
  if (plan) {
    const missing = plan.apps.filter((a) => !all.some((c) => c.name === a.connectedApp)).map((a) => a.connectedApp);
    if (missing.length > 0) throw new MigrateRefused({ kind: 'NotFound', name: missing.join(', '), where, known: all.map((c) => c.name) });
    selected = plan.apps.map((a) => ({
      c: all.find((c) => c.name === a.connectedApp) as Candidate,
      ...(a.eca !== undefined ? { ecaName: a.eca } : {}),
      harden: a.harden,
      relink: a.relink,
      accept: a.acceptWeaker,
    }));
  } else {
    selected = (request.all ? all : all.filter((c) => c.name === request.name)).map((c) => ({
      c,
      ...(request.ecaName !== undefined ? { ecaName: request.ecaName } : {}),
      harden: request.harden,
      relink: request.relink,
    }));
    if (!request.all && selected.length === 0) throw new MigrateRefused({ kind: 'NotFound', name: request.name ?? '', where, known: all.map((c) => c.name) });
  }
  const ruleContext = ruleContextOf(apiVersion, config, project.packageDirs);
  const outputDir = request.outputDir !== undefined ? displayPath(project, resolve(cwd, request.outputDir)) : undefined;
  const references = referenceFilesOf(project);
  const accepts = new Map<Migration, readonly PlanAcceptance[]>();
  const migrations: Migration[] = selected.map(({ c, ecaName, harden, relink, accept }) => {
    const pkg = c.packageDir !== undefined ? displayPath(project, c.packageDir) : undefined;
    const baseDir = outputDir ?? (c.input.path.startsWith('org:') && pkg !== undefined ? `${pkg}/main/default` : defaultBaseDir(c.input.path, pkg));
    const m = migrateConnectedApp(c.input, {
      ...(ecaName !== undefined ? { ecaName } : {}),
      apiVersion,
      baseDir,
      packageDir: packageDirOf(project, resolve(cwd, baseDir === '' ? '.' : baseDir)),
      harden,
      ruleContext,
      references,
      relink,
    });
    if (accept) accepts.set(m, accept);
    return m;
  });
  const files = migrations.flatMap((m) => m.files);
  const existing = new Set(files.filter((f) => existsSync(resolve(cwd, f.path))).map((f) => f.path));
  const options: CommitOptions = { cwd, root: project.root, overwrite: request.force };
  const weaker = (m: Migration): AppHold | undefined => {
    if (!m.report.needsAcceptance || request.acceptWeaker) return undefined;
    const accepted = accepts.get(m);
    if (!accepted) return { kind: 'Weaker' };
    const open = [...new Set(m.report.policies.filter((p) => p.blocking && !accepted.some((a) => a.dimension === p.dimension)).map((p) => p.dimension))];
    return open.length > 0 ? { kind: 'Weaker', dimensions: open } : undefined;
  };
  /** The plan's acceptances this migration uses, and the ones it does not (no blocking change of that dimension). */
  const acceptance = (m: Migration): Pick<AppPlan, 'accepted' | 'unusedAcceptances'> => {
    const accepted = accepts.get(m);
    if (!accepted) return {};
    const blocking = new Set(m.report.policies.filter((p) => p.blocking).map((p) => p.dimension));
    return { accepted: accepted.filter((a) => blocking.has(a.dimension)), unusedAcceptances: accepted.filter((a) => !blocking.has(a.dimension)) };
  };
  // With the org: the pre-flight (how the Connected Apps are used) and, for each app, what is left to do.
  const preflights = org ? await preflightOf(org, selected.map((x) => x.c), config, ruleContext.today, request.timing, step) : undefined;
  const managed = (m: Migration): AppHold | undefined => {
    const by = selected[migrations.indexOf(m)]?.c.managedBy;
    return by ? { kind: 'Managed', namespace: by } : undefined;
  };
  let drafts: Array<Omit<AppPlan, 'checklist'>>;
  if (!each) {
    // One app (--name): refused before any report when it could not be written, as always.
    const malformed = migrations.some((m) => m.report.errors.length > 0);
    if (!malformed) checkNames(migrations, inventory, project);
    if (existing.size > 0 && !request.force && !request.dryRun && !malformed) throw new MigrateRefused({ kind: 'FilesExist', paths: [...existing] });
    drafts = migrations.map((m) => ({ migration: m, hold: managed(m) ?? (m.report.errors.length > 0 ? { kind: 'Malformed', errors: m.report.errors.length } : weaker(m)) }));
  } else {
    // Every app (--all): each gets its own outcome; one that cannot be migrated holds back only itself.
    const names = nameHolds(migrations.filter((m) => m.report.errors.length === 0), inventory, project);
    drafts = migrations.map((m): Omit<AppPlan, 'checklist'> => {
      const installed = managed(m);
      if (installed) return { migration: m, hold: installed };
      if (m.report.errors.length > 0) return { migration: m, hold: { kind: 'Malformed', errors: m.report.errors.length } };
      const named = names.get(m);
      if (named) return { migration: m, hold: named };
      const inTheWay = m.files.filter((f) => existing.has(f.path));
      if (inTheWay.length > 0 && !request.force) {
        const upToDate = inTheWay.length === m.files.length && m.relinks.length === 0 && m.files.every((f) => sameText(resolve(cwd, f.path), f.text));
        return { migration: m, ...acceptance(m), hold: upToDate ? { kind: 'UpToDate' } : { kind: 'FilesExist', paths: inTheWay.map((f) => f.path) } };
      }
      return { migration: m, ...acceptance(m), hold: weaker(m) };
    });
  }
  const apps: AppPlan[] = drafts.map((d, i) => {
    const preflight = preflights?.[i];
    return { ...d, ...(preflight ? { preflight } : {}), checklist: postMigrationChecklist(d.migration.report, preflight) };
  });
  /**
   * The relink edits of one app, planned again on the files as they are now: an earlier app of the same run may
   * have edited the same file (a NotificationTypeConfig naming two Connected Apps).
   */
  const relinkChanges = (m: Migration): FileChange[] =>
    m.relinks.flatMap((r) => {
      const before = readFileSync(resolve(cwd, r.path), 'utf8');
      const after = relinkText(before, m.report.connectedApp, m.report.eca);
      return after === before ? [] : [{ path: r.path, before, after, applied: [{ label: 'migrate --relink', description: r.description }] }];
    });
  const commit = (): void => {
    for (const app of apps) {
      if (app.hold) continue;
      try {
        commitChanges(union(creations(app.migration.files, 'migrate'), { changes: relinkChanges(app.migration), deferred: [] }), options);
      } catch (e) {
        if (!each || !(e instanceof Error)) throw e;
        app.hold = { kind: 'WriteFailed', message: e.message };
      }
    }
  };
  return { migrations, apps, where, existing, commit, ...(request.planFile !== undefined ? { planFile: request.planFile } : {}) };
};
