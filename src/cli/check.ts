/* What check and fix share: project, configuration and inventory loading, and the rule list. */
import { Flags } from '@salesforce/sf-plugins-core';
import { SfError } from '@salesforce/core';
import { loadConfig } from '../adapters/config.js';
import { loadInventory, resolveProject, type ProjectContext } from '../adapters/project.js';
import type { Severity } from '../core/model/file.js';
import type { EcaConfig } from '../core/rules/config.js';
import { ALL_RULES, EXPIRED_WAIVER_RULE, findRule, RULE_KEYS, UNREADABLE_RULE } from '../core/rules/engine.js';
import type { RuleContext } from '../core/rules/types.js';
import type { Inventory } from '../core/project/inventory.js';
import type { RuleInfo } from '../render/report.js';

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
    ruleContext: {
      apiVersion,
      config,
      packageDirs: project.packageDirs,
      today: new Date().toISOString().slice(0, 10),
    },
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
