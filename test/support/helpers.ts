import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLE_PROJECT = join(PROJECT_ROOT, 'examples', 'eca-project');
/** Real ECA and Connected App files from public repositories, vendored with their provenance (test/fixtures/README.md). */
export const CORPUS = join(PROJECT_ROOT, 'test', 'fixtures', 'corpus');

/** A fresh temporary folder. */
export const tempDir = (prefix = 'eca-test-'): string => mkdtempSync(join(tmpdir(), prefix));

/** Writes files (relative path → content) under a folder, creating parents. */
export const writeTree = (root: string, files: Readonly<Record<string, string>>): string => {
  for (const [rel, content] of Object.entries(files)) {
    const full = join(root, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
};

/** A copy of the example project in a temporary folder. */
export const copyExample = (): string => {
  const dir = tempDir('eca-example-');
  cpSync(EXAMPLE_PROJECT, dir, { recursive: true });
  return dir;
};

export const SFDX_PROJECT = JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' });

export const NS = 'http://soap.sforce.com/2006/04/metadata';

/** A metadata file: root element with 4-space indented leaf children, as Salesforce writes them. */
export const xmlFile = (root: string, fields: ReadonlyArray<[string, string]>): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${fields
    .map(([k, v]) => `    <${k}>${v}</${k}>\n`)
    .join('')}</${root}>\n`;

export type RunResult = { code: number; stdout: string; stderr: string };

/** Runs the built CLI (bin/run.js) as a user would, in `cwd`. */
export const runCli = (args: readonly string[], cwd: string, env: Record<string, string> = {}): RunResult => {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'run.js'), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    // GITHUB_STEP_SUMMARY unset: a test run inside GitHub Actions must not append to the job's summary.
    env: { ...process.env, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true', NO_COLOR: '1', GITHUB_STEP_SUMMARY: '', ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

/** Every file under a folder (relative path → text), to assert that nothing else changed. */
export const snapshot = (dir: string): Map<string, string> => {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(p.slice(dir.length + 1), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
};
