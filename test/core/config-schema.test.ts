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
    it(`agrees with the validator on ${name}`, () => {
      let ours = true;
      try {
        parseConfig([{ source: 't', value }], RULE_KEYS);
      } catch {
        ours = false;
      }
      expect(validate(value), JSON.stringify(validate.errors)).to.equal(ours);
    });
  }
});
