/*
 * A selection limits what is reported, never what is known: the apps, Connected Apps and findings
 * inside --source-dir. (--name scopes by the app each finding names: the engine attributes the findings
 * of unreadable files to their app, see Inventory.unreadable.)
 */
import { type ConnectedAppEntry, ECA_FILE_KINDS, type EcaApp, inSelection, type Inventory } from './inventory.js';

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
