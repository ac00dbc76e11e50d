/*
 * Robustness: every Connected App of the corpus (real files from public repositories, test/fixtures/corpus/)
 * migrates at every API version, hardened or not, without crashing — or yields errors that name the
 * file and line. No credential of the input reaches any output, every finding check reports on the
 * result is inherited from the Connected App, and the files written read back as the ECA types.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { defaultBaseDir, migrateConnectedApp } from '../../src/core/migrate/migrate.js';
import { isProblem, MetadataFile } from '../../src/core/model/file.js';
import { DEFAULT_CONFIG } from '../../src/core/rules/config.js';
import { CORPUS } from '../support/helpers.js';

const DIR = join(CORPUS, 'connectedApp');
const VERSIONS = [undefined, 59, 60, 61, 62, 63, 65, 66];

describe('migrate: the Connected App corpus', function () {
  this.timeout(120_000);
  const files = existsSync(DIR) ? readdirSync(DIR).sort() : [];

  it('has Connected Apps to migrate', () => {
    expect(files.length).to.be.greaterThan(20);
  });

  for (const f of files) {
    it(f, () => {
      const text = readFileSync(join(DIR, f), 'utf8');
      const name = (f.split('__').pop() as string).replace(/\.connectedApp(-meta\.xml)?$/, '');
      const path = `force-app/main/default/connectedApps/${name}.connectedApp-meta.xml`;
      const credentials = [...text.matchAll(/<(consumerKey|consumerSecret)>([^<]+)</g)].map((m) => m[2] as string);
      for (const apiVersion of VERSIONS) {
        for (const harden of [false, true]) {
          const what = `${f} at API ${apiVersion ?? 'unknown'}${harden ? ' --harden' : ''}`;
          const m = migrateConnectedApp(
            { path, text },
            { apiVersion, baseDir: defaultBaseDir(path, 'force-app'), harden, ruleContext: { apiVersion, config: DEFAULT_CONFIG, packageDirs: [], today: '2026-06-01' } }
          );
          const r = m.report;
          if (r.errors.length > 0) {
            expect(m.files, what).to.deep.equal([]);
            for (const e of r.errors) {
              expect(e.path, what).to.equal(path);
              expect(e.line, what).to.be.a('number');
            }
            continue;
          }
          expect(m.files.length, what).to.be.greaterThan(0);
          expect(r.findings.filter((x) => x.from === undefined), `${what}: findings not inherited`).to.deep.equal([]);
          const out = JSON.stringify(r) + m.files.map((x) => x.text).join('\n');
          for (const c of credentials) expect(out, `${what}: a credential leaked`).to.not.include(c);
          for (const file of m.files) {
            if (file.kind === 'samlPolicies' || file.kind === 'canvas') continue;
            const read = MetadataFile.read(file.path, file.text);
            expect(isProblem(read), `${what}: ${file.path} reads back`).to.equal(false);
          }
          // Every Connected App element is accounted for: mapped, defaulted or listed as not migrated.
          expect(r.fields.length, what).to.be.greaterThan(0);
        }
      }
    });
  }
});
