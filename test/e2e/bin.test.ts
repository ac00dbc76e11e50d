/*
 * The built CLI (bin/run.js) end to end, as a process: the few things the in-process command tests
 * (test/commands, test/support/run.ts) cannot show — the entry point, oclif's own error handling and
 * help, the exit code the process really ends with, and a write that lands on disk.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { copyExample, EXAMPLE_PROJECT, runCli, tempDir } from '../support/helpers.js';

const noStack = (text: string): void => {
  expect(text).to.not.match(/\n\s+at .+:\d+:\d+/);
};

describe('bin/run.js end to end (built CLI)', () => {
  it('list --json: exit 0 and the sf JSON envelope', () => {
    const r = runCli(['eca', 'list', '--json'], EXAMPLE_PROJECT);
    expect(r.code, r.stderr).to.equal(0);
    const json = JSON.parse(r.stdout) as { status: number; result: { apps: unknown[] }; warnings: unknown[] };
    expect(json.status).to.equal(0);
    expect(json.result.apps.length).to.be.greaterThan(0);
  });

  it('check: exit 1 for findings, plain text in a pipe', () => {
    const r = runCli(['eca', 'check'], EXAMPLE_PROJECT);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(/\d+ errors?, \d+ warnings?, \d+ info in \d+ apps/);
    expect(r.stdout + r.stderr).to.not.include('\u001b[');
  });

  it('usage errors exit 2 with no stack trace, in a project and outside one', () => {
    for (const [args, cwd] of [
      [['eca', 'check', '--format', 'sarf'], EXAMPLE_PROJECT],
      [['eca', 'check'], tempDir()],
    ] as const) {
      const r = runCli(args, cwd);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(2);
      noStack(r.stderr);
    }
  });

  it('fix writes the file it reports', () => {
    const dir = copyExample();
    const file = 'force-app/main/default/extlClntAppOauthPolicies/Partner_Portal_Settings_defaultPolicy.ecaOauthPlcy-meta.xml';
    const before = readFileSync(join(dir, file), 'utf8');
    const fix = runCli(['eca', 'fix', '--include-breaking', '--fail-on', 'never'], dir);
    expect(fix.code, fix.stderr).to.equal(0);
    expect(fix.stdout + fix.stderr).to.include(file);
    expect(readFileSync(join(dir, file), 'utf8')).to.not.equal(before);
  });

  it('--help is oclif\'s, with the ERROR CODES section', () => {
    const r = runCli(['eca', 'check', '--help'], EXAMPLE_PROJECT);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.include('USAGE').and.include('ERROR CODES');
  });
});
