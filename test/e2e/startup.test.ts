import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { copyExample, PROJECT_ROOT, tempDir } from '../support/helpers.js';

/**
 * Packages the commands that need no org must never load: SDR and what only it brings (jszip comes
 * with @salesforce/core itself), and fast-xml-parser, which the codec does not need at run time.
 */
const HEAVY = ['@salesforce/source-deploy-retrieve', '@salesforce/source-tracking', 'archiver', 'fast-xml-parser'];
/** Commands that always write new files load fast-xml-parser's XMLBuilder (SDR's writer) and its dependencies. */
const WRITES_NEW_FILES = new Set(['generate', 'migrate']);
const XML_BUILDER = new Set(['fast-xml-parser', 'fast-xml-builder', '@nodable/entities', 'anynum', 'is-unsafe', 'xml-naming', 'strnum', 'path-expression-matcher']);
/**
 * Packages a command may load beyond the sf-plugins-core import floor: our own light dependencies,
 * oclif's runner, and the log transport @salesforce/core starts when a command runs.
 */
const LIGHT_EXTRAS = new Set([
  'ignore',
  'diff',
  'ansis',
  'is-docker',
  'is-inside-container',
  'is-wsl',
  'powershell-utils',
  'wsl-utils',
  'pino-abstract-transport',
  'process',
  'real-require',
  'split2',
  'string_decoder',
  'readable-stream',
  'safe-buffer',
]);

const loaded = (args: string[], cwd: string): string[] => {
  const out = join(tempDir(), 'modules.json');
  const r = spawnSync(process.execPath, ['--require', join(PROJECT_ROOT, 'test/support/loaded-modules.cjs'), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ECA_LOADED_MODULES_FILE: out, SF_DISABLE_TELEMETRY: 'true' },
  });
  expect(r.status, r.stderr).to.be.oneOf([0, 1]);
  return JSON.parse(readFileSync(out, 'utf8')) as string[];
};

describe('start-up: what the commands that need no org load', () => {
  let floor: Set<string>;
  before(() => {
    floor = new Set(loaded([join(PROJECT_ROOT, 'bench/floor.mjs')], PROJECT_ROOT));
  });

  const commands: Array<[string, string[]]> = [
    ['list', ['eca', 'list']],
    ['show', ['eca', 'show', '-n', 'Order_Sync']],
    ['check', ['eca', 'check']],
    ['fix', ['eca', 'fix', '--dry-run']],
    ['set', ['eca', 'set', '-n', 'Partner_Portal', '--pkce', 'on', '--dry-run']],
    ['migrate', ['eca', 'migrate', '-n', 'Legacy_Data_Loader', '--dry-run']],
    ['generate', ['eca', 'generate', '-n', 'X', '-t', 'web-server', '-e', 'a@example.com', '--callback-url', 'https://x.example.com', '--permission-set', 'P', '--dry-run']],
  ];
  for (const [name, args] of commands) {
    it(`${name} loads no heavy module and nothing beyond the sf-plugins-core floor but light extras`, () => {
      const packages = loaded([join(PROJECT_ROOT, 'bin/run.js'), ...args], copyExample());
      const allowed = (p: string): boolean => WRITES_NEW_FILES.has(name) && XML_BUILDER.has(p);
      expect(packages.filter((p) => HEAVY.includes(p) && !allowed(p))).to.deep.equal([]);
      const extras = packages.filter((p) => !floor.has(p) && !LIGHT_EXTRAS.has(p) && !allowed(p));
      expect(extras, `loaded beyond the floor: ${extras.join(', ')}`).to.deep.equal([]);
    });
  }
});
