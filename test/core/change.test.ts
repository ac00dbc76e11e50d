/* The change pipeline's pure half: plans never mutate what was loaded, edits merge per element, fixes reach a fixed point. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { planEdits } from '../../src/core/change/plan.js';
import { inventoryAfter, planFixes } from '../../src/core/change/recheck.js';
import { redactText } from '../../src/core/model/secrets.js';
import { buildInventory } from '../../src/core/project/inventory.js';
import { DEFAULT_CONFIG } from '../../src/core/rules/config.js';
import { filesByPath } from '../../src/core/rules/fix.js';
import { ruleContextOf } from '../../src/cli/check.js';
import { CORPUS, xmlFile } from '../support/helpers.js';

const ctx = ruleContextOf(66, DEFAULT_CONFIG, []);
const POLICIES = 'force-app/main/default/extlClntAppOauthPolicies/App_oauthPlcy.ecaOauthPlcy-meta.xml';
const HEADER = 'force-app/main/default/externalClientApps/App.eca-meta.xml';

const app = (policies: ReadonlyArray<[string, string]>) =>
  buildInventory([
    { path: HEADER, text: xmlFile('ExternalClientApplication', [['contactEmail', 'a@example.com'], ['distributionState', 'Local'], ['isProtected', 'false'], ['label', 'App']]) },
    { path: POLICIES, text: xmlFile('ExtlClntAppOauthConfigurablePolicies', [['externalClientApplication', 'App'], ...policies]) },
  ]);

const everything = { removeSecrets: true, includeBreaking: true } as const;

describe('change pipeline (plan, merge, fixed point)', () => {
  it('plans on working copies: the loaded files keep their text', () => {
    const inventory = app([['ipRelaxationPolicyType', 'Bypass'], ['label', 'x']]);
    const files = filesByPath(inventory);
    const before = files.get(POLICIES)?.source;
    const set = planEdits(files, [{ label: 't', fix: { path: POLICIES, edits: [{ op: 'set', element: 'ipRelaxationPolicyType', value: 'Enforce' }], description: 'd', class: 'safe' } }]);
    expect(set.changes).to.have.length(1);
    expect(files.get(POLICIES)?.source).to.equal(before);
    expect(set.changes[0]?.after).to.include('<ipRelaxationPolicyType>Enforce</ipRelaxationPolicyType>');
  });

  it('merges per element: a second fix of the same element is deferred, not applied on top', () => {
    const files = filesByPath(app([['ipRelaxationPolicyType', 'Enforce_relaxrefresh'], ['label', 'x']]));
    const set = planEdits(files, [
      { label: 'A', fix: { path: POLICIES, edits: [{ op: 'set', element: 'ipRelaxationPolicyType', value: 'Enforce_RelaxRefresh' }], description: 'spelling', class: 'safe' } },
      { label: 'B', fix: { path: POLICIES, edits: [{ op: 'set', element: 'ipRelaxationPolicyType', value: 'Enforce' }], description: 'enforce', class: 'breaking' } },
    ]);
    expect(set.changes[0]?.applied.map((a) => a.label)).to.deep.equal(['A']);
    expect(set.deferred).to.deep.equal([{ label: 'B', path: POLICIES, element: 'ipRelaxationPolicyType' }]);
  });

  it('two rules fixing one element (Enforce_relaxrefresh): one run reaches the end, a second changes nothing', () => {
    const inventory = app([['ipRelaxationPolicyType', 'Enforce_relaxrefresh'], ['label', 'x'], ['permittedUsersPolicyType', 'AllSelfAuthorized']]);
    const first = planFixes(inventory, ctx, everything);
    expect(first.set.changes).to.have.length.greaterThan(0);
    const second = planFixes(inventoryAfter(inventory, first.set), ctx, everything);
    expect(second.set.changes).to.deep.equal([]);
    // What the dry run claims is what lands.
    const claimed = first.set.changes.flatMap((c) => c.applied.map((a) => a.label));
    expect(new Set(claimed).size).to.equal(claimed.length);
  });

  it('fix then fix changes nothing the second time, on every corpus file (alone and together)', () => {
    const dir = join(CORPUS, 'eca');
    const sources = readdirSync(dir)
      .filter((n) => n.endsWith('.xml'))
      .map((n) => {
        // A corpus name is <owner>__<repo>__<file>: keep the file's own name in a project folder.
        const own = n.split('__').pop() as string;
        return { path: `force-app/main/default/x/${own}`, text: readFileSync(join(dir, n), 'utf8') };
      });
    expect(sources.length).to.be.greaterThan(10);
    const groups = [...sources.map((s) => [s]), sources.filter((s, i, all) => all.findIndex((t) => t.path === s.path) === i)];
    for (const group of groups) {
      const inventory = buildInventory(group);
      const first = planFixes(inventory, ctx, everything);
      const second = planFixes(inventoryAfter(inventory, first.set), ctx, everything);
      expect(second.set.changes.map((c) => c.path), group.map((g) => g.path).join(', ')).to.deep.equal([]);
    }
  });

  it('redacts secret values (any prefix, any depth, context lines too) and private keys, keeping the line count', () => {
    const text = [
      '<a>',
      '    <consumerSecret>s3cr3t</consumerSecret>',
      '    <x><md:consumerSecret a="1">deep</md:consumerSecret></x>',
      '    <consumerKey>3MVG9key</consumerKey>',
      '    <certificate>-----BEGIN PRIVATE KEY-----',
      'MIIEv',
      '-----END PRIVATE KEY-----</certificate>',
      '</a>',
    ].join('\n');
    const out = redactText(text);
    for (const secret of ['s3cr3t', 'deep', '3MVG9key', 'MIIEv']) expect(out).not.to.include(secret);
    expect(out.split('\n')).to.have.length(text.split('\n').length);
    expect(out).to.include('<consumerSecret>(redacted)</consumerSecret>');
  });
});
