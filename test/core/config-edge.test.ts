/*
 * Edge inputs on which the shipped configuration schema (schemas/eca-config.schema.json) and the validator of
 * src/core/rules/config.ts used to disagree: now both give the same answer, and the validator's message names the
 * source and the key. What only the validator can judge (a CIDR range's validity, a calendar date) is listed apart:
 * there the schema accepts a superset.
 */
import { expect } from 'chai';
import AjvModule from 'ajv';
import { buildConfigSchema } from '../../src/core/rules/configSchema.js';
import { parseConfig } from '../../src/core/rules/config.js';
import { RULE_KEYS } from '../../src/core/rules/engine.js';

type Validator = ((data: unknown) => boolean) & { errors?: unknown };
const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as new (o: object) => { compile(s: object): Validator };
const schemaAccepts = new Ajv({ allErrors: true, strict: false }).compile(buildConfigSchema());

/** The validator's message, or undefined when it accepts the configuration. */
const ours = (value: unknown): string | undefined => {
  try {
    parseConfig([{ source: 'eca.json', value }], RULE_KEYS);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

const waiver = { app: 'A', rule: 'ECA-POL-010', reason: 'vendor IPs' };

/** [what, configuration, accepted?, the key the message names when refused]; each disagreed before. */
const EDGES: Array<[string, unknown, boolean, string?]> = [
  ['a blank string inside an array of names', { allowedScopes: ['Api', '  '] }, false, 'allowedScopes'],
  ['a tab as a profile name', { deniedProfiles: ['\t'] }, false, 'deniedProfiles'],
  ['a no-break space as an app name', { allowTokenExchange: ['\u00a0'] }, false, 'allowTokenExchange'],
  ['a duration of zero days', { maxRefreshTokenInactivity: '0d' }, false, 'maxRefreshTokenInactivity'],
  ['a duration of zeros only', { maxRefreshTokenLifetime: '000h' }, false, 'maxRefreshTokenLifetime'],
  ['a duration unit in capitals', { maxRefreshTokenInactivity: '30 DAYS' }, true],
  ['a duration unit capitalised', { maxRefreshTokenLifetime: '3Mo' }, true],
  ['a waiver reason of spaces', { waivers: [{ ...waiver, reason: '     ' }] }, false, 'waivers[0].reason'],
  ['a waiver reason of one letter and spaces', { waivers: [{ ...waiver, reason: 'a   ' }] }, false, 'waivers[0].reason'],
  ['a waiver reason of two characters in three UTF-16 units', { waivers: [{ ...waiver, reason: '😀a' }] }, false, 'waivers[0].reason'],
  ['a waiver app of spaces', { waivers: [{ ...waiver, app: ' ' }] }, false, 'waivers[0].app'],
  ['a waiver expiry in month 13', { waivers: [{ ...waiver, expires: '2027-13-01' }] }, false, 'waivers[0].expires'],
  ['a waiver expiry on day 00', { waivers: [{ ...waiver, expires: '2027-01-00' }] }, false, 'waivers[0].expires'],
  ['a $schema that is not a string', { $schema: 3 }, false, '$schema'],
  ['an approved range with surrounding spaces', { approvedIpRanges: [' 10.0.0.0/24 '] }, true],
];

/** Refused by the validator only: the schema cannot express these (semantic checks kept by hand). */
const SEMANTIC: Array<[string, unknown, string]> = [
  ['an IPv4 octet over 255', { approvedIpRanges: ['999.1.1.1/24'] }, 'approvedIpRanges[0]'],
  ['an IPv4 prefix over 32', { approvedIpRanges: ['10.0.0.0/33'] }, 'approvedIpRanges[0]'],
  ['hex digits that are no address', { approvedIpRanges: ['abc'] }, 'approvedIpRanges[0]'],
  ['a waiver expiry on February 30', { waivers: [{ ...waiver, expires: '2027-02-30' }] }, 'waivers[0].expires'],
];

/** Inputs both always agreed on, kept as a guard: wrong types, null, integers as strings, negative numbers, extra keys. */
const AGREED: Array<[string, unknown, boolean]> = [
  ['null', null, false],
  ['null rules', { rules: null }, false],
  ['a number inside an array of names', { allowedScopes: ['Api', 3] }, false],
  ['null inside an array of names', { allowClientCredentials: [null] }, false],
  ['an integer as a string', { maxIpRangeSize: '64' }, false],
  ['a negative number', { maxIpRangeSize: -1 }, false],
  ['a fraction', { maxIpRangeSize: 1.5 }, false],
  ['an extra key in a waiver', { waivers: [{ ...waiver, note: 'x' }] }, false],
  ['a null waiver expiry', { waivers: [{ ...waiver, expires: null }] }, false],
  ['a leap day', { waivers: [{ ...waiver, expires: '2028-02-29' }] }, true],
  ['a rule waived by name', { waivers: [{ ...waiver, rule: 'ip-relaxation-enforce' }] }, true],
];

describe('the configuration: schema and validator agree on edge inputs', () => {
  for (const [what, value, accepted, key] of EDGES) {
    it(`${accepted ? 'accepts' : 'refuses'} ${what}`, () => {
      expect(schemaAccepts(value), `schema: ${JSON.stringify(schemaAccepts.errors)}`).to.equal(accepted);
      const message = ours(value);
      if (accepted) expect(message).to.equal(undefined);
      else expect(message).to.be.a('string').and.to.match(new RegExp(`^eca\\.json: .*${key!.replace(/[$[\].]/g, '\\$&')}: `));
    });
  }
  for (const [what, value, key] of SEMANTIC) {
    it(`refuses ${what} (a check the schema cannot express)`, () => {
      expect(schemaAccepts(value)).to.equal(true);
      expect(ours(value)).to.be.a('string').and.to.include(`${key}: `);
    });
  }
  for (const [what, value, accepted] of AGREED) {
    it(`${accepted ? 'accepts' : 'refuses'} ${what}, as the schema does`, () => {
      expect(schemaAccepts(value)).to.equal(accepted);
      expect(ours(value) === undefined).to.equal(accepted);
    });
  }
});
