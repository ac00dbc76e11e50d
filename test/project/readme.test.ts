/*
 * README.md's command reference (between <!-- commands --> and <!-- commandsstop -->) is what `oclif readme` makes of
 * the commands now: the test runs the package.json "readme" script's own command with --dry-run (one generation,
 * about 0.5 s; nothing written) and compares the section. oclif reads the commands from oclif.manifest.json and lib/,
 * so it needs the build (npm test builds first); a missing or older build is named as such, not reported as a stale
 * README.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../support/helpers.js';

const START = '<!-- commands -->';
const STOP = '<!-- commandsstop -->';
const MANIFEST = join(PROJECT_ROOT, 'oclif.manifest.json');
const HINT = 'run `npm run readme` (after `npm run build`) and commit README.md';

/**
 * The text between the markers, each on a line of its own (oclif readme prints "replacing <!-- commands --> in …"
 * before the README), or undefined when they are not both there.
 */
const section = (text: string): string | undefined =>
  new RegExp(`^${START}\n([\\s\\S]*?)^${STOP}$`, 'm').exec(text)?.[1]?.trim();

/** The "readme" script, split into its environment (COLUMNS=120: oclif wraps help at $COLUMNS) and oclif's arguments (readme …). */
const readmeScript = (): { env: Record<string, string>; args: string[] } => {
  const pjson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = (pjson.scripts.readme ?? '').trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Z_]+=\S*$/.test(words[0])) {
    const [name, value] = words.shift()!.split('=') as [string, string];
    env[name] = value;
  }
  expect(words.slice(0, 2), 'package.json "readme" must be `[VAR=value …] oclif readme <flags>`').to.deep.equal(['oclif', 'readme']);
  return { env, args: words.slice(1) };
};

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

/** Why the build cannot be used to generate the reference, or undefined when it can. */
const buildProblem = (): string | undefined => {
  if (!existsSync(join(PROJECT_ROOT, 'lib', 'commands'))) return 'lib/ is missing';
  if (!existsSync(MANIFEST)) return 'oclif.manifest.json is missing';
  const built = statSync(MANIFEST).mtimeMs;
  const newer = ['src', 'messages']
    .flatMap((d) => filesUnder(join(PROJECT_ROOT, d)))
    .find((f) => statSync(f).mtimeMs > built);
  return newer ? `oclif.manifest.json is older than ${relative(PROJECT_ROOT, newer)}` : undefined;
};

/** Where the two differ, in a few lines (the whole section is some 800 lines). */
const firstDifference = (committed: string, generated: string): string => {
  const a = committed.split('\n');
  const b = generated.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i < 0 ? a.length : i;
  const line = (l: string | undefined): string => (l === undefined ? '(end of section)' : JSON.stringify(l));
  return `first difference at line ${at + 1} of the section (README.md has ${a.length} lines, oclif readme makes ${b.length}):\n  README.md:   ${line(a[at])}\n  oclif readme: ${line(b[at])}`;
};

describe('README.md command reference (oclif readme)', function () {
  this.timeout(60_000);

  it(`is what oclif readme generates from the commands (${HINT})`, async () => {
    const problem = buildProblem();
    if (problem) expect.fail(`${problem}: run \`npm run build\` first (npm test builds before the tests)`);
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const committed = section(readme);
    expect(committed, `README.md needs the markers ${START} … ${STOP} (the "Command reference" section)`).to.be.a('string');

    const { env, args } = readmeScript();
    const oclif = join(dirname(createRequire(import.meta.url).resolve('oclif/package.json')), 'bin', 'run.js');
    const { stdout } = await promisify(execFile)(process.execPath, [oclif, ...args, '--dry-run'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    const generated = section(stdout);
    expect(generated, `oclif readme --dry-run printed no ${START} section:\n${stdout.slice(0, 500)}`).to.be.a('string');
    if (generated !== committed) expect.fail(`README.md's command reference is not current: ${HINT}.\n${firstDifference(committed!, generated!)}`);
  });
});
