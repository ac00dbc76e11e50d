/*
 * The entry points on a Node that is too old. Below 22.19 the dependencies crash while loading
 * ("TypeError: Cannot read properties of undefined (reading 'bind')"); bin/run.js and bin/dev.js check
 * process.versions.node before they import anything and say, in one line on stderr, what to do instead.
 *
 * The npm scripts put the project's Node 22 first on PATH, so the old Node is looked up explicitly:
 * $ECA_OLD_NODE, then every `node` on PATH and the usual install places, the first one older than 22.19
 * wins. Without one, those tests are skipped (the title says why); the version boundary itself is tested
 * on the current Node by faking process.versions.node before the entry point runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { expect } from 'chai';
import { EXAMPLE_PROJECT, PROJECT_ROOT } from '../support/helpers.js';

const ENTRY_POINTS = ['bin/run.js', 'bin/dev.js'] as const;
const MESSAGE = /^@eca-tools\/plugin-eca needs Node\.js 22\.19 or later; this is Node (\d+\.\d+\.\d+)\. .*npm scripts.*Node 22.*install Node 22\.19 or later\.\n$/;

const isTooOld = (version: string): boolean => {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return major < 22 || (major === 22 && minor < 19);
};

type OldNode = { readonly path: string; readonly version: string };

/** The first Node binary older than 22.19 on this machine, and every binary looked at. */
const findOldNode = (): { found?: OldNode; looked: string[] } => {
  const current = realpathSync(process.execPath);
  const candidates = [
    process.env.ECA_OLD_NODE,
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'node')),
    '/usr/bin/node',
    '/usr/local/bin/node',
    '/bin/node',
    '/opt/homebrew/bin/node',
  ].filter((p): p is string => Boolean(p));
  const seen = new Set<string>([current]);
  const looked: string[] = [];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    if (seen.has(real)) continue;
    seen.add(real);
    const r = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 10_000 });
    const version = r.status === 0 ? r.stdout.trim() : '';
    looked.push(`${candidate}${version ? ` (${version})` : ''}`);
    if (/^\d+\.\d+\.\d+$/.test(version) && isTooOld(version)) return { found: { path: candidate, version }, looked };
  }
  return { looked };
};

const run = (node: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(node, args, { cwd: EXAMPLE_PROJECT, encoding: 'utf8', timeout: 60_000, env: { ...env, SF_DISABLE_TELEMETRY: 'true', NO_COLOR: '1' } });

/** `--import` of a data: module that makes process.versions.node say `version` before the entry point runs. */
const fakeVersion = (version: string): string[] => [
  '--import',
  `data:text/javascript,${encodeURIComponent(`Object.defineProperty(process.versions, 'node', { value: '${version}' });`)}`,
];

describe('entry points on a Node older than 22.19', function () {
  this.timeout(120_000);
  const { found: old, looked } = findOldNode();
  const onOldNode = old ? it : it.skip;
  const where = old ? `${old.path}, Node ${old.version}` : `skipped: no Node older than 22.19 found (looked at ${looked.join(', ') || 'nothing'}; set ECA_OLD_NODE)`;

  for (const entry of ENTRY_POINTS) {
    for (const args of [[], ['eca', 'list']]) {
      onOldNode(`${[entry, ...args].join(' ')} exits 1 with one line saying which Node is needed (${where})`, () => {
        const r = run(old!.path, [join(PROJECT_ROOT, entry), ...args]);
        expect(r.status, r.stderr).to.equal(1);
        expect(r.stdout).to.equal('');
        expect(r.stderr).to.match(MESSAGE);
        expect(MESSAGE.exec(r.stderr)?.[1]).to.equal(old!.version);
        expect(r.stderr).to.not.include('TypeError');
      });
    }
  }

  onOldNode(`bin/dev.js run through its #! line with the old Node first on PATH says the same (${where})`, () => {
    const PATH = [dirname(old!.path), process.env.PATH].join(delimiter);
    const r = run(join(PROJECT_ROOT, 'bin', 'dev.js'), ['eca', 'list'], { ...process.env, PATH });
    expect(r.status, r.stderr).to.equal(1);
    expect(r.stderr).to.match(MESSAGE);
  });
});

describe('entry points: the Node version check', function () {
  this.timeout(120_000);

  for (const entry of ENTRY_POINTS) {
    it(`${entry} refuses Node 22.18.0 and 20.20.0, and runs on 22.19.0`, () => {
      for (const version of ['22.18.0', '20.20.0']) {
        const r = run(process.execPath, [...fakeVersion(version), join(PROJECT_ROOT, entry), '--version']);
        expect(r.status, `${version}: ${r.stderr}`).to.equal(1);
        expect(r.stderr).to.match(MESSAGE);
        expect(MESSAGE.exec(r.stderr)?.[1]).to.equal(version);
      }
      const tsx = entry === 'bin/dev.js' ? ['--import=tsx'] : [];
      const r = run(process.execPath, [...tsx, ...fakeVersion('22.19.0'), join(PROJECT_ROOT, entry), '--version']);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.include('@eca-tools/plugin-eca/0.1.0');
      expect(r.stderr).to.not.include('needs Node.js');
    });

    it(`${entry} checks before it imports anything, in syntax old Node parses (no static import, no top-level await)`, () => {
      const source = readFileSync(join(PROJECT_ROOT, entry), 'utf8');
      const code = source
        .split('\n')
        .filter((line) => !/^\s*(\/\/|#!)/.test(line))
        .join('\n');
      expect(code).to.not.match(/^\s*import\s/m);
      expect(code).to.not.match(/^\s*(export\s|await\s)/m);
      expect(code.indexOf('process.versions.node')).to.be.lessThan(code.indexOf('import('));
    });
  }

  it('bin/dev.js runs through its #! line on the current Node', () => {
    const PATH = [dirname(process.execPath), process.env.PATH].join(delimiter);
    const r = run(join(PROJECT_ROOT, 'bin', 'dev.js'), ['--version'], { ...process.env, PATH });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include('@eca-tools/plugin-eca/0.1.0');
  });
});
