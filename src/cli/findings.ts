/*
 * A finding as every command's --json result shows it: the documented fields only. The core's Finding also carries
 * the fix's element edits (FixEdit, NewElement), which are the planner's input, not a contract; they stay inside.
 * Every command that returns findings maps them here (publicFindings), at the boundary.
 */
import type { Severity } from '../core/model/file.js';
import type { Finding, FixClass, RuleCategory } from '../core/rules/types.js';

/** The automatic fix of a finding, as a pipeline sees it. */
export type EcaFindingFix = {
  /** What the fix does, in a sentence. */
  description: string;
  /** safe: no client notices ("sf eca fix" applies it); breaking: clients may have to change (only with --include-breaking). */
  class: FixClass;
  /** The flag the fix also needs: remove-secrets (--remove-secrets). */
  requires?: 'remove-secrets';
  /** The file the fix edits (display path). */
  path: string;
};

/** One finding in a --json result. */
export type EcaFinding = {
  /** The rule's id, e.g. ECA-POL-010. */
  ruleId: string;
  /** The rule's name, e.g. ip-relaxation-enforce. */
  rule: string;
  /** The severity, after the configuration's overrides. */
  severity: Severity;
  /** The rule's category. */
  category: RuleCategory;
  /** The app (or Connected App) the finding is about. */
  app: string;
  /** The file (display path). */
  path: string;
  /** Line of the element the finding points at (1-based). */
  line: number;
  /** Column of that element (1-based). */
  col: number;
  /** What is wrong. */
  message: string;
  /** The value found (never a secret). */
  actual?: string;
  /** The value expected. */
  expected?: string;
  /** How to resolve it when no automatic fix applies (or in addition to it). */
  action?: string;
  /** The automatic fix, when there is a certain one. */
  fix?: EcaFindingFix;
  /** Set when a waiver of the configuration covers the finding. */
  waived?: { reason: string; expires?: string };
};

/** The documented shape of one finding. */
export const publicFinding = (f: Finding): EcaFinding => ({
  ruleId: f.ruleId,
  rule: f.rule,
  severity: f.severity,
  category: f.category,
  app: f.app,
  path: f.path,
  line: f.line,
  col: f.col,
  message: f.message,
  ...(f.actual !== undefined ? { actual: f.actual } : {}),
  ...(f.expected !== undefined ? { expected: f.expected } : {}),
  ...(f.action !== undefined ? { action: f.action } : {}),
  ...(f.fix
    ? { fix: { description: f.fix.description, class: f.fix.class, ...(f.fix.requires ? { requires: f.fix.requires } : {}), path: f.fix.path } }
    : {}),
  ...(f.waived ? { waived: { reason: f.waived.reason, ...(f.waived.expires !== undefined ? { expires: f.waived.expires } : {}) } } : {}),
});

/** The documented shape of each finding, in order. */
export const publicFindings = (findings: readonly Finding[]): EcaFinding[] => findings.map(publicFinding);
