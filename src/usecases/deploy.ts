/*
 * `eca deploy`, the planning half: which apps and files a deploy sends (--name and --source-dir choose;
 * .forceignore and --include-global-settings leave files out), which error findings block it (those of
 * the apps deployed, and any unreadable file when everything is deployed), and what people must be told.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Connection } from '@salesforce/core';
import type { DeployOutcome, Timing } from '../adapters/org.js';
import type { ProjectContext } from '../adapters/project.js';
import { planEdits, type PlannedFix } from '../core/change/plan.js';
import { MetadataFile } from '../core/model/file.js';
import { appFiles, buildInventory, type EcaApp, ECA_FILE_KINDS, fileOf, type Inventory } from '../core/project/inventory.js';
import { filesByPath } from '../core/rules/fix.js';
import { droppedLists, keptFromOrg, nameMismatches, type NameMismatch, type OrgRecordName, type ReadBack, readBack as readBackOf, recordNamesOf, withoutNamespace } from '../core/sync/records.js';

export type { ReadBack, ReadBackDifference } from '../core/sync/records.js';
import { selectedApps } from '../core/project/scope.js';
import { runCheck } from '../core/rules/engine.js';
import type { Finding, RuleContext } from '../core/rules/types.js';
import { Refused } from './refused.js';

export type DeployNote =
  | { readonly key: 'warning.globalLeftOut'; readonly args: readonly [string] }
  | { readonly key: 'warning.forceignored'; readonly args: readonly [string] }
  | { readonly key: 'warning.otherOrg'; readonly args: readonly [string, string, string, string] };

export type DeployPlan = {
  readonly apps: readonly EcaApp[];
  /** Display paths of the files to send. */
  readonly files: readonly string[];
  /** Error findings that block the deploy (unless --ignore-findings). */
  readonly blocking: readonly Finding[];
  readonly notes: readonly DeployNote[];
};

export class NothingToDeploy extends Refused<{ readonly kind: 'NothingToDeploy'; readonly why: string }> {}

/** The org id part of oauthLink (<OrgId>:<ConsumerId>) or orgScopedExternalApp (<OrgId>:<AppName>). */
const orgIdOf = (value: string | undefined): string | undefined => value?.split(':')[0]?.slice(0, 15);

export const planDeploy = (
  inventory: Inventory,
  context: RuleContext,
  options: { readonly names?: readonly string[]; readonly includeGlobalSettings: boolean; readonly targetOrgId: string }
): DeployPlan => {
  const { names } = options;
  const apps: EcaApp[] = names ? inventory.apps.filter((a) => names.includes(a.name)) : selectedApps(inventory);
  const unknown = (names ?? []).filter((n) => !inventory.apps.some((a) => a.name === n));
  if (unknown.length > 0 || apps.length === 0) {
    throw new NothingToDeploy({ kind: 'NothingToDeploy', why: unknown.length > 0 ? `no app named ${unknown.join(', ')} in the project` : 'the project has no External Client App' });
  }
  const selected = new Set(apps.map((a) => a.name));
  const everything = names === undefined && inventory.selection === undefined;
  const blocking = runCheck(inventory, context).findings.filter(
    (f) => (selected.has(f.app) || (everything && f.ruleId === 'ECA-PRJ-004')) && f.severity === 'error' && !f.waived
  );
  const files: string[] = [];
  const notes: DeployNote[] = [];
  const target = options.targetOrgId.slice(0, 15);
  for (const app of apps) {
    for (const kind of ECA_FILE_KINDS) {
      if (kind === 'globalOauth' && !options.includeGlobalSettings) {
        if (app.files.globalOauth.length > 0) notes.push({ key: 'warning.globalLeftOut', args: [app.name] });
        continue;
      }
      for (const f of app.files[kind]) {
        // .forceignore decides what is deployed: SDR would drop the file silently, so say so.
        if (f.ignored) notes.push({ key: 'warning.forceignored', args: [f.path] });
        else files.push(f.path);
      }
    }
    for (const [file, element] of [
      [fileOf(app, 'oauth'), 'oauthLink'],
      [fileOf(app, 'header'), 'orgScopedExternalApp'],
    ] as const) {
      const other = orgIdOf(file?.value(element));
      if (file && other && other !== target) notes.push({ key: 'warning.otherOrg', args: [`${file.path} ${element}`, other, target, app.name] });
    }
  }
  return { apps, files, blocking, notes };
};

// ------------------------------------------------------------------------------ with the org

/** A local file whose name differs from the org's record of the same app (deploying it would make a second record). */
export class NamesDiffer extends Refused<{ readonly kind: 'NamesDiffer'; readonly mismatches: readonly NameMismatch[] }> {}

export type KeptFields = { readonly path: string; readonly app: string; readonly fields: readonly string[] };
export type DroppedLists = { readonly path: string; readonly app: string; readonly elements: readonly string[] };
export type OrgDeployRun = {
  readonly outcome: DeployOutcome;
  /** Single-valued fields the org holds that the local files leave out: sent with the org's value (a deploy replaces the whole record). */
  readonly kept: readonly KeptFields[];
  /** Lists the org holds that the local files leave out: the deploy removes them. */
  readonly dropped: readonly DroppedLists[];
  /** Whether the policies names were confirmed by SOQL, and whether the org could answer. */
  readonly confirmedBySoql: 'not needed' | 'confirmed' | 'unavailable';
  /** After a deploy that saved (not check-only): what the org holds, compared with what was sent. */
  readonly readBack?: ReadBack;
  /** Requests made before and after the deploy itself. */
  readonly calls: { readonly list: number; readonly retrieve: number; readonly query: number };
};

type Step = <T>(label: string, work: () => Promise<T>, done?: (r: T) => string) => Promise<T>;

/**
 * The org round trip of a deploy: reads the apps' records from the org first (names, and the fields a
 * deploy would reset), refuses a file named otherwise than the org's record, carries the org's values of
 * the single-valued fields the files leave out, deploys, and reads the result back field by field.
 */
export const deployToOrg = async (
  conn: Connection,
  project: ProjectContext,
  inventory: Inventory,
  plan: DeployPlan,
  options: { readonly timing: Timing; readonly orgName: string; readonly checkOnly: boolean; readonly rollbackOnError: boolean; readonly onStatus?: (s: string) => void; readonly onStarted?: (id: string) => void },
  step: Step
): Promise<OrgDeployRun> => {
  const { budgetOf, retrieveApps, retrieveComponents, queryPolicyRecords, deployFiles } = await import('../adapters/org.js');
  // Every step takes from the same --wait.
  const budget = budgetOf(options.timing);
  const names = plan.apps.map((a) => a.name);
  const files = filesByPath(inventory);
  const sent = new Set(plan.files);
  const sentApps = plan.apps.map((a) => ({ ...a, files: Object.fromEntries(ECA_FILE_KINDS.map((k) => [k, a.files[k].filter((f) => sent.has(f.path))])) as unknown as EcaApp['files'] }));
  // First only the children that can be the selected apps': a local file's name, or a name that starts with the app's
  // (the org's own conventions: <App>_oauth, <Settings>_defaultPolicy…), so that deploying one app to an org of many
  // does not retrieve every app's records. When an app the org has then lacks a kind the project sends, its record
  // may be under any name: every child is retrieved (what retrieve and diff always do).
  const localNames = new Set(plan.files.map((p) => files.get(p)?.fullName).filter((n): n is string => n !== undefined));
  const prefixes = [...new Set(names.flatMap((n) => [n, withoutNamespace(n)]))];
  const children = (c: { fullName: string }): boolean => localNames.has(c.fullName) || prefixes.some((p) => c.fullName.startsWith(p));
  const label = `Reading ${names.length} app(s) from ${options.orgName}`;
  const narrow = await step(label, () => retrieveApps(conn, names, budget(), { children }), (r) => `${r.sources.length} file(s)`);
  const inOrg = (a: { name: string }): boolean => narrow.orgAppNames.some((n) => n === a.name || withoutNamespace(n) === withoutNamespace(a.name));
  const narrowInventory = buildInventory(narrow.sources);
  const complete = sentApps.every((a) => {
    if (!inOrg(a)) return true;
    const theirs = narrowInventory.apps.find((x) => x.name === a.name || withoutNamespace(x.name) === withoutNamespace(a.name));
    return ECA_FILE_KINDS.every((k) => k === 'header' || a.files[k].length === 0 || (theirs?.files[k].length ?? 0) > 0);
  });
  const full = complete ? undefined : await step(`${label}: every record (a kind is under another name)`, () => retrieveApps(conn, names, budget()), (r) => `${r.sources.length} file(s)`);
  const remote = full ? buildInventory(full.sources) : narrowInventory;
  const org: OrgRecordName[] = recordNamesOf(remote);
  // An app the org has without a retrieved policies record (an installed app's policies are not listed), or
  // with two of them: SOQL says which record the org holds.
  const unsure = sentApps.filter((a) => {
    if (a.files.oauthPolicies.length === 0 || !inOrg(a)) return false;
    return org.filter((r) => r.kind === 'oauthPolicies' && r.app === a.name).length !== 1;
  });
  let confirmedBySoql: OrgDeployRun['confirmedBySoql'] = 'not needed';
  let queries = 0;
  if (unsure.length > 0) {
    queries = 2;
    const records = await step(`Asking ${options.orgName} for its OAuth policies records (SOQL)`, () => queryPolicyRecords(conn, budget()));
    confirmedBySoql = records ? 'confirmed' : 'unavailable';
    for (const r of records ?? []) {
      if (!org.some((o) => o.kind === 'oauthPolicies' && o.fullName === r.fullName)) org.push({ app: r.app, kind: 'oauthPolicies', fullName: r.fullName });
    }
  }
  const mismatches = nameMismatches(sentApps, org);
  if (mismatches.length > 0) throw new NamesDiffer({ kind: 'NamesDiffer', mismatches });

  // The org replaces the whole record: single-valued fields the file leaves out keep the org's value.
  const kept: KeptFields[] = [];
  const dropped: DroppedLists[] = [];
  const planned: PlannedFix[] = [];
  const orgFiles = appFiles(remote);
  const orgFileOf = (path: string): MetadataFile | undefined => {
    const file = files.get(path);
    return file ? orgFiles.find((f) => f.type.name === file.type.name && f.fullName === file.fullName) : undefined;
  };
  for (const app of sentApps) {
    for (const kind of ECA_FILE_KINDS) {
      for (const file of app.files[kind]) {
        const theirs = orgFileOf(file.path);
        if (!theirs) continue;
        const edits = keptFromOrg(file, theirs);
        if (edits.length > 0) {
          kept.push({ path: file.path, app: app.name, fields: edits.flatMap((e) => (e.op === 'add' ? [e.node.name] : [])) });
          planned.push({ label: 'org', fix: { path: file.path, edits, description: 'fields kept from the org', class: 'safe' } });
        }
        const lists = droppedLists(file, theirs);
        if (lists.length > 0) dropped.push({ path: file.path, app: app.name, elements: lists });
      }
    }
  }
  const staged = planEdits(files, planned);
  const dir = staged.changes.length > 0 ? mkdtempSync(join(tmpdir(), 'eca-deploy-')) : undefined;
  try {
    const display = new Map<string, string>();
    const paths = plan.files.map((p) => {
      const change = staged.changes.find((c) => c.path === p);
      const file = files.get(p) as MetadataFile;
      if (!change || !dir) return resolve(project.cwd, p);
      const abs = join(dir, 'force-app', 'main', 'default', file.type.directory, p.slice(p.lastIndexOf('/') + 1));
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, change.after);
      display.set(abs, p);
      return abs;
    });
    const outcome = await step(
      `${options.checkOnly ? 'Validating' : 'Deploying'} ${plan.files.length} file(s) to ${options.orgName}`,
      () => deployFiles(conn, paths, { ...budget(), checkOnly: options.checkOnly, rollbackOnError: options.rollbackOnError, onStatus: options.onStatus, onStarted: options.onStarted }),
      (o) => o.status
    );
    const mapped: DeployOutcome = {
      ...outcome,
      components: outcome.components.map((c) => (c.filePath && display.has(c.filePath) ? { ...c, filePath: resolve(project.cwd, display.get(c.filePath) as string) } : c)),
    };
    let readBack: ReadBack | undefined;
    let retrieves = narrow.calls.retrieve + (full?.calls.retrieve ?? 0);
    const lists = narrow.calls.list + (full?.calls.list ?? 0);
    if (!options.checkOnly && (outcome.status === 'Succeeded' || outcome.status === 'SucceededPartial')) {
      const failed = new Set(outcome.components.filter((c) => c.state === 'Failed').map((c) => `${c.type}:${c.fullName}`));
      // The deployed components by name: no listing needed.
      const members = plan.files.map((p) => files.get(p) as MetadataFile).filter((f) => !failed.has(`${f.type.name}:${f.fullName}`)).map((f) => ({ type: f.type.name, fullName: f.fullName }));
      const after = await step(`Reading the result back from ${options.orgName}`, () => retrieveComponents(conn, members, budget()), (r) => `${r.length} file(s)`);
      retrieves += members.length > 0 ? 1 : 0;
      const sentFiles = plan.files.flatMap((p) => {
        const file = files.get(p) as MetadataFile;
        if (failed.has(`${file.type.name}:${file.fullName}`)) return [];
        const change = staged.changes.find((c) => c.path === p);
        const app = plan.apps.find((a) => ECA_FILE_KINDS.some((k) => a.files[k].includes(file)))?.name ?? '';
        return [{ app, path: p, file: change ? (MetadataFile.read(p, change.after) as MetadataFile) : file }];
      });
      readBack = readBackOf(sentFiles, appFiles(buildInventory(after)));
    }
    return { outcome: mapped, kept, dropped, confirmedBySoql, ...(readBack ? { readBack } : {}), calls: { list: lists, retrieve: retrieves, query: queries } };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
};
