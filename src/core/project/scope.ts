/*
 * A selection (--name) limits what is reported, never what is known: which problems of the project
 * concern the selected apps. A file that cannot be read names no app, so it is attributed by its
 * name (the org names child files <App>_…); duplicates and orphans name their app.
 */
import type { Problem } from '../model/file.js';
import { type ConnectedAppEntry, ECA_FILE_KINDS, type EcaApp, inSelection, type Inventory } from './inventory.js';

const fullNameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1).replace(/\.[A-Za-z]+(-meta\.xml)?$/, '');

/** Whether a file's name says it belongs to an app (the app's own name, or <App>_…). */
export const namedFor = (fullName: string, app: string): boolean => fullName === app || fullName.startsWith(`${app}_`);

/** Whether a problem concerns one of the apps. */
export const problemConcerns = (problem: Problem, apps: ReadonlySet<string>): boolean => {
  const name = fullNameOf(problem.path);
  for (const app of apps) {
    if (namedFor(name, app)) return true;
    if (/^(DuplicatePolicies|DuplicateFile|OrphanFile)$/.test(problem.code) && new RegExp(`\\bapp ${app.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(problem.message)) return true;
  }
  return false;
};

/** Whether a finding's app (for an unreadable file: the file's name) concerns one of the apps. */
export const findingConcerns = (finding: { readonly app: string; readonly ruleId: string }, apps: ReadonlySet<string>): boolean =>
  apps.has(finding.app) || (finding.ruleId === 'ECA-PRJ-004' && [...apps].some((a) => namedFor(finding.app, a)));

/** The apps with a file inside the selection (every app without --source-dir). */
export const selectedApps = (inventory: Inventory): EcaApp[] =>
  inventory.apps.filter((app) => ECA_FILE_KINDS.some((k) => app.files[k].some((f) => inSelection(inventory, f.path))));

/** The Connected Apps whose file is inside the selection. */
export const selectedConnectedApps = (inventory: Inventory): ConnectedAppEntry[] => inventory.connectedApps.filter((c) => inSelection(inventory, c.file.path));

/** Findings to report: those of files inside the selection, and those about the configuration. */
export const inScope = (inventory: Inventory, finding: { readonly path: string; readonly ruleId: string }): boolean =>
  inSelection(inventory, finding.path) || finding.ruleId === 'ECA-PRJ-005';

/** A check result as a selection reports it: the findings and apps inside it (unchanged without --source-dir). */
export const scopeResult = <R extends { readonly findings: readonly F[]; readonly apps: readonly string[] }, F extends { readonly path: string; readonly ruleId: string }>(
  result: R,
  inventory: Inventory
): R => {
  if (inventory.selection === undefined) return result;
  const apps = new Set([...selectedApps(inventory).map((a) => a.name), ...selectedConnectedApps(inventory).map((c) => c.name)]);
  return { ...result, findings: result.findings.filter((f) => inScope(inventory, f)), apps: result.apps.filter((a) => apps.has(a)) };
};
