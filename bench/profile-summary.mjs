// Summarises a V8 CPU profile (node --cpu-prof): self time by module and the top self-time functions.
//   node bench/profile-summary.mjs <file.cpuprofile> [top=25]
// A module is a package under node_modules (its name), a file of this plugin (lib/… or src/…), a node: built-in,
// or V8's own entries ((garbage collector), (program), (idle)).
import { readFileSync } from 'node:fs';
import { moduleOf } from './module-of.mjs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
// Samples and their time deltas: each sample is a hit on a node; the delta is the time since the previous sample.
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
}
const modules = new Map();
const functions = new Map();
let total = 0;
for (const [id, ms] of self) {
  const n = byId.get(id);
  const cf = n.callFrame;
  total += ms;
  const mod = cf.url ? moduleOf(cf.url) : cf.functionName.startsWith('(') ? cf.functionName : '(v8/native)';
  modules.set(mod, (modules.get(mod) ?? 0) + ms);
  const key = `${cf.functionName || '(anonymous)'}  ${mod}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
  functions.set(key, (functions.get(key) ?? 0) + ms);
}
const pct = (ms) => `${((100 * ms) / total).toFixed(1).padStart(5)} %`;
const out = [];
out.push(`total sampled: ${total.toFixed(0)} ms (${profile.samples.length} samples)`, '', 'self time by module:');
for (const [m, ms] of [...modules].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`${ms.toFixed(0).padStart(7)} ms ${pct(ms)}  ${m}`);
out.push('', 'top self-time functions:');
for (const [f, ms] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`${ms.toFixed(0).padStart(7)} ms ${pct(ms)}  ${f}`);
process.stdout.write(`${out.join('\n')}\n`);
