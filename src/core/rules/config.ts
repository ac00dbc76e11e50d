/*
 * The configuration of check and fix: from sfdx-project.json `plugins.eca` and/or a --config file.
 * Validation names the key and what is expected; schemas/eca-config.schema.json describes the same shape.
 */
import type { Severity } from '../model/file.js';
import { type Cidr, parseCidr } from './ip.js';

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
  readonly waivers: readonly Waiver[];
  readonly failOn: Severity | undefined;
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
  waivers: [],
  failOn: undefined,
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

const SEVERITIES = ['error', 'warning', 'info'] as const;
const KNOWN_KEYS = [
  '$schema',
  'rules',
  'approvedIpRanges',
  'maxIpRangeSize',
  'maxRefreshTokenInactivity',
  'maxRefreshTokenLifetime',
  'allowedScopes',
  'allowClientCredentials',
  'allowTokenExchange',
  'defaultPermissionSet',
  'deniedProfiles',
  'waivers',
  'failOn',
];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a YYYY-MM-DD string names a day of the calendar (2027-02-30 does not). */
export const isCalendarDate = (text: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
};

/** Length in characters (code points), as JSON schema's minLength counts them. */
const charCount = (text: string): number => [...text].length;

/**
 * Validates raw configuration objects (later ones override earlier ones, `rules` and `waivers`
 * are merged) and returns the effective configuration, or throws a ConfigError naming each bad key.
 * `knownRules` are the rule ids and names a `rules` key may use.
 */
export const parseConfig = (
  layers: ReadonlyArray<{ readonly source: string; readonly value: unknown }>,
  knownRules: ReadonlySet<string>
): EcaConfig => {
  let config: EcaConfig = DEFAULT_CONFIG;
  for (const { source, value } of layers) {
    const issues: ConfigIssue[] = [];
    if (!isRecord(value)) throw new ConfigError([{ key: '(root)', message: 'expected an object' }], source);
    const next: { -readonly [K in keyof EcaConfig]: EcaConfig[K] } = { ...config };
    for (const key of Object.keys(value)) {
      if (!KNOWN_KEYS.includes(key)) issues.push({ key, message: `unknown key; expected one of ${KNOWN_KEYS.slice(1).join(', ')}` });
    }
    if (value.$schema !== undefined && typeof value.$schema !== 'string') issues.push({ key: '$schema', message: 'expected a string (the schema URL or path)' });
    const strings = (key: string): string[] | undefined => {
      const v = value[key];
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === '')) {
        issues.push({ key, message: 'expected an array of non-empty strings' });
        return undefined;
      }
      return v as string[];
    };
    if (value.rules !== undefined) {
      if (!isRecord(value.rules)) issues.push({ key: 'rules', message: 'expected an object of rule id or name → "error" | "warning" | "info" | "off"' });
      else {
        const rules: Record<string, Severity | 'off'> = { ...config.rules };
        for (const [rule, sev] of Object.entries(value.rules)) {
          if (!knownRules.has(rule)) issues.push({ key: `rules.${rule}`, message: 'unknown rule id or name (sf eca check --list-rules lists them)' });
          else if (sev !== 'off' && !SEVERITIES.includes(sev as Severity)) {
            issues.push({ key: `rules.${rule}`, message: 'expected "error", "warning", "info" or "off"' });
          } else rules[rule] = sev as Severity | 'off';
        }
        next.rules = rules;
      }
    }
    const ranges = strings('approvedIpRanges');
    if (ranges) {
      const parsed: Cidr[] = [];
      ranges.forEach((r, i) => {
        const c = parseCidr(r);
        if (c) parsed.push(c);
        else issues.push({ key: `approvedIpRanges[${i}]`, message: `"${r}" is not a CIDR range such as 203.0.113.0/24 or 2001:db8::/32` });
      });
      next.approvedIpRanges = parsed;
    }
    if (value.maxIpRangeSize !== undefined) {
      const n = value.maxIpRangeSize;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) issues.push({ key: 'maxIpRangeSize', message: 'expected a whole number of addresses, at least 1' });
      else next.maxIpRangeSize = n;
    }
    for (const key of ['maxRefreshTokenInactivity', 'maxRefreshTokenLifetime'] as const) {
      const v = value[key];
      if (v === undefined) continue;
      const d = typeof v === 'string' ? parseDuration(v) : undefined;
      if (!d || d.period < 1) issues.push({ key, message: 'expected a duration such as "30d", "12h" or "3mo"' });
      else next[key] = d;
    }
    const scopes = strings('allowedScopes');
    if (scopes) next.allowedScopes = scopes;
    const cc = strings('allowClientCredentials');
    if (cc) next.allowClientCredentials = cc;
    const te = strings('allowTokenExchange');
    if (te) next.allowTokenExchange = te;
    const denied = strings('deniedProfiles');
    if (denied) next.deniedProfiles = denied;
    if (value.defaultPermissionSet !== undefined) {
      const v = value.defaultPermissionSet;
      if (typeof v !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(v)) {
        issues.push({ key: 'defaultPermissionSet', message: 'expected a permission set API name (letters, digits, underscores)' });
      } else next.defaultPermissionSet = v;
    }
    if (value.failOn !== undefined) {
      if (!SEVERITIES.includes(value.failOn as Severity)) issues.push({ key: 'failOn', message: 'expected "error", "warning" or "info"' });
      else next.failOn = value.failOn as Severity;
    }
    if (value.waivers !== undefined) {
      if (!Array.isArray(value.waivers)) issues.push({ key: 'waivers', message: 'expected an array of { app, rule, reason, expires? }' });
      else {
        const waivers: Waiver[] = [...config.waivers];
        value.waivers.forEach((w: unknown, i) => {
          const key = `waivers[${i}]`;
          if (!isRecord(w)) {
            issues.push({ key, message: 'expected an object { app, rule, reason, expires? }' });
            return;
          }
          const bad = Object.keys(w).filter((k) => !['app', 'rule', 'reason', 'expires'].includes(k));
          if (bad.length > 0) issues.push({ key: `${key}.${bad[0]}`, message: 'unknown key; expected app, rule, reason, expires' });
          if (typeof w.app !== 'string' || w.app.trim() === '') issues.push({ key: `${key}.app`, message: 'expected the app API name' });
          if (typeof w.rule !== 'string' || (w.rule !== '*' && !knownRules.has(w.rule))) {
            issues.push({ key: `${key}.rule`, message: 'expected a rule id or name, or "*"' });
          }
          if (typeof w.reason !== 'string' || charCount(w.reason.trim()) < 3) issues.push({ key: `${key}.reason`, message: 'a waiver needs a reason' });
          if (w.expires !== undefined && (typeof w.expires !== 'string' || !isCalendarDate(w.expires))) {
            issues.push({ key: `${key}.expires`, message: 'expected a calendar date YYYY-MM-DD' });
          }
          waivers.push({
            app: String(w.app),
            rule: String(w.rule),
            reason: String(w.reason),
            ...(typeof w.expires === 'string' ? { expires: w.expires } : {}),
          });
        });
        next.waivers = waivers;
      }
    }
    if (issues.length > 0) throw new ConfigError(issues, source);
    config = next;
  }
  return config;
};
