// Loaded by mocha before any test file (.mocharc.json "require"): what every test process, and every CLI
// child it starts, should have from the first line on.
// - No log file: @salesforce/core writes it from a worker thread, which inherits mocha's `--import tsx`
//   and resolves it from the current folder (a temporary project during an in-process run: not found).
// - No telemetry, no update check.
process.env.SF_DISABLE_LOG_FILE = 'true';
process.env.SF_DISABLE_TELEMETRY = 'true';
process.env.SF_AUTOUPDATE_DISABLE = 'true';
