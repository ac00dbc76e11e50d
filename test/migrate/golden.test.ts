/*
 * Golden tests of the Connected App → External Client App migration (the pure core).
 *
 * Each folder under test/golden/migrate/ is one case:
 *   <Name>.connectedApp-meta.xml  the Connected App, migrated as if it sat in
 *                                 force-app/main/default/connectedApps/
 *   options.json                  { "apiVersion": "66.0" | null, "harden"?: true, "ecaName"?: "…", "relink"?: true,
 *                                   "config"?: { …the "plugins.eca" configuration… } }
 *   project/<folder>/<file>       other files of the project (custom scopes, token-exchange handlers, custom
 *                                 permissions, …), relative to force-app/main/default; optional
 *   expected/<folder>/<file>      every file written (new ECA files, and with relink the project files it
 *                                 edits), relative to force-app/main/default (exact bytes)
 *   expected-parity.md            the parity report as a reviewer reads it (see parityGolden.ts:
 *                                 every row that is not a plain copy, policies, findings, errors, files)
 *
 * UPDATE_GOLDEN=1 rewrites the expected files from the current output (check every change by eye).
 * test/golden/migrate/README.md describes the layout.
 *
 * Every case also asserts the invariants: the report lists exactly the files written, every finding
 * check reports on the result is inherited from the Connected App, and no consumer key or secret of
 * the input appears in any output (files, the JSON report, the rendered parity).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { defaultBaseDir, migrateConnectedApp } from '../../src/core/migrate/migrate.js';
import type { Migration } from '../../src/core/migrate/types.js';
import { parseConfig } from '../../src/core/rules/config.js';
import { RULE_KEYS } from '../../src/core/rules/engine.js';
import { renderParity } from './parityGolden.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const GOLDEN = join(HERE, '..', 'golden', 'migrate');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const BASE = 'force-app/main/default';

type Options = { apiVersion: string | null; harden?: boolean; ecaName?: string; relink?: boolean; config?: unknown };

const walk = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir).flatMap((name) => {
        const p = join(dir, name);
        return statSync(p).isDirectory() ? walk(p) : [p];
      })
    : [];

const runCase = (dir: string): { migration: Migration; input: string; options: Options } => {
  const inputName = readdirSync(dir).find((f) => f.endsWith('.connectedApp-meta.xml'));
  if (!inputName) throw new Error(`${dir}: no .connectedApp-meta.xml`);
  const options = JSON.parse(readFileSync(join(dir, 'options.json'), 'utf8')) as Options;
  const unknown = Object.keys(options).filter((k) => !['apiVersion', 'harden', 'ecaName', 'relink', 'config'].includes(k));
  if (unknown.length > 0) throw new Error(`${dir}/options.json: unknown keys ${unknown.join(', ')}`);
  const apiVersion = options.apiVersion === null ? undefined : Number(options.apiVersion);
  const config = parseConfig(options.config === undefined ? [] : [{ source: 'options.json', value: options.config }], RULE_KEYS);
  const path = `${BASE}/connectedApps/${inputName}`;
  const input = readFileSync(join(dir, inputName), 'utf8');
  const projectDir = join(dir, 'project');
  const references = walk(projectDir).map((p) => ({ path: `${BASE}/${relative(projectDir, p).split('\\').join('/')}`, text: readFileSync(p, 'utf8') }));
  const migration = migrateConnectedApp(
    { path, text: input },
    {
      ...(options.ecaName ? { ecaName: options.ecaName } : {}),
      apiVersion,
      baseDir: defaultBaseDir(path, 'force-app'),
      harden: options.harden === true,
      references,
      relink: options.relink === true,
      ruleContext: { apiVersion, config, packageDirs: [], today: '2026-06-01' },
    }
  );
  return { migration, input, options };
};

const cases = readdirSync(GOLDEN)
  .filter((name) => statSync(join(GOLDEN, name)).isDirectory())
  .sort();

describe('migrate golden cases', () => {
  it('has at least 20 cases', () => {
    expect(cases.length).to.be.at.least(20);
  });

  for (const name of cases) {
    it(name, () => {
      const dir = join(GOLDEN, name);
      const { migration, input } = runCase(dir);
      const expectedDir = join(dir, 'expected');
      const actual = new Map([...migration.files.map((f) => [relative(BASE, f.path), f.text] as const), ...migration.relinks.map((r) => [relative(BASE, r.path), r.after] as const)]);
      const reportText = `${JSON.stringify(migration.report, null, 2)}\n`;
      const parity = renderParity(migration.report);
      const parityPath = join(dir, 'expected-parity.md');
      if (UPDATE) {
        rmSync(expectedDir, { recursive: true, force: true });
        for (const [rel, text] of actual) {
          mkdirSync(dirname(join(expectedDir, rel)), { recursive: true });
          writeFileSync(join(expectedDir, rel), text);
        }
        writeFileSync(parityPath, parity);
      }
      const expected = new Map(walk(expectedDir).map((p) => [relative(expectedDir, p).split('\\').join('/'), readFileSync(p, 'utf8')]));
      expect([...actual.keys()].sort(), 'files written').to.deep.equal([...expected.keys()].sort());
      for (const [rel, text] of actual) expect(text, rel).to.equal(expected.get(rel));
      expect(existsSync(parityPath), `${name}/expected-parity.md (UPDATE_GOLDEN=1 writes it)`).to.equal(true);
      expect(parity, `${name}/expected-parity.md`).to.equal(readFileSync(parityPath, 'utf8'));

      // Invariants.
      expect(
        migration.report.files,
        'the report lists the files written'
      ).to.deep.equal(migration.files.map(({ kind, type, fullName, path }) => ({ kind, type, fullName, path })));
      const notInherited = migration.report.findings.filter((f) => f.from === undefined);
      expect(notInherited, 'findings not inherited from the Connected App').to.deep.equal([]);
      for (const m of input.matchAll(/<(consumerKey|consumerSecret)>([^<]+)</g)) {
        const secret = m[2] as string;
        expect(reportText, `${m[1] as string} in the report`).to.not.include(secret);
        expect(parity, `${m[1] as string} in expected-parity.md`).to.not.include(secret);
        for (const [rel, text] of actual) expect(text, `${m[1] as string} in ${rel}`).to.not.include(secret);
      }
      if (migration.report.errors.length > 0) {
        expect(migration.files, 'no file for malformed input').to.deep.equal([]);
        for (const e of migration.report.errors) expect(e.path).to.match(/\.connectedApp-meta\.xml$/);
      }
    });
  }
});
