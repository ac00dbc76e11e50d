/*
 * Drift from a baseline as findings (`sf eca audit --baseline <file>`): each field the org now holds otherwise than
 * the baseline says is a finding of one rule, ECA-DRF-001 matches-baseline, so the audit's reports (human, SARIF,
 * JUnit, markdown, HTML) and exit codes (--fail-on) carry it like any other; the configuration can give it another
 * severity, turn it off or waive it per app. A finding points at the org's file and the element's line when the org
 * still has them. Pure.
 */
import type { Severity } from '../model/file.js';
import { ECA_FILE_KINDS, type EcaFileKind, type Inventory } from '../project/inventory.js';
import type { EcaConfig } from '../rules/config.js';
import { configuredFor, ruleIsOff } from '../rules/configured.js';
import type { Finding } from '../rules/types.js';
import type { BaselineDifference } from './baseline.js';

export const DRIFT_RULE = {
  id: 'ECA-DRF-001',
  name: 'matches-baseline',
  severity: 'warning' as Severity,
  category: 'baseline' as const,
  summary: 'Every app of the org holds what the baseline (sf eca baseline) recorded: no field, file or app changed since.',
  rationale:
    'A policy changed in Setup, by another pipeline or by an attacker with admin access does not show in source control: the baseline is the reviewed state, and a difference from it is either a change to review (then write a new baseline) or a change to undo. The global OAuth settings cannot be queried, so what the baseline says of them is as of its retrieve.',
  helpUri: 'https://github.com/eca-tools/plugin-eca#sf-eca-baseline',
};

const shown = (v: string | undefined): string => (v === undefined ? '(none)' : v);

/** The org file and line a difference points at, when the org still has the file (else its org: name). */
const locate = (d: BaselineDifference, remote: Inventory): { path: string; line: number; col: number } => {
  const app = remote.apps.find((a) => a.name === d.app);
  const file = app && (ECA_FILE_KINDS as readonly string[]).includes(d.kind) ? app.files[d.kind as EcaFileKind][0] : undefined;
  if (!file) return { path: `org:${d.kind === 'header' ? 'ExternalClientApplication' : d.kind}/${d.orgName ?? d.baselineName ?? d.app}`, line: 1, col: 1 };
  const m = /^([^[/]+)(?:\[(\d+)\])?/.exec(d.element);
  const el = m ? file.elements(m[1] as string)[Number(m[2] ?? 1) - 1] : undefined;
  return { path: file.path, line: el?.line ?? 1, col: el?.col ?? 1 };
};

/** The drift findings of a baseline comparison (remote: the org's files, as retrieved). */
export const driftFindings = (
  differences: readonly BaselineDifference[],
  remote: Inventory,
  config: Pick<EcaConfig, 'rules' | 'waivers'>,
  options: { readonly today: string; readonly only?: readonly string[] }
): Finding[] => {
  if (ruleIsOff(DRIFT_RULE, config)) return [];
  if (options.only && !options.only.some((k) => k === DRIFT_RULE.id || k === DRIFT_RULE.name)) return [];
  return differences.map((d): Finding => {
    const where = d.element === '(app)' ? 'the app' : d.element === '(file)' || d.element === '(name)' ? `its ${d.kind} file` : d.element;
    return {
      ruleId: DRIFT_RULE.id,
      rule: DRIFT_RULE.name,
      category: DRIFT_RULE.category,
      app: d.app,
      ...locate(d, remote),
      message: `${where} differs from the baseline: the baseline says ${shown(d.local)}, the org holds ${shown(d.org)}${d.note ? ` (${d.note})` : ''}`,
      ...(d.local !== undefined ? { expected: d.local } : {}),
      ...(d.org !== undefined ? { actual: d.org } : {}),
      action: 'Review the change: undo it in the org (deploy the reviewed source), or accept it and write a new baseline (sf eca baseline).',
      ...configuredFor(DRIFT_RULE, d.app, config, options.today),
    };
  });
};
