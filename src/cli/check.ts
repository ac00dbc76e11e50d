/* What check and fix share: project, configuration and inventory loading, and the rule list. */
import { Flags } from '@salesforce/sf-plugins-core';
import { SfError } from '@salesforce/core';
import { loadConfig } from '../adapters/config.js';
import { loadInventory, resolveProject, type ProjectContext } from '../adapters/project.js';
import type { Severity } from '../core/model/file.js';
import type { EcaConfig } from '../core/rules/config.js';
import { ALL_RULES, EXPIRED_WAIVER_RULE, findRule, RULE_KEYS, UNREADABLE_RULE } from '../core/rules/engine.js';
import type { RuleContext } from '../core/rules/types.js';
import { readCertificate } from '../adapters/certificate.js';
import type { Inventory } from '../core/project/inventory.js';
import { scopeResult } from '../core/project/scope.js';
import { renderHuman, renderJunit, renderSarif, type RuleInfo } from '../render/report.js';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { countFindings, fails, type CheckResult } from '../core/rules/engine.js';
import type { Finding } from '../core/rules/types.js';
import { terminalStyle } from './style.js';

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

const USAGE = 2;

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

/** The context rules run in: the API version, the configuration, the package directories, today, and a certificate reader. */
export const ruleContextOf = (apiVersion: number | undefined, config: EcaConfig, packageDirs: RuleContext['packageDirs']): RuleContext => ({
  apiVersion,
  config,
  packageDirs,
  today: new Date().toISOString().slice(0, 10),
  certificates: readCertificate,
});

export const prepare = async (flags: {
  'source-dir'?: string[];
  config?: string;
  'api-version'?: string;
  rule?: string[];
}): Promise<Prepared> => {
  checkRuleKeys(flags.rule);
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

/** Whether a rule applies to an app of this inventory (for one JUnit test case per app and rule). */
export const ruleAppliesTo = (inventory: Inventory) => {
  const cas = new Set(inventory.connectedApps.map((c) => c.name));
  return (ruleId: string, app: string): boolean => {
    const rule = findRule(ruleId);
    if (!rule) return false;
    return rule.appliesTo === (cas.has(app) ? 'connectedApp' : 'eca');
  };
};

export type EcaCheckResult = {
  /** Every finding, waived ones included (marked). */
  findings: Finding[];
  /** Counts by severity; waived and fixable apart. */
  summary: { error: number; warning: number; info: number; waived: number; fixable: number; apps: number };
  /** The threshold used. */
  failOn: string;
  /** Whether a finding at or above the threshold is not waived. */
  failed: boolean;
  /** Where the report was written, with --output-file. */
  outputFile?: string;
};

type Reporter = { log(s: string): void; info(s: string): void; jsonEnabled(): boolean; config: { pjson: { version: string } } };

/**
 * Renders a check result in the requested format (to stdout or --output-file), sets the exit code
 * from the threshold and returns the typed result: what check and audit share.
 */
export const deliverReport = (
  cmd: Reporter,
  checked: CheckResult,
  inventory: Inventory,
  options: { format: 'human' | 'sarif' | 'junit'; outputFile?: string; failOn: Severity | 'never'; tool: string; written: (file: string) => string }
): EcaCheckResult => {
  const { failOn } = options;
  // A selection (--source-dir) limits what is reported, never what is known.
  const result = scopeResult(checked, inventory);
  const failed = failOn !== 'never' && fails(result.findings, failOn);
  const report =
    options.format === 'sarif'
      ? renderSarif(result.findings, ruleInfos(), { name: options.tool, version: cmd.config.pjson.version, informationUri: 'https://github.com/eca-tools/plugin-eca' })
      : options.format === 'junit'
        ? renderJunit(
            result.findings,
            result.apps,
            ruleInfos().filter((r) => result.rules.includes(r.id) || r.id.startsWith('ECA-PRJ-00')),
            failOn === 'never' ? 'error' : failOn,
            ruleAppliesTo(inventory)
          )
        : undefined;
  const outputFile = options.outputFile ? resolve(process.cwd(), options.outputFile) : undefined;
  if (outputFile) writeFileSync(outputFile, report ?? `${renderHuman(result.findings, result.apps.length)}\n`);
  if (!cmd.jsonEnabled()) {
    if (report && !outputFile) process.stdout.write(report);
    else cmd.log(renderHuman(result.findings, result.apps.length, terminalStyle()));
    if (outputFile && options.outputFile) cmd.info(options.written(options.outputFile));
  }
  if (failed) process.exitCode = 1;
  return {
    findings: [...result.findings],
    summary: { ...countFindings(result.findings), apps: result.apps.length },
    failOn,
    failed,
    ...(outputFile ? { outputFile } : {}),
  };
};
