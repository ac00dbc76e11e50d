import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { copyExample, EXAMPLE_PROJECT, PROJECT_ROOT, snapshot } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

const SECRET = 'EXAMPLE0FAKE0SECRET0DO0NOT0USE0000000000000000000000000000000000';

type CheckJson = {
  status: number;
  result: { findings: Array<{ ruleId: string; app: string; severity: string; line: number; fix?: unknown; waived?: unknown }>; failed: boolean; summary: Record<string, number> };
};


describe('eca check and eca fix (in-process)', () => {
  it('reports exactly the planted weaknesses of the example project, nothing on the hardened app', async () => {
    const r = await runCommand(['eca', 'check', '--json'], EXAMPLE_PROJECT);
    expect(r.code).to.equal(1);
    const json = JSON.parse(r.stdout) as CheckJson;
    expect(json.status).to.equal(1);
    const byApp = (app: string): string[] => json.result.findings.filter((f) => f.app === app).map((f) => f.ruleId).sort();
    expect(byApp('Order_Sync')).to.deep.equal([]);
    expect(byApp('Partner_Portal')).to.deep.equal(['ECA-GLB-001', 'ECA-GLB-010', 'ECA-GLB-016', 'ECA-POL-001', 'ECA-POL-010', 'ECA-POL-020', 'ECA-SET-001']);
    expect(byApp('Field_Service_Mobile')).to.deep.equal(['ECA-POL-000']);
    expect(byApp('Legacy_Data_Loader')).to.deep.equal(['ECA-CA-001', 'ECA-CA-002', 'ECA-CA-003', 'ECA-CA-004', 'ECA-CA-010', 'ECA-CA-011']);
    // A public client: the rules of confidential clients (secret to refresh, secret in the web server flow) do not apply.
    expect(byApp('Desktop_CLI')).to.deep.equal([]);
    // A packaged app: rotation is an AppExchange requirement, an error without any refresh scope; its policies do not ship.
    expect(json.result.findings.filter((f) => f.app === 'Partner_Connector').map((f) => [f.ruleId, f.severity])).to.deep.equal([['ECA-GLB-011', 'error']]);
    expect(r.stdout).to.not.include(SECRET);
  });

  it('prints a human report grouped by file with path:line:col and a summary line', async () => {
    const r = await runCommand(['eca', 'check'], EXAMPLE_PROJECT);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.include(
      // the path once, as the group's heading (wrapped after a folder at 80 columns), then line:col
      'Partner_Portal_Settings_defaultPolicy.ecaOauthPlcy-meta.xml\n  4:5  error  ECA-POL-010 ip-relaxation-enforce  ipRelaxationPolicyType is\n      Bypass'
    );
    expect(r.stdout).to.include('fix: set ipRelaxationPolicyType to Enforce');
    expect(r.stdout.replace(/\s+/g, ' ')).to.match(/8 errors, 5 warnings, 2 info in 6 apps \(4 fixable with "sf eca fix --include-breaking", 1 more with "sf eca fix --remove-secrets"\)\. Posture score: 75\/100 \(lowest app: 0\)\. $/);
    expect(r.stdout).to.not.include(SECRET);
    expect(r.stdout).to.not.include('\u001b[');
  });

  it('exits 0 below --fail-on, and honours never', async () => {
    expect((await runCommand(['eca', 'check', '--rule', 'ECA-CA-002'], EXAMPLE_PROJECT)).code).to.equal(0);
    expect((await runCommand(['eca', 'check', '--rule', 'ECA-CA-002', '--fail-on', 'warning'], EXAMPLE_PROJECT)).code).to.equal(1);
    expect((await runCommand(['eca', 'check', '--fail-on', 'never'], EXAMPLE_PROJECT)).code).to.equal(0);
  });

  it('writes SARIF 2.1.0 that validates against the official schema', async () => {
    const dir = copyExample();
    const r = await runCommand(['eca', 'check', '--format', 'sarif', '--output-file', 'eca.sarif'], dir);
    expect(r.code).to.equal(1);
    const sarif = JSON.parse(readFileSync(join(dir, 'eca.sarif'), 'utf8')) as {
      version: string;
      runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; ruleIndex: number; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }>;
    };
    const { default: Ajv } = (await import('ajv-draft-04')) as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } };
    // The schema has a pattern that is invalid under the u flag (a stray "]"): compile its patterns without it.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, logger: false });
    const validate = ajv.compile(JSON.parse(readFileSync(join(PROJECT_ROOT, 'test/fixtures/sarif-2.1.0-rtm.5.json'), 'utf8')) as object);
    expect(validate(sarif), JSON.stringify(validate.errors)).to.equal(true);
    expect(sarif.version).to.equal('2.1.0');
    const run = sarif.runs[0]!;
    for (const res of run.results) {
      expect(run.tool.driver.rules[res.ruleIndex]?.id).to.equal(res.ruleId);
      expect(res.locations[0]?.physicalLocation.artifactLocation.uri).to.match(/^force-app\//);
      expect(res.locations[0]?.physicalLocation.region.startLine).to.be.greaterThan(0);
    }
    expect(readFileSync(join(dir, 'eca.sarif'), 'utf8')).to.not.include(SECRET);
    expect(r.stderr + r.stdout).to.include('Report written to eca.sarif');
  });

  it('prints SARIF alone on stdout without --output-file', async () => {
    const r = await runCommand(['eca', 'check', '--format', 'sarif'], EXAMPLE_PROJECT);
    expect((JSON.parse(r.stdout) as { version: string }).version).to.equal('2.1.0');
  });

  it('writes JUnit XML: a test case per app and rule, failures carrying the findings', async () => {
    const r = await runCommand(['eca', 'check', '--format', 'junit'], EXAMPLE_PROJECT);
    expect(r.code).to.equal(1);
    expect(XMLValidator.validate(r.stdout)).to.equal(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(r.stdout) as {
      testsuites: { tests: string; failures: string; testsuite: Array<{ name: string; tests: string; failures: string; testcase: Array<{ name: string; failure?: { message: string } }> }> };
    };
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s) => s.name).sort()).to.deep.equal(['Desktop_CLI', 'Field_Service_Mobile', 'Legacy_Data_Loader', 'Order_Sync', 'Partner_Connector', 'Partner_Portal']);
    // Rules that do not apply to a public client are no test cases of it.
    const cli = suites.find((s) => s.name === 'Desktop_CLI')!;
    expect(cli.testcase.map((t) => t.name).filter((n) => /^ECA-(GLB-012|SET-002)/.test(n))).to.deep.equal([]);
    const portal = suites.find((s) => s.name === 'Partner_Portal')!;
    expect(Number(portal.failures)).to.equal(7);
    expect(portal.testcase.find((t) => t.name.startsWith('ECA-POL-010'))?.failure?.message).to.include('Bypass');
    const order = suites.find((s) => s.name === 'Order_Sync')!;
    expect(Number(order.failures)).to.equal(0);
    expect(Number(order.tests)).to.be.greaterThan(30);
    expect(r.stdout).to.not.include(SECRET);
  });

  it('reads the configuration from sfdx-project.json and --config; invalid keys exit 2 naming the key', async () => {
    const dir = copyExample();
    const pj = JSON.parse(readFileSync(join(dir, 'sfdx-project.json'), 'utf8')) as Record<string, unknown>;
    pj.plugins = { eca: { waivers: [{ app: 'Partner_Portal', rule: 'ECA-POL-010', reason: 'vendor has no fixed egress IPs', expires: '2099-12-31' }] } };
    writeFileSync(join(dir, 'sfdx-project.json'), JSON.stringify(pj, null, 2));
    const j = JSON.parse((await runCommand(['eca', 'check', '--json'], dir)).stdout) as CheckJson;
    expect(j.result.findings.find((f) => f.ruleId === 'ECA-POL-010')?.waived).to.deep.equal({ reason: 'vendor has no fixed egress IPs', expires: '2099-12-31' });
    writeFileSync(join(dir, 'eca.json'), JSON.stringify({ rules: { 'ECA-POL-010': 'fatal' } }));
    const bad = await runCommand(['eca', 'check', '--config', 'eca.json'], dir);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('rules.ECA-POL-010: expected "error", "warning", "info" or "off"');
    writeFileSync(join(dir, 'eca.json'), '{ "rules": { ');
    const broken = await runCommand(['eca', 'check', '--config', 'eca.json'], dir);
    expect(broken.code).to.equal(2);
    expect(broken.stderr).to.include('eca.json');
    expect(broken.stderr).to.not.match(/\n\s+at /);
    const unknownRule = await runCommand(['eca', 'check', '--rule', 'ECA-NOPE'], dir);
    expect(unknownRule.code).to.equal(2);
    expect(unknownRule.stderr).to.include('Unknown rule: ECA-NOPE');
  });

  it('lists the rules', async () => {
    const r = await runCommand(['eca', 'check', '--list-rules'], EXAMPLE_PROJECT, { COLUMNS: '250' });
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/ECA-POL-001\s+permitted-users-admin-approved\s+error\s+breaking/);
    expect(r.stdout).to.match(/ECA-SCH-002\s+\S+\s+\w+\s+safe/);
    expect(r.stdout).to.match(/ECA-GLB-016\s+\S+\s+\w+\s+manual/);
  });

  it('plain fix applies no change clients would notice: it lists them and names --include-breaking', async () => {
    const dir = copyExample();
    const before = snapshot(dir);
    const r = await runCommand(['eca', 'fix'], dir);
    expect(r.stdout).to.include('Nothing to fix.');
    expect(r.stderr).to.include('ECA-POL-010 not fixed: clients would notice this change: it needs --include-breaking');
    expect(r.stderr).to.include('ECA-GLB-010 not fixed');
    expect(r.stderr).to.include('4 fixes would change what clients see');
    expect(snapshot(dir)).to.deep.equal(before);
    const json = JSON.parse((await runCommand(['eca', 'fix', '--json'], dir)).stdout) as { result: { skipped: Array<{ ruleId: string; flag?: string }> } };
    expect(json.result.skipped.filter((s) => s.flag === '--include-breaking').map((s) => s.ruleId).sort()).to.deep.equal(['ECA-GLB-010', 'ECA-GLB-011', 'ECA-POL-010', 'ECA-POL-020']);
  });

  it('fix --dry-run --include-breaking prints a unified diff and writes nothing', async () => {
    const dir = copyExample();
    const before = snapshot(dir);
    const r = await runCommand(['eca', 'fix', '--dry-run', '--include-breaking'], dir);
    expect(r.stdout).to.include('--- a/force-app/main/default/extlClntAppOauthPolicies/Partner_Portal_Settings_defaultPolicy.ecaOauthPlcy-meta.xml');
    expect(r.stdout).to.include('-    <ipRelaxationPolicyType>Bypass</ipRelaxationPolicyType>\n+    <ipRelaxationPolicyType>Enforce</ipRelaxationPolicyType>');
    expect(r.stdout).to.include('Would fix 4 findings in 3 files');
    expect(snapshot(dir)).to.deep.equal(before);
  });

  it('fix then check leaves only the findings that need a person; a second fix changes nothing', async () => {
    const dir = copyExample();
    const glbl = join(dir, 'force-app/main/default/extlClntAppGlobalOauthSets/Partner_Portal_glbloauth.ecaGlblOauth-meta.xml');
    const glblBefore = readFileSync(glbl, 'utf8');
    const r = await runCommand(['eca', 'fix', '--include-breaking', '--json'], dir);
    const json = JSON.parse(r.stdout) as { result: { changes: Array<{ path: string }>; remaining: Array<{ ruleId: string }> } };
    expect(json.result.changes.map((c) => c.path)).to.have.length(3);
    // Only the PKCE line changed in the global settings; the secret stays without --remove-secrets.
    const glblAfter = readFileSync(glbl, 'utf8');
    const changed = glblBefore.split('\n').filter((l, i) => glblAfter.split('\n')[i] !== l);
    expect(changed).to.deep.equal(['    <isPkceRequired>false</isPkceRequired>']);
    const after = JSON.parse((await runCommand(['eca', 'check', '--json'], dir)).stdout) as CheckJson;
    const left = after.result.findings.filter((f) => f.app === 'Partner_Portal').map((f) => f.ruleId).sort();
    expect(left).to.deep.equal(['ECA-GLB-001', 'ECA-GLB-016', 'ECA-POL-001', 'ECA-SET-001']);
    expect(after.result.findings.filter((f) => f.fix && f.ruleId !== 'ECA-GLB-001')).to.deep.equal([]);
    const snap = snapshot(dir);
    const second = await runCommand(['eca', 'fix', '--include-breaking'], dir);
    expect(second.stdout).to.include('Nothing to fix.');
    expect(snapshot(dir)).to.deep.equal(snap);
    const secrets = await runCommand(['eca', 'fix', '--remove-secrets'], dir);
    expect(secrets.stdout).to.include('ECA-GLB-001  remove the committed consumer secret');
    expect(readFileSync(glbl, 'utf8')).to.not.include('consumerSecret');
    expect(existsSync(`${glbl}.tmp`)).to.equal(false);
  });

  it('fix leaves no temporary file and keeps file modes', async () => {
    const dir = copyExample();
    await runCommand(['eca', 'fix'], dir);
    const leftovers = [...snapshot(dir).keys()].filter((p) => p.endsWith('.tmp'));
    expect(leftovers).to.deep.equal([]);
  });
});
