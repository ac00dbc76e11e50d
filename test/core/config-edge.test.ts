/*
 * Edge inputs of the configuration, each with the one answer the validator gives (src/core/rules/config.ts: the
 * schema of configSchema.ts compiled with ajv, plus the semantic checks the schema cannot express): accepted, or
 * refused with a message naming the source, the key and what is expected there.
 */
import { expect } from 'chai';
import { parseConfig } from '../../src/core/rules/config.js';
import { RULE_KEYS } from '../../src/core/rules/engine.js';

/** The validator's message, or undefined when it accepts the configuration. */
const verdict = (value: unknown): string | undefined => {
  try {
    parseConfig([{ source: 'eca.json', value }], RULE_KEYS);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

const waiver = { app: 'A', rule: 'ECA-POL-010', reason: 'vendor IPs' };
const NAME = 'expected a name (a string that is not blank)';
const DURATION = 'expected a duration of at least 1 hour, day or month, such as "30d", "12h" or "3mo"';
const REASON = 'a waiver needs a reason (at least three characters besides white space)';
const DATE = 'expected a calendar date YYYY-MM-DD';
const CIDR = 'is not a CIDR range such as 203.0.113.0/24 or 2001:db8::/32';

/** [what, configuration, the message when refused (undefined: accepted)]; the schema and a hand-written validator once disagreed on each. */
const EDGES: Array<[string, unknown, string | undefined]> = [
  ['a blank string inside an array of names', { allowedScopes: ['Api', '  '] }, `allowedScopes[1]: ${NAME}`],
  ['a tab as a profile name', { deniedProfiles: ['\t'] }, `deniedProfiles[0]: ${NAME}`],
  ['a no-break space as an app name', { allowTokenExchange: ['\u00a0'] }, `allowTokenExchange[0]: ${NAME}`],
  ['a duration of zero days', { maxRefreshTokenInactivity: '0d' }, `maxRefreshTokenInactivity: ${DURATION}`],
  ['a duration of zeros only', { maxRefreshTokenLifetime: '000h' }, `maxRefreshTokenLifetime: ${DURATION}`],
  ['a duration unit in capitals', { maxRefreshTokenInactivity: '30 DAYS' }, undefined],
  ['a duration unit capitalised', { maxRefreshTokenLifetime: '3Mo' }, undefined],
  ['a waiver reason of spaces', { waivers: [{ ...waiver, reason: '     ' }] }, `waivers[0].reason: ${REASON}`],
  ['a waiver reason of one letter and spaces', { waivers: [{ ...waiver, reason: 'a   ' }] }, `waivers[0].reason: ${REASON}`],
  ['a waiver reason of two characters in three UTF-16 units', { waivers: [{ ...waiver, reason: '😀a' }] }, `waivers[0].reason: ${REASON}`],
  ['a waiver app of spaces', { waivers: [{ ...waiver, app: ' ' }] }, 'waivers[0].app: expected the app API name'],
  ['a waiver expiry in month 13', { waivers: [{ ...waiver, expires: '2027-13-01' }] }, `waivers[0].expires: ${DATE}`],
  ['a waiver expiry on day 00', { waivers: [{ ...waiver, expires: '2027-01-00' }] }, `waivers[0].expires: ${DATE}`],
  ['a $schema that is not a string', { $schema: 3 }, '$schema: expected a string (the schema URL or path)'],
  ['an approved range with surrounding spaces', { approvedIpRanges: [' 10.0.0.0/24 '] }, undefined],
];

/** Refused by the checks kept by hand: the schema accepts these (it cannot express them). */
const SEMANTIC: Array<[string, unknown, string]> = [
  ['an IPv4 octet over 255', { approvedIpRanges: ['999.1.1.1/24'] }, `approvedIpRanges[0]: "999.1.1.1/24" ${CIDR}`],
  ['an IPv4 prefix over 32', { approvedIpRanges: ['10.0.0.0/33'] }, `approvedIpRanges[0]: "10.0.0.0/33" ${CIDR}`],
  ['hex digits that are no address', { approvedIpRanges: ['abc'] }, `approvedIpRanges[0]: "abc" ${CIDR}`],
  ['a waiver expiry on February 30', { waivers: [{ ...waiver, expires: '2027-02-30' }] }, `waivers[0].expires: ${DATE}`],
];

/** Kept as a guard: wrong types, null, integers as strings, negative numbers, extra keys. */
const GUARDS: Array<[string, unknown, string | undefined]> = [
  ['null', null, '(root): expected an object'],
  ['null rules', { rules: null }, 'rules: expected an object of rule id or name → "error" | "warning" | "info" | "off"'],
  ['a number inside an array of names', { allowedScopes: ['Api', 3] }, `allowedScopes[1]: ${NAME}`],
  ['null inside an array of names', { allowClientCredentials: [null] }, `allowClientCredentials[0]: ${NAME}`],
  ['an integer as a string', { maxIpRangeSize: '64' }, 'maxIpRangeSize: expected a whole number of addresses, at least 1'],
  ['a negative number', { maxIpRangeSize: -1 }, 'maxIpRangeSize: expected a whole number of addresses, at least 1'],
  ['a fraction', { maxIpRangeSize: 1.5 }, 'maxIpRangeSize: expected a whole number of addresses, at least 1'],
  ['an extra key in a waiver', { waivers: [{ ...waiver, note: 'x' }] }, 'waivers[0].note: unknown key; expected one of app, rule, reason, expires'],
  ['a null waiver expiry', { waivers: [{ ...waiver, expires: null }] }, `waivers[0].expires: ${DATE}`],
  ['a leap day', { waivers: [{ ...waiver, expires: '2028-02-29' }] }, undefined],
  ['a rule waived by name', { waivers: [{ ...waiver, rule: 'ip-relaxation-enforce' }] }, undefined],
];

describe('the configuration validator on edge inputs', () => {
  for (const [what, value, message] of [...EDGES, ...GUARDS]) {
    it(`${message === undefined ? 'accepts' : 'refuses'} ${what}`, () => {
      expect(verdict(value)).to.equal(message === undefined ? undefined : `eca.json: ${message}`);
    });
  }
  for (const [what, value, message] of SEMANTIC) {
    it(`refuses ${what} (a check the schema cannot express)`, () => {
      expect(verdict(value)).to.equal(`eca.json: ${message}`);
    });
  }

  it('reports every problem, one per key, the semantic ones included', () => {
    const value = {
      rules: { 'ECA-NOPE': 'fatal' },
      approvedIpRanges: ['10.0.0.0/8', 3, '1.2.3.4/40'],
      waivers: [{ app: 'A', rule: 'nope', reason: 'ok!', expires: '2027-02-30', x: 1 }, 'w'],
    };
    expect(verdict(value)).to.equal(
      'eca.json: rules.ECA-NOPE: unknown rule id or name (sf eca check --list-rules lists them); ' +
        'approvedIpRanges[1]: expected a CIDR range such as 203.0.113.0/24 or 2001:db8::/32; ' +
        'waivers[0].x: unknown key; expected one of app, rule, reason, expires; ' +
        'waivers[0].rule: expected a rule id or name, or "*"; ' +
        'waivers[1]: expected an object { app, rule, reason, expires? }; ' +
        `approvedIpRanges[2]: "1.2.3.4/40" ${CIDR}; ` +
        `waivers[0].expires: ${DATE}`
    );
  });

  it('names an unknown rule key without listing every rule id', () => {
    const message = verdict({ rules: { 'ECA-NOPE': 'off' } })!;
    expect(message).to.equal('eca.json: rules.ECA-NOPE: unknown rule id or name (sf eca check --list-rules lists them)');
    expect(verdict({ waivers: [{ ...waiver, rule: 'ECA-NOPE' }] })).to.equal('eca.json: waivers[0].rule: expected a rule id or name, or "*"');
  });
});
