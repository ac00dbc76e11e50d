/*
 * A selection (--name) limits what is reported, never what is known: which problems of the project
 * concern the selected apps. A file that cannot be read names no app, so it is attributed by its
 * name (the org names child files <App>_…); duplicates and orphans name their app.
 */
import type { Problem } from '../model/file.js';

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
