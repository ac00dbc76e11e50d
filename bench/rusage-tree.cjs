// Preloaded into every Node process of a measured command tree (NODE_OPTIONS=--require …, which child Node
// processes inherit): on exit, appends one JSON line with the process's own CPU time and peak resident set
// (process.resourceUsage: all its threads) to the file named by BENCH_RUSAGE_TREE_FILE.
// With BENCH_LOADED_FILES set, the main thread of each process also records every module it loads (CommonJS
// and ESM, module.registerHooks) and appends them to that file: that run is for the check, not for timing.
const { appendFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const out = process.env.BENCH_RUSAGE_TREE_FILE;
if (out && isMainThread) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    appendFileSync(out, `${JSON.stringify({ pid: process.pid, ppid: process.ppid, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, maxRssKiB: u.maxRSS })}\n`);
  });
}
const loaded = process.env.BENCH_LOADED_FILES;
if (loaded && isMainThread) {
  const urls = [];
  require('node:module').registerHooks({
    load(url, context, nextLoad) {
      urls.push(url);
      return nextLoad(url, context);
    },
  });
  process.on('exit', () => appendFileSync(loaded, `${urls.join('\n')}\n`));
}
