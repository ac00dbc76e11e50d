/*
 * Benchmark: whole processes, medians of N runs after a warm-up, against floors measured in the same
 * run. Writes a markdown report (BENCHMARKS.md by default).
 *   tsx bench/run.ts [--sizes 100,1000,10000] [--runs 5] [--out BENCHMARKS.md] [--no-org] [--sf]
 * --sf adds the plugin inside the real sf (bench/sf.ts: npm pack, sf plugins install, the local commands against
 * `sf org list`); it needs the npm registry (sf's install on the first run, the plugin's dependencies every run).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, tmpdir, totalmem, type as osType } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from './generate.js';
import { countOrgRequests, renderRequestTable } from './org-requests.js';
import { benchInsideSf, renderSfBench, type SfBench } from './sf.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const sizes = arg('sizes', '100,1000,10000').split(',').map(Number);
const runs = Number(arg('runs', '5'));
const outFile = resolve(ROOT, arg('out', 'BENCHMARKS.md'));
const work = mkdtempSync(join(tmpdir(), 'eca-bench-'));

type Sample = { wallMs: number; cpuMs: number; maxRssMiB: number; code: number };
type Result = { label: string; size: number; samples: Sample[] };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const measure = (args: string[], cwd: string): Sample => {
  const rusage = join(work, 'rusage.json');
  rmSync(rusage, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', join(ROOT, 'bench', 'rusage.cjs'), ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, BENCH_RUSAGE_FILE: rusage, SF_DISABLE_TELEMETRY: 'true', NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - t0;
  const u = existsSync(rusage) ? (JSON.parse(readFileSync(rusage, 'utf8')) as { userMs: number; systemMs: number; maxRssKiB: number }) : undefined;
  return { wallMs, cpuMs: u ? u.userMs + u.systemMs : NaN, maxRssMiB: u ? u.maxRssKiB / 1024 : NaN, code: r.status ?? -1 };
};

const bench = (label: string, size: number, args: string[], cwd: string): Result => {
  measure(args, cwd); // warm-up: file cache, module compile cache
  const samples = Array.from({ length: runs }, () => measure(args, cwd));
  const r = { label, size, samples };
  process.stderr.write(`${label.padEnd(28)} ${String(size).padStart(6)}  ${median(samples.map((s) => s.wallMs)).toFixed(0).padStart(6)} ms wall  ${median(samples.map((s) => s.cpuMs)).toFixed(0).padStart(6)} ms cpu  ${Math.max(...samples.map((s) => s.maxRssMiB)).toFixed(0).padStart(4)} MiB\n`);
  return r;
};

const run = join(ROOT, 'bin', 'run.js');
const floor = join(ROOT, 'bench', 'floor.mjs');
const results: Result[] = [];
const start = new Date();
const loadText = (): string => loadavg().map((l) => l.toFixed(2)).join(', ');
const loadAtStart = loadText();

/** Start-up: each command that needs no org, on a project of one app and one Connected App (size 1). */
const STARTUP: ReadonlyArray<[string, string[]]> = [
  ['start-up: list', ['eca', 'list']],
  ['start-up: show', ['eca', 'show', '-n', 'Integration_00000']],
  ['start-up: check', ['eca', 'check', '--fail-on', 'never']],
  ['start-up: fix --dry-run', ['eca', 'fix', '--dry-run', '--fail-on', 'never']],
  ['start-up: set --dry-run', ['eca', 'set', '-n', 'Integration_00000', '--pkce', 'on', '--dry-run']],
  ['start-up: generate --dry-run', ['eca', 'generate', '-n', 'New_App', '-t', 'web-server', '-e', 'a@example.com', '--callback-url', 'https://a.example.com/cb', '--permission-set', 'P', '--dry-run']],
  ['start-up: migrate --dry-run', ['eca', 'migrate', '-n', 'Legacy_App', '--dry-run']],
];
{
  const dir = join(work, 'startup');
  generateProject(1, dir, 42);
  const caDir = join(dir, 'force-app', 'main', 'default', 'connectedApps');
  mkdirSync(caDir, { recursive: true });
  writeFileSync(
    join(caDir, 'Legacy_App.connectedApp-meta.xml'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n    <contactEmail>a@example.com</contactEmail>\n    <label>Legacy App</label>\n    <oauthConfig>\n        <callbackUrl>https://a.example.com/cb</callbackUrl>\n        <isAdminApproved>true</isAdminApproved>\n        <scopes>Api</scopes>\n    </oauthConfig>\n    <permissionSetName>Legacy_Users</permissionSetName>\n</ConnectedApp>\n'
  );
  // Interleaved (one run of each command per round) so that drift of the machine hits every command alike.
  const cases: Array<[string, string[]]> = [['floor: import', [floor]], ...STARTUP.map(([l, a]): [string, string[]] => [l, [run, ...a]])];
  const samples = new Map<string, Sample[]>(cases.map(([l]) => [l, []]));
  for (const [, args] of cases) measure(args, dir);
  const rounds = runs === 1 ? 1 : Math.max(runs, 7);
  for (let i = 0; i < rounds; i++) for (const [label, args] of cases) samples.get(label)?.push(measure(args, dir));
  for (const [label] of cases) {
    const r = { label, size: 1, samples: samples.get(label) ?? [] };
    results.push(r);
    process.stderr.write(`${label.padEnd(28)} ${median(r.samples.map((x) => x.wallMs)).toFixed(0).padStart(6)} ms wall\n`);
  }
}
for (const size of process.argv.includes('--startup-only') ? [] : sizes) {
  const dir = join(work, `p${size}`);
  generateProject(size, dir, 42);
  const src = join(dir, 'force-app');
  results.push(bench('floor: import', size, [floor], dir));
  results.push(bench('floor: import+read', size, [floor, '--read', src], dir));
  results.push(bench('floor: import+read+parse', size, [floor, src], dir));
  results.push(bench('eca --help', size, [run, 'eca', 'check', '--help'], dir));
  results.push(bench('eca list', size, [run, 'eca', 'list'], dir));
  results.push(bench('eca check', size, [run, 'eca', 'check', '--fail-on', 'never'], dir));
  results.push(bench('eca fix --dry-run', size, [run, 'eca', 'fix', '--dry-run', '--fail-on', 'never'], dir));
}
rmSync(work, { recursive: true, force: true });
let sfBench: SfBench | undefined;
let sfLoad = '';
if (process.argv.includes('--sf')) {
  sfLoad = loadText();
  sfBench = benchInsideSf({ rounds: Math.max(runs, 1), log: (t) => process.stderr.write(t) });
  sfLoad = `${sfLoad} (1, 5 and 15 minutes) at the start, ${loadText()} at the end`;
}
const loadAtEnd = loadText();

const med = (label: string, size: number, key: keyof Sample): number => {
  const r = results.find((x) => x.label === label && x.size === size);
  return r ? median(r.samples.map((s) => s[key])) : NaN;
};
const peak = (label: string, size: number): number => {
  const r = results.find((x) => x.label === label && x.size === size);
  return r ? Math.max(...r.samples.map((s) => s.maxRssMiB)) : NaN;
};
const spread = (label: string, size: number): string => {
  const r = results.find((x) => x.label === label && x.size === size);
  if (!r) return '';
  const w = r.samples.map((s) => s.wallMs);
  return `${Math.min(...w).toFixed(0)}–${Math.max(...w).toFixed(0)}`;
};

const lines: string[] = [];
const cpu = cpus()[0];
lines.push('# Benchmarks', '');
lines.push(`Measured ${start.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench${sfBench ? ' -- --sf' : ''}\` (bench/run.ts): whole processes, the median of ${runs} runs after one warm-up run, floors measured in the same run. Load average (1, 5 and 15 minutes): ${loadAtStart} at the start, ${loadAtEnd} at the end.`);
lines.push('');
lines.push(`Machine: ${cpu?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM (${(freemem() / 2 ** 30).toFixed(0)} GiB free at the end), ${osType()} ${release()}, Node ${process.version}.`);
lines.push('Projects: bench/generate.ts, seed 42: N apps × 5 files (header, global OAuth settings, OAuth settings with two trusted ranges, OAuth policies, plugin policies), 15 % of the apps with planted weaknesses.');
lines.push('Floors (bench/floor.mjs): `floor: import` imports @salesforce/sf-plugins-core (what every SfCommand pays); `floor: import+read` then reads every file into a string (readFileSync, utf8); `floor: import+read+parse` reads and parses every file with fast-xml-parser (the least any sf plugin must do for this job).');
lines.push('CPU is user+system time of the process (all its threads); memory is its peak resident set, the largest of the runs (both from process.resourceUsage at exit, bench/rusage.cjs).');
lines.push('');
lines.push('## Start-up of the commands that need no org (1 app and 1 Connected App)', '', `Interleaved: ${runs === 1 ? 1 : Math.max(runs, 7)} rounds of one run of each command, after one warm-up round.`, '');
lines.push('| command | wall median (ms) | wall min–max (ms) | CPU median (ms) | peak RSS (MiB) | wall / import floor |');
lines.push('|---|---:|---:|---:|---:|---:|');
for (const label of ['floor: import', ...STARTUP.map(([l]) => l)]) {
  lines.push(`| ${label} | ${med(label, 1, 'wallMs').toFixed(0)} | ${spread(label, 1)} | ${med(label, 1, 'cpuMs').toFixed(0)} | ${peak(label, 1).toFixed(0)} | ${(med(label, 1, 'wallMs') / med('floor: import', 1, 'wallMs')).toFixed(2)} |`);
}
lines.push('');
if (sfBench) lines.push(...renderSfBench(sfBench, sfLoad));
for (const size of sizes) {
  lines.push(`## ${size} apps (${size * 5} files)`, '');
  lines.push('| command | wall median (ms) | wall min–max (ms) | CPU median (ms) | peak RSS (MiB) | wall / read floor | wall / read+parse floor | CPU / read floor | CPU / read+parse floor |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const label of [...new Set(results.filter((r) => r.size === size).map((r) => r.label))]) {
    const w = med(label, size, 'wallMs');
    const c = med(label, size, 'cpuMs');
    lines.push(
      `| ${label} | ${w.toFixed(0)} | ${spread(label, size)} | ${c.toFixed(0)} | ${peak(label, size).toFixed(0)} | ${(w / med('floor: import+read', size, 'wallMs')).toFixed(2)} | ${(w / med('floor: import+read+parse', size, 'wallMs')).toFixed(2)} | ${(c / med('floor: import+read', size, 'cpuMs')).toFixed(2)} | ${(c / med('floor: import+read+parse', size, 'cpuMs')).toFixed(2)} |`
    );
  }
  lines.push('');
}
const targets: string[] = [];
const has = (n: number): boolean => sizes.includes(n);
/** A goal on wall-clock medians (the CPU ratio beside it). */
const goal = (what: string, num: [string, number], den: [string, number], limit: number): string => {
  const w = med(num[0], num[1], 'wallMs') / med(den[0], den[1], 'wallMs');
  const c = med(num[0], num[1], 'cpuMs') / med(den[0], den[1], 'cpuMs');
  return `- ${what}: **${w.toFixed(2)}** wall (CPU ${c.toFixed(2)}), goal ≤ ${limit}: ${w <= limit ? 'met' : 'missed'}.`;
};
for (const n of [1000, 10000].filter(has)) {
  const at = `at ${n.toLocaleString('en-US')} apps`;
  targets.push(goal(`\`check\` ${at} / import+read+parse floor`, ['eca check', n], ['floor: import+read+parse', n], 1.2));
  targets.push(goal(`\`check\` ${at} / import+read floor`, ['eca check', n], ['floor: import+read', n], 1.6));
  targets.push(goal(`\`fix --dry-run\` ${at} / \`check\``, ['eca fix --dry-run', n], ['eca check', n], 1.3));
  targets.push(goal(`\`list\` ${at} / import+read floor`, ['eca list', n], ['floor: import+read', n], 1.1));
}
if (has(10000)) {
  for (const label of ['eca check', 'eca fix --dry-run', 'eca list']) {
    const mem = peak(label, 10000);
    targets.push(`- peak memory of \`${label.slice(4)}\` at 10,000 apps: **${mem.toFixed(0)} MiB** (largest of the runs), goal ≤ 300 MiB: ${mem <= 300 ? 'met' : 'missed'}.`);
  }
}
if (has(1000) && has(10000)) {
  const ratio = med('eca check', 10000, 'wallMs') / med('eca check', 1000, 'wallMs');
  targets.push(`- \`check\` at 10,000 apps / at 1,000 apps: **${ratio.toFixed(2)}** (goal ≤ 11): ${ratio <= 11 ? 'met' : 'missed'}.`);
}
if (sfBench) {
  const base = sfBench.cases[0];
  const m = (c: typeof base, k: 'treeCpuMs' | 'mainRssMiB'): number => {
    const xs = (c?.samples ?? []).map((x) => x[k]).sort((a, b) => a - b);
    const i = xs.length >> 1;
    return xs.length % 2 ? (xs[i] as number) : ((xs[i - 1] as number) + (xs[i] as number)) / 2;
  };
  const measured = sfBench.cases.slice(1).filter((c) => !c.diagnostic);
  const cpuR = measured.map((c) => m(c, 'treeCpuMs') / m(base, 'treeCpuMs'));
  const memR = measured.map((c) => m(c, 'mainRssMiB') / m(base, 'mainRssMiB'));
  targets.push(`- inside sf, the eca commands / \`sf org list\`: CPU **${Math.min(...cpuR).toFixed(2)}–${Math.max(...cpuR).toFixed(2)}** (goal ≤ 1.05): ${Math.max(...cpuR) <= 1.05 ? 'met' : 'missed'}; peak memory **${Math.min(...memR).toFixed(2)}–${Math.max(...memR).toFixed(2)}** (goal ≤ 1.05): ${Math.max(...memR) <= 1.05 ? 'met' : 'missed'}.`);
}
{
  const f = med('floor: import', 1, 'wallMs');
  const ratios = STARTUP.map(([l]) => med(l, 1, 'wallMs') / f);
  const worst = Math.max(...ratios);
  targets.push(`- start-up of the commands that need no org / sf-plugins-core import floor: **${Math.min(...ratios).toFixed(2)}–${worst.toFixed(2)}** (goal ≤ 1.2): ${worst <= 1.2 ? 'met' : 'missed'}; \`--help\` (served from the manifest): ${(med('eca --help', sizes[0] ?? 1, 'wallMs') / med('floor: import', sizes[0] ?? 1, 'wallMs')).toFixed(2)}.`);
}
if (targets.length > 0) lines.push('## Goals', '', ...targets, '');
lines.push(readFileSync(join(ROOT, 'bench', 'startup-notes.md'), 'utf8').trimEnd(), '');
lines.push(readFileSync(join(ROOT, 'bench', 'scale-notes.md'), 'utf8').trimEnd(), '');
if (!process.argv.includes('--no-org')) {
  const rows = await countOrgRequests([1, 50]);
  lines.push('## Requests to the org (loopback Metadata API emulator)', '');
  lines.push('Each command run as the built CLI against test/support/emulator on projects of 1 and of 50 apps (bench/org-requests.ts); the count does not grow with the apps. deploy leaves the global settings out (no --include-global-settings); diff exits 1 because of that. deploy reads the apps first (listMetadata; a retrieve once the org has them) and reads the deployed components back by name; set --target-org retrieves, deploys and reads back; audit --usage adds six SOQL queries (one more per 200 apps for SetupEntityAccess).', '');
  lines.push(renderRequestTable(rows), '');
}
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${lines.join('\n')}`);
process.stderr.write(`wrote ${outFile}\n`);
