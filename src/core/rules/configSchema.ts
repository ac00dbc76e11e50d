/*
 * The JSON schema of the configuration, derived from the rule catalog: the one description of its structure.
 * schemas/eca-config.schema.json is its output (npm run schema); config.ts validates with it (ajv).
 */
import { RULE_KEYS } from './engine.js';
import { CLIENT_KINDS } from './profile.js';

/** A regular expression matching a word in any letter case (JSON schema patterns take no flags). */
const anyCase = (word: string): string => [...word].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join('');
/** 1 to 6 digits, not all zeros, then a unit in any case: what parseDuration accepts with a period of at least 1. */
const DURATION = `^\\s*(?=[0-9]*[1-9])[0-9]{1,6}\\s*(${['hours?', 'h', 'days?', 'd', 'months?', 'mo'].map((u) => u.replace(/[a-z]/g, (c) => anyCase(c))).join('|')})\\s*$`;
/** Some character other than white space (a name of spaces only is no name). */
const NOT_BLANK = '\\S';
const names = { type: 'array', items: { type: 'string', minLength: 1, pattern: NOT_BLANK } } as const;

/** `ruleKeys`: the rule ids and names a `rules` key or a waiver's rule may be (the catalog's by default). */
export const buildConfigSchema = (ruleKeys: ReadonlySet<string> = RULE_KEYS): Record<string, unknown> => {
  const ids = [...ruleKeys].sort();
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/eca-tools/plugin-eca/schemas/eca-config.schema.json',
    title: 'sf eca check / fix configuration',
    description: 'Under "plugins": { "eca": { … } } in sfdx-project.json, or in a file passed with --config.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      rules: {
        description: 'Severity overrides by rule id or name; "off" disables the rule.',
        type: 'object',
        propertyNames: { enum: ids },
        additionalProperties: { enum: ['error', 'warning', 'info', 'off'] },
      },
      approvedIpRanges: {
        description: 'CIDR ranges every trusted IP range must lie inside.',
        type: 'array',
        items: { type: 'string', pattern: '^\\s*[0-9a-fA-F:.]+(/[0-9]{1,3})?\\s*$' },
      },
      maxIpRangeSize: { description: 'Largest number of addresses in one trusted IP range (default 256).', type: 'integer', minimum: 1 },
      maxRefreshTokenInactivity: { description: 'Longest SpecificInactivity validity, e.g. 30d (default), 12h, 3mo.', type: 'string', pattern: DURATION },
      maxRefreshTokenLifetime: { description: 'Longest SpecificLifetime validity, e.g. 90d (default).', type: 'string', pattern: DURATION },
      allowedScopes: { description: 'When set, every OAuth scope must be one of these.', ...names },
      allowClientCredentials: { description: 'When set, only these apps may use the client credentials flow.', ...names },
      allowTokenExchange: { description: 'Apps allowed to use the token-exchange flow.', ...names },
      defaultPermissionSet: {
        description: 'Permission set "sf eca fix" pre-authorizes when it makes an app admin-approved.',
        type: 'string',
        pattern: '^[A-Za-z][A-Za-z0-9_]*$',
      },
      deniedProfiles: { description: 'Profiles that must not pre-authorize an app, by label or API name (default: System Administrator, which also matches its API name Admin).', ...names },
      clients: {
        description: `The kind of client an app is, where the inference from its files is wrong (rules apply by kind): ${CLIENT_KINDS.join(', ')}.`,
        type: 'object',
        propertyNames: { type: 'string', minLength: 1, pattern: '^[A-Za-z][A-Za-z0-9_]*$' },
        additionalProperties: { enum: [...CLIENT_KINDS] },
      },
      usage: {
        description: 'Thresholds of "sf eca audit --usage".',
        type: 'object',
        additionalProperties: false,
        properties: {
          unusedDays: { description: 'An app, or a user\'s tokens of an app, not used for this many days is unused (default 90).', type: 'integer', minimum: 1, maximum: 3650 },
          maxPreAuthorizations: { description: 'Most profiles and permission sets one app may be pre-authorized to (default 5).', type: 'integer', minimum: 0 },
          loginDays: { description: 'Days of Login History read for username-password logins (default 30; the org keeps six months).', type: 'integer', minimum: 1, maximum: 180 },
        },
      },
      failOn: { description: 'Lowest severity that fails check (default error); --fail-on overrides it.', enum: ['error', 'warning', 'info'] },
      waivers: {
        description: 'Accepted findings: the app, the rule (id, name or *), a reason, and an optional expiry date.',
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['app', 'rule', 'reason'],
          properties: {
            app: { type: 'string', minLength: 1, pattern: NOT_BLANK },
            rule: { enum: [...ids, '*'] },
            reason: { description: 'At least three characters besides leading and trailing white space.', type: 'string', minLength: 3, pattern: '\\S[\\s\\S]+\\S' },
            expires: { description: 'A calendar date, YYYY-MM-DD.', type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' },
          },
        },
      },
    },
  };
};
