// Preloaded into each measured process (node --require): on exit, writes its own CPU time and peak
// memory to the file named by BENCH_RUSAGE_FILE. Costs nothing measurable, needs no /usr/bin/time.
const { writeFileSync } = require('node:fs');

const out = process.env.BENCH_RUSAGE_FILE;
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, maxRssKiB: u.maxRSS }));
  });
}
