// Summarises a V8 sampling heap profile (node --heap-prof): live bytes at the end of the run by module and by
// allocating function. node bench/heap-summary.mjs <file.heapprofile> [top=20]
import { readFileSync } from 'node:fs';
import { moduleOf } from './module-of.mjs';

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 20);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const modules = new Map();
const functions = new Map();
let total = 0;
const visit = (node) => {
  const bytes = (node.selfSize ?? 0) / 2 ** 20;
  const cf = node.callFrame;
  const mod = moduleOf(cf.url);
  total += bytes;
  modules.set(mod, (modules.get(mod) ?? 0) + bytes);
  const key = `${cf.functionName || '(anonymous)'}  ${mod}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
  functions.set(key, (functions.get(key) ?? 0) + bytes);
  for (const c of node.children ?? []) visit(c);
};
visit(profile.head);
const out = [`live at the end (sampled): ${total.toFixed(1)} MiB`, '', 'by module:'];
for (const [m, mb] of [...modules].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`${mb.toFixed(1).padStart(7)} MiB  ${m}`);
out.push('', 'by allocating function:');
for (const [f, mb] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`${mb.toFixed(1).padStart(7)} MiB  ${f}`);
process.stdout.write(`${out.join('\n')}\n`);
