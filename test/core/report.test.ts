import { expect } from 'chai';
import { ALL_RULES } from '../../src/core/rules/engine.js';
import type { Finding } from '../../src/core/rules/types.js';
import { renderHuman, renderJunit, renderSarif, type RuleInfo } from '../../src/render/report.js';

const base = {
  rule: 'x',
  severity: 'error' as const,
  category: 'policies' as const,
  app: 'App',
  path: 'force-app/p/App_oauthPlcy.ecaOauthPlcy-meta.xml',
  line: 3,
  col: 5,
};
const breaking: Finding = {
  ...base,
  ruleId: 'ECA-POL-010',
  rule: 'ip-relaxation-enforce',
  message: 'ipRelaxationPolicyType is Bypass: tokens work from any address',
  fix: { path: base.path, edits: [{ op: 'set', element: 'ipRelaxationPolicyType', value: 'Enforce' }], description: 'set ipRelaxationPolicyType to Enforce', class: 'breaking' },
};
const safe: Finding = {
  ...base,
  ruleId: 'ECA-SCH-002',
  rule: 'valid-enum-values',
  severity: 'info',
  line: 4,
  message: 'ipRelaxationPolicyType is written ENFORCE; the documented spelling is Enforce',
  fix: { path: base.path, edits: [{ op: 'set', element: 'ipRelaxationPolicyType', value: 'Enforce' }], description: 'write ipRelaxationPolicyType as Enforce', class: 'safe' },
};
const secret: Finding = {
  ...base,
  ruleId: 'ECA-GLB-001',
  rule: 'no-committed-secret',
  line: 5,
  message: 'a consumer secret is committed (its value is not shown)',
  fix: { path: base.path, edits: [{ op: 'remove', element: 'consumerSecret' }], description: 'remove the committed consumer secret', class: 'breaking', requires: 'remove-secrets' },
};
const manual: Finding = { ...base, ruleId: 'ECA-POL-003', rule: 'no-admin-profile-grant', severity: 'warning', line: 6, message: 'the app is pre-authorized for the profile Admin' };
const findings = [breaking, safe, secret, manual];

// As src/cli/check.ts builds them today: without fixClass (the renderer looks it up).
const rules: RuleInfo[] = ALL_RULES.map((r) => ({ id: r.id, name: r.name, severity: r.severity, summary: r.summary, rationale: r.rationale, helpUri: r.helpUri, category: r.category }));

describe('reports show the class of each fix', () => {
  it('human: safe, breaking (needs --include-breaking), and the flag a secret removal needs', () => {
    const text = renderHuman(findings, 1);
    expect(text).to.include('fix: set ipRelaxationPolicyType to Enforce (breaking, needs --include-breaking)');
    expect(text).to.include('fix: write ipRelaxationPolicyType as Enforce (safe)');
    expect(text).to.include('fix: remove the committed consumer secret (breaking, needs --remove-secrets)');
    expect(text).to.include('(1 fixable with "sf eca fix", 1 more with "sf eca fix --include-breaking", 1 more with "sf eca fix --remove-secrets")');
  });

  it('SARIF: result.properties.fixClass, and the rule\'s fix class in its properties', () => {
    const log = JSON.parse(renderSarif(findings, rules, { name: 't', version: '1', informationUri: 'https://example.com' })) as {
      runs: Array<{ tool: { driver: { rules: Array<{ id: string; properties: { fixClass?: string } }> } }; results: Array<{ ruleId: string; properties?: { fixClass?: string } }> }>;
    };
    const run = log.runs[0]!;
    expect(run.results.map((r) => [r.ruleId, r.properties?.fixClass])).to.deep.equal([
      ['ECA-POL-010', 'breaking'],
      ['ECA-SCH-002', 'safe'],
      ['ECA-GLB-001', 'breaking'],
      ['ECA-POL-003', 'manual'],
    ]);
    const byId = new Map(run.tool.driver.rules.map((r) => [r.id, r.properties.fixClass]));
    expect(byId.get('ECA-POL-010')).to.equal('breaking');
    expect(byId.get('ECA-SET-004')).to.equal('safe');
    expect(byId.get('ECA-POL-003')).to.equal('manual');
  });

  it('JUnit: the failure text names the fix class', () => {
    const xml = renderJunit(findings, ['App'], rules, 'info', () => false);
    expect(xml).to.include('ipRelaxationPolicyType is Bypass: tokens work from any address [fix: breaking, needs --include-breaking]');
    expect(xml).to.include('[fix: safe]');
    expect(xml).to.include('the profile Admin [fix: manual]');
  });
});
