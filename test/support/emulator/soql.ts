/*
 * The SOQL subset the emulator answers on GET …/query?q=: what the plugin's org reads send.
 *
 *   SELECT <field | Rel.Field | Rel.Rel.Field>, … FROM <Object>
 *     [WHERE <cond> [AND <cond>]…] [ORDER BY <field> [ASC|DESC]] [LIMIT <n>]
 *   <cond>: <field> (= | != | < | <= | > | >=) <literal>  |  <field> [NOT] IN (<literal>, …)
 *   <literal>: 'text' | number | true | false | null | 2026-01-31T00:00:00Z | LAST_N_DAYS:<n>
 *
 * Field names are case-insensitive, as in SOQL. A query outside the subset is a 400 MALFORMED_QUERY,
 * an unknown object a 400 INVALID_TYPE, an unknown field a 400 INVALID_FIELD (the org's error codes).
 */

export type SoqlRecord = Record<string, unknown>;

export class SoqlError extends Error {
  public constructor(public readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_TYPE' | 'INVALID_FIELD', message: string) {
    super(message);
  }
}

type Literal = string | number | boolean | null | { readonly lastNDays: number };
type Condition = { readonly field: string; readonly op: string; readonly values: readonly Literal[] };
export type SoqlQuery = {
  readonly fields: readonly string[];
  readonly object: string;
  readonly where: readonly Condition[];
  readonly orderBy?: { readonly field: string; readonly desc: boolean };
  readonly limit?: number;
};

const LITERAL = String.raw`'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|true|false|null|\d{4}-\d\d-\d\dT[\d:.]+Z|LAST_N_DAYS:\d+`;

const literal = (raw: string): Literal => {
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/\\(.)/g, '$1');
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
  if (/^null$/i.test(raw)) return null;
  const days = /^LAST_N_DAYS:(\d+)$/i.exec(raw);
  if (days) return { lastNDays: Number(days[1]) };
  if (/^\d{4}-/.test(raw)) return raw;
  return Number(raw);
};

export const parseSoql = (q: string): SoqlQuery => {
  const m = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+([\w.]+)(?:\s+(ASC|DESC))?)?(?:\s+LIMIT\s+(\d+))?\s*$/is.exec(q);
  if (!m) throw new SoqlError('MALFORMED_QUERY', `unexpected token in: ${q.slice(0, 80)}`);
  const fields = (m[1] as string).split(',').map((f) => f.trim());
  if (fields.some((f) => !/^[\w.]+$/.test(f))) throw new SoqlError('MALFORMED_QUERY', `unexpected token in the field list: ${m[1]}`);
  const where: Condition[] = [];
  if (m[3]) {
    for (const part of m[3].split(/\s+AND\s+/i)) {
      const c = new RegExp(String.raw`^\s*([\w.]+)\s*(=|!=|<=|>=|<|>|NOT\s+IN|IN)\s*(\((?:\s*(?:${LITERAL})\s*,?)*\)|${LITERAL})\s*$`, 'is').exec(part);
      if (!c) throw new SoqlError('MALFORMED_QUERY', `unexpected token in WHERE: ${part.trim()}`);
      const op = (c[2] as string).toUpperCase().replace(/\s+/, ' ');
      const raw = c[3] as string;
      const values = raw.startsWith('(') ? [...raw.slice(1, -1).matchAll(new RegExp(LITERAL, 'gi'))].map((x) => literal(x[0])) : [literal(raw)];
      where.push({ field: c[1] as string, op, values });
    }
  }
  return {
    fields,
    object: m[2] as string,
    where,
    ...(m[4] ? { orderBy: { field: m[4], desc: (m[5] ?? '').toUpperCase() === 'DESC' } } : {}),
    ...(m[6] ? { limit: Number(m[6]) } : {}),
  };
};

const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

/** A field's value by path (Rel.Field), case-insensitively. */
const valueAt = (r: SoqlRecord, path: string): unknown => {
  let cur: unknown = r;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const k = Object.keys(cur).find((x) => x.toLowerCase() === part.toLowerCase());
    cur = k === undefined ? undefined : (cur as SoqlRecord)[k];
  }
  return cur;
};

const knowsField = (records: readonly SoqlRecord[], known: readonly string[], path: string): boolean => {
  const head = path.split('.')[0]?.toLowerCase() ?? '';
  return known.some((k) => k.toLowerCase() === head) || records.some((r) => Object.keys(r).some((k) => k.toLowerCase() === head));
};

const compare = (a: unknown, b: Literal, op: string, now: number): boolean => {
  if (b !== null && typeof b === 'object') {
    const since = now - b.lastNDays * 86_400_000;
    const t = typeof a === 'string' ? Date.parse(a) : NaN;
    return op === '=' ? t >= since : op === '!=' ? !(t >= since) : op === '<' ? t < since : op === '>' ? t > since : op === '<=' ? t <= since : t >= since;
  }
  const av = a === undefined ? null : a;
  switch (op) {
    case '=':
      return av === b || (typeof av === 'string' && typeof b === 'string' && av.toLowerCase() === b.toLowerCase());
    case '!=':
      return !compare(a, b, '=', now);
    default: {
      if (av === null || b === null) return false;
      const x = typeof av === 'string' && typeof b === 'string' && /^\d{4}-/.test(b) ? Date.parse(av) : av;
      const y = typeof av === 'string' && typeof b === 'string' && /^\d{4}-/.test(b) ? Date.parse(b) : b;
      return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
    }
  }
};

/**
 * Picks the selected fields of a record, nested for Rel.Field and Rel.Rel.Field as the REST API returns them
 * (each relationship an object with its `attributes`, or null when the record has none).
 */
const project = (r: SoqlRecord, object: string, fields: readonly string[]): SoqlRecord => {
  const out: SoqlRecord = { attributes: { type: object, url: `/services/data/v66.0/sobjects/${object}/${str(valueAt(r, 'Id'))}` } };
  const put = (target: SoqlRecord, source: SoqlRecord, parts: readonly string[]): void => {
    const head = parts[0] as string;
    const k = Object.keys(source).find((x) => x.toLowerCase() === head.toLowerCase()) ?? head;
    if (parts.length === 1) {
      target[k] = valueAt(source, head) ?? null;
      return;
    }
    const related = valueAt(source, head);
    if (related === null || related === undefined || typeof related !== 'object') {
      if (!(k in target)) target[k] = null;
      return;
    }
    const nested = (target[k] as SoqlRecord | null | undefined) ?? { attributes: { type: head } };
    put(nested, related as SoqlRecord, parts.slice(1));
    target[k] = nested;
  };
  for (const f of fields) put(out, r, f.split('.'));
  return out;
};

/**
 * Runs a query on the records of its object. `tables` maps object names (any case) to their records
 * and the fields they have (a field no record carries, but in `fields`, reads as null).
 */
export const runSoql = (
  q: string,
  tables: (object: string) => { readonly records: readonly SoqlRecord[]; readonly fields: readonly string[] } | undefined,
  now = Date.now()
): SoqlRecord[] => {
  const query = parseSoql(q);
  const table = tables(query.object);
  if (!table) throw new SoqlError('INVALID_TYPE', `sObject type '${query.object}' is not supported.`);
  for (const f of [...query.fields, ...query.where.map((c) => c.field), ...(query.orderBy ? [query.orderBy.field] : [])]) {
    if (!knowsField(table.records, table.fields, f)) throw new SoqlError('INVALID_FIELD', `No such column '${f}' on entity '${query.object}'.`);
  }
  let rows = table.records.filter((r) =>
    query.where.every((c) => {
      const v = valueAt(r, c.field);
      if (c.op === 'IN') return c.values.some((x) => compare(v, x, '=', now));
      if (c.op === 'NOT IN') return !c.values.some((x) => compare(v, x, '=', now));
      return compare(v, c.values[0] as Literal, c.op, now);
    })
  );
  if (query.orderBy) {
    const { field, desc } = query.orderBy;
    rows = [...rows].sort((a, b) => {
      const x = str(valueAt(a, field));
      const y = str(valueAt(b, field));
      return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1);
    });
  }
  if (query.limit !== undefined) rows = rows.slice(0, query.limit);
  return rows.map((r) => project(r, query.object, query.fields));
};
