/*
 * `eca audit`: the org's apps retrieved and checked by the catalog; with --usage, how they are used (SOQL figures
 * evaluated by the usage rules); with --baseline, how they drifted from a baseline (one finding per field). One
 * result the reports render like check's.
 */
import type { Connection } from '@salesforce/core';
import type { Timing } from '../adapters/org.js';
import { buildInventory, fileOf, type Inventory } from '../core/project/inventory.js';
import type { EcaConfig } from '../core/rules/config.js';
import { compareFindings, runCheck, type CheckResult } from '../core/rules/engine.js';
import type { Finding, RuleContext } from '../core/rules/types.js';
import { compareBaseline, type Baseline, type BaselineDifference } from '../core/sync/baseline.js';
import { DRIFT_RULE, driftFindings } from '../core/sync/drift.js';
import { evaluateUsage, type UsageResult, type UsageSource } from '../core/usage/evaluate.js';
import { findUsageRule } from '../core/usage/rules.js';

type Step = <T>(label: string, work: () => Promise<T>, done?: (r: T) => string) => Promise<T>;

export type AuditRun = {
  readonly inventory: Inventory;
  /** The day the rules judged by (UTC), YYYY-MM-DD. */
  readonly today: string;
  /** The catalog's findings, with the usage and drift findings when asked, in one list. */
  readonly checked: CheckResult;
  /** Which apps the rules outside the catalog (usage, drift) apply to: a JUnit test case per app and rule. */
  readonly appliesTo: (ruleId: string, app: string) => boolean;
  readonly usage?: UsageResult & { readonly unknown: readonly UsageSource[]; readonly truncated: readonly UsageSource[]; readonly requests: number };
  readonly drift?: readonly BaselineDifference[];
};

/** Findings of several sources in one list, in the engine's order (path, line, column, rule). */
const mergeFindings = (...lists: ReadonlyArray<readonly Finding[]>): Finding[] => lists.flat().sort(compareFindings);

/** The retrieved file a usage finding about an app points at: the ECA's header, the Connected App's file (by name or label). */
const pathOf = (inventory: Inventory) => (kind: 'eca' | 'connectedApp', name: string): string | undefined => {
  if (kind === 'eca') return inventory.apps.find((a) => a.name === name)?.files.header[0]?.path;
  const entry = inventory.connectedApps.find((c) => c.name.toLowerCase() === name.toLowerCase() || c.file.value('label')?.toLowerCase() === name.toLowerCase());
  return entry?.file.path;
};

/** The retrieved OAuth policies file of an app, as the usage rules compare it with what the org enforces. */
const policiesFileOf = (inventory: Inventory) => (name: string): { path: string; value: (e: string) => string | undefined; line: (e: string) => number | undefined } | undefined => {
  const app = inventory.apps.find((a) => a.name === name);
  const file = app ? fileOf(app, 'oauthPolicies') : undefined;
  return file ? { path: file.path, value: (e) => file.value(e), line: (e) => file.elements(e)[0]?.line } : undefined;
};

export const auditOrg = async (
  conn: Connection,
  config: EcaConfig,
  context: (apiVersion: number) => RuleContext,
  options: { readonly orgName: string; readonly timing: () => Timing; readonly only?: readonly string[]; readonly usage: boolean; readonly baseline?: Baseline },
  step: Step
): Promise<AuditRun> => {
  const { retrieveApps } = await import('../adapters/org.js');
  const fetched = await step(
    `Retrieving the External Client Apps and Connected Apps of ${options.orgName}`,
    () => retrieveApps(conn, undefined, options.timing(), { connectedApps: true }),
    (r) => `${r.sources.length} file(s)`
  );
  const inventory = buildInventory(fetched.sources.map((s) => ({ ...s, path: `org:${s.path}` })));
  const ctx = context(Number(conn.getApiVersion()));
  const catalog = runCheck(inventory, ctx, { only: options.only });
  const lists: Finding[][] = [[...catalog.findings]];
  const rules = [...catalog.rules];
  const applies: Array<(ruleId: string, app: string) => boolean> = [];

  let usage: AuditRun['usage'];
  if (options.usage) {
    // The figures (SOQL), evaluated in the core.
    const { readUsage } = await import('../adapters/usage.js');
    const read = await step(`Reading how the apps of ${options.orgName} are used`, () => readUsage(conn, { ...options.timing(), loginDays: config.usage.loginDays }), (r) => `${r.requests} request(s)`);
    const evaluated = evaluateUsage(read.figures, config, { today: ctx.today, only: options.only, pathOf: pathOf(inventory), policiesFile: policiesFileOf(inventory) });
    usage = { ...evaluated, unknown: read.figures.unknown, truncated: read.truncated, requests: read.requests };
    lists.push([...evaluated.findings]);
    rules.push(...evaluated.rules);
    const ecaNames = new Set(evaluated.apps.map((a) => a.name));
    const caNames = new Set(evaluated.connectedApps.map((c) => c.name));
    applies.push((ruleId, app) => {
      const rule = findUsageRule(ruleId);
      return rule !== undefined && ((ecaNames.has(app) && rule.appliesTo.includes('eca')) || (caNames.has(app) && rule.appliesTo.includes('connectedApp')));
    });
  }

  let drift: AuditRun['drift'];
  if (options.baseline) {
    // Drift from the baseline, field by field, as findings of one rule (off, severity and waivers from the configuration).
    drift = compareBaseline(options.baseline, inventory);
    const found = driftFindings(drift, inventory, config, { today: ctx.today, only: options.only });
    lists.push(found);
    if (found.length > 0 || !options.only || options.only.some((k) => k === DRIFT_RULE.id || k === DRIFT_RULE.name)) rules.push(DRIFT_RULE.id);
    const baselineApps = new Set([...Object.keys(options.baseline.apps), ...inventory.apps.map((a) => a.name)]);
    applies.push((ruleId, app) => ruleId === DRIFT_RULE.id && baselineApps.has(app));
  }

  return {
    inventory,
    today: ctx.today,
    checked: { ...catalog, findings: mergeFindings(...lists), rules },
    appliesTo: (ruleId, app) => applies.some((f) => f(ruleId, app)),
    ...(usage ? { usage } : {}),
    ...(drift ? { drift } : {}),
  };
};
