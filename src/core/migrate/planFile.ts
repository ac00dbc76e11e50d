/*
 * The migration plan (`sf eca migrate --plan <file>`): which Connected Apps, under which ECA names, hardened or not,
 * with --relink or not, and the weaker policies accepted, each with a reason. A JSON file meant to be reviewed in a
 * pull request and replayed: the same plan on the same project gives the same files and the same report.
 *
 *   { "$schema": "…/schemas/eca-migrate-plan.schema.json",
 *     "format": "eca-migrate-plan/1",
 *     "harden": false, "relink": false,                       defaults for every app (both optional, false)
 *     "apps": [ { "connectedApp": "Legacy_Data_Loader",
 *                 "eca": "Data_Loader",                        optional; default: the Connected App's name
 *                 "harden": true, "relink": true,              optional; default: the plan's
 *                 "acceptWeaker": [ { "dimension": "mobile", "reason": "…" } ] } ] }   optional
 *
 * Validated with its JSON schema (PLAN_SCHEMA, shipped as schemas/eca-migrate-plan.schema.json) and by hand for what
 * a schema cannot say (names used twice, an invalid ECA API name). Pure.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { apiNameProblem } from '../authoring/render.js';
import type { PolicyDimension } from './types.js';

export const PLAN_FORMAT = 'eca-migrate-plan/1';

/** Every policy dimension of the parity report (the values acceptWeaker may name). */
export const POLICY_DIMENSIONS: readonly PolicyDimension[] = [
  'permitted-users',
  'ip-relaxation',
  'refresh-token',
  'pkce',
  'secret-web-server',
  'secret-refresh-token',
  'secret-token-exchange',
  'refresh-token-rotation',
  'scopes',
  'custom-scopes',
  'notifications',
  'trusted-ip-ranges',
  'flows',
  'session-level',
  'token-ip-binding',
  'plugin-authorization',
  'saml-encryption',
  'token-exchange-handler',
  'mobile',
  'push',
  'refresh-token-ip-allowlist',
];

export type PlanAcceptance = { readonly dimension: PolicyDimension; readonly reason: string };

export type PlanApp = {
  readonly connectedApp: string;
  /** The ECA's API name (default: the Connected App's). */
  readonly eca?: string;
  readonly harden: boolean;
  readonly relink: boolean;
  /** Weaker (or lost) policy dimensions accepted for this app, each with why. */
  readonly acceptWeaker: readonly PlanAcceptance[];
};

export type MigrationPlan = {
  readonly format: typeof PLAN_FORMAT;
  readonly apps: readonly PlanApp[];
};

export type PlanIssue = { readonly key: string; readonly message: string };

export class PlanError extends Error {
  public constructor(public readonly issues: readonly PlanIssue[]) {
    super(issues.map((i) => `${i.key}: ${i.message}`).join('; '));
    this.name = 'PlanError';
  }
}

const nonBlank = { type: 'string', pattern: '\\S' } as const;

/** The plan's JSON schema (draft-07). */
export const PLAN_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/eca-tools/plugin-eca/schemas/eca-migrate-plan.schema.json',
  title: 'sf eca migrate --plan',
  description: 'A migration plan: which Connected Apps become which External Client Apps, hardened or not, and the weaker policies accepted with a reason each.',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'apps'],
  properties: {
    $schema: { type: 'string', description: 'The schema URL or path (for editors).' },
    format: { const: PLAN_FORMAT, description: `Always "${PLAN_FORMAT}".` },
    harden: { type: 'boolean', description: 'Apply the recommended values of "sf eca check" to every app (default false; an app may say otherwise).' },
    relink: { type: 'boolean', description: 'Edit the project files that name each Connected App (default false; an app may say otherwise).' },
    apps: {
      type: 'array',
      minItems: 1,
      description: 'The Connected Apps to migrate, in any order.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['connectedApp'],
        properties: {
          connectedApp: { ...nonBlank, description: 'API name of the Connected App.' },
          eca: { ...nonBlank, description: "API name of the External Client App (default: the Connected App's)." },
          harden: { type: 'boolean', description: "Apply the recommended values of \"sf eca check\" (default: the plan's harden)." },
          relink: { type: 'boolean', description: "Edit the project files that name the Connected App (default: the plan's relink)." },
          acceptWeaker: {
            type: 'array',
            description: 'Policy dimensions accepted as weaker (or lost) after the migration; any other blocking dimension holds the app back.',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['dimension', 'reason'],
              properties: {
                dimension: { enum: [...POLICY_DIMENSIONS], description: 'A dimension of the parity report ("Policies").' },
                reason: { type: 'string', pattern: '\\S.*\\S|\\S\\S', description: 'Why it is accepted (for the reviewers).' },
              },
            },
          },
        },
      },
    },
  },
} as const;

let validator: ValidateFunction | undefined;

const keyOf = (e: ErrorObject): string => {
  const parts = e.instancePath.split('/').slice(1);
  let key = '';
  for (const p of parts) key += /^\d+$/.test(p) ? `[${p}]` : key === '' ? p : `.${p}`;
  const params = e.params as Record<string, unknown>;
  const extra = e.keyword === 'required' ? String(params.missingProperty) : e.keyword === 'additionalProperties' ? String(params.additionalProperty) : undefined;
  if (extra !== undefined) key = key === '' ? extra : `${key}.${extra}`;
  return key === '' ? '(root)' : key;
};

const messageOf = (e: ErrorObject): string => {
  const params = e.params as Record<string, unknown>;
  const key = e.instancePath.split('/').pop() ?? '';
  switch (e.keyword) {
    case 'required':
      return 'missing';
    case 'additionalProperties':
      return `unknown key; expected one of ${Object.keys((e.parentSchema as { properties?: object }).properties ?? {}).join(', ')}`;
    case 'const':
      return `expected "${PLAN_FORMAT}"`;
    case 'enum':
      return `expected one of ${(params.allowedValues as string[]).join(', ')}`;
    case 'type':
      return `expected ${params.type === 'array' ? 'an array' : params.type === 'object' ? 'an object' : `a ${String(params.type)}`}`;
    case 'pattern':
      return key === 'reason' ? 'an accepted weaker policy needs a reason (at least two characters besides white space)' : 'expected a name (a string that is not blank)';
    case 'minItems':
      return 'expected at least one app';
    default:
      return e.message ?? 'not valid';
  }
};

/** Validates a parsed plan (JSON already parsed) and returns it with its defaults filled in; throws a PlanError naming every bad key. */
export const parsePlan = (value: unknown): MigrationPlan => {
  validator ??= new Ajv({ allErrors: true, verbose: true, strict: true, logger: false }).compile(PLAN_SCHEMA);
  if (!validator(value)) {
    const seen = new Set<string>();
    const issues: PlanIssue[] = [];
    for (const e of validator.errors ?? []) {
      const key = keyOf(e);
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push({ key, message: messageOf(e) });
    }
    throw new PlanError(issues);
  }
  type Raw = { harden?: boolean; relink?: boolean; apps: Array<{ connectedApp: string; eca?: string; harden?: boolean; relink?: boolean; acceptWeaker?: PlanAcceptance[] }> };
  const raw = value as Raw;
  const issues: PlanIssue[] = [];
  const cas = new Map<string, number>();
  const ecas = new Map<string, number>();
  raw.apps.forEach((a, i) => {
    const ca = a.connectedApp.trim();
    const eca = (a.eca ?? a.connectedApp).trim();
    if (cas.has(ca)) issues.push({ key: `apps[${i}].connectedApp`, message: `${ca} is planned twice (also apps[${cas.get(ca)!}])` });
    else cas.set(ca, i);
    if (ecas.has(eca)) issues.push({ key: `apps[${i}].eca`, message: `two Connected Apps would become the External Client App ${eca} (also apps[${ecas.get(eca)!}])` });
    else ecas.set(eca, i);
    const problem = a.eca !== undefined ? apiNameProblem(eca) : undefined;
    if (problem) issues.push({ key: `apps[${i}].eca`, message: `"${eca}" cannot be an External Client App API name: ${problem}` });
    const dims = new Set<string>();
    (a.acceptWeaker ?? []).forEach((w, j) => {
      if (dims.has(w.dimension)) issues.push({ key: `apps[${i}].acceptWeaker[${j}].dimension`, message: `${w.dimension} is accepted twice` });
      dims.add(w.dimension);
    });
  });
  if (issues.length > 0) throw new PlanError(issues);
  return {
    format: PLAN_FORMAT,
    apps: raw.apps.map((a) => ({
      connectedApp: a.connectedApp.trim(),
      ...(a.eca !== undefined ? { eca: a.eca.trim() } : {}),
      harden: a.harden ?? raw.harden ?? false,
      relink: a.relink ?? raw.relink ?? false,
      acceptWeaker: (a.acceptWeaker ?? []).map((w) => ({ dimension: w.dimension, reason: w.reason.trim() })),
    })),
  };
};
