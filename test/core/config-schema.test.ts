import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import AjvModule from 'ajv';
import { buildConfigSchema } from '../../src/core/rules/configSchema.js';
import { parseConfig } from '../../src/core/rules/config.js';
import { RULE_KEYS } from '../../src/core/rules/engine.js';
import { PROJECT_ROOT } from '../support/helpers.js';

describe('the configuration JSON schema', () => {
  const shipped = JSON.parse(readFileSync(join(PROJECT_ROOT, 'schemas', 'eca-config.schema.json'), 'utf8')) as object;

  it('is the one the rule catalog produces (npm run schema regenerates it)', () => {
    expect(shipped).to.deep.equal(buildConfigSchema());
  });

  const samples: Array<[string, unknown]> = [
    ['a full, valid configuration', {
      rules: { 'ECA-POL-010': 'warning', 'known-scopes': 'off' },
      approvedIpRanges: ['203.0.113.0/24', '2001:db8::/32'],
      maxIpRangeSize: 64,
      maxRefreshTokenInactivity: '30d',
      maxRefreshTokenLifetime: '3mo',
      allowedScopes: ['Api', 'RefreshToken'],
      allowClientCredentials: ['Order_Sync'],
      allowTokenExchange: [],
      defaultPermissionSet: 'Integration_Users',
      deniedProfiles: ['System Administrator'],
      failOn: 'warning',
      waivers: [{ app: 'Partner_Portal', rule: 'ECA-POL-010', reason: 'vendor IPs', expires: '2027-01-31' }],
    }],
    ['an unknown key', { colour: 'red' }],
    ['an unknown rule', { rules: { 'ECA-NOPE': 'off' } }],
    ['a bad severity', { rules: { 'ECA-POL-010': 'fatal' } }],
    ['a bad duration', { maxRefreshTokenInactivity: 'forever' }],
    ['a waiver without reason', { waivers: [{ app: 'A', rule: 'ECA-POL-010' }] }],
    ['a bad failOn', { failOn: 'never' }],
    ['a bad permission set name', { defaultPermissionSet: 'Has Spaces' }],
  ];

  type Validator = ((data: unknown) => boolean) & { errors?: unknown };
  const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as new (o: object) => { compile(s: object): Validator };
  const validate = new Ajv({ allErrors: true, strict: false }).compile(shipped);
  for (const [name, value] of samples) {
    it(`as shipped, gives the validator's verdict on ${name}`, () => {
      let ours = true;
      try {
        parseConfig([{ source: 't', value }], RULE_KEYS);
      } catch {
        ours = false;
      }
      expect(validate(value), JSON.stringify(validate.errors)).to.equal(ours);
    });
  }

  /**
   * Every node of the schema, with a configuration that is wrong exactly there: `true` in its place (no node admits a
   * boolean), a missing required key, an unknown key or rule name.
   */
  type Node = { type?: string; properties?: Record<string, Node>; items?: Node; additionalProperties?: Node | boolean; propertyNames?: Node; required?: string[] };
  const waiver = { app: 'A', rule: 'ECA-POL-010', reason: 'vendor IPs' };
  const wrongAt = (node: Node, where: string, put: (v: unknown) => unknown, base: Record<string, unknown>): Array<[string, unknown]> => [
    [where, put(true)],
    ...Object.entries(node.properties ?? {}).flatMap(([k, child]) => wrongAt(child, `${where}.${k}`, (v) => put({ ...base, [k]: v }), k === 'waivers' ? waiver : {})),
    ...(node.items ? wrongAt(node.items, `${where}[]`, (v) => put([v]), base) : []),
    ...(typeof node.additionalProperties === 'object' ? wrongAt(node.additionalProperties, `${where}.*`, (v) => put({ 'ECA-POL-010': v }), {}) : []),
    ...(node.additionalProperties === false ? [[`${where} unknown key`, put({ ...base, zz: 1 })] as [string, unknown]] : []),
    ...(node.propertyNames ? [[`${where} name`, put({ 'ECA-NOPE-0': 'off' })] as [string, unknown]] : []),
    ...(node.required ?? []).map((k): [string, unknown] => [`${where} without ${k}`, put(Object.fromEntries(Object.entries(base).filter(([b]) => b !== k)))]),
  ];
  const cases = wrongAt(buildConfigSchema(), '(root)', (v) => v, {});
  it('has a message in words for every node (never ajv\'s own), naming the key', () => {
    expect(cases.length).to.be.greaterThan(30);
    for (const [where, value] of cases) {
      let message = '';
      try {
        parseConfig([{ source: 't', value }], RULE_KEYS);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, where).to.match(/^t: \S+: \S/);
      expect(message, where).to.not.match(/\bmust\b|\bpattern\b|allowed values/);
    }
  });
});
