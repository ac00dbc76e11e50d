/*
 * The --json results carry the documented shape of a finding (src/cli/findings.ts), never the core's internal
 * structures: no `edits` (FixEdit ops, NewElement nodes) anywhere in what check and fix return for the example project.
 * Runs the commands in-process (no build needed) and reads the JSON they print.
 */
import { rmSync } from 'node:fs';
import { expect } from 'chai';
import EcaCheck from '../../src/commands/eca/check.js';
import EcaFix from '../../src/commands/eca/fix.js';
import { publicFinding } from '../../src/cli/findings.js';
import type { Finding } from '../../src/core/rules/types.js';
import { copyExample, PROJECT_ROOT } from '../support/helpers.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every key path at which `key` occurs in a JSON value. */
const pathsOf = (value: Json, key: string, at = '$'): string[] => {
  if (Array.isArray(value)) return value.flatMap((v, i) => pathsOf(v, key, `${at}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [...(k === key ? [`${at}.${k}`] : []), ...pathsOf(v, key, `${at}.${k}`)]);
};

/** Runs a command class in-process with --json in `cwd`, returning the parsed JSON it prints. */
const runJson = async (command: { run(argv: string[], root: string): Promise<unknown> }, argv: string[], cwd: string): Promise<{ result: Json }> => {
  const before = process.cwd();
  const exitCode = process.exitCode;
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.chdir(cwd);
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    await command.run([...argv, '--json'], PROJECT_ROOT);
  } finally {
    process.stdout.write = write;
    process.chdir(before);
    process.exitCode = exitCode;
  }
  return JSON.parse(out) as { result: Json };
};

describe('--json findings: the documented shape, not the core structures', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    // in-process, sf's logger would start a log-file worker thread that outlives the test
    process.env.SF_DISABLE_LOG_FILE = 'true';
  });
  beforeEach(() => {
    dir = copyExample();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('check --json on the example project: findings with fixes, no edits anywhere', async () => {
    const { result } = await runJson(EcaCheck, [], dir);
    const findings = (result as { findings: Array<Record<string, Json>> }).findings;
    const fixes = findings.map((f) => f.fix).filter((f): f is Record<string, Json> => f !== undefined);
    expect(fixes.length, 'the example project has fixable findings').to.be.greaterThan(0);
    expect(pathsOf(result, 'edits')).to.deep.equal([]);
    for (const fix of fixes) {
      expect(Object.keys(fix)).to.satisfy((keys: string[]) => keys.every((k) => ['description', 'class', 'requires', 'path'].includes(k)));
      expect(fix).to.include.keys('description', 'class', 'path');
    }
  });

  it('fix --dry-run --json on the example project: no edits in remaining findings', async () => {
    const { result } = await runJson(EcaFix, ['--dry-run'], dir);
    expect((result as { remaining: Json[] }).remaining.length, 'the example project keeps findings that need a flag or a person').to.be.greaterThan(0);
    expect(pathsOf(result, 'edits')).to.deep.equal([]);
  });

  it('publicFinding keeps the documented fields and drops the edits', () => {
    const finding: Finding = {
      ruleId: 'ECA-GLB-001',
      rule: 'no-committed-secret',
      severity: 'error',
      category: 'global-settings',
      app: 'App',
      path: 'force-app/App.ecaGlblOauth-meta.xml',
      line: 5,
      col: 5,
      message: 'a consumer secret is committed (its value is not shown)',
      action: 'rotate it',
      fix: { path: 'force-app/App.ecaGlblOauth-meta.xml', edits: [{ op: 'remove', element: 'consumerSecret' }], description: 'remove it', class: 'breaking', requires: 'remove-secrets' },
      waived: { reason: 'accepted', expires: '2099-01-01' },
    };
    expect(publicFinding(finding)).to.deep.equal({
      ruleId: 'ECA-GLB-001',
      rule: 'no-committed-secret',
      severity: 'error',
      category: 'global-settings',
      app: 'App',
      path: 'force-app/App.ecaGlblOauth-meta.xml',
      line: 5,
      col: 5,
      message: 'a consumer secret is committed (its value is not shown)',
      action: 'rotate it',
      fix: { description: 'remove it', class: 'breaking', requires: 'remove-secrets', path: 'force-app/App.ecaGlblOauth-meta.xml' },
      waived: { reason: 'accepted', expires: '2099-01-01' },
    });
  });
});
