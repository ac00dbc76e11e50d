/*
 * Runs the rules over every app of an inventory, applies the configuration (severity overrides,
 * waivers) and turns unreadable files into findings. Pure: the caller supplies the context.
 */
import type { Problem, Severity } from '../model/file.js';
import { type Inventory, ORG_SETTINGS_APP, releaseApp, UNREADABLE_CODES } from '../project/inventory.js';
import { fieldAvailability, fieldOf } from '../model/schema.js';
import { connectedAppParityRules } from './catalog/connected-app-parity.js';
import { flowRules } from './catalog/flows.js';
import { orgSettingsRules } from './catalog/org-settings.js';
import { pluginTypeRules } from './catalog/plugins.js';
import { policiesRules } from './catalog/policies.js';
import { projectRules } from './catalog/project.js';
import { schemaRules } from './catalog/schema.js';
import { settingsRules } from './catalog/settings.js';
import { clientProfile, type ClientProfile } from './profile.js';
import { USAGE_RULE_KEYS } from '../usage/rules.js';
import { DRIFT_RULE } from '../sync/drift.js';
import type { Finding, NewFinding, Rule, RuleContext, RuleFixClass, Unit } from './types.js';

export const ALL_RULES: readonly Rule[] = [
  ...schemaRules,
  ...policiesRules,
  ...settingsRules,
  ...flowRules,
  ...pluginTypeRules,
  ...projectRules,
  ...connectedAppParityRules,
  ...orgSettingsRules,
];

/** The private-key rule, which the engine also runs on files that cannot be read. */
const PRIVATE_KEY_RULE_ID = 'ECA-PRJ-006';

/** Findings about the project itself rather than one rule of one app. */
export const UNREADABLE_RULE = {
  id: 'ECA-PRJ-004',
  name: 'readable-files',
  severity: 'error' as Severity,
  summary: 'Every ECA and Connected App file is well-formed XML of the type its name claims.',
  rationale: 'A file that cannot be read cannot be checked, and fails the deploy.',
};
export const EXPIRED_WAIVER_RULE = {
  id: 'ECA-PRJ-005',
  name: 'waivers-current',
  severity: 'warning' as Severity,
  summary: 'Waivers in the configuration have not expired.',
  rationale: 'An expired waiver means a finding someone accepted for a time is back; renew it with a reason or fix the app.',
};

/**
 * Rule ids and names, for validating configuration keys and --rule values. The usage rules of `audit --usage`
 * (src/core/usage/rules.ts) are among them: they are not run here, but they can be set off, given a severity or waived.
 */
export const RULE_KEYS: ReadonlySet<string> = new Set([
  ...ALL_RULES.flatMap((r) => [r.id, r.name]),
  ...USAGE_RULE_KEYS,
  DRIFT_RULE.id,
  DRIFT_RULE.name,
  UNREADABLE_RULE.id,
  UNREADABLE_RULE.name,
  EXPIRED_WAIVER_RULE.id,
  EXPIRED_WAIVER_RULE.name,
]);

/** Whether a rule applies to an app of this client profile (Rule.clients, Rule.alsoPackaged). */
export const appliesToProfile = (rule: Pick<Rule, 'clients' | 'alsoPackaged'>, profile: Pick<ClientProfile, 'kind' | 'packaged'>): boolean =>
  !rule.clients || rule.clients.includes(profile.kind) || (rule.alsoPackaged === true && profile.packaged);

export const findRule = (key: string): Rule | undefined => ALL_RULES.find((r) => r.id === key || r.name === key);

/** A finding's fix class: its fix's class, or `manual` when it carries no fix (e.g. dropped for the API version). */
export const fixClassOf = (finding: Pick<Finding, 'fix'>): RuleFixClass => finding.fix?.class ?? 'manual';

/** The fix class of a rule (for --list-rules); `manual` for the engine's own rules and unknown ids. */
export const ruleFixClass = (key: string): RuleFixClass => findRule(key)?.fixClass ?? 'manual';

export type CheckOptions = {
  /** Only these rules (ids or names). */
  readonly only?: readonly string[];
  /** Where the configuration came from, for findings about it. */
  readonly configPath?: string;
};

export type CheckResult = {
  readonly findings: readonly Finding[];
  /** Names of the apps checked (ECAs then Connected Apps). */
  readonly apps: readonly string[];
  /** Ids of the rules that ran. */
  readonly rules: readonly string[];
  /** The client profile of each External Client App checked, by name (which rules applied to it). */
  readonly profiles: ReadonlyMap<string, ClientProfile>;
};

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

export const atLeast = (severity: Severity, threshold: Severity): boolean => SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];

const problemApp = (p: Problem): string => {
  const base = p.path.slice(p.path.lastIndexOf('/') + 1);
  return base.replace(/\.[A-Za-z]+(-meta\.xml)?$/, '');
};

/**
 * A fix that would write an element the API version rejects is no fix: it is dropped, and the finding
 * says what to do instead.
 */
const fitFixToVersion = (nf: NewFinding, apiVersion: number | undefined): NewFinding => {
  if (!nf.fix || apiVersion === undefined) return nf;
  const rejected = nf.fix.edits
    .map((e) => (e.op === 'set' && e.child === undefined ? e.element : e.op === 'add' ? e.node.name : undefined))
    .filter((name): name is string => name !== undefined)
    .filter((name) => {
      const field = fieldOf(nf.file.type, name);
      return field !== undefined && fieldAvailability(field, apiVersion) === 'no';
    });
  if (rejected.length === 0) return nf;
  return {
    ...nf,
    fix: undefined,
    action: `${nf.action ? `${nf.action} ` : ''}API ${apiVersion.toFixed(1)} does not accept ${rejected.join(', ')}: raise sourceApiVersion to fix it.`,
  };
};

export const runCheck = (inventory: Inventory, context: RuleContext, options: CheckOptions = {}): CheckResult => {
  const ctx: RuleContext = {
    ...context,
    ecaAppNames: new Set(inventory.apps.filter((a) => !a.orphan).map((a) => a.name)),
    unreadable: inventory.unreadable,
  };
  const unreadableApp = new Map((ctx.unreadable ?? []).map((u) => [u.path, u.app]));
  const overrides = ctx.config.rules;
  const active = ALL_RULES.filter((r) => {
    if (options.only && !options.only.some((k) => k === r.id || k === r.name)) return false;
    return (overrides[r.id] ?? overrides[r.name]) !== 'off';
  });
  const units: Unit[] = [
    ...inventory.apps.map((app): Unit => ({ kind: 'eca', name: app.name, app })),
    ...inventory.connectedApps.map((entry): Unit => ({ kind: 'connectedApp', name: entry.name, entry })),
    // The org settings are one unit, checked once; it is no app (not in CheckResult.apps).
    ...(inventory.orgSettings.length > 0 ? [{ kind: 'org', name: ORG_SETTINGS_APP, files: inventory.orgSettings } as const] : []),
  ];
  const findings: Finding[] = [];
  const profiles = new Map<string, ClientProfile>();
  const usedWaivers = new Set<number>();
  const add = (rule: Pick<Rule, 'id' | 'name' | 'severity'> & { category: Finding['category'] }, app: string, f: Omit<Finding, 'ruleId' | 'rule' | 'category' | 'app'>): void => {
    const severity = (overrides[rule.id] ?? overrides[rule.name] ?? f.severity) as Severity;
    const waiverIndex = ctx.config.waivers.findIndex(
      (w) => w.app === app && (w.rule === '*' || w.rule === rule.id || w.rule === rule.name)
    );
    const waiver = waiverIndex >= 0 ? ctx.config.waivers[waiverIndex] : undefined;
    const expired = waiver?.expires !== undefined && waiver.expires < ctx.today;
    if (waiver && !expired) usedWaivers.add(waiverIndex);
    findings.push({
      ruleId: rule.id,
      rule: rule.name,
      category: rule.category,
      app,
      ...f,
      severity,
      ...(waiver && !expired ? { waived: { reason: waiver.reason, ...(waiver.expires ? { expires: waiver.expires } : {}) } } : {}),
    });
  };
  // The active rules of each kind of unit, in their order (each unit is offered only its own).
  const activeFor = new Map<Unit['kind'], Rule[]>();
  for (const rule of active) {
    const list = activeFor.get(rule.appliesTo);
    if (list) list.push(rule);
    else activeFor.set(rule.appliesTo, [rule]);
  }
  // One report callback for every rule of every unit (the rule and unit it reports for are set before each call).
  let current: Rule = active[0] as Rule;
  let currentUnit: Unit = units[0] as Unit;
  const report = (raw: NewFinding): void => {
    const rule = current;
    const { file, at, severity, ...rest } = fitFixToVersion(raw, ctx.apiVersion);
    add(rule, currentUnit.name, {
      ...rest,
      severity: severity ?? rule.severity,
      path: file.path,
      line: at?.line ?? file.root.line,
      col: at?.col ?? file.root.col,
    });
  };
  for (const unit of units) {
    const profile = unit.kind === 'eca' ? clientProfile(unit.app, ctx.config) : undefined;
    if (profile) profiles.set(unit.name, profile);
    currentUnit = unit;
    for (const rule of activeFor.get(unit.kind) ?? []) {
      if (profile && !appliesToProfile(rule, profile)) continue;
      current = rule;
      rule.check(unit, ctx, report);
    }
    // Rules read the parsed trees; they are dropped again after the unit (memory at 10,000 apps).
    if (unit.kind === 'eca') releaseApp(unit.app);
    else if (unit.kind === 'connectedApp') unit.entry.file.release();
    else for (const f of unit.files) f.release();
  }
  const unreadableOn = (!options.only || options.only.some((k) => k === UNREADABLE_RULE.id || k === UNREADABLE_RULE.name)) &&
    (overrides[UNREADABLE_RULE.id] ?? overrides[UNREADABLE_RULE.name]) !== 'off';
  if (unreadableOn) {
    for (const p of inventory.problems) {
      if (!UNREADABLE_CODES.has(p.code)) continue;
      add({ ...UNREADABLE_RULE, category: 'project' }, unreadableApp.get(p.path) ?? problemApp(p), {
        severity: UNREADABLE_RULE.severity,
        path: p.path,
        line: p.line ?? 1,
        col: p.col ?? 1,
        message: p.message,
      });
    }
  }
  // A private key in a file that cannot be read is still a committed key (the rule cannot see the file).
  const keyRule = active.find((r) => r.id === PRIVATE_KEY_RULE_ID);
  if (keyRule) {
    for (const u of ctx.unreadable ?? []) {
      if (u.privateKeyLine === undefined) continue;
      add(keyRule, u.app ?? problemApp(u.problem), {
        severity: keyRule.severity,
        path: u.path,
        line: u.privateKeyLine,
        col: 1,
        message: 'the file holds a private key (it is not shown); it cannot be read as XML either',
        action: 'Consider the key leaked: replace it, remove it from the file and from the repository history.',
      });
    }
  }
  const waiverRuleOn = (overrides[EXPIRED_WAIVER_RULE.id] ?? overrides[EXPIRED_WAIVER_RULE.name]) !== 'off' && !options.only;
  if (waiverRuleOn) {
    ctx.config.waivers.forEach((w, i) => {
      if (w.expires === undefined || w.expires >= ctx.today || usedWaivers.has(i)) return;
      add({ ...EXPIRED_WAIVER_RULE, category: 'project' }, w.app, {
        severity: EXPIRED_WAIVER_RULE.severity,
        path: options.configPath ?? 'sfdx-project.json',
        line: 1,
        col: 1,
        message: `the waiver of ${w.rule} for ${w.app} ("${w.reason}") expired on ${w.expires}`,
        action: 'Fix the finding, or renew the waiver with a new expiry date and reason.',
      });
    });
  }
  findings.sort(compareFindings);
  return { findings, apps: units.filter((u) => u.kind !== 'org').map((u) => u.name), rules: active.map((r) => r.id), profiles };
};

/** The order of findings in every report: path, line, column, rule. */
export const compareFindings = (a: Pick<Finding, 'path' | 'line' | 'col' | 'ruleId'>, b: Pick<Finding, 'path' | 'line' | 'col' | 'ruleId'>): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.col - b.col || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);

/** Counts of findings by severity, waived ones apart. */
export const countFindings = (findings: readonly Finding[]): Record<Severity | 'waived' | 'fixable', number> => {
  const c = { error: 0, warning: 0, info: 0, waived: 0, fixable: 0 };
  for (const f of findings) {
    if (f.waived) c.waived++;
    else c[f.severity]++;
    if (f.fix && !f.waived) c.fixable++;
  }
  return c;
};

/** True when a finding at or above the threshold is not waived. */
export const fails = (findings: readonly Finding[], threshold: Severity): boolean =>
  findings.some((f) => !f.waived && atLeast(f.severity, threshold));
