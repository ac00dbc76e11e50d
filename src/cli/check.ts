/* What check and fix share: project, configuration and inventory loading, and the rule list. */
import { Flags } from '@salesforce/sf-plugins-core';
import { SfError } from '@salesforce/core';
import { Messages } from '@salesforce/core/messages';
import { loadConfig } from '../adapters/config.js';
import { loadInventory, resolveProject, type ProjectContext } from '../adapters/project.js';
import type { Severity } from '../core/model/file.js';
import type { EcaConfig } from '../core/rules/config.js';
import { ALL_RULES, appliesToProfile, EXPIRED_WAIVER_RULE, findRule, RULE_KEYS, ruleFixClass, UNREADABLE_RULE } from '../core/rules/engine.js';
import type { RuleContext } from '../core/rules/types.js';
import { controlsOf, type ControlFramework } from '../core/rules/controls.js';
import { readCertificate } from '../adapters/certificate.js';
import { type Inventory, ORG_SETTINGS_APP } from '../core/project/inventory.js';
import { scopeResult } from '../core/project/scope.js';
import { renderHuman, renderJunit, renderSarif, type RuleInfo } from '../render/report.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderHtml } from '../render/html.js';
import { postureScore, type PostureScore } from '../core/rules/score.js';
import { type AppSummary, summarizeApp, summarizeConnectedApp } from '../core/model/summary.js';
import type { ClientProfile } from '../core/rules/profile.js';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { countFindings, fails, type CheckResult } from '../core/rules/engine.js';
import type { RuleFixClass } from '../core/rules/types.js';
import { terminalStyle, terminalWidth } from './style.js';
import { type EcaFinding, publicFindings } from './findings.js';
import { USAGE_EXIT } from './exitCodes.js';
import { ALL_USAGE_RULES } from '../core/usage/rules.js';
import { DRIFT_RULE } from '../core/sync/drift.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const commonMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.common');
const checkMessages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.check');

const PLUGIN_NAME = '@eca-tools/plugin-eca';
let ownVersion: string | undefined;

/**
 * The plugin's own version, from the package.json next to the compiled lib/ (or src/ under tsx): under the
 * real sf, `config.pjson` is the sf CLI's. Undefined when that file is not the plugin's.
 */
export const pluginVersion = (): string | undefined => {
  if (ownVersion === undefined) {
    try {
      const pjson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (pjson.name === PLUGIN_NAME && typeof pjson.version === 'string') ownVersion = pjson.version;
    } catch {
      // bundled elsewhere: the caller falls back to the plugin list
    }
  }
  return ownVersion;
};

// eslint-disable-next-line @typescript-eslint/explicit-function-return-type -- oclif infers the option flag's type
export const failOnFlag = (summary: string) =>
  Flags.option({ options: ['error', 'warning', 'info', 'never'] as const, summary })();

export type Prepared = {
  readonly project: ProjectContext;
  readonly inventory: Inventory;
  readonly config: EcaConfig;
  readonly configSource: string | undefined;
  readonly ruleContext: RuleContext;
};

const USAGE = USAGE_EXIT;

export const parseApiVersion = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^\d{2,3}\.0$/.test(text.trim())) {
    throw new SfError(`"${text}" is not an API version such as 66.0.`, 'InvalidApiVersionError', ['Pass --api-version like 64.0, or fix sourceApiVersion in sfdx-project.json.'], USAGE);
  }
  return Number(text);
};

export const checkRuleKeys = (keys: readonly string[] | undefined): void => {
  for (const k of keys ?? []) {
    if (!RULE_KEYS.has(k)) {
      throw new SfError(`Unknown rule: ${k}.`, 'UnknownRuleError', ['Run "sf eca check --list-rules" to see the ids and names.'], USAGE);
    }
  }
};

/** Certificates read so far, by text: projects copy one certificate into many apps, and node:crypto parses each copy again. */
const MAX_REMEMBERED_CERTIFICATES = 256;
const rememberedCertificates = new Map<string, ReturnType<typeof readCertificate>>();
const readCertificateOnce = (text: string): ReturnType<typeof readCertificate> => {
  if (rememberedCertificates.has(text)) return rememberedCertificates.get(text);
  const info = readCertificate(text);
  if (rememberedCertificates.size >= MAX_REMEMBERED_CERTIFICATES) rememberedCertificates.clear();
  rememberedCertificates.set(text, info === undefined ? undefined : Object.freeze({ ...info }));
  return rememberedCertificates.get(text);
};

/** The context rules run in: the API version, the configuration, the package directories, today, and a certificate reader. */
export const ruleContextOf = (apiVersion: number | undefined, config: EcaConfig, packageDirs: RuleContext['packageDirs']): RuleContext => ({
  apiVersion,
  config,
  packageDirs,
  today: new Date().toISOString().slice(0, 10),
  certificates: readCertificateOnce,
});

export const prepare = async (flags: {
  'source-dir'?: string[];
  config?: string;
  'api-version'?: string;
  rule?: string[];
}): Promise<Prepared> => {
  checkRuleKeys(flags.rule);
  // No project, or no such --source-dir: usage errors (exit 2), set where they are raised.
  const project = await resolveProject(process.cwd(), flags['source-dir']);
  const { config, source } = loadConfig(project, flags.config);
  const apiVersion = parseApiVersion(flags['api-version'] ?? project.sourceApiVersion);
  const inventory = loadInventory(project);
  return {
    project,
    inventory,
    config,
    configSource: source,
    ruleContext: ruleContextOf(apiVersion, config, project.packageDirs),
  };
};

/** The threshold: --fail-on, else the configuration's failOn, else error. */
export const threshold = (flag: string | undefined, config: EcaConfig): Severity | 'never' =>
  (flag as Severity | 'never' | undefined) ?? config.failOn ?? 'error';

/** Every rule as reports describe it, project rules included. */
export const ruleInfos = (): RuleInfo[] => [
  ...ALL_RULES.map((r) => ({ id: r.id, name: r.name, severity: r.severity, summary: r.summary, rationale: r.rationale, helpUri: r.helpUri, category: r.category })),
  { ...UNREADABLE_RULE, category: 'project' },
  { ...EXPIRED_WAIVER_RULE, category: 'project' },
];

/** How many ECA and Connected App files were read within the selection (all of them without one). */
export const filesChecked = (inventory: Inventory): number => inventory.selection?.size ?? inventory.fileCount;

/** Whether a rule applies to an app of this inventory (for one JUnit test case per app and rule). */
export const ruleAppliesTo = (inventory: Inventory, profiles: CheckResult['profiles']) => {
  const cas = new Set(inventory.connectedApps.map((c) => c.name));
  return (ruleId: string, app: string): boolean => {
    const rule = findRule(ruleId);
    if (!rule) return false;
    const profile = profiles.get(app);
    const unit = app === ORG_SETTINGS_APP ? 'org' : cas.has(app) ? 'connectedApp' : 'eca';
    return rule.appliesTo === unit && (!profile || appliesToProfile(rule, profile));
  };
};

export type EcaCheckReport = {
  /** Every finding, waived ones included (marked). */
  findings: EcaFinding[];
  /** Counts by severity; waived and fixable apart. */
  summary: { error: number; warning: number; info: number; waived: number; fixable: number; apps: number; files: number };
  /** The threshold used. */
  failOn: string;
  /** Whether a finding at or above the threshold is not waived. */
  failed: boolean;
  /** Where the report was written, with --output-file. */
  outputFile?: string;
  /** The posture score: 0–100 per app (100 less 20 per error, 5 per warning, 1 per info, a rule once per app, waived findings free) and the project's (the mean). */
  score: PostureScore;
};

/** One rule as `check --list-rules --json` returns it. */
export type EcaRuleListEntry = {
  /** The rule's id, e.g. ECA-POL-010. */
  id: string;
  /** The rule's name, e.g. ip-relaxation-enforce (--rule takes either). */
  name: string;
  /** The default severity (the configuration can change it). */
  severity: Severity;
  /** schema, policies, ip-ranges, global-settings, oauth-settings, plugins, project or connected-app. */
  category: string;
  /** safe: "sf eca fix" applies it; breaking: only with --include-breaking; manual: needs a person. */
  fixClass: RuleFixClass;
  /** What the rule checks. */
  summary: string;
  /** Why it matters. */
  rationale: string;
  /** Where to read more. */
  helpUri?: string;
  /** The client kinds the rule applies to (public, confidential, jwt-bearer, client-credentials; "packaged": packaged apps of any kind too); absent: every app. */
  clients?: string[];
  /**
   * The Salesforce controls the rule enforces (Security Health Check controls, AppExchange requirements,
   * Help recommendations, Metadata API directives); empty when it enforces no published control. `id` is
   * the framework's own id of the control, only where the framework gives one.
   */
  controls: Array<{
    /** Who publishes the control: salesforce-health-check, appexchange-security-review, salesforce-security-benchmark, help-recommendation or metadata-api. */
    framework: ControlFramework;
    /** The framework's id of the control (e.g. SBS-OAUTH-002), only where it gives one. */
    id?: string;
    /** The control's name as its source writes it. */
    title: string;
    /** Where the control is published (https). */
    url: string;
  }>;
};

/** The result of `check --list-rules --json`: every rule, project rules included. */
export type EcaRuleList = { rules: EcaRuleListEntry[] };

/** The usage rules of `audit --usage` as reports describe them (src/core/usage/rules.ts). */
export const usageRuleInfos = (): RuleInfo[] =>
  ALL_USAGE_RULES.map((r) => ({ id: r.id, name: r.name, severity: r.severity, summary: r.summary, rationale: r.rationale, helpUri: r.helpUri, category: r.category, fixClass: 'manual' }));

/** The drift rule of `audit --baseline`, as reports describe it. */
export const driftRuleInfo = (): RuleInfo => ({
  id: DRIFT_RULE.id,
  name: DRIFT_RULE.name,
  severity: DRIFT_RULE.severity,
  summary: DRIFT_RULE.summary,
  rationale: DRIFT_RULE.rationale,
  helpUri: DRIFT_RULE.helpUri,
  category: DRIFT_RULE.category,
  fixClass: 'manual',
});

/** Every rule as --list-rules returns it, the usage rules of `audit --usage` and the drift rule of `audit --baseline` last. */
export const ruleList = (): EcaRuleList => ({
  rules: [...ruleInfos(), ...usageRuleInfos(), driftRuleInfo()].map((r) => ({
    id: r.id,
    name: r.name,
    severity: r.severity,
    category: r.category ?? 'project',
    fixClass: ruleFixClass(r.id),
    summary: r.summary,
    rationale: r.rationale,
    ...(r.helpUri ? { helpUri: r.helpUri } : {}),
    ...clientsOf(r.id),
    controls: controlsOf(r.id).map((c) => ({ ...c })),
  })),
});

/** The client kinds a rule applies to, for --list-rules. */
const clientsOf = (id: string): { clients?: string[] } => {
  const rule = findRule(id);
  return rule?.clients ? { clients: [...rule.clients, ...(rule.alsoPackaged ? ['packaged'] : [])] } : {};
};

type Reporter = {
  log(s: string): void;
  info(s: string): void;
  warn(s: string): unknown;
  jsonEnabled(): boolean;
  config: { pjson: { version: string }; plugins?: ReadonlyMap<string, { version: string }> };
};

/** The version SARIF names: the plugin's own, never the sf CLI's. */
const toolVersion = (cmd: Reporter): string => pluginVersion() ?? cmd.config.plugins?.get(PLUGIN_NAME)?.version ?? cmd.config.pjson.version;

/** Writes a report, creating missing folders; a path that cannot be written is a usage error naming it. */
const writeReport = (file: string, shown: string, text: string): void => {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    throw commonMessages.createError('error.OutputFileUnwritable', [shown, reason], [], USAGE);
  }
};

/**
 * Where the markdown summary's file links point: in GitHub Actions (GITHUB_SERVER_URL, GITHUB_REPOSITORY and
 * GITHUB_SHA set) the blob of the commit at the folder the check runs in, so that links work in a step summary or
 * a comment; elsewhere none (relative links, which resolve only where the markdown is shown inside the repository).
 */
const githubLinkBase = (env: NodeJS.ProcessEnv, cwd: string): string | undefined => {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha, GITHUB_WORKSPACE: workspace } = env;
  if (!server || !repo || !sha) return undefined;
  const folder = workspace ? relative(workspace, cwd).replace(/\\/g, '/') : '';
  const under = folder && !folder.startsWith('..') ? `${folder}/` : '';
  return `${server.replace(/\/$/, '')}/${repo}/blob/${sha}/${under}`;
};

/**
 * Appends the markdown summary to the file GITHUB_STEP_SUMMARY names (GitHub Actions shows it on the run's page),
 * creating it if missing. Never fails the command: a file that cannot be written is a warning.
 */
const appendStepSummary = (cmd: Reporter, file: string, text: string): void => {
  try {
    appendFileSync(file, `${text}\n`);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    cmd.warn(checkMessages.getMessage('warning.StepSummaryUnwritable', [file, reason]));
  }
};

/**
 * Renders a check result in the requested format (to stdout or --output-file), sets the exit code
 * from the threshold and returns the typed result: what check and audit share.
 */
export const deliverReport = (
  cmd: Reporter,
  checked: CheckResult,
  inventory: Inventory,
  options: {
    format: 'human' | 'sarif' | 'junit' | 'markdown' | 'html';
    outputFile?: string;
    failOn: Severity | 'never';
    tool: string;
    written: (file: string) => string;
    /** Append the markdown summary to the file GITHUB_STEP_SUMMARY names, whatever the format. */
    stepSummary?: boolean;
    /**
     * Rules besides the catalog's whose findings the result carries (audit --usage), and the apps each applies to
     * (a JUnit test case per app and rule); the result's `rules` names the ones evaluated.
     */
    extraRules?: { readonly infos: readonly RuleInfo[]; readonly appliesTo: (ruleId: string, app: string) => boolean };
  }
): EcaCheckReport => {
  const { failOn } = options;
  const infos = (): RuleInfo[] => [...ruleInfos(), ...(options.extraRules?.infos ?? [])];
  const catalogApplies = ruleAppliesTo(inventory, checked.profiles);
  const applies = (ruleId: string, app: string): boolean => catalogApplies(ruleId, app) || (options.extraRules?.appliesTo(ruleId, app) ?? false);
  // A selection (--source-dir) limits what is reported, never what is known.
  const result = scopeResult(checked, inventory);
  const failed = failOn !== 'never' && fails(result.findings, failOn);
  const stepSummaryFile = options.stepSummary ? process.env.GITHUB_STEP_SUMMARY : undefined;
  const score = postureScore(result.findings, result.apps);
  const markdown = (): string =>
    renderMarkdown(result.findings, {
      tool: options.tool,
      failOn,
      failed,
      appCount: result.apps.length,
      rules: infos(),
      linkBase: githubLinkBase(process.env, process.cwd()),
      score,
    });
  const appScore = (app: string): Record<string, number> | undefined => {
    const s = score.apps.find((a) => a.app === app);
    return s ? { 'posture-score': s.score } : undefined;
  };
  const report =
    options.format === 'markdown'
      ? markdown()
      : options.format === 'html'
        ? renderHtml(result.findings, {
            tool: options.tool,
            version: toolVersion(cmd),
            generatedAt: new Date().toISOString(),
            failOn,
            failed,
            rules: infos(),
            score,
            summaries: summariesOf(inventory, checked.profiles),
            apps: result.apps,
          })
        : options.format === 'sarif'
          ? renderSarif(result.findings, infos(), { name: options.tool, version: toolVersion(cmd), informationUri: 'https://github.com/eca-tools/plugin-eca' }, { postureScore: score.score, postureScoreLowest: score.lowest })
          : options.format === 'junit'
            ? renderJunit(
                result.findings,
                result.apps,
                infos().filter((r) => result.rules.includes(r.id) || r.id.startsWith('ECA-PRJ-00')),
                failOn === 'never' ? 'error' : failOn,
                applies,
                { app: appScore }
              )
            : undefined;
  const outputFile = options.outputFile ? resolve(process.cwd(), options.outputFile) : undefined;
  if (outputFile) writeReport(outputFile, options.outputFile ?? outputFile, report ?? `${renderHuman(result.findings, result.apps.length)}\n`);
  if (!cmd.jsonEnabled()) {
    if (report && !outputFile) process.stdout.write(report);
    else {
      cmd.log(renderHuman(result.findings, result.apps.length, terminalStyle(), terminalWidth()));
      if (result.apps.length > 0) cmd.log(checkMessages.getMessage('info.score', [score.score, score.lowest]));
    }
    if (outputFile && options.outputFile) cmd.info(options.written(options.outputFile));
  }
  if (stepSummaryFile) appendStepSummary(cmd, stepSummaryFile, report !== undefined && options.format === 'markdown' ? report : markdown());
  if (failed) process.exitCode = 1;
  return {
    findings: publicFindings(result.findings),
    summary: { ...countFindings(result.findings), apps: result.apps.length, files: filesChecked(inventory) },
    failOn,
    failed,
    ...(outputFile ? { outputFile } : {}),
    score,
  };
};

/** What each app of the report is, in plain words (the HTML report's cards). */
const summariesOf = (inventory: Inventory, profiles: ReadonlyMap<string, ClientProfile>): Map<string, AppSummary> =>
  new Map([
    ...inventory.apps.map((a): [string, AppSummary] => [a.name, summarizeApp(a, inventory.unreadable, profiles.get(a.name))]),
    ...inventory.connectedApps.map((c): [string, AppSummary] => [c.name, summarizeConnectedApp(c)]),
  ]);
