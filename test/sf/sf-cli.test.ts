/*
 * End-to-end check of the plugin inside the real Salesforce CLI, installed the way a user installs it.
 *
 * Installs the published `@salesforce/cli` package (exact version below) into a temporary folder
 * (cached under os.tmpdir() across runs), packs this project with `npm pack` (which runs the
 * `prepack` build, as `npm publish` would), and installs the tarball with
 * `sf plugins install file://<tarball>` into a throw-away sf state (HOME, XDG_CONFIG_HOME,
 * XDG_DATA_HOME, ...): no `plugins link`, no TypeScript sources, no tsx in the sf process. sf's
 * plugin-trust hook would ask before installing an unsigned plugin from a URL; the test writes the
 * URL into `<sf configDir>/unsignedPluginAllowList.json` first, so nothing prompts (and stdin is
 * closed: a prompt would fail the install, never hang it).
 *
 * Then every local command runs through the installed plugin on copies of examples/eca-project, with
 * the exit codes and --json `status` they document. The org commands run `--help`, audit once against a
 * closed port (exit code 75), and deploy and diff against the loopback Metadata API emulator started in
 * this process (test/support/emulator), authorized under an alias in the test's HOME: 0, 20 (the org
 * answered with an error), 68 (partial deploy with --ignore-errors), 69 (--wait ran out) and 130/143
 * (SIGINT/SIGTERM to the sf process while the emulator never answers). Run with `npm run test:sf`
 * (.mocharc.sf.json).
 *
 * Needs: network access to the npm registry (the sf install on the first run, and on every run the
 * plugin's runtime dependencies, which `sf plugins install` fetches into the temp sf data dir).
 * Set ECA_KEEP_SF_TEMP=1 to keep the temp folder (tarball, HOME, project copies) for a post-mortem.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { baseEnv, sfEnv } from '../support/sf-env.js';
import { expect } from 'chai';
import { EXIT_CODES } from '../../src/cli/exitCodes.js';
import { authorizeEmulatorOrg, OrgEmulator } from '../support/emulator/index.js';

/** The @salesforce/cli release this test was verified against (latest on the npm registry at the time). */
const SF_CLI_VERSION = '2.150.6';

const INSTALL_TIMEOUT_MS = 10 * 60_000;
const BUILD_TIMEOUT_MS = 5 * 60_000;
const COMMAND_TIMEOUT_MS = 2 * 60_000;
/** How much of a child's stdout/stderr goes into an assertion message. */
const OUTPUT_TAIL_CHARS = 6000;
const PLUGIN_NAME = '@eca-tools/plugin-eca';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const exampleProject = join(projectRoot, 'examples', 'eca-project');
const pluginVersion = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** The commands that work on the project only (no org needed); the others are only asked for --help. */
const LOCAL_COMMANDS = ['list', 'show', 'check', 'fix', 'set', 'generate', 'migrate'] as const;
const ORG_COMMANDS = ['diff', 'audit', 'retrieve', 'deploy', 'baseline'] as const;
/** The exit codes of src/cli/exitCodes.ts a command can end with without an org. */
const LOCAL_EXIT_CODES: readonly number[] = [...EXIT_CODES.ok, ...EXIT_CODES.result, ...EXIT_CODES.usage];
const ALL_EXIT_CODES: readonly number[] = Object.values(EXIT_CODES).flat();
/**
 * The org codes each org command is run into through sf (the emulator block, and audit against a closed port);
 * every org code of src/cli/exitCodes.ts is in one of them.
 */
const ORG_EXIT_CODES_RUN: Readonly<Partial<Record<(typeof ORG_COMMANDS)[number], readonly number[]>>> = {
  deploy: [...EXIT_CODES.ok, ...EXIT_CODES.orgError, ...EXIT_CODES.partialDeploy, ...EXIT_CODES.stillRunning, ...EXIT_CODES.interrupted],
  diff: [...EXIT_CODES.ok, ...EXIT_CODES.orgError],
  audit: [...EXIT_CODES.orgUnreachable],
};
/** The Connected App of examples/eca-project (migrate's input). */
const CONNECTED_APP = 'Legacy_Data_Loader';

type RunResult = {
  command: string;
  cwd: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  error?: Error;
  stdout: string;
  stderr: string;
  ms: number;
};

/** `display`: how to show the command in messages, when not the literal command line; `onSpawn`: gets the child (to signal it). */
type RunOptions = { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; display?: string; onSpawn?: (child: ChildProcess) => void };

/**
 * Runs a child process with no stdin (so no prompt can ever wait for an answer) and a hard timeout.
 * On POSIX the child gets its own process group, so a timeout also kills what it spawned (npm's
 * children, for instance).
 */
function run(file: string, args: string[], { cwd, env, timeoutMs, display, onSpawn }: RunOptions): Promise<RunResult> {
  const command = display ?? [file, ...args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
  const started = Date.now();
  return new Promise((done) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let spawnError: Error | undefined;
    const posix = process.platform !== 'win32';
    const child = spawn(file, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: posix,
      // npm is a .cmd shim on Windows.
      shell: !posix && /\.cmd$/i.test(file),
      windowsHide: true,
    });
    onSpawn?.(child);
    const kill = (signal: NodeJS.Signals): void => {
      try {
        if (posix && child.pid !== undefined) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // already gone
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), 5000);
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      done({
        command,
        cwd,
        code,
        signal,
        timedOut,
        error: spawnError,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        ms: Date.now() - started,
      });
    });
  });
}

const tail = (s: string): string => (s.length > OUTPUT_TAIL_CHARS ? `[... ${s.length - OUTPUT_TAIL_CHARS} chars cut]\n${s.slice(-OUTPUT_TAIL_CHARS)}` : s);

/** Everything needed to understand a failed run, for assertion messages. */
function describeRun(r: RunResult): string {
  const status = r.timedOut ? `TIMED OUT after ${r.ms} ms` : `exit code ${String(r.code)}${r.signal ? `, signal ${r.signal}` : ''}, ${r.ms} ms`;
  return [
    `$ ${r.command}`,
    `  (cwd ${r.cwd}; ${status})`,
    ...(r.error ? [`spawn error: ${r.error.message}`] : []),
    '--- stdout ---',
    tail(r.stdout) || '(empty)',
    '--- stderr ---',
    tail(r.stderr) || '(empty)',
    '--------------',
  ].join('\n');
}

function expectSuccess(r: RunResult, what: string): void {
  expect(r.timedOut, `${what} timed out\n${describeRun(r)}`).to.equal(false);
  expect(r.code, `${what} failed\n${describeRun(r)}`).to.equal(0);
}

const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');


/**
 * How to call npm on the Node running this test: the npm CLI script that started `npm run test:sf`
 * when there is one, else whatever `npm` is on PATH (its `#!/usr/bin/env node` finds our Node first).
 */
function npmCommand(): { file: string; prefix: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath && /npm-cli\.js$/.test(execPath) && existsSync(execPath)) return { file: process.execPath, prefix: [execPath] };
  return { file: process.platform === 'win32' ? 'npm.cmd' : 'npm', prefix: [] };
}

async function runNpm(args: string[], cwd: string, timeoutMs: number): Promise<RunResult> {
  const npm = npmCommand();
  return run(npm.file, [...npm.prefix, ...args], { cwd, env: baseEnv(), timeoutMs });
}

const sfRunJs = (cliFolder: string): string => join(cliFolder, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');

function installedSfVersion(cliFolder: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(cliFolder, 'node_modules', '@salesforce', 'cli', 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * Installs @salesforce/cli@SF_CLI_VERSION once per machine: into a fresh mkdtemp folder, which is
 * renamed to the cache folder only once the install is complete (so an interrupted install is never
 * reused, and two runs at once do not install into the same folder).
 *
 * `--ignore-scripts`: sf needs none of its install scripts to run (its preinstall only refuses to
 * install next to a global sfdx-cli v7, by running `sfdx --version`), and skipping them makes the
 * install the same on every npm version (npm 11 with allowScripts skips them anyway).
 */
async function ensureSfCli(): Promise<{ folder: string; installMs?: number }> {
  const folder = join(tmpdir(), `eca-tools-sf-cli-${SF_CLI_VERSION}`);
  if (existsSync(sfRunJs(folder)) && installedSfVersion(folder) === SF_CLI_VERSION) return { folder };

  const staging = await mkdtemp(join(tmpdir(), `eca-tools-sf-cli-${SF_CLI_VERSION}-installing-`));
  try {
    const manifest = { name: 'eca-tools-sf-cli-e2e', version: '0.0.0', private: true, description: 'sf CLI for the plugin-eca e2e test', license: 'UNLICENSED' };
    await writeFile(join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const r = await runNpm(['install', '--no-audit', '--no-fund', '--no-save', '--ignore-scripts', `@salesforce/cli@${SF_CLI_VERSION}`], staging, INSTALL_TIMEOUT_MS);
    expectSuccess(r, `npm install @salesforce/cli@${SF_CLI_VERSION}`);
    expect(installedSfVersion(staging), `npm install did not leave @salesforce/cli@${SF_CLI_VERSION} in ${staging}\n${describeRun(r)}`).to.equal(SF_CLI_VERSION);
    expect(existsSync(sfRunJs(staging)), `no ${sfRunJs(staging)} after npm install\n${describeRun(r)}`).to.equal(true);

    if (existsSync(folder) && !(existsSync(sfRunJs(folder)) && installedSfVersion(folder) === SF_CLI_VERSION)) {
      await rm(folder, { recursive: true, force: true, maxRetries: 3 });
    }
    try {
      await rename(staging, folder);
    } catch (e) {
      // Another run finished its install first: use that one.
      if (!(existsSync(sfRunJs(folder)) && installedSfVersion(folder) === SF_CLI_VERSION)) throw e;
      await rm(staging, { recursive: true, force: true, maxRetries: 3 });
    }
    return { folder, installMs: r.ms };
  } catch (e) {
    await rm(staging, { recursive: true, force: true, maxRetries: 3 });
    throw e;
  }
}


type PackJson = Array<{ name: string; version: string; filename: string; files: Array<{ path: string }> }>;

/**
 * `npm pack` of the project into `dest`, as `npm publish` would pack it: npm runs the `prepack` script
 * (`npm run build`) first, so the tarball holds a lib/ and an oclif.manifest.json built from the
 * current src/. Returns the tarball's absolute path.
 */
async function packPlugin(dest: string): Promise<{ tarball: string; run: RunResult }> {
  const r = await runNpm(['pack', '--json', '--pack-destination', dest], projectRoot, BUILD_TIMEOUT_MS);
  expectSuccess(r, 'npm pack');
  // --json output on stdout; anything a lifecycle script prints before it is skipped.
  const start = r.stdout.search(/^\[/m);
  let packed: PackJson = [];
  expect(() => (packed = JSON.parse(r.stdout.slice(Math.max(start, 0))) as PackJson), `npm pack --json printed no JSON\n${describeRun(r)}`).to.not.throw();
  expect(packed, `npm pack packed ${packed.length} packages\n${describeRun(r)}`).to.have.length(1);
  const tarball = join(dest, packed[0]!.filename);
  expect(existsSync(tarball), `npm pack reported ${tarball}, which does not exist\n${describeRun(r)}`).to.equal(true);
  return { tarball, run: r };
}

/** Paths (relative, "/"-separated) and content hashes of every file below `dir`. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const abs = join(entry.parentPath, entry.name);
    files[relative(dir, abs).split(sep).join('/')] = createHash('sha256').update(readFileSync(abs)).digest('hex');
  }
  return files;
}

/** What changed between two snapshots, for assertion messages: `+ added`, `- removed`, `~ changed`. */
function snapshotDiff(before: Record<string, string>, after: Record<string, string>): string[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return paths.flatMap((p) => (before[p] === after[p] ? [] : [`${before[p] === undefined ? '+' : after[p] === undefined ? '-' : '~'} ${p}`]));
}

/** Every installed package `name` below the node_modules folder `dir` (nested ones too), as paths relative to `dir`. */
function packagesNamed(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isDirectory() && e.name === name && basename(e.parentPath) === 'node_modules')
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** `Name` of every `Name.eca-meta.xml` below `dir`. */
function ecaHeaderNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.eca-meta.xml'))
    .map((e) => e.name.slice(0, -'.eca-meta.xml'.length))
    .sort();
}

/**
 * The exit codes listed in the ERROR CODES section of a command's help ("130, 143" gives both): each code
 * starts a line, its meaning beside it or, when oclif stacks the section to fit the width, on the lines below.
 */
function helpExitCodes(help: string): number[] {
  const lines = stripAnsi(help).split('\n');
  const start = lines.findIndex((l) => l.trim() === 'ERROR CODES');
  if (start < 0) return [];
  const codes: number[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && !line.startsWith(' ')) break;
    // "  1  text", or with long texts the code alone on its line and the text indented below it
    const m = /^ {2}(\d+(?:, \d+)*)(?: {2,}\S|\s*$)/.exec(line);
    if (m) codes.push(...m[1]!.split(', ').map(Number));
  }
  return codes;
}



/** Prints sf's stderr lines that look like warnings, so they show up in the test log. */
function reportWarnings(r: RunResult): void {
  const lines = stripAnsi(r.stderr)
    .split('\n')
    .filter((l) => /(^|›|npm )\s*warn(ing)?\b|deprecat|mismatch/i.test(l));
  if (lines.length > 0) console.warn(`      sf printed on stderr for \`${r.command}\`:\n${lines.map((l) => `        ${l}`).join('\n')}`);
}

function expectExit(r: RunResult, code: number): void {
  expect(r.timedOut, `timed out\n${describeRun(r)}`).to.equal(false);
  expect(r.code, `expected exit code ${code}\n${describeRun(r)}`).to.equal(code);
}

/** A usage or result error on stderr is an sf error message, never a stack trace. */
function expectNoStack(r: RunResult): void {
  expect(r.stderr, `stack trace on stderr\n${describeRun(r)}`).to.not.match(/\n\s+at /);
}

function parseJson<T>(r: RunResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch (e) {
    throw new Error(`stdout is not JSON (${(e as Error).message})\n${describeRun(r)}`);
  }
}

/** The --json envelope: `status` is the exit code; errors add `name` and `message`. */
type Envelope<R = unknown> = { status: number; result?: R; name?: string; message?: string };
type PluginJson = { name: string; type: string; root: string; version: string; options?: { url?: string } };
type ListResult = { apps: Array<{ name: string; kind: string }>; problems: Array<{ code: string; path: string }> };
type FileChange = { path: string; changes: string[] };

describe(`plugin installed from its npm tarball into the real sf (@salesforce/cli@${SF_CLI_VERSION})`, function () {
  let cliFolder = '';
  /** Everything this run creates: the tarball, the sf HOME, the project copies. */
  let work = '';
  let home = '';
  let tarball = '';
  let tarballUrl = '';
  let tarEntries: string[] = [];
  let dataDir = '';
  /** A copy of examples/eca-project that only read-only and --dry-run commands run in. */
  let project = '';
  let projectBefore: Record<string, string> = {};
  let apps: string[] = [];
  /** sf state folders examples/eca-project had before the test ran. */
  let exampleStateBefore: string[] = [];
  /** Exit codes seen per command (`sf eca <command> ...`, not --help), local and org, for the coverage check. */
  const seen = new Map<string, Set<number>>();

  type SfOptions = { cwd?: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[]; onSpawn?: (child: ChildProcess) => void };
  const sf = async (args: string[], { cwd = project, env = {}, nodeArgs = [], onSpawn }: SfOptions = {}): Promise<RunResult> => {
    const r = await run(process.execPath, [...nodeArgs, sfRunJs(cliFolder), ...args], {
      cwd,
      env: { ...sfEnv(home), ...env },
      timeoutMs: COMMAND_TIMEOUT_MS,
      onSpawn,
      display: `sf ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`,
    });
    reportWarnings(r);
    if (args[0] === 'eca' && args[1] && !args.includes('--help') && r.code !== null) {
      seen.set(args[1], (seen.get(args[1]) ?? new Set()).add(r.code));
    }
    return r;
  };
  /** `sf eca <args> --json`: checks the exit code and that the envelope's status says the same. */
  const sfJson = async <R>(args: string[], code: number, options?: SfOptions): Promise<{ r: RunResult; out: Envelope<R> }> => {
    const r = await sf(['eca', ...args, '--json'], options);
    expectExit(r, code);
    const out = parseJson<Envelope<R>>(r);
    expect(out.status, `--json status\n${describeRun(r)}`).to.equal(code);
    return { r, out };
  };
  /** A fresh copy of examples/eca-project under the run's temp folder. */
  const copyExample = async (name: string): Promise<string> => {
    const dir = join(work, name);
    // sf state a run in examples/ may have left there (.sf, .sfdx) is not part of the example.
    await cp(exampleProject, dir, { recursive: true, filter: (from) => !/[\\/]\.sfdx?$/.test(from) });
    return dir;
  };

  before(async function () {
    this.timeout(2 * INSTALL_TIMEOUT_MS + BUILD_TIMEOUT_MS + 60_000);
    const major = Number(process.versions.node.split('.')[0]);
    expect(major, `this test runs on Node ${process.version} (${process.execPath}); run it with \`npm run test:sf\` so the project's Node 22 is used`).to.be.at.least(22);
    expect(existsSync(join(exampleProject, 'sfdx-project.json')), `${exampleProject} is missing`).to.equal(true);
    exampleStateBefore = ['.sf', '.sfdx'].filter((d) => existsSync(join(exampleProject, d)));

    let started = Date.now();
    const install = await ensureSfCli();
    cliFolder = install.folder;
    console.log(
      install.installMs === undefined
        ? `      using @salesforce/cli@${SF_CLI_VERSION} cached in ${cliFolder}`
        : `      installed @salesforce/cli@${SF_CLI_VERSION} into ${cliFolder} in ${((Date.now() - started) / 1000).toFixed(1)} s`
    );

    work = realpathSync(await mkdtemp(join(tmpdir(), 'eca-tools-sf-e2e-')));
    home = join(work, 'home');
    await mkdir(home);

    started = Date.now();
    await mkdir(join(work, 'pack'));
    tarball = (await packPlugin(join(work, 'pack'))).tarball;
    tarballUrl = pathToFileURL(tarball).href;
    const tar = await run('tar', ['tzf', tarball], { cwd: work, env: baseEnv(), timeoutMs: COMMAND_TIMEOUT_MS });
    expectSuccess(tar, 'tar tzf');
    tarEntries = tar.stdout.split('\n').filter(Boolean);
    console.log(`      packed ${tarEntries.length} files into ${tarball} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // sf's configDir is $XDG_CONFIG_HOME/sf; the trust hook reads the allow list from there.
    const configDir = join(sfEnv(home).XDG_CONFIG_HOME!, 'sf');
    await mkdir(configDir, { recursive: true });
    await writeFile(join(configDir, 'unsignedPluginAllowList.json'), `${JSON.stringify([tarballUrl], null, 2)}\n`);
    dataDir = join(sfEnv(home).XDG_DATA_HOME!, 'sf');

    started = Date.now();
    const installed = await run(process.execPath, [sfRunJs(cliFolder), 'plugins', 'install', tarballUrl], {
      cwd: home,
      env: sfEnv(home),
      timeoutMs: INSTALL_TIMEOUT_MS,
      display: `sf plugins install ${tarballUrl}`,
    });
    reportWarnings(installed);
    expectSuccess(installed, 'sf plugins install');
    // The trust hook found the URL in the allow list (it would have prompted, and failed on the closed stdin, otherwise).
    expect(stripAnsi(installed.stdout + installed.stderr), `the allow list was not used\n${describeRun(installed)}`).to.include('is allow-listed');
    console.log(`      sf plugins install took ${((Date.now() - started) / 1000).toFixed(1)} s`);

    project = await copyExample('project');
    projectBefore = snapshot(project);
    apps = ecaHeaderNames(project);
    expect(apps, `no *.eca-meta.xml in ${project}`).to.not.be.empty;
  });

  after(async () => {
    if (!work) return;
    if (process.env.ECA_KEEP_SF_TEMP) console.log(`      kept ${work} (ECA_KEEP_SF_TEMP)`);
    else await rm(work, { recursive: true, force: true, maxRetries: 3 });
  });

  describe('the tarball', () => {
    it('holds the built plugin: lib/, messages/, schemas/, oclif.manifest.json, LICENSE, README', () => {
      const all = tarEntries.join('\n');
      for (const required of ['package/package.json', 'package/LICENSE', 'package/README.md', 'package/oclif.manifest.json', 'package/bin/run.js', 'package/lib/index.js']) {
        expect(tarEntries, `${required} is not in the tarball:\n${all}`).to.include(required);
      }
      for (const command of [...LOCAL_COMMANDS, ...ORG_COMMANDS]) {
        expect(tarEntries, `lib/commands/eca/${command}.js is not in the tarball`).to.include(`package/lib/commands/eca/${command}.js`);
        expect(tarEntries, `messages/eca.${command}.md is not in the tarball`).to.include(`package/messages/eca.${command}.md`);
        expect(tarEntries, `schemas/eca-${command}.json is not in the tarball`).to.include(`package/schemas/eca-${command}.json`);
      }
      for (const dir of ['lib', 'messages', 'schemas']) {
        const inRepo = readdirSync(join(projectRoot, dir), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
        const packed = tarEntries.filter((e) => e.startsWith(`package/${dir}/`)).length;
        expect(packed, `the tarball has ${packed} of the ${inRepo} files of ${dir}/`).to.equal(inRepo);
      }
    });

    it('holds no sources, tests, tooling or TypeScript loader', () => {
      const unwanted = tarEntries.filter(
        (e) =>
          /^package\/(src|test|scripts|bench|examples|node_modules|\.ci|\.github)\//.test(e) ||
          /(^|\/)(tsconfig[^/]*\.json|\.mocharc[^/]*|eslint\.config\.[cm]?js|package-lock\.json)$/.test(e) ||
          /\.(test|spec)\.[cm]?[jt]s$/.test(e) ||
          /(^|\/)tsx(\/|$)/.test(e) ||
          (/\.[cm]?ts$/.test(e) && !/\.d\.[cm]?ts$/.test(e)) ||
          /\.tgz$/.test(e)
      );
      expect(unwanted, 'files a user does not need are in the tarball').to.deep.equal([]);
      expect(tarEntries.every((e) => e.startsWith('package/')), 'entries outside package/').to.equal(true);
    });
  });

  describe('sf plugins install', () => {
    it('lists the plugin as user-installed (not linked), with the package.json version', async () => {
      const json = await sf(['plugins', '--json']);
      expectSuccess(json, 'sf plugins --json');
      const plugins = parseJson<PluginJson[]>(json);
      const ours = plugins.find((p) => p.name === PLUGIN_NAME);
      expect(ours, `${PLUGIN_NAME} not in sf plugins --json\n${describeRun(json)}`).to.not.equal(undefined);
      const summary = JSON.stringify({ type: ours!.type, version: ours!.version, root: ours!.root, url: ours!.options?.url });
      expect(ours!.type, summary).to.equal('user');
      expect(ours!.version, summary).to.equal(pluginVersion);
      expect(ours!.options?.url, summary).to.equal(tarballUrl);
      expect(realpathSync(ours!.root), summary).to.equal(realpathSync(join(dataDir, 'node_modules', '@eca-tools', 'plugin-eca')));

      const text = await sf(['plugins']);
      expectSuccess(text, 'sf plugins');
      const line = stripAnsi(text.stdout).split('\n').find((l) => l.startsWith(`${PLUGIN_NAME} `));
      expect(line, describeRun(text)).to.equal(`${PLUGIN_NAME} ${pluginVersion}`);
    });

    it('installed the packed files and runtime dependencies only, in the temp sf data dir', async () => {
      const root = join(dataDir, 'node_modules', '@eca-tools', 'plugin-eca');
      for (const gone of ['src', 'test', 'tsconfig.json', 'scripts']) expect(existsSync(join(root, gone)), `${gone} in the installed plugin`).to.equal(false);
      const manifest = JSON.parse(await readFile(join(root, 'oclif.manifest.json'), 'utf8')) as { version: string; commands: Record<string, unknown> };
      expect(manifest.version, 'the installed oclif.manifest.json is from another version (sf would ignore it)').to.equal(pluginVersion);
      expect(Object.keys(manifest.commands).sort()).to.deep.equal([...LOCAL_COMMANDS, ...ORG_COMMANDS].map((c) => `eca:${c}`).sort());
      const loaders = ['tsx', 'ts-node', 'typescript', 'mocha'].flatMap((name) => packagesNamed(join(dataDir, 'node_modules'), name));
      expect(loaders, 'dev dependencies were installed with the plugin').to.deep.equal([]);
      const dataPjson = JSON.parse(await readFile(join(dataDir, 'package.json'), 'utf8')) as { oclif?: { plugins?: Array<{ name: string; type: string; url?: string }> } };
      expect(dataPjson.oclif?.plugins, 'sf recorded the plugin outside the temp HOME').to.deep.include({ name: PLUGIN_NAME, type: 'user', url: tarballUrl });
    });

    it('runs the installed copy: the plugin resolved in the sf data dir, no TypeScript loader in the sf process', async () => {
      const loadedFile = join(work, 'loaded-modules.json');
      const r = await sf(['eca', 'list', '--json'], {
        env: { ECA_LOADED_MODULES_FILE: loadedFile },
        nodeArgs: ['--require', join(projectRoot, 'test', 'support', 'loaded-modules.cjs')],
      });
      expectSuccess(r, 'sf eca list --json');
      const loaded = JSON.parse(await readFile(loadedFile, 'utf8')) as string[];
      expect(loaded, 'the plugin was not loaded').to.include(PLUGIN_NAME);
      expect(loaded.filter((p) => ['tsx', 'ts-node', 'esbuild', 'typescript'].includes(p)), 'TypeScript tooling loaded in sf').to.deep.equal([]);
      const inspected = await sf(['plugins', 'inspect', PLUGIN_NAME, '--json']);
      expectSuccess(inspected, 'sf plugins inspect');
      const [info] = parseJson<Array<{ root: string }>>(inspected);
      expect(realpathSync(info!.root), describeRun(inspected)).to.equal(realpathSync(join(dataDir, 'node_modules', '@eca-tools', 'plugin-eca')));
      expect(inspected.stdout, `sf resolved something of the plugin to the project folder\n${describeRun(inspected)}`).to.not.include(projectRoot);
    });

    it('runs on the @oclif/core sf bundles: sf rebuilds its configuration for the plugin on the same version, never across versions', async () => {
      // A plugin installed by `sf plugins install` has its own copy of @oclif/core; oclif rebuilds the configuration sf
      // hands to a command of another copy, and says so: "reloading config from @oclif/core@<sf's> to @oclif/core@<plugin's>".
      // That cannot be avoided for an installed plugin; what can is a rebuild across versions (with @oclif/core 5 under
      // sf's 4 the plugin paid for a second major's loading and shims on every run).
      const r = await sf(['eca', 'list', '--json'], { env: { DEBUG: 'oclif:config*' } });
      expectSuccess(r, 'sf eca list --json');
      const sfOclif = (JSON.parse(await readFile(join(cliFolder, 'node_modules', '@oclif', 'core', 'package.json'), 'utf8')) as { version: string }).version;
      const reloads = r.stderr.split('\n').filter((l) => /reloading config/.test(l));
      const across = reloads.filter((l) => !l.includes(`from @oclif/core@${sfOclif} to @oclif/core@${sfOclif}`));
      expect(across, `sf ${SF_CLI_VERSION} bundles @oclif/core ${sfOclif}: the plugin must run on it`).to.deep.equal([]);
    });
  });

  describe('sf eca list', () => {
    it('exits 0 with every app of the project (status 0)', async () => {
      const { r, out } = await sfJson<ListResult>(['list'], 0);
      expect(out.result!.apps.map((a) => a.name), describeRun(r)).to.include.members([...apps, CONNECTED_APP]);
      expect(out.result!.problems, describeRun(r)).to.deep.equal([]);
      const human = await sf(['eca', 'list']);
      expectExit(human, 0);
      for (const app of apps) expect(stripAnsi(human.stdout), describeRun(human)).to.include(app);
    });

    it('exits 1 when a file cannot be read (status 1, the problem listed)', async () => {
      const broken = await copyExample('broken');
      const file = 'force-app/main/default/externalClientApps/Broken.eca-meta.xml';
      await writeFile(join(broken, file), '<ExternalClientApplication><label>Broken\n');
      const { r, out } = await sfJson<ListResult>(['list'], 1, { cwd: broken });
      expect(out.result!.problems.map((p) => [p.code, p.path]), describeRun(r)).to.deep.include(['MalformedXml', file]);
    });

    it('exits 2 on a --source-dir that does not exist (status 2)', async () => {
      const { r, out } = await sfJson(['list', '--source-dir', 'not-there'], 2);
      expect(out.name, describeRun(r)).to.equal('SourceDirNotFoundError');
    });
  });

  describe('sf eca show', () => {
    it('exits 0 with the app (status 0)', async () => {
      const name = apps[0]!;
      const { r, out } = await sfJson<{ summary: { name: string } }>(['show', '--name', name], 0);
      expect(out.result!.summary.name, describeRun(r)).to.equal(name);
    });

    it('exits 1 for an app that is not in the project (status 1)', async () => {
      const { r, out } = await sfJson(['show', '--name', 'No_Such_App'], 1);
      expect(out.name, describeRun(r)).to.equal('AppNotFoundError');
      const human = await sf(['eca', 'show', '--name', 'No_Such_App']);
      expectExit(human, 1);
      expectNoStack(human);
    });

    it('shows `sf eca show --help`', async () => {
      const r = await sf(['eca', 'show', '--help']);
      expectSuccess(r, 'sf eca show --help');
      const help = stripAnsi(r.stdout);
      expect(help, describeRun(r)).to.include('--name');
      expect(help, describeRun(r)).to.include('--show-consumer-key');
    });
  });

  describe('sf eca check', () => {
    it('exits 1 on the example\'s findings and 0 with --fail-on never (status the same)', async () => {
      const { r, out } = await sfJson<{ findings: Array<{ ruleId: string }> }>(['check'], 1);
      expect(out.result!.findings, describeRun(r)).to.not.be.empty;
      const human = await sf(['eca', 'check']);
      expectExit(human, 1);
      expectNoStack(human);
      const never = await sfJson<{ findings: unknown[] }>(['check', '--fail-on', 'never'], 0);
      expect(never.out.result!.findings, describeRun(never.r)).to.have.length(out.result!.findings.length);
    });

    it('exits 2 on usage errors, as standalone (sf maps oclif parse errors to 1 by default)', async () => {
      const usageErrors = [
        ['check', '--fail-on', 'warnings'],
        ['check', '--format', 'sarf'],
        ['check', '--nope'],
        ['check', '--config', 'missing.json'],
        ['show', '--name'],
        ['fix', '--fail-on', 'bogus'],
        ['set', '--name', 'Order_Sync', '--all', '--dry-run'],
        ['migrate', '--name', CONNECTED_APP, '--all', '--dry-run'],
      ];
      // independent runs: side by side, checked in order
      for (const r of await Promise.all(usageErrors.map((args) => sf(['eca', ...args])))) {
        expectExit(r, 2);
        expectNoStack(r);
      }
      const json = await sfJson(['check', '--format', 'sarf'], 2);
      expect(json.out.message, describeRun(json.r)).to.include('sarf');
      // no sfdx-project.json and no --source-dir: a configuration error
      const outside = await sf(['eca', 'check'], { cwd: home });
      expectExit(outside, 2);
      expect(outside.stderr, describeRun(outside)).to.include('No sfdx-project.json was found');
    });

    it('names the plugin\'s version in SARIF (not the sf CLI\'s) and returns the rules with --list-rules --json', async () => {
      const sarif = await sf(['eca', 'check', '--format', 'sarif']);
      expectExit(sarif, 1);
      const log = parseJson<{ version: string; runs: Array<{ tool: { driver: { name: string; version: string } }; results: unknown[] }> }>(sarif);
      expect(log.version, describeRun(sarif)).to.equal('2.1.0');
      expect(log.runs[0]?.tool.driver.version, describeRun(sarif)).to.equal(pluginVersion);
      expect(pluginVersion).to.not.equal(SF_CLI_VERSION);
      expect(log.runs[0]?.results, describeRun(sarif)).to.not.be.empty;
      const { r, out } = await sfJson<{ rules: Array<{ id: string; fixClass: string }> }>(['check', '--list-rules'], 0);
      expect(out.result!.rules.find((x) => x.id === 'ECA-POL-010')?.fixClass, describeRun(r)).to.equal('breaking');
    });
  });

  describe('sf eca fix --dry-run', () => {
    it('exits 1 while findings remain, 0 with --fail-on never, and writes nothing', async () => {
      type FixResult = { changes: FileChange[]; skipped: Array<{ ruleId: string; flag: string }>; remaining: unknown[] };
      const { r, out } = await sfJson<FixResult>(['fix', '--dry-run'], 1);
      expect(out.result!.remaining, describeRun(r)).to.not.be.empty;
      expect(out.result!.skipped.map((s) => s.flag), describeRun(r)).to.include('--include-breaking');
      const never = await sfJson<FixResult>(['fix', '--dry-run', '--fail-on', 'never'], 0);
      expect(never.out.result!.remaining, describeRun(never.r)).to.deep.equal(out.result!.remaining);
      expect(snapshotDiff(projectBefore, snapshot(project)), 'fix --dry-run wrote to the project').to.deep.equal([]);
    });
  });

  describe('sf eca set --dry-run', () => {
    it('exits 0 with the change and its diff, and writes nothing', async () => {
      type SetResult = { apps: string[]; changes: FileChange[]; dryRun: boolean; diff: string };
      const { r, out } = await sfJson<SetResult>(['set', '--name', 'Partner_Portal', '--add-ip-range', '203.0.113.0/28', '--ip-range-description', 'HQ egress', '--dry-run'], 0);
      expect(out.result!.dryRun, describeRun(r)).to.equal(true);
      expect(out.result!.apps, describeRun(r)).to.deep.equal(['Partner_Portal']);
      expect(out.result!.changes.flatMap((c) => c.changes).join('\n'), describeRun(r)).to.include('trustedIpRanges');
      expect(out.result!.diff, describeRun(r)).to.include('203.0.113.0');
      expect(snapshotDiff(projectBefore, snapshot(project)), 'set --dry-run wrote to the project').to.deep.equal([]);
    });

    it('exits 1 for an app that is not in the project, 2 for an invalid value', async () => {
      const missing = await sfJson(['set', '--name', 'No_Such_App', '--ip-relaxation', 'enforce', '--dry-run'], 1);
      expect(missing.out.name, describeRun(missing.r)).to.equal('AppNotFoundError');
      const invalid = await sfJson(['set', '--name', 'Order_Sync', '--add-ip-range', 'not-a-range', '--dry-run'], 2);
      expect(invalid.out.message, describeRun(invalid.r)).to.include('not-a-range');
      expect(snapshotDiff(projectBefore, snapshot(project)), 'set wrote to the project').to.deep.equal([]);
    });
  });

  describe('sf eca generate', () => {
    const generate = (name: string): string[] => [
      'generate',
      '--name',
      name,
      '--template',
      'web-server',
      '--callback-url',
      'https://portal.example.com/oauth/callback',
      '--contact-email',
      'portal@example.com',
      '--permission-set',
      'Portal_Users',
    ];
    type GenerateResult = { name: string; files: Array<{ path: string }> };

    it('exits 0 with --dry-run and writes nothing', async () => {
      const { r, out } = await sfJson<GenerateResult>([...generate('New_Portal'), '--dry-run'], 0);
      expect(out.result!.files.map((f) => f.path), describeRun(r)).to.include('force-app/main/default/externalClientApps/New_Portal.eca-meta.xml');
      expect(snapshotDiff(projectBefore, snapshot(project)), 'generate --dry-run wrote to the project').to.deep.equal([]);
    });

    it('exits 0 writing the app (which list then finds), 1 when its files exist, 2 on an invalid name', async () => {
      const target = await copyExample('generate');
      const before = snapshot(target);
      const { r, out } = await sfJson<GenerateResult>(generate('New_Portal'), 0, { cwd: target });
      const written = out.result!.files.map((f) => f.path).sort();
      expect(snapshotDiff(before, snapshot(target)), describeRun(r)).to.deep.equal(written.map((p) => `+ ${p}`));
      const listed = await sfJson<ListResult>(['list'], 0, { cwd: target });
      expect(listed.out.result!.apps.map((a) => a.name), describeRun(listed.r)).to.include('New_Portal');

      const again = await sfJson(generate('New_Portal'), 1, { cwd: target });
      expect(again.out.name, describeRun(again.r)).to.equal('FileExistsError');
      const invalid = await sfJson(generate('not a name'), 2, { cwd: target });
      expect(invalid.out.name, describeRun(invalid.r)).to.equal('InvalidNameError');
    });
  });

  describe('sf eca migrate --dry-run', () => {
    it(`exits 0 with the External Client App files for the Connected App ${CONNECTED_APP}, and writes nothing`, async () => {
      type MigrateResult = { migrations: Array<{ connectedApp: string; eca: string; files: Array<{ type: string; path: string }> }> };
      const { r, out } = await sfJson<MigrateResult>(['migrate', '--name', CONNECTED_APP, '--dry-run'], 0);
      const migration = out.result!.migrations.find((m) => m.connectedApp === CONNECTED_APP);
      expect(migration, describeRun(r)).to.not.equal(undefined);
      expect(migration!.eca, describeRun(r)).to.equal(CONNECTED_APP);
      expect(migration!.files.map((f) => f.type), describeRun(r)).to.include('ExternalClientApplication');
      expect(snapshotDiff(projectBefore, snapshot(project)), 'migrate --dry-run wrote to the project').to.deep.equal([]);
    });

    it('exits 1 for a Connected App that is not in the project (status 1)', async () => {
      const { r, out } = await sfJson(['migrate', '--name', 'No_Such_App', '--dry-run'], 1);
      expect(out.name, describeRun(r)).to.equal('NotFoundError');
    });
  });

  describe('the org commands', () => {
    for (const command of ORG_COMMANDS) {
      it(`shows \`sf eca ${command} --help\``, async () => {
        const r = await sf(['eca', command, '--help']);
        expectSuccess(r, `sf eca ${command} --help`);
        const help = stripAnsi(r.stdout);
        expect(help, describeRun(r)).to.include(`$ sf eca ${command}`);
        expect(help, describeRun(r)).to.include('--target-org');
        expect(helpExitCodes(help), describeRun(r)).to.include.members([...EXIT_CODES.orgUnreachable]);
      });
    }

    it('keeps the exit code (75) of an org that cannot be reached while --target-org is resolved', async () => {
      const server = createServer();
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const { port } = server.address() as { port: number };
      await new Promise<void>((done) => server.close(() => done()));
      const token = '00D000000000001!AQEAQFakeTokenValueForTheTest0123456789abcdef';
      const r = await sf(['eca', 'audit', '--target-org', token], { env: { SF_ORG_INSTANCE_URL: `http://127.0.0.1:${port}` } });
      expectExit(r, 75);
      expect(r.stdout + r.stderr).to.not.include(token);
    });
  });

  describe('the org commands against the Metadata API emulator (test/support/emulator), through sf', () => {
    const ORG_ALIAS = 'emu';
    let emu: OrgEmulator;
    /** A copy of examples/eca-project for the org commands (deploy and diff write nothing locally). */
    let orgProject = '';
    /** `sf eca <command> --name Order_Sync --target-org emu <extra>`, polling every 10 ms. */
    const orgArgs = (command: 'deploy' | 'diff', extra: string[] = []): string[] => [command, '--name', 'Order_Sync', '--target-org', ORG_ALIAS, ...extra];
    const orgOptions = (env: NodeJS.ProcessEnv = {}, onSpawn?: (child: ChildProcess) => void): SfOptions => ({
      cwd: orgProject,
      env: { ECA_POLL_INTERVAL_MS: '10', ...env },
      onSpawn,
    });

    before(async () => {
      emu = new OrgEmulator();
      await emu.start();
      // Writes the auth file and alias into the sf test's HOME (HOME/.sfdx, HOME/.sf): the sf children read them
      // there (sfEnv sets the same HOME). authorizeEmulatorOrg switches this process's HOME (and the isolation
      // variables) while it runs; restore() puts them back at once and, with `home` given, keeps the folder.
      const auth = await authorizeEmulatorOrg(emu, { alias: ORG_ALIAS, home });
      await auth.restore();
      orgProject = await copyExample('org');
    });
    after(async () => {
      emu.dropHanging();
      await emu.stop();
    });
    beforeEach(() => emu.reset());
    afterEach(() => emu.dropHanging());

    it('uses the org by its alias: deploy and diff exit 0 (status 0)', async () => {
      await sfJson(orgArgs('deploy', ['--include-global-settings']), 0, orgOptions());
      expect(emu.list('ExternalClientApplication')).to.deep.equal(['Order_Sync']);
      await sfJson(orgArgs('diff'), 0, orgOptions());
    });

    it('exits 20 when the org answers with an error: deploy on an HTTP 500, diff on a SOAP fault (status 20)', async () => {
      emu.failRequests(1, { op: 'deploy' });
      const deploy = await sfJson(orgArgs('deploy'), 20, orgOptions());
      expect(deploy.out.message, describeRun(deploy.r)).to.include('answered with an error');
      expect(emu.count('deploy'), describeRun(deploy.r)).to.equal(1);
      emu.soapFault('INVALID_SESSION_ID', { op: 'listMetadata' });
      const diff = await sfJson(orgArgs('diff'), 20, orgOptions());
      expect(diff.out.name, describeRun(diff.r)).to.equal('InvalidSessionError');
      expect((diff.out as { actions?: string[] }).actions?.join('\n'), describeRun(diff.r)).to.include('Log in again');
    });

    it('exits 68 when a component fails under --ignore-errors and the rest deploys (status 68, SucceededPartial)', async () => {
      emu.failComponent('ExtlClntAppOauthConfigurablePolicies', 'Order_Sync_oauthPlcy', { problem: 'Invalid run-as user.' });
      const { r, out } = await sfJson<{ status: string }>(orgArgs('deploy', ['--ignore-errors']), 68, orgOptions());
      expect(out.result?.status, describeRun(r)).to.equal('SucceededPartial');
      expect(emu.lastDeploy()?.options, describeRun(r)).to.include({ rollbackOnError: 'false' });
    });

    it('exits 69 when the deploy still runs as --wait runs out, naming how to follow it (status 69)', async () => {
      emu.setPolling({ deploy: Infinity });
      const { r, out } = await sfJson<{ id: string; status: string }>(orgArgs('deploy'), 69, orgOptions({ ECA_WAIT_MS: '1500' }));
      const id = emu.lastDeploy()?.id ?? 'no deploy';
      expect(id, describeRun(r)).to.match(/^0Af/);
      expect(out.result, describeRun(r)).to.include({ id, status: 'InProgress' });
      expect(emu.count('checkDeployStatus'), describeRun(r)).to.be.greaterThan(1);
      // without --json, the advice names the deploy
      emu.reset().setPolling({ deploy: Infinity });
      const human = await sf(['eca', ...orgArgs('deploy')], orgOptions({ ECA_WAIT_MS: '1500' }));
      expectExit(human, 69);
      expect(human.stdout + human.stderr, describeRun(human)).to.include(`sf project deploy report --job-id ${emu.lastDeploy()?.id ?? 'no deploy'}`);
    });

    // The plugin prepends its SIGINT/SIGTERM handlers to the sf process's (src/cli/org.ts), so sf's own handling
    // does not decide the code: the signal goes to the sf node process itself (not its group), as `kill <pid>` would.
    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const) {
      it(`exits ${code} on ${signal} while the org never answers the deploy (status ${code}, InterruptedError, --json on stdout)`, async () => {
        emu.hang({ op: 'deploy' });
        let child: ChildProcess | undefined;
        const running = sf(['eca', ...orgArgs('deploy'), '--json'], orgOptions({}, (c) => (child = c)));
        let signalled = 0;
        const signalling = emu.untilHanging(60_000).then(() => {
          signalled = Date.now();
          child?.kill(signal);
        });
        const r = await running;
        await signalling.catch(() => undefined);
        expect(signalled, `the deploy request never reached the emulator\n${describeRun(r)}`).to.be.greaterThan(0);
        expect(Date.now() - signalled, `ended long after ${signal}\n${describeRun(r)}`).to.be.lessThan(5000);
        expectExit(r, code);
        expect(r.signal, describeRun(r)).to.equal(null);
        const out = parseJson<Envelope>(r);
        expect(out, describeRun(r)).to.include({ status: code, name: 'InterruptedError' });
        expect(out.message, describeRun(r)).to.include(`Interrupted (${signal})`);
      });
    }
  });

  describe('exit codes and state', () => {
    it('ran every code of src/cli/exitCodes.ts that a local command documents through sf', async () => {
      const missing: Record<string, number[]> = {};
      const helps = await Promise.all(LOCAL_COMMANDS.map((command) => sf(['eca', command, '--help'])));
      for (const [i, command] of LOCAL_COMMANDS.entries()) {
        const r = helps[i]!;
        expectSuccess(r, `sf eca ${command} --help`);
        const documented = helpExitCodes(r.stdout);
        expect(documented, `no ERROR CODES section in the help of ${command}\n${describeRun(r)}`).to.not.be.empty;
        expect(documented.filter((c) => !ALL_EXIT_CODES.includes(c)), `${command} documents codes that are not in src/cli/exitCodes.ts`).to.deep.equal([]);
        const notSeen = documented.filter((c) => LOCAL_EXIT_CODES.includes(c) && !seen.get(command)?.has(c));
        if (notSeen.length > 0) missing[command] = notSeen;
      }
      const seenAll = new Set([...seen.values()].flatMap((s) => [...s]));
      const report = JSON.stringify(Object.fromEntries([...seen].map(([c, s]) => [c, [...s].sort((a, b) => a - b)])));
      expect(missing, `documented exit codes never seen through sf (seen: ${report})`).to.deep.equal({});
      expect(LOCAL_EXIT_CODES.filter((c) => !seenAll.has(c)), `seen: ${report}`).to.deep.equal([]);
    });

    it('ran every org code of src/cli/exitCodes.ts through sf, each documented by the command that ended with it', async () => {
      const commands = Object.keys(ORG_EXIT_CODES_RUN) as Array<keyof typeof ORG_EXIT_CODES_RUN>;
      const helps = await Promise.all(commands.map((command) => sf(['eca', command, '--help'])));
      const missing: Record<string, number[]> = {};
      for (const [i, command] of commands.entries()) {
        const r = helps[i]!;
        expectSuccess(r, `sf eca ${command} --help`);
        const documented = helpExitCodes(r.stdout);
        const expected = ORG_EXIT_CODES_RUN[command]!;
        expect(expected.filter((c) => !documented.includes(c)), `${command} ends with codes its help does not document\n${describeRun(r)}`).to.deep.equal([]);
        const notSeen = expected.filter((c) => !seen.get(command)?.has(c));
        if (notSeen.length > 0) missing[command] = notSeen;
      }
      const report = JSON.stringify(Object.fromEntries([...seen].map(([c, s]) => [c, [...s].sort((a, b) => a - b)])));
      expect(missing, `org exit codes never seen through sf (seen: ${report})`).to.deep.equal({});
      const orgCodes = ALL_EXIT_CODES.filter((c) => !LOCAL_EXIT_CODES.includes(c));
      const seenOrg = new Set(ORG_COMMANDS.flatMap((c) => [...(seen.get(c) ?? [])]));
      expect(orgCodes.filter((c) => !seenOrg.has(c)), `seen: ${report}`).to.deep.equal([]);
    });

    it('leaves the project copy as it was and keeps all sf state in the temp HOME', () => {
      expect(snapshotDiff(projectBefore, snapshot(project)), `sf changed ${project}`).to.deep.equal([]);
      expect(['.sf', '.sfdx'].filter((d) => existsSync(join(exampleProject, d))), `sf created state folders in ${exampleProject}`).to.deep.equal(exampleStateBefore);
    });
  });
});
