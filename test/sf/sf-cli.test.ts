/*
 * End-to-end check of the plugin inside the real Salesforce CLI.
 *
 * Installs the published `@salesforce/cli` package (exact version below) into a temporary folder,
 * links this project into it with `sf plugins link <root> --no-install`, and runs `sf eca ...`
 * through the real `bin/run.js`, with a throw-away HOME so the user's sf config, auth files,
 * keychain and plugin list are never touched. Run with `npm run test:sf` (.mocharc.sf.json).
 *
 * Needs: network access to the npm registry on the first run (later runs on the same machine reuse
 * the install cached under os.tmpdir()), and a built plugin (lib/ + oclif.manifest.json; the
 * `before` hook runs `npm run build` only when one of them is missing, so rebuild yourself after
 * changing src/).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

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

/** `display`: how to show the command in messages, when not the literal command line. */
type RunOptions = { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; display?: string };

/**
 * Runs a child process with no stdin (so no prompt can ever wait for an answer) and a hard timeout.
 * On POSIX the child gets its own process group, so a timeout also kills what it spawned (npm's
 * children, for instance).
 */
function run(file: string, args: string[], { cwd, env, timeoutMs, display }: RunOptions): Promise<RunResult> {
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
 * The environment of every child: the Node 22 running this test first on PATH (child npm and
 * `#!/usr/bin/env node` scripts then run on it, not on an older system node), and none of the
 * variables that would make a child behave differently from a plain shell: the npm run-script
 * variables of our own `npm run test:sf`, inherited sf/oclif settings, NODE_OPTIONS, DEBUG.
 */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_(lifecycle_|package_)|npm_command$|npm_execpath$|npm_node_execpath$|npm_config_local_prefix$|INIT_CWD$)/i.test(key)) continue;
    if (/^(SF_|SFDX_|OCLIF_|NODE_OPTIONS$|NODE_ENV$|DEBUG$|FORCE_COLOR$)/i.test(key)) continue;
    env[key] = value;
  }
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  env[pathKey] = [dirname(process.execPath), env[pathKey]].filter(Boolean).join(delimiter);
  env.NODE = process.execPath;
  return env;
}

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

/** Newest modification time of the files under `dir` (0 when it does not exist). */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds the plugin when lib/ or the manifest is missing; only warns when they are older than src/. */
async function ensureBuilt(): Promise<void> {
  const manifest = join(projectRoot, 'oclif.manifest.json');
  const commands = join(projectRoot, 'lib', 'commands');
  if (!existsSync(manifest) || !existsSync(commands)) {
    const r = await runNpm(['run', 'build'], projectRoot, BUILD_TIMEOUT_MS);
    expectSuccess(r, 'npm run build');
  }
  expect(existsSync(manifest), `${manifest} is missing after the build`).to.equal(true);
  const pjsonVersion = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const manifestVersion = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  expect(manifestVersion, 'oclif.manifest.json is from another version of the plugin (sf would ignore it): run `npm run build`').to.equal(pjsonVersion);
  if (newestMtime(join(projectRoot, 'src')) > statSync(manifest).mtimeMs) {
    console.warn('      warning: src/ has changed since the last build; this test runs lib/ (run `npm run build` first).');
  }
}

/** `Name` of every `Name.eca-meta.xml` below `dir`, skipping tool folders. */
function ecaHeaderNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const names: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) names.push(...ecaHeaderNames(path));
    else if (entry.isFile() && entry.name.endsWith('.eca-meta.xml')) names.push(basename(entry.name, '.eca-meta.xml'));
  }
  return names;
}

/** The External Client Apps `sf eca list` should find in an sfdx project: headers in its package directories. */
function expectedApps(project: string): string[] {
  const config = JSON.parse(readFileSync(join(project, 'sfdx-project.json'), 'utf8')) as { packageDirectories?: Array<{ path: string }> };
  const dirs = (config.packageDirectories ?? []).map((d) => join(project, d.path));
  return [...new Set(dirs.flatMap(ecaHeaderNames))].sort();
}

/** A minimal sfdx project with one External Client App header, for when examples/eca-project is absent. */
async function createDemoProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'eca-tools-sf-project-'));
  await writeFile(
    join(dir, 'sfdx-project.json'),
    `${JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }, null, 2)}\n`
  );
  const ecaDir = join(dir, 'force-app', 'main', 'default', 'externalClientApps');
  await mkdir(ecaDir, { recursive: true });
  await writeFile(
    join(ecaDir, 'Demo.eca-meta.xml'),
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<ExternalClientApplication xmlns="http://soap.sforce.com/2006/04/metadata">',
      '    <contactEmail>admin@example.com</contactEmail>',
      '    <distributionState>Local</distributionState>',
      '    <label>Demo</label>',
      '</ExternalClientApplication>',
      '',
    ].join('\n')
  );
  return dir;
}

/**
 * Environment of every `sf` run: a throw-away HOME (and XDG dirs under it) so sf reads and writes
 * no user config, auth file, log or plugin list, and nothing that talks to the network or waits:
 *
 * - SF_USE_GENERIC_UNIX_KEYCHAIN: file-based "keychain" under HOME, never the OS keychain.
 * - SF_DISABLE_TELEMETRY: no telemetry upload.
 * - SF_DISABLE_AUTOUPDATE *and* SF_AUTOUPDATE_DISABLE: sf 2.150.x only maps its own
 *   SF_AUTOUPDATE_DISABLE to the oclif one (SF_DISABLE_AUTOUPDATE, read by @oclif/plugin-update's init
 *   hook) for installer builds. For an npm install with only SF_AUTOUPDATE_DISABLE=true, the hook
 *   still spawns `sf update --autoupdate` in the background (here: "Warning: spawn sf ENOENT").
 * - SF_SKIP_NEW_VERSION_CHECK: no registry request from @oclif/plugin-warn-if-update-available.
 * - SFDX_DISABLE_DNS_CHECK / SF_DISABLE_DNS_CHECK: no DNS lookups of org domains.
 * - NODE_ENV=production: what a user has; with "test"/"development" oclif would also try to load
 *   sf's devPlugins. (It does NOT stop oclif from transpiling a *linked* plugin's TypeScript: see sfArgs.)
 * - FORCE_COLOR=0: plain text for the help assertions.
 */
function sfEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...baseEnv(),
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    NODE_ENV: 'production',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SFDX_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_DISABLE_TELEMETRY: 'true',
    SFDX_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SFDX_DISABLE_DNS_CHECK: 'true',
    SF_DISABLE_DNS_CHECK: 'true',
    FORCE_COLOR: '0',
  };
}

/**
 * `node <sf>/bin/run.js ...` on the Node running this test, with one node flag:
 * `globalThis.oclif = { enableAutoTranspile: false }`, oclif's own setting, preloaded.
 *
 * Why: for a plugin of type "link", @oclif/core 4 (sf 2.150.x) looks up the TypeScript sources
 * whatever NODE_ENV says (ts-path.js skips that lookup in production for every plugin type but
 * "link"), and since our package.json has tsx in devDependencies and a tsconfig.json with
 * rootDir src / outDir lib, it registers the project's tsx loader inside the sf process and maps
 * lib/commands to src/commands. The commands then still come from lib/ only because
 * oclif.manifest.json records their compiled paths. The setting keeps the tsx loader out of the
 * sf process, so what runs is exactly the built plugin, as a user would install it.
 */
function sfArgs(cliFolder: string, args: string[]): string[] {
  const settings = 'globalThis.oclif = Object.assign(globalThis.oclif ?? {}, { enableAutoTranspile: false });';
  return [`--import=data:text/javascript,${encodeURIComponent(settings)}`, sfRunJs(cliFolder), ...args];
}

/** Prints sf's stderr lines that look like warnings, so they show up in the test log. */
function reportWarnings(r: RunResult): void {
  const lines = stripAnsi(r.stderr)
    .split('\n')
    .filter((l) => /warn|deprecat|mismatch/i.test(l));
  if (lines.length > 0) console.warn(`      sf printed on stderr for \`${r.command.split('   [=')[0]}\`:\n${lines.map((l) => `        ${l}`).join('\n')}`);
}

type ListJson = { status: number; result: { apps: Array<{ name: string; kind: string }>; problems: unknown[] } };
type PluginJson = { name: string; type: string; root: string };

describe(`plugin inside the real sf (@salesforce/cli@${SF_CLI_VERSION})`, function () {
  let cliFolder = '';
  let home = '';
  let tempProject: string | undefined;
  let project = '';
  let apps: string[] = [];
  /** sf state folders the project had before the test ran. */
  let stateBefore: string[] = [];

  const sf = (args: string[], cwd = project): Promise<RunResult> =>
    run(process.execPath, sfArgs(cliFolder, args), {
      cwd,
      env: sfEnv(home),
      timeoutMs: COMMAND_TIMEOUT_MS,
      display: `sf ${args.join(' ')}   [= ${process.execPath} --import=<enableAutoTranspile:false> ${sfRunJs(cliFolder)} ...]`,
    }).then((r) => {
      reportWarnings(r);
      return r;
    });

  before(async function () {
    this.timeout(INSTALL_TIMEOUT_MS + BUILD_TIMEOUT_MS + 3 * COMMAND_TIMEOUT_MS + 60_000);
    const major = Number(process.versions.node.split('.')[0]);
    expect(major, `this test runs on Node ${process.version} (${process.execPath}); run it with \`npm run test:sf\` so the project's Node 22 is used`).to.be.at.least(22);

    await ensureBuilt();

    const started = Date.now();
    const install = await ensureSfCli();
    cliFolder = install.folder;
    console.log(
      install.installMs === undefined
        ? `      using @salesforce/cli@${SF_CLI_VERSION} cached in ${cliFolder}`
        : `      installed @salesforce/cli@${SF_CLI_VERSION} into ${cliFolder} in ${((Date.now() - started) / 1000).toFixed(1)} s`
    );

    home = await mkdtemp(join(tmpdir(), 'eca-tools-sf-home-'));

    // Without --no-install, `plugins link` runs `npm install` in our project (it has a
    // package-lock.json), which would rewrite the node_modules other people are working in.
    const linkHelp = await sf(['plugins', 'link', '--help'], home);
    expectSuccess(linkHelp, 'sf plugins link --help');
    expect(stripAnsi(linkHelp.stdout), `this sf has no --no-install flag on plugins link\n${describeRun(linkHelp)}`).to.include('--[no-]install');

    const link = await sf(['plugins', 'link', projectRoot, '--no-install'], home);
    expectSuccess(link, 'sf plugins link');

    if (existsSync(join(exampleProject, 'sfdx-project.json'))) {
      project = exampleProject;
    } else {
      tempProject = await createDemoProject();
      project = tempProject;
    }
    stateBefore = ['.sf', '.sfdx'].filter((d) => existsSync(join(project, d)));
    apps = expectedApps(project);
    expect(apps, `no *.eca-meta.xml in the package directories of ${project}`).to.not.be.empty;
  });

  after(async () => {
    if (home) await rm(home, { recursive: true, force: true, maxRetries: 3 });
    if (tempProject) await rm(tempProject, { recursive: true, force: true, maxRetries: 3 });
  });

  it('lists the linked plugin in `sf plugins`', async () => {
    const text = await sf(['plugins']);
    expectSuccess(text, 'sf plugins');
    expect(stripAnsi(text.stdout), describeRun(text)).to.match(/@eca-tools\/plugin-eca \S+ \(link\)/);

    const json = await sf(['plugins', '--json']);
    expectSuccess(json, 'sf plugins --json');
    let plugins: PluginJson[] = [];
    expect(() => (plugins = JSON.parse(json.stdout) as PluginJson[]), `sf plugins --json printed no JSON\n${describeRun(json)}`).to.not.throw();
    const ours = plugins.find((p) => p.name === PLUGIN_NAME);
    expect(ours, `${PLUGIN_NAME} not in sf plugins --json\n${describeRun(json)}`).to.not.equal(undefined);
    expect(ours!.type).to.equal('link');
    expect(realpathSync(ours!.root)).to.equal(realpathSync(projectRoot));
  });

  it('runs `sf eca list --json` in an sfdx project', async () => {
    const r = await sf(['eca', 'list', '--json']);
    expectSuccess(r, 'sf eca list --json');
    let out: ListJson | undefined;
    expect(() => (out = JSON.parse(r.stdout) as ListJson), `stdout is not JSON\n${describeRun(r)}`).to.not.throw();
    expect(out!.status, describeRun(r)).to.equal(0);
    const names = out!.result.apps.map((a) => a.name);
    expect(names, describeRun(r)).to.include.members(apps);
  });

  it('runs `sf eca show --name <app> --json`', async () => {
    const name = apps[0]!;
    const r = await sf(['eca', 'show', '--name', name, '--json']);
    expectSuccess(r, `sf eca show --name ${name} --json`);
    const out = JSON.parse(r.stdout) as { status: number; result: { summary: { name: string } } };
    expect(out.status, describeRun(r)).to.equal(0);
    expect(out.result.summary.name, describeRun(r)).to.equal(name);
  });

  it('shows `sf eca show --help`', async () => {
    const r = await sf(['eca', 'show', '--help']);
    expectSuccess(r, 'sf eca show --help');
    const help = stripAnsi(r.stdout);
    expect(help, describeRun(r)).to.include('--name');
    expect(help, describeRun(r)).to.include('--show-consumer-key');
  });

  it('exits 2 on usage errors, as standalone (sf maps oclif parse errors to 1 by default)', async () => {
    for (const args of [
      ['check', '--fail-on', 'warnings'],
      ['check', '--format', 'sarf'],
      ['check', '--nope'],
      ['check', '--config', 'missing.json'],
      ['show', '--name'],
    ]) {
      const r = await sf(['eca', ...args]);
      expect(r.code, describeRun(r)).to.equal(2);
      expect(r.stderr, describeRun(r)).to.not.match(/\n\s+at /);
    }
    const json = await sf(['eca', 'check', '--format', 'sarf', '--json']);
    expect(json.code, describeRun(json)).to.equal(2);
    expect((JSON.parse(json.stdout) as { status: number }).status, describeRun(json)).to.equal(2);
    // no sfdx-project.json and no --source-dir: a configuration error
    const outside = await sf(['eca', 'check'], home);
    expect(outside.code, describeRun(outside)).to.equal(2);
    expect(outside.stderr, describeRun(outside)).to.include('No sfdx-project.json was found');
  });

  it('keeps the exit code (75) of an org that cannot be reached while --target-org is resolved', async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as { port: number };
    await new Promise<void>((done) => server.close(() => done()));
    const token = '00D000000000001!AQEAQFakeTokenValueForTheTest0123456789abcdef';
    const r = await run(process.execPath, sfArgs(cliFolder, ['eca', 'audit', '--target-org', token]), {
      cwd: project,
      env: { ...sfEnv(home), SF_ORG_INSTANCE_URL: `http://127.0.0.1:${port}` },
      timeoutMs: COMMAND_TIMEOUT_MS,
    });
    expect(r.code, describeRun(r)).to.equal(75);
    expect(r.stdout + r.stderr).to.not.include(token);
  });

  it('names the plugin\'s version in SARIF (not the sf CLI\'s) and returns the rules with --list-rules --json', async () => {
    const sarif = await sf(['eca', 'check', '--format', 'sarif']);
    expect(sarif.code, describeRun(sarif)).to.equal(1);
    const pluginVersion = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const log = JSON.parse(sarif.stdout) as { runs: Array<{ tool: { driver: { version: string } } }> };
    expect(log.runs[0]?.tool.driver.version, describeRun(sarif)).to.equal(pluginVersion);
    expect(pluginVersion).to.not.equal(SF_CLI_VERSION);
    const rules = await sf(['eca', 'check', '--list-rules', '--json']);
    expectSuccess(rules, 'sf eca check --list-rules --json');
    const out = JSON.parse(rules.stdout) as { result: { rules: Array<{ id: string; fixClass: string }> } };
    expect(out.result.rules.find((x) => x.id === 'ECA-POL-010')?.fixClass, describeRun(rules)).to.equal('breaking');
  });

  it('leaves the project folder as it was', async () => {
    // sf must not create .sf/ or .sfdx/ state in the project: everything goes to the temp HOME.
    expect(['.sf', '.sfdx'].filter((d) => existsSync(join(project, d))), `sf created state folders in ${project}`).to.deep.equal(stateBefore);
    const dataPjson = JSON.parse(await readFile(join(home, '.local', 'share', 'sf', 'package.json'), 'utf8')) as {
      oclif?: { plugins?: PluginJson[] };
    };
    expect(dataPjson.oclif?.plugins?.map((p) => p.name), 'sf recorded the link outside the temp HOME').to.include(PLUGIN_NAME);
  });
});
