#!/usr/bin/env node
// Production entry point: runs the compiled commands in lib/.
// The Node version check comes first and uses only syntax old Node versions parse (no top-level await, no static
// import): on Node before 22.19 the dependencies crash with a TypeError, so say what to do instead and exit 1.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(
    `@eca-tools/plugin-eca needs Node.js 22.19 or later; this is Node ${process.versions.node}. ` +
      'Run it through the project\'s npm scripts (npm run sf -- eca ...), which run on Node 22, or install Node 22.19 or later.\n'
  );
  process.exitCode = 1;
} else {
  import('@oclif/core').then(({ execute }) => execute({ dir: import.meta.url }));
}
