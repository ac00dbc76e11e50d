/*
 * The plugin inside the real sf: packs it (`npm pack`, whose prepack builds), installs the tarball into
 * @salesforce/cli (the version test/sf/sf-cli.test.ts is verified against, installed once and cached under the
 * system temp folder) with a throw-away HOME and the tarball's URL in unsignedPluginAllowList.json, the way the
 * real-sf test does, and measures the local commands on a copy of examples/eca-project against `sf org list` (a
 * command that also loads @salesforce/core): CPU of the whole process tree and peak memory, medians of N interleaved
 * rounds after a warm-up round.
 *
 * CPU: user+system of every process the command's process tree waited for, from /proc/self/stat (cutime+cstime,
 * clock ticks) around each run; cross-checked with bench/rusage-tree.cjs, which every Node process of the tree
 * preloads (NODE_OPTIONS) and which writes its own process.resourceUsage at exit.
 * Memory: the peak resident set of each Node process of the tree (process.resourceUsage().maxRSS, all its threads);
 * the table gives the main process's, and says so when the tree had more than one process.
 *
 * Also checks, in runs that are not timed: that no TypeScript is compiled at run time (no tsx, ts-node, typescript,
 * esbuild or @swc module and no .ts file loaded in any process, every plugin module loaded from the installed copy),
 * and what `DEBUG=oclif:config*` says about reloading the configuration.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { baseEnv, sfEnv } from '../test/support/sf-env.js';

/** The @salesforce/cli release test/sf/sf-cli.test.ts is verified against. */
export const SF_CLI_VERSION = '2.150.6';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PLUGIN = '@eca-tools/plugin-eca';

export type SfSample = { cpuMs: number; treeCpuMs: number; mainRssMiB: number; treeRssMiB: number; processes: number; wallMs: number; code: number };
export type SfCase = { label: string; args: string[]; samples: SfSample[]; env?: NodeJS.ProcessEnv; diagnostic?: boolean };
export type SfChecks = {
  /** Modules of TypeScript tooling, and .ts files, loaded by any process of any eca command. */
  typescript: string[];
  /** Plugin modules loaded from anywhere but the installed copy. */
  outside: string[];
  /** Plugin modules loaded from the installed copy (to show the check saw the plugin at all). */
  pluginModules: number;
  /** The `reloading config` lines of DEBUG=oclif:config* for `sf eca list`. */
  reloads: string[];
  /** The same-version rebuild sf's own @oclif/core logs for `sf org list` (its debug goes to sf's log file). */
  orgListReloads: number;
  /** Modules loaded by `sf org list` and by `sf eca list`, and how many of the latter came from the plugin's own node_modules. */
  modules: { orgList: number; ecaList: number; ecaListFromPlugin: number };
  /** @oclif/core of sf, and of the installed plugin. */
  sfOclif: string;
  pluginOclif: string | undefined;
};
export type SfBench = { version: string; cases: SfCase[]; checks: SfChecks; rounds: number; app: string; plugin: string };



const check = (r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> => {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${String(r.status)}${r.error ? `, ${r.error.message}` : ''})\n${r.stdout}\n${r.stderr}`);
  return r;
};

const npm = (args: string[], cwd: string): SpawnSyncReturns<string> => {
  const execPath = process.env.npm_execpath;
  const viaNode = execPath && /npm-cli\.js$/.test(execPath) && existsSync(execPath);
  return spawnSync(viaNode ? process.execPath : 'npm', [...(viaNode ? [execPath] : []), ...args], { cwd, env: baseEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 });
};

const sfRunJs = (folder: string): string => join(folder, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
const versionOf = (pjson: string): string | undefined => {
  try {
    return (JSON.parse(readFileSync(pjson, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
};

/** @salesforce/cli@SF_CLI_VERSION, installed once per machine into a staging folder renamed into place when complete. */
const ensureSf = (log: (s: string) => void): string => {
  const folder = join(tmpdir(), `eca-tools-sf-cli-${SF_CLI_VERSION}`);
  const installed = (f: string): boolean => existsSync(sfRunJs(f)) && versionOf(join(f, 'node_modules', '@salesforce', 'cli', 'package.json')) === SF_CLI_VERSION;
  if (installed(folder)) return folder;
  log(`installing @salesforce/cli@${SF_CLI_VERSION} into ${folder}\n`);
  const staging = mkdtempSync(join(tmpdir(), `eca-tools-sf-cli-${SF_CLI_VERSION}-installing-`));
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'eca-tools-sf-cli-bench', version: '0.0.0', private: true, license: 'UNLICENSED' }));
  check(npm(['install', '--no-audit', '--no-fund', '--no-save', '--ignore-scripts', `@salesforce/cli@${SF_CLI_VERSION}`], staging), 'npm install @salesforce/cli');
  if (!installed(folder)) {
    rmSync(folder, { recursive: true, force: true });
    renameSync(staging, folder);
  } else rmSync(staging, { recursive: true, force: true });
  return folder;
};

/** Children's user+system time of this process so far (waited-for descendants, recursively), from /proc/self/stat. */
const childrenCpuMs = (): number => {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'; cutime and cstime are fields 16, 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
};

export const benchInsideSf = (options: { rounds: number; log: (s: string) => void }): SfBench => {
  const { rounds, log } = options;
  const cli = ensureSf(log);
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'eca-bench-sf-')));
  try {
    const home = join(work, 'home');
    mkdirSync(join(work, 'pack'), { recursive: true });
    log('npm pack (prepack builds the plugin)\n');
    const packed = check(npm(['pack', '--json', '--pack-destination', join(work, 'pack')], ROOT), 'npm pack');
    const filename = (JSON.parse(packed.stdout.slice(Math.max(packed.stdout.search(/^\[/m), 0))) as Array<{ filename: string }>)[0]?.filename;
    if (!filename) throw new Error(`npm pack printed no tarball name\n${packed.stdout}`);
    const tarballUrl = pathToFileURL(join(work, 'pack', filename)).href;
    const env = sfEnv(home);
    const configDir = join(env.XDG_CONFIG_HOME as string, 'sf');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'unsignedPluginAllowList.json'), JSON.stringify([tarballUrl]));
    log(`sf plugins install ${tarballUrl}\n`);
    const sf = (args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> =>
      spawnSync(process.execPath, [sfRunJs(cli), ...args], { cwd, env: { ...env, ...extra }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 });
    const install = check(sf(['plugins', 'install', tarballUrl], home), 'sf plugins install');
    if (!/allow-listed/.test(install.stdout + install.stderr)) throw new Error(`the allow list was not used\n${install.stdout}\n${install.stderr}`);
    const pluginRoot = join(env.XDG_DATA_HOME as string, 'sf', 'node_modules', '@eca-tools', 'plugin-eca');
    const pluginVersion = versionOf(join(pluginRoot, 'package.json')) ?? '?';

    const project = join(work, 'project');
    cpSync(join(ROOT, 'examples', 'eca-project'), project, { recursive: true, filter: (from) => !/[\\/]\.sfdx?$/.test(from) });
    const headers = readdirSync(join(project, 'force-app', 'main', 'default', 'externalClientApps')).filter((f) => f.endsWith('.eca-meta.xml')).sort();
    const app = (headers[0] ?? 'Order_Sync.eca-meta.xml').slice(0, -'.eca-meta.xml'.length);

    const cases: SfCase[] = [
      { label: 'sf org list', args: ['org', 'list'], samples: [] },
      { label: 'sf eca list', args: ['eca', 'list'], samples: [] },
      { label: 'sf eca check', args: ['eca', 'check'], samples: [] },
      { label: `sf eca show --name ${app}`, args: ['eca', 'show', '--name', app], samples: [] },
      { label: 'sf eca fix --dry-run', args: ['eca', 'fix', '--dry-run'], samples: [] },
      // Diagnostics: the same two commands without sf's log file (no pino transport worker in either process).
      { label: 'sf org list, SF_DISABLE_LOG_FILE=true', args: ['org', 'list'], samples: [], env: { SF_DISABLE_LOG_FILE: 'true' }, diagnostic: true },
      { label: 'sf eca list, SF_DISABLE_LOG_FILE=true', args: ['eca', 'list'], samples: [], env: { SF_DISABLE_LOG_FILE: 'true' }, diagnostic: true },
    ];
    const usage = join(work, 'rusage-tree.jsonl');
    const preload = `--require ${join(ROOT, 'bench', 'rusage-tree.cjs')}`;
    const measure = (c: SfCase): SfSample => {
      rmSync(usage, { force: true });
      const before = childrenCpuMs();
      const t0 = performance.now();
      const r = sf(c.args, project, { ...c.env, NODE_OPTIONS: preload, BENCH_RUSAGE_TREE_FILE: usage });
      const wallMs = performance.now() - t0;
      const treeCpuMs = childrenCpuMs() - before;
      const procs = existsSync(usage)
        ? readFileSync(usage, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { pid: number; ppid: number; userMs: number; systemMs: number; maxRssKiB: number })
        : [];
      const main = procs.find((p) => p.pid === r.pid) ?? procs[0];
      return {
        cpuMs: procs.reduce((n, p) => n + p.userMs + p.systemMs, 0),
        treeCpuMs,
        mainRssMiB: main ? main.maxRssKiB / 1024 : NaN,
        treeRssMiB: procs.reduce((n, p) => n + p.maxRssKiB / 1024, 0),
        processes: procs.length,
        wallMs,
        code: r.status ?? -1,
      };
    };
    log('warm-up round\n');
    for (const c of cases) measure(c);
    for (let i = 0; i < rounds; i++) {
      for (const c of cases) c.samples.push(measure(c));
      log(`round ${i + 1}/${rounds}: ${cases.map((c) => `${c.label.replace(/^sf /, '')} ${c.samples.at(-1)?.treeCpuMs.toFixed(0)} ms`).join(', ')}\n`);
    }

    // Not timed: what each eca command loads, and what oclif says about its configuration.
    const loadedFile = join(work, 'loaded.txt');
    const loadedBy = (args: string[]): string[] => {
      rmSync(loadedFile, { force: true });
      sf(args, project, { NODE_OPTIONS: preload, BENCH_LOADED_FILES: loadedFile });
      return existsSync(loadedFile) ? readFileSync(loadedFile, 'utf8').split('\n').filter(Boolean) : [];
    };
    const perCommand = cases.slice(1).filter((c) => !c.diagnostic).map((c) => loadedBy(c.args));
    const urls = [...new Set(perCommand.flat())];
    const orgListModules = loadedBy(['org', 'list']).length;
    const dataModules = pathToFileURL(join(env.XDG_DATA_HOME as string, 'sf', 'node_modules')).href;
    const pluginUrl = pathToFileURL(realpathSync(pluginRoot)).href;
    const typescript = urls.filter((u) => /\/node_modules\/(tsx|ts-node|typescript|esbuild|@swc|@esbuild)\//.test(u) || (/\.[cm]?ts$/.test(u) && !/\.d\.[cm]?ts$/.test(u)));
    const ownFiles = urls.filter((u) => u.includes('/@eca-tools/plugin-eca/') || u.startsWith(pathToFileURL(ROOT).href));
    const outside = ownFiles.filter((u) => !u.startsWith(pluginUrl));
    const debug = sf(['eca', 'list'], project, { DEBUG: 'oclif:config*' });
    const reloads = debug.stderr.split('\n').filter((l) => /reloading config/.test(l)).map((l) => l.replace(/\u001b\[[0-9;]*m/g, '').trim());
    // sf's own @oclif/core logs through sf's logger: its lines are in the log file at debug level.
    const logDir = join(home, '.sf');
    const logText = (): string => (existsSync(logDir) ? readdirSync(logDir).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(logDir, f), 'utf8')).join('\n') : '');
    const before = (logText().match(/reloading config/g) ?? []).length;
    sf(['org', 'list'], project, { SF_LOG_LEVEL: 'debug' });
    const orgListReloads = (logText().match(/reloading config/g) ?? []).length - before;
    return {
      version: SF_CLI_VERSION,
      cases,
      rounds,
      app,
      plugin: `${PLUGIN}@${pluginVersion}`,
      checks: {
        typescript,
        outside,
        pluginModules: ownFiles.length - outside.length,
        reloads,
        orgListReloads,
        modules: { orgList: orgListModules, ecaList: perCommand[0]?.length ?? 0, ecaListFromPlugin: (perCommand[0] ?? []).filter((u) => u.startsWith(dataModules)).length },
        sfOclif: versionOf(join(cli, 'node_modules', '@oclif', 'core', 'package.json')) ?? '?',
        pluginOclif: versionOf(join(pluginRoot, 'node_modules', '@oclif', 'core', 'package.json')) ?? versionOf(join(env.XDG_DATA_HOME as string, 'sf', 'node_modules', '@oclif', 'core', 'package.json')),
      },
    };
  } finally {
    if (!process.env.ECA_KEEP_SF_TEMP) rmSync(work, { recursive: true, force: true });
  }
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const range = (xs: number[]): string => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

/** The markdown section of an inside-sf run. */
export const renderSfBench = (b: SfBench, load: string): string[] => {
  const base = b.cases[0] as SfCase;
  const cpu = (c: SfCase): number[] => c.samples.map((s) => s.treeCpuMs);
  const mem = (c: SfCase): number[] => c.samples.map((s) => s.mainRssMiB);
  const multi = b.cases.some((c) => c.samples.some((s) => s.processes > 1));
  const lines: string[] = [];
  lines.push(`## Inside the real sf (@salesforce/cli ${b.version}, 6 apps: examples/eca-project)`, '');
  lines.push(
    `\`npm pack\` (its prepack builds), \`sf plugins install file://…tgz\` into a throw-away HOME (the tarball's URL in unsignedPluginAllowList.json, as test/sf/sf-cli.test.ts does), then each command on a copy of examples/eca-project: ${b.rounds} interleaved rounds (one run of each command per round) after a warm-up round; medians, with min–max (this machine's noise). Load average when measured: ${load}.`,
    `CPU: user+system time of the whole process tree (the children's times of the benchmark process, /proc/self/stat, around each run). Peak memory: the peak resident set of the main process (process.resourceUsage().maxRSS, all its threads: the logger's worker included), from bench/rusage-tree.cjs, which every Node process of the tree preloads; ${multi ? 'the tree had more than one Node process: see the processes column' : 'each command ran as one Node process (no child process), so that is the tree\'s'}. \`sf eca check\` exits 1 on the example's findings, as documented.`,
    ''
  );
  lines.push('| command | CPU median (ms) | CPU min–max (ms) | CPU / org list | peak RSS median (MiB) | RSS min–max (MiB) | RSS / org list | wall median (ms) | processes | exit |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of b.cases) {
    if (c.diagnostic && c === b.cases.find((x) => x.diagnostic)) lines.push('| *diagnostics: without sf\'s log file* | | | | | | | | | |');
    lines.push(
      `| ${c.label} | ${median(cpu(c)).toFixed(0)} | ${range(cpu(c))} | ${(median(cpu(c)) / median(cpu(base))).toFixed(2)} | ${median(mem(c)).toFixed(0)} | ${range(mem(c))} | ${(median(mem(c)) / median(mem(base))).toFixed(2)} | ${median(c.samples.map((s) => s.wallMs)).toFixed(0)} | ${Math.max(...c.samples.map((s) => s.processes))} | ${[...new Set(c.samples.map((s) => s.code))].join(', ')} |`
    );
  }
  lines.push('');
  const k = b.checks;
  lines.push(
    `- No TypeScript at run time: ${k.typescript.length === 0 ? `no tsx, ts-node, typescript, esbuild or @swc module and no .ts file was loaded by any eca command (every module recorded through module.registerHooks); the ${k.pluginModules} plugin modules loaded came from the installed copy${k.outside.length === 0 ? '' : `, but ${k.outside.length} from elsewhere: ${k.outside.slice(0, 3).join(', ')}`}.` : `**loaded**: ${k.typescript.slice(0, 5).join(', ')}.`}`,
    `- \`DEBUG=oclif:config* sf eca list\`: ${k.reloads.length === 0 ? 'no "reloading config" line.' : `${k.reloads.length} "reloading config" line(s): ${k.reloads.map((l) => `\`${l.replace(/^.*?(reloading config)/, '$1')}\``).join('; ')} (sf ${k.sfOclif}, the plugin's @oclif/core ${k.pluginOclif ?? 'sf\'s'}): a rebuild on the same version, never across versions. sf does the same for its own commands: \`SF_LOG_LEVEL=debug sf org list\` writes ${k.orgListReloads} such line(s) to sf's log file (sf's own @oclif/core logs there, not on stderr): oclif's Command.run rebuilds the configuration it is handed whenever it is a Config.`}`,
    `- Modules loaded: \`sf org list\` ${k.modules.orgList}, \`sf eca list\` ${k.modules.ecaList}, of which ${k.modules.ecaListFromPlugin} from the plugin's own node_modules (sf plugins install gives a plugin its own copy of @salesforce/core, @salesforce/sf-plugins-core, @oclif/core and their dependencies, and a second logger: a second pino transport worker thread, see the rows without the log file).`,
    ''
  );
  return lines;
};

// tsx bench/sf.ts [rounds]: the inside-sf section alone, on stdout (npm run bench -- --sf puts it into BENCHMARKS.md).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { loadavg } = await import('node:os');
  const load = loadavg().map((l) => l.toFixed(2)).join(', ');
  const b = benchInsideSf({ rounds: Number(process.argv[2] ?? 5), log: (t) => process.stderr.write(t) });
  process.stdout.write(`${renderSfBench(b, `${load} at the start, ${loadavg().map((l) => l.toFixed(2)).join(', ')} at the end`).join('\n')}\n`);
}
