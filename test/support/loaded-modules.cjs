// Preloaded into a CLI process by the start-up test (node --require): records every module the
// process loads, CommonJS and ESM alike (module.registerHooks, Node >= 22.15), and on exit writes the
// npm packages they belong to, sorted, to the file named by ECA_LOADED_MODULES_FILE.
const { writeFileSync } = require('node:fs');
const { registerHooks } = require('node:module');
const { isMainThread } = require('node:worker_threads');

const out = process.env.ECA_LOADED_MODULES_FILE;
// Worker threads (the logger's transport) inherit the preload: only the main thread reports.
if (out && isMainThread) {
  const packages = new Set();
  registerHooks({
    load(url, context, nextLoad) {
      const i = url.lastIndexOf('/node_modules/');
      if (i >= 0) {
        const rest = url.slice(i + '/node_modules/'.length).split('/');
        packages.add(rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]);
      }
      return nextLoad(url, context);
    },
  });
  process.on('exit', () => writeFileSync(out, JSON.stringify([...packages].sort())));
}
