// Splits a V8 CPU profile (node --cpu-prof) of a command into phases by the plugin function on the stack:
//   node bench/profile-phases.mjs <file.cpuprofile>
// A sample counts for the innermost listed function on its stack; samples under none of them are start-up and exit
// (module loading, oclif, @salesforce/core) or GC. The phase functions are the plugin's own entry points.
import { readFileSync } from 'node:fs';

const PHASES = [
  ['resolveProject', 'project (sfdx-project.json, .forceignore)'],
  ['scanMetadataFiles', 'walk the folders'],
  ['readSource', 'read and decode the files'],
  ['buildInventory', 'parse and group (inventory)'],
  ['loadConfig', 'configuration'],
  ['planFixes', 'fix: plan (checks, edits, re-checks)'],
  ['runCheck', 'rules (runCheck)'],
  ['summarizeApp', 'summaries (list/show)'],
  ['postureScore', 'posture score'],
  ['deliverReport', 'report (render, write)'],
  ['renderList', 'report (render, write)'],
  ['run', 'command, other'],
];
const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const isPlugin = (url) => /\/(lib|src)\/(commands|cli|adapters|core|render|usecases)\//.test(url) && !url.includes('/node_modules/');
const phaseOf = new Map();
const resolve = (id) => {
  if (phaseOf.has(id)) return phaseOf.get(id);
  const n = byId.get(id);
  const cf = n.callFrame;
  let phase;
  if (cf.functionName === '(garbage collector)') phase = 'garbage collector';
  else if (cf.functionName === '(idle)') phase = 'idle (waiting)';
  else {
    const hit = isPlugin(cf.url) ? PHASES.find(([f]) => f === cf.functionName) : undefined;
    phase = hit ? hit[1] : parent.has(id) ? resolve(parent.get(id)) : 'start-up and exit (modules, oclif, @salesforce/core)';
  }
  phaseOf.set(id, phase);
  return phase;
};
const time = new Map();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const ms = (profile.timeDeltas[i] ?? 0) / 1000;
  const phase = resolve(profile.samples[i]);
  time.set(phase, (time.get(phase) ?? 0) + ms);
  total += ms;
}
const out = [`total ${total.toFixed(0)} ms`];
for (const [p, ms] of [...time].sort((a, b) => b[1] - a[1])) out.push(`${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${p}`);
process.stdout.write(`${out.join('\n')}\n`);
