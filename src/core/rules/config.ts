/*
 * The configuration of check and fix: from sfdx-project.json `plugins.eca` and/or a --config file.
 * Its structure is validated by its JSON schema (configSchema.ts, shipped as schemas/eca-config.schema.json) with ajv;
 * by hand only what the schema cannot say: a CIDR range's validity and a calendar date. Messages name the key and
 * what is expected there, in words.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Severity } from '../model/file.js';
import { buildConfigSchema } from './configSchema.js';
import { type Cidr, parseCidr } from './ip.js';
import { CLIENT_KINDS, type ClientKind } from './profile.js';

export type RefreshUnit = 'Hours' | 'Days' | 'Months';
export type Duration = { readonly period: number; readonly unit: RefreshUnit };

export type Waiver = {
  readonly app: string;
  /** Rule id or name; '*' for every rule. */
  readonly rule: string;
  readonly reason: string;
  /** YYYY-MM-DD; the waiver no longer applies after this day. */
  readonly expires?: string;
};

/** The thresholds of `sf eca audit --usage` (the `usage` key). */
export type UsageThresholds = {
  /** An app (or a user's tokens) not used for this many days is unused (default 90). */
  readonly unusedDays: number;
  /** Most profiles and permission sets one app may be pre-authorized to (default 5). */
  readonly maxPreAuthorizations: number;
  /** How many days of Login History to read for username-password logins (default 30; the org keeps six months). */
  readonly loginDays: number;
};

export const DEFAULT_USAGE: UsageThresholds = { unusedDays: 90, maxPreAuthorizations: 5, loginDays: 30 };

export type EcaConfig = {
  /** Severity overrides by rule id or name; 'off' disables a rule. */
  readonly rules: Readonly<Record<string, Severity | 'off'>>;
  readonly approvedIpRanges: readonly Cidr[];
  /** Largest number of addresses one trusted range may hold. */
  readonly maxIpRangeSize: number;
  readonly maxRefreshTokenInactivity: Duration;
  readonly maxRefreshTokenLifetime: Duration;
  /** When set, every OAuth scope must be one of these. */
  readonly allowedScopes: readonly string[] | undefined;
  /** When set, only these apps may use the client credentials flow. */
  readonly allowClientCredentials: readonly string[] | undefined;
  /** Apps allowed to use the token-exchange flow. */
  readonly allowTokenExchange: readonly string[];
  /** Permission set `fix` grants when it makes an app admin-approved. */
  readonly defaultPermissionSet: string | undefined;
  /** Profiles that must not pre-authorize an app. */
  readonly deniedProfiles: readonly string[];
  /** The client kind of apps whose kind is declared rather than inferred (src/core/rules/profile.ts). */
  readonly clients: Readonly<Record<string, ClientKind>>;
  readonly waivers: readonly Waiver[];
  readonly failOn: Severity | undefined;
  /** Thresholds of `sf eca audit --usage`. */
  readonly usage: UsageThresholds;
};

export type ConfigIssue = { readonly key: string; readonly message: string };

export class ConfigError extends Error {
  public constructor(public readonly issues: readonly ConfigIssue[], public readonly source: string) {
    super(`${source}: ${issues.map((i) => `${i.key}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_CONFIG: EcaConfig = {
  rules: {},
  approvedIpRanges: [],
  maxIpRangeSize: 256,
  maxRefreshTokenInactivity: { period: 30, unit: 'Days' },
  maxRefreshTokenLifetime: { period: 90, unit: 'Days' },
  allowedScopes: undefined,
  allowClientCredentials: undefined,
  allowTokenExchange: [],
  defaultPermissionSet: undefined,
  deniedProfiles: ['System Administrator'],
  clients: {},
  waivers: [],
  failOn: undefined,
  usage: DEFAULT_USAGE,
};

const UNIT_WORDS: Readonly<Record<string, RefreshUnit>> = {
  h: 'Hours',
  hour: 'Hours',
  hours: 'Hours',
  d: 'Days',
  day: 'Days',
  days: 'Days',
  mo: 'Months',
  month: 'Months',
  months: 'Months',
};

/** Parses `30d`, `12h`, `3mo` (or `30 days`). */
export const parseDuration = (text: string): Duration | undefined => {
  const m = /^\s*(\d{1,6})\s*([a-z]+)\s*$/i.exec(text);
  const unit = m ? UNIT_WORDS[(m[2] as string).toLowerCase()] : undefined;
  return m && unit ? { period: Number(m[1]), unit } : undefined;
};

/** Hours in a duration (a month counts 30 days), to compare durations. */
export const durationHours = (d: Duration): number => d.period * (d.unit === 'Hours' ? 1 : d.unit === 'Days' ? 24 : 720);

export const formatDuration = (d: Duration): string => `${d.period} ${d.unit.toLowerCase().replace(/s$/, d.period === 1 ? '' : 's')}`;

/** Whether a YYYY-MM-DD string names a day of the calendar (2027-02-30 does not). */
export const isCalendarDate = (text: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
};

/** A layer as the schema accepts it: the parts in which it found nothing wrong have this shape. */
type RawConfig = {
  readonly rules?: Readonly<Record<string, Severity | 'off'>>;
  readonly approvedIpRanges?: readonly string[];
  readonly maxIpRangeSize?: number;
  readonly maxRefreshTokenInactivity?: string;
  readonly maxRefreshTokenLifetime?: string;
  readonly allowedScopes?: readonly string[];
  readonly allowClientCredentials?: readonly string[];
  readonly allowTokenExchange?: readonly string[];
  readonly defaultPermissionSet?: string;
  readonly deniedProfiles?: readonly string[];
  readonly clients?: Readonly<Record<string, ClientKind>>;
  readonly waivers?: readonly Waiver[];
  readonly failOn?: Severity;
  readonly usage?: Partial<UsageThresholds>;
};

const notCidr = (value: unknown): string =>
  `${typeof value === 'string' ? `${JSON.stringify(value)} is not a CIDR range` : 'expected a CIDR range'} such as 203.0.113.0/24 or 2001:db8::/32`;
const DURATION = 'expected a duration of at least 1 hour, day or month, such as "30d", "12h" or "3mo"';
const CALENDAR_DATE = 'expected a calendar date YYYY-MM-DD';
const NAME_LISTS = ['allowedScopes', 'allowClientCredentials', 'allowTokenExchange', 'deniedProfiles'];

/**
 * What each node of the configuration schema expects, in words, by the node's place in the schema (schemaNodeName:
 * a property `.key`, array items `[]`, an object's other values `.*`, its property names ` name`). A node that has
 * no entry but an `enum` lists its values; an object that admits no other key lists its keys. test/core/config-schema.test.ts
 * puts a wrong value at every node of the schema and checks that no message is ajv's own.
 */
const CONFIG_EXPECTED: Readonly<Record<string, string | ((value: unknown) => string)>> = {
  '(root)': 'expected an object',
  $schema: 'expected a string (the schema URL or path)',
  rules: 'expected an object of rule id or name → "error" | "warning" | "info" | "off"',
  'rules name': 'unknown rule id or name (sf eca check --list-rules lists them)',
  approvedIpRanges: 'expected an array of CIDR ranges',
  'approvedIpRanges[]': notCidr,
  maxIpRangeSize: 'expected a whole number of addresses, at least 1',
  maxRefreshTokenInactivity: DURATION,
  maxRefreshTokenLifetime: DURATION,
  ...Object.fromEntries(NAME_LISTS.flatMap((k) => [[k, 'expected an array of names'], [`${k}[]`, 'expected a name (a string that is not blank)']])),
  defaultPermissionSet: 'expected a permission set API name (letters, digits, underscores)',
  clients: `expected an object of app API name → ${CLIENT_KINDS.map((k) => `"${k}"`).join(' | ')}`,
  'clients name': 'expected an app API name',
  waivers: 'expected an array of { app, rule, reason, expires? }',
  'waivers[]': 'expected an object { app, rule, reason, expires? }',
  'waivers[].app': 'expected the app API name',
  'waivers[].rule': 'expected a rule id or name, or "*"',
  'waivers[].reason': 'a waiver needs a reason (at least three characters besides white space)',
  'waivers[].expires': CALENDAR_DATE,
  usage: 'expected an object { unusedDays?, maxPreAuthorizations?, loginDays? }',
  'usage.unusedDays': 'expected a whole number of days, from 1 to 3650',
  'usage.maxPreAuthorizations': 'expected a whole number of profiles and permission sets, at least 0',
  'usage.loginDays': 'expected a whole number of days, from 1 to 180 (the org keeps six months of Login History)',
};

/** `#/properties/waivers/items/properties/app` → `waivers[].app`: the name of a schema node in CONFIG_EXPECTED. */
const schemaNodeName = (pointer: string): string =>
  pointer
    .replace(/^#/, '')
    .replace(/\/properties\/([^/]+)/g, (_, name: string) => `.${decodeURIComponent(name).replace(/~1/g, '/').replace(/~0/g, '~')}`)
    .replace(/\/items/g, '[]')
    .replace(/\/additionalProperties/g, '.*')
    .replace(/\/propertyNames/g, ' name')
    .replace(/^\./, '') || '(root)';

const orList = (values: readonly unknown[]): string => {
  const words = values.map((v) => JSON.stringify(v));
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)!}` : words.join('');
};

/** What the schema node at `pointer` expects, in words. */
const expectedAt = (pointer: string, e: ErrorObject, value: unknown): string => {
  const words = CONFIG_EXPECTED[schemaNodeName(pointer)];
  if (typeof words === 'function') return words(value);
  if (words !== undefined) return words;
  return e.keyword === 'enum' ? `expected ${orList((e.params as { allowedValues: unknown[] }).allowedValues)}` : (e.message ?? 'not valid');
};

/** An ajv error as an issue: the input's path in the form `waivers[1].app`, and what is expected there. */
const issueOf = (e: ErrorObject, value: unknown): ConfigIssue | undefined => {
  if (e.propertyName !== undefined) return undefined; // the inner error of a propertyNames error, which says the same
  let node = value;
  let key = '';
  const step = (name: string): void => {
    key += Array.isArray(node) ? `[${name}]` : key === '' ? name : `.${name}`;
    node = (node as Record<string, unknown>)[name];
  };
  for (const s of e.instancePath.split('/').slice(1)) step(s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = e.params as Record<string, unknown>;
  const parent = e.schemaPath.slice(0, e.schemaPath.lastIndexOf('/'));
  switch (e.keyword) {
    case 'additionalProperties': {
      const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {}).filter((k) => !k.startsWith('$'));
      step(String(params.additionalProperty));
      return { key, message: `unknown key; expected one of ${known.join(', ')}` };
    }
    case 'propertyNames':
      step(String(params.propertyName));
      return { key, message: expectedAt(e.schemaPath, e, undefined) };
    case 'required':
      step(String(params.missingProperty));
      return { key, message: expectedAt(`${parent}/properties/${String(params.missingProperty)}`, e, undefined) };
    default:
      return { key: key || '(root)', message: expectedAt(parent, e, e.data) };
  }
};

/** The compiled schema, per set of rule keys (in practice one): compiled once, on the first configuration given. */
const validators = new WeakMap<ReadonlySet<string>, ValidateFunction>();
const validatorFor = (knownRules: ReadonlySet<string>): ValidateFunction => {
  let validate = validators.get(knownRules);
  if (!validate) {
    validate = new Ajv({ allErrors: true, verbose: true, strict: true, logger: false }).compile(buildConfigSchema(knownRules));
    validators.set(knownRules, validate);
  }
  return validate;
};

/**
 * Validates raw configuration objects (later ones override earlier ones, `rules` and `waivers`
 * are merged) and returns the effective configuration, or throws a ConfigError naming each bad key
 * (every problem, the first one per key). `knownRules` are the rule ids and names a `rules` key or a waiver may use.
 */
export const parseConfig = (
  layers: ReadonlyArray<{ readonly source: string; readonly value: unknown }>,
  knownRules: ReadonlySet<string>
): EcaConfig => {
  let config: EcaConfig = DEFAULT_CONFIG;
  for (const { source, value } of layers) {
    const validate = validatorFor(knownRules);
    const issues = new Map<string, string>();
    const add = (issue: ConfigIssue | undefined): void => {
      if (issue && !issues.has(issue.key)) issues.set(issue.key, issue.message);
    };
    if (!validate(value)) for (const e of validate.errors ?? []) add(issueOf(e, value));
    const fail = (): ConfigError => new ConfigError([...issues].map(([key, message]) => ({ key, message })), source);
    if (issues.has('(root)')) throw fail();

    // What the schema cannot say, checked where it found nothing wrong (there the value has the schema's shape).
    const raw = value as RawConfig;
    const items = <T>(key: string, list: readonly T[] | undefined): Array<[T, string]> =>
      list === undefined || issues.has(key) ? [] : list.flatMap((item, i): Array<[T, string]> => (issues.has(`${key}[${i}]`) ? [] : [[item, `${key}[${i}]`]]));
    const ranges: Cidr[] = [];
    for (const [range, key] of items('approvedIpRanges', raw.approvedIpRanges)) {
      const cidr = parseCidr(range);
      if (cidr) ranges.push(cidr);
      else add({ key, message: notCidr(range) });
    }
    for (const [{ expires }, key] of items('waivers', raw.waivers)) {
      if (expires !== undefined && !issues.has(`${key}.expires`) && !isCalendarDate(expires)) add({ key: `${key}.expires`, message: CALENDAR_DATE });
    }
    if (issues.size > 0) throw fail();

    const next: { -readonly [K in keyof EcaConfig]: EcaConfig[K] } = { ...config };
    if (raw.rules) next.rules = { ...config.rules, ...raw.rules };
    if (raw.approvedIpRanges) next.approvedIpRanges = ranges;
    if (raw.maxIpRangeSize !== undefined) next.maxIpRangeSize = raw.maxIpRangeSize;
    for (const key of ['maxRefreshTokenInactivity', 'maxRefreshTokenLifetime'] as const) {
      const text = raw[key];
      // The schema's pattern is what parseDuration reads with a period of at least 1.
      if (text !== undefined) next[key] = parseDuration(text)!;
    }
    if (raw.allowedScopes) next.allowedScopes = raw.allowedScopes;
    if (raw.allowClientCredentials) next.allowClientCredentials = raw.allowClientCredentials;
    if (raw.allowTokenExchange) next.allowTokenExchange = raw.allowTokenExchange;
    if (raw.deniedProfiles) next.deniedProfiles = raw.deniedProfiles;
    if (raw.clients) next.clients = { ...config.clients, ...raw.clients };
    if (raw.defaultPermissionSet !== undefined) next.defaultPermissionSet = raw.defaultPermissionSet;
    if (raw.failOn !== undefined) next.failOn = raw.failOn;
    if (raw.usage) next.usage = { ...config.usage, ...raw.usage };
    if (raw.waivers) next.waivers = [...config.waivers, ...raw.waivers.map(({ app, rule, reason, expires }) => ({ app, rule, reason, ...(expires !== undefined ? { expires } : {}) }))];
    config = next;
  }
  return config;
};
