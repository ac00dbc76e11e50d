/*
 * `eca generate`: a new app from a template, checked, written through the change pipeline (with the
 * .forceignore line for the global settings when asked).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { loadConfig } from '../adapters/config.js';
import { Refused } from './refused.js';
import { displayPath, resolveProject } from '../adapters/project.js';
import { commitChanges } from '../adapters/write.js';
import { generateApp, validateGenerate } from '../core/authoring/templates.js';
import { creations, NO_CHANGES, union, type ChangeSet } from '../core/change/plan.js';
import { buildInventory } from '../core/project/inventory.js';
import { runCheck } from '../core/rules/engine.js';
import type { Finding } from '../core/rules/types.js';
import { parseApiVersion, ruleContextOf } from '../cli/check.js';

const FORCEIGNORE_LINE = '**/*.ecaGlblOauth-meta.xml';

export type GenerateRequest = {
  readonly name: string;
  readonly template: Parameters<typeof generateApp>[0]['template'];
  readonly label?: string;
  readonly description?: string;
  readonly contactEmail: string;
  readonly callbackUrls: readonly string[];
  readonly certificateFile?: string;
  readonly runAs?: string;
  readonly permissionSets?: readonly string[];
  readonly scopes?: readonly string[];
  readonly withPolicies: boolean;
  readonly apiVersion?: string;
  readonly outputDir?: string;
  readonly force: boolean;
  readonly updateForceignore: boolean;
  readonly dryRun: boolean;
  readonly config?: string;
};

export type GenerateRefusal =
  | { readonly kind: 'OutsideProject'; readonly dir: string; readonly root: string }
  | { readonly kind: 'MissingInput'; readonly lines: readonly string[] };

export class GenerateRefused extends Refused<GenerateRefusal> {}

export type GenerateRun = {
  readonly files: ReadonlyArray<{ readonly path: string; readonly type: string; readonly text: string }>;
  readonly dropped: readonly string[];
  readonly apiVersion: number | undefined;
  readonly findings: readonly Finding[];
  readonly forceignoreUpdated: boolean;
  /** Notes for people (a private key left out of --certificate). */
  readonly notes: readonly string[];
};

export const generate = async (request: GenerateRequest): Promise<GenerateRun> => {
  const project = await resolveProject(process.cwd());
  const { config } = loadConfig(project, request.config);
  const apiVersion = parseApiVersion(request.apiVersion ?? project.sourceApiVersion);
  const root = project.root ?? project.cwd;
  const defaultDir = project.packageDirs.find((p) => p.default) ?? project.packageDirs[0];
  const outDir = request.outputDir ? resolve(project.cwd, request.outputDir) : join(defaultDir?.fullPath ?? root, 'main', 'default');
  const rel = relative(root, outDir);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new GenerateRefused({ kind: 'OutsideProject', dir: request.outputDir ?? outDir, root });
  const options = {
    name: request.name,
    template: request.template,
    label: request.label,
    description: request.description,
    contactEmail: request.contactEmail,
    callbackUrls: [...request.callbackUrls],
    certificate: request.certificateFile ? readFileSync(request.certificateFile, 'utf8') : undefined,
    runAs: request.runAs,
    permissionSets: request.permissionSets ? [...request.permissionSets] : config.defaultPermissionSet ? [config.defaultPermissionSet] : [],
    scopes: request.scopes ? [...request.scopes] : undefined,
    withPolicies: request.withPolicies,
    refreshInactivity: config.maxRefreshTokenInactivity,
    apiVersion,
  };
  const problems = validateGenerate(options);
  if (problems.length > 0) throw new GenerateRefused({ kind: 'MissingInput', lines: problems.map((p) => `${p.flag}: ${p.message}`) });
  const generated = generateApp(options);
  const files = generated.map((g) => ({ path: displayPath(project, join(outDir, g.folder, g.fileName)), type: g.type.name, text: g.text }));
  const dropped = [...new Set(generated.flatMap((g) => g.dropped))];
  const findings = runCheck(buildInventory(files.map((f) => ({ path: f.path, text: f.text }))), ruleContextOf(apiVersion, config, project.packageDirs)).findings;
  const forceignore = request.updateForceignore ? forceIgnoreChange(project.cwd, join(root, '.forceignore')) : undefined;
  const set = union(creations(files, 'generate'), forceignore ?? NO_CHANGES);
  if (!request.dryRun) commitChanges(set, { cwd: project.cwd, root, overwrite: request.force });
  return { files, dropped, apiVersion, findings: [...findings], forceignoreUpdated: forceignore !== undefined && !request.dryRun, notes: generated.flatMap((g) => g.notes) };
};

/** The .forceignore line for the global settings, as a change (undefined when a line already says it). */
const forceIgnoreChange = (cwd: string, abs: string): ChangeSet | undefined => {
  const current = existsSync(abs) ? readFileSync(abs, 'utf8') : '';
  if (current.split(/\r?\n/).some((l) => l.trim() === FORCEIGNORE_LINE)) return undefined;
  const eol = current.includes('\r\n') ? '\r\n' : '\n';
  const after = `${current}${current === '' || current.endsWith('\n') ? '' : eol}# External Client App global OAuth settings: credentials, never packaged or committed${eol}${FORCEIGNORE_LINE}${eol}`;
  const path = relative(cwd, abs).split('\\').join('/');
  return { changes: [{ path, before: existsSync(abs) ? current : undefined, after, applied: [{ label: 'generate', description: `ignore ${FORCEIGNORE_LINE}` }] }], deferred: [] };
};
