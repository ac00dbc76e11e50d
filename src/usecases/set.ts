/*
 * `eca set`: the request's edits planned on the apps' files (a new policies file only when asked),
 * previewed, committed and re-checked through the change pipeline; or, with an org, retrieved,
 * changed and deployed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Org } from '@salesforce/core';
import { SfError } from '@salesforce/core';
import { commitChanges } from '../adapters/write.js';
import type { Timing } from '../adapters/org.js';
import type * as RenderModule from '../core/authoring/render.js';
import { planSet, touchesPolicies, type SetRequest } from '../core/authoring/set.js';
import { planEdits, unreadableResults, type ChangeSet, type PlannedFix } from '../core/change/plan.js';
import { inventoryAfter } from '../core/change/recheck.js';
import { isProblem, MetadataFile } from '../core/model/file.js';
import { ExtlClntAppOauthConfigurablePolicies } from '../core/model/schema.js';
import { appFiles, buildInventory, type EcaApp, fileOf, type Inventory } from '../core/project/inventory.js';
import { compareFiles, fieldsOf } from '../core/sync/merge.js';
import { type ReadBack, readBack as readBackOf } from '../core/sync/records.js';
import { DEFAULT_CONFIG, type EcaConfig } from '../core/rules/config.js';
import { runCheck } from '../core/rules/engine.js';
import { filesByPath } from '../core/rules/fix.js';
import { selectedApps } from '../core/project/scope.js';
import type { Finding } from '../core/rules/types.js';
import { prepare, ruleContextOf } from '../cli/check.js';
import { orgLabel } from '../cli/org.js';
import { unifiedDiff } from '../render/diff.js';

type RenderFile = typeof RenderModule.renderMetadataFile;

export type SetTarget = {
  readonly names?: readonly string[];
  readonly all: boolean;
  readonly dryRun: boolean;
  readonly createPolicies: boolean;
  readonly 'source-dir'?: string[];
};

export type SetRun = {
  readonly apps: readonly string[];
  readonly set: ChangeSet;
  /** Paths of the files the change creates. */
  readonly created: ReadonlySet<string>;
  /** What check still reports for the apps on the result. */
  readonly findings: readonly Finding[];
  readonly diff: string | undefined;
  readonly deploy?: { readonly id: string; readonly status: string; readonly checkOnly: boolean; readonly problems: readonly string[] };
  /** With --target-org, after a deploy that saved: what the org holds, read back and compared field by field with what was sent. */
  readonly readBack?: ReadBack;
  /** With --target-org, after a deploy that saved: the org's value, read back, of every element the change touched. */
  readonly heldAfter?: ReadonlyArray<{ readonly app: string; readonly path: string; readonly element: string; readonly value?: string }>;
};

/** Thrown with the lines that say why an app cannot take the change (exit 1, nothing written). */
export class SetRefused extends Error {
  public constructor(public readonly lines: readonly string[]) {
    super(lines.join('\n'));
    this.name = 'SetRefused';
  }
}

/** An app named on the command line that the project or org does not hold. */
export class AppNotFound extends Error {
  public constructor(public readonly missing: readonly string[], public readonly known: readonly string[]) {
    super(`not found: ${missing.join(', ')}`);
    this.name = 'AppNotFound';
  }
}

const selectApps = (inventory: Inventory, target: Pick<SetTarget, 'names' | 'all'>): EcaApp[] => {
  const known = inventory.apps.filter((a) => !a.orphan);
  if (target.all) return selectedApps(inventory).filter((a) => !a.orphan);
  const missing = (target.names ?? []).filter((n) => !known.some((a) => a.name === n));
  if (missing.length > 0) throw new AppNotFound(missing, known.map((a) => a.name));
  return (target.names ?? []).map((n) => known.find((a) => a.name === n) as EcaApp);
};

/** The edits of a request for each app; refuses (nothing planned) when one app cannot take it. */
const planRequest = (
  apps: readonly EcaApp[],
  request: SetRequest,
  apiVersion: number | undefined,
  config: EcaConfig,
  policiesFor: (app: EcaApp) => MetadataFile | undefined
): PlannedFix[] => {
  const problems: string[] = [];
  const planned: PlannedFix[] = [];
  for (const app of apps) {
    const plan = planSet(app, request, apiVersion, policiesFor(app), config);
    problems.push(...plan.problems);
    planned.push(...plan.fixes);
  }
  if (problems.length > 0) throw new SetRefused(problems);
  return planned;
};

export const setLocal = async (request: SetRequest, target: SetTarget): Promise<SetRun> => {
  const prepared = await prepare(target);
  const { inventory, project, ruleContext } = prepared;
  const apps = selectApps(inventory, target);
  // An app whose policies file exists but cannot be read: fixing that file comes first (a new one would be a second record).
  const broken = apps.flatMap((app) =>
    fileOf(app, 'oauthPolicies')
      ? []
      : inventory.unreadable
          .filter((u) => u.app === app.name && u.kind === 'oauthPolicies')
          .map((u) => `${app.name}: its OAuth policies file ${u.path}${u.problem.line ? `:${u.problem.line}:${u.problem.col ?? 1}` : ''} cannot be read (${u.problem.message}); fix that file first (a new one would be a second policies record)`)
  );
  if (broken.length > 0 && touchesPolicies(request)) throw new SetRefused(broken);
  const created: MetadataFile[] = [];
  const needsPolicies = (app: EcaApp): boolean => !fileOf(app, 'oauthPolicies') && touchesPolicies(request) && target.createPolicies;
  // The XML builder for new files is loaded only when a file is created.
  const render = apps.some(needsPolicies) ? (await import('../core/authoring/render.js')).renderMetadataFile : undefined;
  const planned = planRequest(apps, request, ruleContext.apiVersion, ruleContext.config, (app) => {
    if (!render || !needsPolicies(app)) return undefined;
    const file = newPoliciesFile(app, ruleContext.apiVersion, render);
    created.push(file);
    return file;
  });
  const set = planEdits(filesByPath(inventory), planned, created);
  if (!target.dryRun) commitChanges(set, { cwd: project.cwd, root: project.root });
  const names = new Set(apps.map((a) => a.name));
  const after = inventoryAfter(inventory, set, created.map((f) => ({ path: f.path, text: f.source, packageDir: undefined })));
  const findings = runCheck(after, ruleContext).findings.filter((f) => names.has(f.app));
  return {
    apps: apps.map((a) => a.name),
    set,
    created: new Set(created.map((f) => f.path)),
    findings,
    diff: target.dryRun ? unifiedDiff(set.changes) : undefined,
  };
};

/** The global settings hold credentials: `set --target-org` never deploys them. */
export const GLOBAL_SETTINGS_FLAGS = ['pkce', 'refresh-token-rotation'] as const;

/** `set --target-org`: retrieve the apps' files, apply the request, deploy the changed files (check-only with --dry-run). */
export const setInOrg = async (
  org: Org,
  request: SetRequest,
  target: Pick<SetTarget, 'names' | 'all' | 'dryRun'> & { readonly apiVersion?: string },
  timing: Timing,
  step: <T>(label: string, work: () => Promise<T>, done?: (r: T) => string) => Promise<T>
): Promise<SetRun> => {
  const conn = org.getConnection(target.apiVersion);
  const { budgetOf, retrieveApps, retrieveComponents, deployFiles } = await import('../adapters/org.js');
  const budget = budgetOf(timing);
  const name = orgLabel(org);
  const fetched = await step(`Retrieving ${target.all ? 'every app' : (target.names ?? []).join(', ')} from ${name}`, () => retrieveApps(conn, target.all ? undefined : target.names, budget()));
  if (fetched.missing.length > 0) throw new AppNotFound(fetched.missing, fetched.orgAppNames);
  // The developer side of the client credentials flow lives in the global settings, which this path never deploys.
  const remote = buildInventory(fetched.sources.filter((s) => !s.path.startsWith('extlClntAppGlobalOauthSets/')));
  const apiVersion = Number(conn.getApiVersion());
  const planned = planRequest(remote.apps, request, apiVersion, DEFAULT_CONFIG, () => undefined);
  const set = planEdits(filesByPath(remote), planned);
  const unreadable = unreadableResults(set);
  if (unreadable.length > 0) throw new SfError(`The change would not be readable metadata: ${unreadable.map((p) => p.message).join('; ')}. Nothing was deployed.`, 'UnreadableResultError');
  const dir = mkdtempSync(join(tmpdir(), 'eca-set-'));
  try {
    const stage = (changes: ChangeSet['changes'], folder: string): string[] =>
      changes.map((c) => {
        const abs = join(dir, folder, 'force-app', 'main', 'default', c.path);
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, c.after);
        return abs;
      });
    // Order matters where a client could be cut off in between: ranges are added (and saved) before any is removed,
    // so the org never holds fewer ranges than the ones the request keeps.
    const removes = (request.removeIpRanges?.length ?? 0) > 0 || request.replaceIpRanges === true;
    if (!target.dryRun && removes && (request.addIpRanges?.length ?? 0) > 0) {
      const first = planEdits(filesByPath(remote), planRequest(remote.apps, { addIpRanges: request.addIpRanges, ipRangeDescription: request.ipRangeDescription }, apiVersion, DEFAULT_CONFIG, () => undefined));
      if (first.changes.length > 0) {
        const added = await step(`Adding the IP ranges before removing any: deploying ${first.changes.length} file(s) to ${name}`, () => deployFiles(conn, stage(first.changes, 'add'), { ...budget(), checkOnly: false }), (o) => o.status);
        if (added.status !== 'Succeeded') {
          const shownFirst: ChangeSet = { ...first, changes: first.changes.map((c) => ({ ...c, path: `org:${c.path}` })) };
          return {
            apps: remote.apps.map((a) => a.name),
            set: shownFirst,
            created: new Set(),
            findings: [],
            diff: unifiedDiff(shownFirst.changes),
            deploy: { id: added.id, status: added.status, checkOnly: false, problems: added.components.filter((x) => x.problem).map((c) => `${c.type} ${c.fullName}: ${c.problem ?? ''} (nothing was removed)`) },
          };
        }
      }
    }
    const paths = stage(set.changes, 'final');
    const outcome =
      set.changes.length > 0
        ? await step(`${target.dryRun ? 'Validating' : 'Deploying'} ${set.changes.length} file(s) ${target.dryRun ? 'in' : 'to'} ${name}`, () => deployFiles(conn, paths, { ...budget(), checkOnly: target.dryRun }), (o) => o.status)
        : undefined;
    // Read back what the org holds now, by name (no listing), and compare it with what was sent.
    let readBack: ReadBack | undefined;
    let heldAfter: SetRun['heldAfter'];
    if (outcome && !outcome.checkOnly && outcome.status === 'Succeeded') {
      const sent = set.changes.map((c) => {
        const file = MetadataFile.read(c.path, c.after) as MetadataFile;
        const app = file.value('externalClientApplication') ?? file.fullName;
        return { app, path: `org:${c.path}`, file, before: c.before };
      });
      const back = await step(`Reading the result back from ${name}`, () => retrieveComponents(conn, sent.map((f) => ({ type: f.file.type.name, fullName: f.file.fullName })), budget()), (r) => `${r.length} file(s)`);
      const orgFiles = appFiles(buildInventory(back));
      readBack = readBackOf(sent, orgFiles);
      heldAfter = sent.flatMap((f) => {
        const before = f.before === undefined ? undefined : MetadataFile.read(f.path, f.before);
        const theirs = orgFiles.find((o) => o.type.name === f.file.type.name && o.fullName === f.file.fullName);
        const touched = compareFiles(before && !isProblem(before) ? before : undefined, f.file).map((d) => d.element);
        const now = theirs ? fieldsOf(theirs) : new Map<string, string>();
        return touched.map((element) => ({ app: f.app, path: f.path, element, ...(now.has(element) ? { value: now.get(element) } : {}) }));
      });
    }
    const shown: ChangeSet = { ...set, changes: set.changes.map((c) => ({ ...c, path: `org:${c.path}` })) };
    const findings = runCheck(inventoryAfter(remote, set), ruleContextOf(apiVersion, DEFAULT_CONFIG, [])).findings;
    return {
      apps: remote.apps.map((a) => a.name),
      set: shown,
      created: new Set(),
      findings,
      diff: unifiedDiff(shown.changes),
      ...(outcome
        ? {
            deploy: {
              id: outcome.id,
              status: outcome.status,
              checkOnly: outcome.checkOnly,
              problems: outcome.components.filter((x) => x.problem).map((c) => `${c.type} ${c.fullName}: ${c.problem ?? ''}`),
            },
          }
        : {}),
      ...(readBack ? { readBack } : {}),
      ...(heldAfter ? { heldAfter } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** A new OAuth policies file for an app, named as the org names the policies of apps deployed through the Metadata API. */
const newPoliciesFile = (app: EcaApp, apiVersion: number | undefined, renderMetadataFile: RenderFile): MetadataFile => {
  const settings = fileOf(app, 'oauth');
  const header = fileOf(app, 'header') as MetadataFile;
  const name = settings ? `${settings.fullName}_defaultPolicy` : `${app.name}_oauthPlcy`;
  const base = dirname(dirname(header.path));
  const path = join(base, ExtlClntAppOauthConfigurablePolicies.directory, `${name}.${ExtlClntAppOauthConfigurablePolicies.suffix}-meta.xml`).split('\\').join('/');
  const { text } = renderMetadataFile(
    ExtlClntAppOauthConfigurablePolicies,
    [
      { name: 'externalClientApplication', value: app.name },
      { name: 'label', value: name },
    ],
    apiVersion
  );
  const file = MetadataFile.read(path, text);
  if (isProblem(file)) throw new Error(file.message);
  return file;
};
