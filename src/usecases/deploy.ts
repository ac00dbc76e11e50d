/*
 * `eca deploy`, the planning half: which apps and files a deploy sends (--name and --source-dir choose;
 * .forceignore and --include-global-settings leave files out), which error findings block it (those of
 * the apps deployed, and any unreadable file when everything is deployed), and what people must be told.
 */
import { type EcaApp, ECA_FILE_KINDS, fileOf, type Inventory } from '../core/project/inventory.js';
import { selectedApps } from '../core/project/scope.js';
import { runCheck } from '../core/rules/engine.js';
import type { Finding, RuleContext } from '../core/rules/types.js';
import { Refused } from './refused.js';

export type DeployNote =
  | { readonly key: 'warning.globalLeftOut'; readonly args: readonly [string] }
  | { readonly key: 'warning.forceignored'; readonly args: readonly [string] }
  | { readonly key: 'warning.otherOrg'; readonly args: readonly [string, string, string, string] };

export type DeployPlan = {
  readonly apps: readonly EcaApp[];
  /** Display paths of the files to send. */
  readonly files: readonly string[];
  /** Error findings that block the deploy (unless --ignore-findings). */
  readonly blocking: readonly Finding[];
  readonly notes: readonly DeployNote[];
};

export class NothingToDeploy extends Refused<{ readonly kind: 'NothingToDeploy'; readonly why: string }> {}

/** The org id part of oauthLink (<OrgId>:<ConsumerId>) or orgScopedExternalApp (<OrgId>:<AppName>). */
const orgIdOf = (value: string | undefined): string | undefined => value?.split(':')[0]?.slice(0, 15);

export const planDeploy = (
  inventory: Inventory,
  context: RuleContext,
  options: { readonly names?: readonly string[]; readonly includeGlobalSettings: boolean; readonly targetOrgId: string }
): DeployPlan => {
  const { names } = options;
  const apps: EcaApp[] = names ? inventory.apps.filter((a) => names.includes(a.name)) : selectedApps(inventory);
  const unknown = (names ?? []).filter((n) => !inventory.apps.some((a) => a.name === n));
  if (unknown.length > 0 || apps.length === 0) {
    throw new NothingToDeploy({ kind: 'NothingToDeploy', why: unknown.length > 0 ? `no app named ${unknown.join(', ')} in the project` : 'the project has no External Client App' });
  }
  const selected = new Set(apps.map((a) => a.name));
  const everything = names === undefined && inventory.selection === undefined;
  const blocking = runCheck(inventory, context).findings.filter(
    (f) => (selected.has(f.app) || (everything && f.ruleId === 'ECA-PRJ-004')) && f.severity === 'error' && !f.waived
  );
  const files: string[] = [];
  const notes: DeployNote[] = [];
  const target = options.targetOrgId.slice(0, 15);
  for (const app of apps) {
    for (const kind of ECA_FILE_KINDS) {
      if (kind === 'globalOauth' && !options.includeGlobalSettings) {
        if (app.files.globalOauth.length > 0) notes.push({ key: 'warning.globalLeftOut', args: [app.name] });
        continue;
      }
      for (const f of app.files[kind]) {
        // .forceignore decides what is deployed: SDR would drop the file silently, so say so.
        if (f.ignored) notes.push({ key: 'warning.forceignored', args: [f.path] });
        else files.push(f.path);
      }
    }
    for (const [file, element] of [
      [fileOf(app, 'oauth'), 'oauthLink'],
      [fileOf(app, 'header'), 'orgScopedExternalApp'],
    ] as const) {
      const other = orgIdOf(file?.value(element));
      if (file && other && other !== target) notes.push({ key: 'warning.otherOrg', args: [`${file.path} ${element}`, other, target, app.name] });
    }
  }
  return { apps, files, blocking, notes };
};
