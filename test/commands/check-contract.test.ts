/*
 * The contract of check (and audit's help) a pipeline relies on: the --list-rules JSON, report files,
 * exit codes of usage errors, nothing-checked warnings, SARIF for GitHub code scanning.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { copyExample, EXAMPLE_PROJECT, PROJECT_ROOT, SFDX_PROJECT, tempDir, writeTree } from '../support/helpers.js';
import { runCommand } from '../support/run.js';
import { pluginVersion, ruleList } from '../../src/cli/check.js';
import { parseErrorExit } from '../../src/cli/command.js';
import { errorCodesSection, EXIT_CODES } from '../../src/cli/exitCodes.js';

const NO_STACK = /\n\s+at /;
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

type RuleListJson = { status: number; result: { rules: Array<Record<string, unknown>>; findings?: unknown } };
type CheckJson = { status: number; warnings: string[]; result: { findings: unknown[]; summary: { files: number; apps: number } } };
type ErrorJson = { status: number; name: string; message: string; actions?: string[] };

type SarifLog = {
  runs: Array<{
    tool: { driver: { version: string; rules: Array<{ id: string; properties: Record<string, unknown> }> } };
    results: Array<{ ruleId: string; message: { text: string; markdown?: string }; properties: { fix?: { description: string; class: string } } }>;
  }>;
};

describe('check contract (in-process)', () => {
  describe('--list-rules', () => {
    it('returns the rules with --json, in the documented shape, and keeps the table', async () => {
      const r = await runCommand(['eca', 'check', '--list-rules', '--json'], EXAMPLE_PROJECT);
      expect(r.code).to.equal(0);
      const json = JSON.parse(r.stdout) as RuleListJson;
      expect(json.status).to.equal(0);
      expect(json.result.findings).to.equal(undefined);
      expect(json.result.rules).to.have.length(ruleList().rules.length).and.length.above(60);
      const pol010 = json.result.rules.find((x) => x.id === 'ECA-POL-010');
      expect(pol010).to.include({ id: 'ECA-POL-010', name: 'ip-relaxation-enforce', severity: 'error', category: 'policies', fixClass: 'breaking' });
      for (const rule of json.result.rules) {
        expect(Object.keys(rule)).to.include.members(['id', 'name', 'severity', 'category', 'fixClass', 'summary', 'rationale']);
        expect(rule.fixClass).to.be.oneOf(['safe', 'breaking', 'manual']);
        expect(Object.keys(rule).filter((k) => !['id', 'name', 'severity', 'category', 'fixClass', 'summary', 'rationale', 'helpUri', 'controls', 'clients'].includes(k))).to.deep.equal([]);
      }
      expect(json.result.rules.some((x) => typeof x.helpUri === 'string')).to.equal(true);
      expect(json.result.rules.map((x) => x.id)).to.include.members(['ECA-PRJ-004']);
      const human = await runCommand(['eca', 'check', '--list-rules'], EXAMPLE_PROJECT, { COLUMNS: '250' });
      expect(human.stdout).to.match(/ECA-POL-010\s+ip-relaxation-enforce\s+error\s+breaking/);
    });
  });

  describe('--output-file', () => {
    it('creates the missing folders of the report', async () => {
      const dir = copyExample();
      const r = await runCommand(['eca', 'check', '--format', 'sarif', '--output-file', 'reports/ci/x.sarif'], dir);
      expect(r.code, r.stderr).to.equal(1);
      expect((JSON.parse(readFileSync(join(dir, 'reports/ci/x.sarif'), 'utf8')) as { version: string }).version).to.equal('2.1.0');
      expect(r.stderr + r.stdout).to.include('Report written to reports/ci/x.sarif');
    });

    it('a path that cannot be written is a usage error naming the path and what to do (exit 2, no stack)', async () => {
      const dir = copyExample();
      writeFileSync(join(dir, 'plain-file'), 'x');
      const r = await runCommand(['eca', 'check', '--format', 'sarif', '--output-file', 'plain-file/x.sarif'], dir);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('plain-file/x.sarif').and.include('OutputFileUnwritable').and.include('Try this');
      expect(r.stderr).to.not.match(NO_STACK);
      const j = await runCommand(['eca', 'check', '--output-file', 'plain-file/x.txt', '--json'], dir);
      expect(j.code).to.equal(2);
      expect(JSON.parse(j.stdout) as ErrorJson).to.include({ status: 2, name: 'OutputFileUnwritableError' });
    });
  });

  describe('usage and configuration errors exit 2', () => {
    it('outside a project, without --source-dir (check and fix), and with a --config that does not exist', async () => {
      const outside = tempDir();
      const r = await runCommand(['eca', 'check'], outside);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('No sfdx-project.json was found').and.include('--source-dir');
      const j = JSON.parse((await runCommand(['eca', 'check', '--json'], outside)).stdout) as ErrorJson;
      expect(j).to.include({ name: 'NoProjectError', status: 2 });
      expect((await runCommand(['eca', 'fix'], outside)).code).to.equal(2);
      const missing = await runCommand(['eca', 'check', '--config', 'missing.json'], EXAMPLE_PROJECT);
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.include('missing.json');
      expect((await runCommand(['eca', 'check', '--source-dir', 'no-such-folder'], EXAMPLE_PROJECT)).code).to.equal(2);
    });

    it('bad flag values, a flag with no value, an unknown flag (standalone)', async () => {
      for (const args of [
        ['check', '--fail-on', 'warnings'],
        ['check', '--format', 'sarf'],
        ['check', '--nope'],
        ['show', '--name'],
        ['audit', '--format', 'sarf'],
      ]) {
        const r = await runCommand(['eca', ...args], EXAMPLE_PROJECT);
        expect(r.code, `${args.join(' ')}\n${r.stderr}`).to.equal(2);
        expect(r.stderr).to.not.match(NO_STACK);
      }
      const j = await runCommand(['eca', 'check', '--format', 'sarf', '--json'], EXAMPLE_PROJECT);
      expect(j.code).to.equal(2);
      expect((JSON.parse(j.stdout) as ErrorJson).status).to.equal(2);
    });

    it('a parse error keeps its own code when it has one other than 1 (an org error of --target-org)', () => {
      const org = Object.assign(new Error('the org answered 503'), { exitCode: 20 });
      expect((parseErrorExit(org) as { oclif: { exit: number } }).oclif.exit).to.equal(20);
      const plain = new Error('No file found at missing.json');
      expect((parseErrorExit(plain) as { oclif: { exit: number } }).oclif.exit).to.equal(2);
      const sfOne = Object.assign(new Error('No target org'), { exitCode: 1, oclif: { exit: 1 } });
      expect(parseErrorExit(sfOne)).to.deep.include({ exitCode: 2, oclif: { exit: 2 } });
    });
  });

  describe('nothing to check', () => {
    it('says so in human output and in --json (warnings, summary.files), and exits 0', async () => {
      const dir = writeTree(tempDir(), { 'sfdx-project.json': SFDX_PROJECT, 'force-app/main/default/classes/A.cls': 'public class A {}\n' });
      const r = await runCommand(['eca', 'check'], dir);
      expect(r.code).to.equal(0);
      expect(r.stderr).to.include('No External Client App or Connected App file found in force-app: nothing was checked');
      const j = await runCommand(['eca', 'check', '--json'], dir);
      expect(j.code).to.equal(0);
      const json = JSON.parse(j.stdout) as CheckJson;
      expect(json.warnings.join('\n')).to.include('nothing was checked');
      expect(json.result.summary.files).to.equal(0);
      const src = await runCommand(['eca', 'check', '--source-dir', 'force-app/main/default/classes'], dir);
      expect(src.code).to.equal(0);
      expect(src.stderr).to.include('found in force-app/main/default/classes: nothing was checked');
    });

    it('counts the files it checked', async () => {
      const json = JSON.parse((await runCommand(['eca', 'check', '--json'], EXAMPLE_PROJECT)).stdout) as CheckJson;
      expect(json.result.summary.files).to.be.greaterThan(4);
      expect(json.warnings.join('\n')).to.not.include('nothing was checked');
    });
  });

  describe('SARIF for GitHub code scanning', () => {
    it('names the plugin\'s version, gives rules a security-severity and precision, keeps the fix out of the message', async () => {
      const dir = copyExample();
      const r = await runCommand(['eca', 'check', '--format', 'sarif', '--output-file', 'eca.sarif'], dir);
      expect(r.code).to.equal(1);
      const run = (JSON.parse(readFileSync(join(dir, 'eca.sarif'), 'utf8')) as SarifLog).runs[0]!;
      expect(run.tool.driver.version).to.equal(PACKAGE_VERSION);
      const byId = new Map(run.tool.driver.rules.map((x) => [x.id, x.properties]));
      expect(byId.get('ECA-POL-010')).to.include({ 'security-severity': '8.0', precision: 'very-high' });
      for (const props of byId.values()) {
        expect(props['security-severity']).to.be.oneOf(['8.0', '5.0', '2.0']);
        expect(props.tags).to.include('security');
      }
      const pol010 = run.results.find((x) => x.ruleId === 'ECA-POL-010')!;
      expect(pol010.message.text).to.equal('ipRelaxationPolicyType is Bypass: tokens work from any address');
      expect(pol010.properties.fix).to.deep.equal({ description: 'set ipRelaxationPolicyType to Enforce', class: 'breaking, needs --include-breaking' });
      expect(pol010.message.markdown).to.match(/\n\n\*\*Fix\*\* \(breaking, needs --include-breaking\): set ipRelaxationPolicyType to Enforce$/);
      for (const res of run.results) expect(res.message.text).to.not.match(/Fix \(|To do:/);
    });

    it('reads the plugin\'s own package.json for the version', () => {
      expect(pluginVersion()).to.equal(PACKAGE_VERSION);
    });
  });

  describe('ERROR CODES', () => {
    it('check and audit list them from the one table', async () => {
      const check = (await runCommand(['eca', 'check', '--help'], EXAMPLE_PROJECT)).stdout;
      expect(check).to.match(/ERROR CODES\n\s+0\s+No finding/);
      expect(check).to.match(/\n\s+2\s+Usage or configuration error/);
      const audit = (await runCommand(['eca', 'audit', '--help'], EXAMPLE_PROJECT)).stdout;
      const section = audit.slice(audit.indexOf('ERROR CODES'));
      const order = ['0', '1', '2', '20', '75', '130, 143'].map((c) => section.search(new RegExp(`\\n\\s+${c}\\s`)));
      expect(order.every((i) => i > 0), section).to.equal(true);
      expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
      const body = (errorCodesSection({ ok: 'a', interrupted: 'b', usage: 'c' }) as { body: Array<{ name: string }> }).body.map((b) => b.name);
      expect(body).to.deep.equal(['0', '2', '130, 143']);
      expect(EXIT_CODES.orgError).to.deep.equal([20]);
      expect(existsSync(join(PROJECT_ROOT, 'src/cli/exitCodes.ts'))).to.equal(true);
    });
  });
});
