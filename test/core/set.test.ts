import { expect } from 'chai';
import { planSet, type SetRequest } from '../../src/core/authoring/set.js';
import { buildInventory } from '../../src/core/project/inventory.js';
import { DEFAULT_CONFIG, type EcaConfig, parseConfig } from '../../src/core/rules/config.js';
import { RULE_KEYS, runCheck } from '../../src/core/rules/engine.js';
import { filesByPath } from '../../src/core/rules/fix.js';
import { planEdits } from '../../src/core/change/plan.js';
import { NS } from '../support/helpers.js';

const H = 'force-app/main/default/externalClientApps/App.eca-meta.xml';
const O = 'force-app/main/default/extlClntAppOauthSettings/App_oauth.ecaOauth-meta.xml';
const range = (start: string, end: string): string =>
  `    <trustedIpRanges>\n        <endIpAddress>${end}</endIpAddress>\n        <startIpAddress>${start}</startIpAddress>\n    </trustedIpRanges>\n`;
const oauth = (ranges: string[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppOauthSettings xmlns="${NS}">\n    <commaSeparatedOauthScopes>Api</commaSeparatedOauthScopes>\n    <externalClientApplication>App</externalClientApplication>\n    <label>App_oauth</label>\n${ranges.join('')}</ExtlClntAppOauthSettings>\n`;
const header = `<?xml version="1.0" encoding="UTF-8"?>\n<ExternalClientApplication xmlns="${NS}">\n    <contactEmail>a@example.com</contactEmail>\n    <label>App</label>\n</ExternalClientApplication>\n`;

const inventoryOf = (ranges: string[] = [range('203.0.113.0', '203.0.113.15')]) =>
  buildInventory([
    { path: H, text: header },
    { path: O, text: oauth(ranges) },
  ]);

const plan = (r: SetRequest, config?: Partial<EcaConfig>, ranges?: string[]) => {
  const inv = inventoryOf(ranges);
  return { inv, plan: planSet(inv.apps[0]!, r, 66, undefined, config ? { ...DEFAULT_CONFIG, ...config } : undefined) };
};

/** The IP-rule errors check reports after the plan is applied. */
const ipErrorsAfter = (r: SetRequest, config: EcaConfig = DEFAULT_CONFIG, ranges?: string[]): string[] => {
  const inv = inventoryOf(ranges);
  const p = planSet(inv.apps[0]!, r, 66, undefined, config);
  const { changes } = planEdits(filesByPath(inv), p.fixes);
  const texts = new Map(changes.map((c) => [c.path, c.after]));
  const after = buildInventory([H, O].map((path) => ({ path, text: texts.get(path) ?? (path === H ? header : oauth(ranges ?? [range('203.0.113.0', '203.0.113.15')])) })));
  return runCheck(after, { apiVersion: 66, config, packageDirs: [], today: '2026-12-01' })
    .findings.filter((f) => f.ruleId.startsWith('ECA-IP-') && f.severity === 'error')
    .map((f) => f.ruleId);
};

describe('set refuses what check would call an error', () => {
  it('refuses a range wider than maxIpRangeSize (the default when no configuration is given)', () => {
    const { plan: p } = plan({ addIpRanges: ['10.0.0.0/16'] });
    expect(p.fixes).to.deep.equal([]);
    expect(p.problems.join('\n')).to.include('10.0.0.0–10.0.255.255').and.include('65536 addresses').and.include('256');
    expect(ipErrorsAfter({ addIpRanges: ['203.0.113.64/26'] })).to.deep.equal([]);
  });

  it('uses the configured maximum', () => {
    expect(plan({ addIpRanges: ['10.0.0.0/16'] }, { maxIpRangeSize: 65536 }).plan.problems).to.deep.equal([]);
    expect(plan({ addIpRanges: ['10.0.0.0/24'] }, { maxIpRangeSize: 16 }).plan.problems.join('\n')).to.include('more than the maximum of 16');
  });

  it('refuses every address whatever the maximum', () => {
    expect(plan({ addIpRanges: ['0.0.0.0/0'] }, { maxIpRangeSize: 2 ** 33 }).plan.problems.join('\n')).to.include('every IPv4 address');
    expect(plan({ addIpRanges: ['::/1'] }).plan.problems.join('\n')).to.include('half of all IPv6 addresses');
  });

  it('refuses a range outside the approved ranges', () => {
    const approvedIpRanges = parseConfig([{ source: 't', value: { approvedIpRanges: ['198.51.100.0/24'] } }], RULE_KEYS).approvedIpRanges;
    expect(plan({ addIpRanges: ['203.0.113.32/28'] }, { approvedIpRanges }).plan.problems.join('\n')).to.include('approved');
    expect(plan({ addIpRanges: ['198.51.100.16/28'] }, { approvedIpRanges }).plan.problems).to.deep.equal([]);
  });

  it('refuses more than 128 ranges in all', () => {
    const many = Array.from({ length: 128 }, (_, i) => range(`10.1.${i}.1`, `10.1.${i}.2`));
    expect(plan({ addIpRanges: ['10.2.0.1-10.2.0.2'] }, undefined, many).plan.problems.join('\n')).to.include('129').and.include('at most 128');
    expect(plan({ addIpRanges: ['10.2.0.1-10.2.0.2'], removeIpRanges: ['10.1.0.1-10.1.0.2'] }, undefined, many).plan.problems).to.deep.equal([]);
  });

  it('follows severity overrides: a rule turned off or down is no refusal', () => {
    expect(plan({ addIpRanges: ['10.0.0.0/16'] }, { rules: { 'ECA-IP-002': 'warning' } }).plan.problems).to.deep.equal([]);
    expect(plan({ addIpRanges: ['10.0.0.0/16'] }, { rules: { 'ip-range-size': 'off' } }).plan.problems).to.deep.equal([]);
  });
});
