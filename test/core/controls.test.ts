import { expect } from 'chai';
import { ALL_RULES, EXPIRED_WAIVER_RULE, UNREADABLE_RULE } from '../../src/core/rules/engine.js';
import { CONTROLLED_RULE_IDS, CONTROLS, controlsOf, controlTag, type ControlRef } from '../../src/core/rules/controls.js';
import { ruleInfos, ruleList } from '../../src/cli/check.js';
import { renderSarif } from '../../src/render/report.js';
import type { Finding } from '../../src/core/rules/types.js';

const RULE_IDS = new Set([...ALL_RULES.map((r) => r.id), UNREADABLE_RULE.id, EXPIRED_WAIVER_RULE.id]);
const FRAMEWORKS = ['salesforce-health-check', 'appexchange-security-review', 'salesforce-security-benchmark', 'help-recommendation', 'metadata-api'];

type SarifRule = {
  id: string;
  help: { text: string; markdown: string };
  properties: { tags: string[]; controls?: ControlRef[] };
};

const sarifRules = (): Map<string, SarifRule> => {
  const finding: Finding = {
    ruleId: 'ECA-GLB-010',
    rule: 'pkce-required',
    severity: 'error',
    category: 'global-settings',
    app: 'App',
    path: 'force-app/App.ecaGlblOauth-meta.xml',
    line: 3,
    col: 5,
    message: 'isPkceRequired is false',
  };
  const log = JSON.parse(renderSarif([finding], ruleInfos(), { name: 't', version: '1', informationUri: 'https://example.com' })) as {
    runs: Array<{ tool: { driver: { rules: SarifRule[] } } }>;
  };
  return new Map(log.runs[0]!.tool.driver.rules.map((r) => [r.id, r]));
};

describe('controls: the Salesforce control each rule enforces', () => {
  it('names only real rule ids', () => {
    expect(CONTROLLED_RULE_IDS.length).to.be.above(10);
    for (const id of CONTROLLED_RULE_IDS) expect(RULE_IDS.has(id), id).to.equal(true);
  });

  it('every control has a known framework, a title and an https URL; no invented ids', () => {
    const refs = [...Object.values(CONTROLS), ...CONTROLLED_RULE_IDS.flatMap((id) => controlsOf(id))];
    for (const c of refs) {
      expect(FRAMEWORKS, c.title).to.include(c.framework);
      expect(c.title.trim(), c.url).to.not.equal('');
      expect(new URL(c.url).protocol, c.url).to.equal('https:');
      // Salesforce publishes its controls by name: an id only where a framework gives one (SBS-OAUTH-002 style)
      if ('id' in c && c.id !== undefined) expect(`${c.framework} ${String(c.id)}`).to.match(/^salesforce-security-benchmark SBS-[A-Z]+-\d{3}$/);
    }
    expect(controlsOf('ECA-SCH-001')).to.deep.equal([]);
    expect(controlsOf('no-such-rule')).to.deep.equal([]);
  });

  it('PKCE, rotation, secrets, scopes and client credentials rules name their Security Health Check control', () => {
    const healthCheck = (id: string): string[] => controlsOf(id).filter((c) => c.framework === 'salesforce-health-check').map((c) => c.title);
    expect(healthCheck('ECA-GLB-010')).to.deep.equal(['Security: Require Proof Key for Code Exchange (PKCE)']);
    expect(healthCheck('ECA-GLB-011')).to.deep.equal(['Security: Enable Refresh Token Rotation']);
    expect(healthCheck('ECA-GLB-012')).to.deep.equal(['Security: Require Secret for Refresh Token Flow']);
    expect(healthCheck('ECA-GLB-013')).to.deep.equal(['Security: Require Secret for Web Server Flow']);
    expect(healthCheck('ECA-SET-001')).to.deep.equal(['Configure the External Client App OAuth Settings: OAuth Scope Least Privilege']);
    expect(healthCheck('ECA-POL-040')).to.deep.equal(['Configure OAuth Policies: Configure Client Credential Flow Policies']);
    expect(healthCheck('ECA-POL-041')).to.deep.equal(['OAuth Flow Enablement: Disable Client Credentials Flow']);
    expect(healthCheck('ECA-GLB-001')).to.deep.equal(['External Client App Settings: Metadata Secrets Protection']);
    // the AppExchange page requires PKCE and rotation of partner apps, nothing else
    const appExchange = CONTROLLED_RULE_IDS.filter((id) => controlsOf(id).some((c) => c.framework === 'appexchange-security-review'));
    expect(appExchange).to.have.members(['ECA-GLB-010', 'ECA-GLB-011']);
    // the 30-day idle limit is a Help recommendation, not a partner requirement
    expect(controlsOf('ECA-POL-021').map((c) => c.framework)).to.deep.equal(['help-recommendation']);
    // an ID token control exists, for the rule that will check it
    expect(CONTROLS.configureIdToken.url).to.match(/configure_id_token/);
  });

  it('--list-rules --json carries the controls of each rule', () => {
    const rules = ruleList().rules;
    for (const r of rules) expect(r.controls).to.deep.equal(controlsOf(r.id));
    expect(rules.find((r) => r.id === 'ECA-GLB-010')?.controls.map((c) => c.framework)).to.deep.equal(['salesforce-health-check', 'appexchange-security-review']);
  });

  it('SARIF: tags without spaces, properties.controls and links in help.markdown', () => {
    const byId = sarifRules();
    const pkce = byId.get('ECA-GLB-010')!;
    expect(pkce.properties.tags).to.include.members(['health-check:require-pkce', 'appexchange:secure-connected-apps']);
    expect(pkce.properties.controls).to.deep.equal(controlsOf('ECA-GLB-010'));
    expect(pkce.help.markdown).to.include('**Controls**');
    expect(pkce.help.markdown).to.include(
      '- [Salesforce Security Health Check: Security: Require Proof Key for Code Exchange (PKCE)](https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.shr_security_require_proof_key_for_code_exchange_pkce.htm)'
    );
    expect(pkce.help.text).to.include('https://developer.salesforce.com/docs/atlas.en-us.packagingGuide.meta/packagingGuide/secure_code_ac_eca.htm');
    for (const r of byId.values()) {
      for (const t of r.properties.tags) expect(t, r.id).to.match(/^[a-z0-9:-]+$/);
      expect(r.properties.tags.filter((t) => t.includes(':'))).to.deep.equal(controlsOf(r.id).map(controlTag));
      if (controlsOf(r.id).length === 0) {
        expect(r.properties.controls, r.id).to.equal(undefined);
        expect(r.help.markdown, r.id).to.not.include('**Controls**');
      }
    }
  });
});
