/*
 * XML helpers for the org emulator: SOAP request parsing, SOAP/metadata serialisation, and small
 * text-preserving edits of stored metadata files (the org adds generated fields to what was deployed,
 * but otherwise hands back the deployed text unchanged).
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export const MD_NS = 'http://soap.sforce.com/2006/04/metadata';

/** A parsed XML value: text, an element object, or repeated elements. */
export type XmlValue = string | XmlObject | XmlValue[];
export type XmlObject = { [name: string]: XmlValue };

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});

/** Parses XML into plain objects (namespace prefixes removed, every leaf a string, attributes as `@name`). */
export const parseXml = (text: string): XmlObject => parser.parse(text) as XmlObject;

/** `undefined` → [], a value → [value], an array → itself. */
export const arr = <T>(v: T | T[] | undefined | null): T[] => (v == null ? [] : Array.isArray(v) ? v : [v]);

/** The text of a leaf (FXP gives '' for an empty element and an object when it has attributes). */
export const text = (v: XmlValue | undefined): string | undefined => {
  if (v == null) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return text(v[0]);
  const t = v['#text'];
  return typeof t === 'string' ? t : '';
};

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A value for the tiny SOAP serialiser: objects become elements, arrays repeat, raw XML passes through. */
export type Ser = string | number | boolean | null | undefined | Raw | Ser[] | { [k: string]: Ser };
export class Raw {
  public constructor(public readonly xml: string) {}
}

/** Serialises `{name: value}` pairs into XML elements (no indentation; jsforce does not care). */
export const toXml = (obj: Record<string, Ser>): string => {
  let out = '';
  for (const [k, v] of Object.entries(obj)) out += element(k, v);
  return out;
};

const element = (name: string, v: Ser): string => {
  if (v === undefined) return '';
  if (Array.isArray(v)) return v.map((x) => element(name, x)).join('');
  if (v === null) return `<${name} xsi:nil="true"/>`;
  if (v instanceof Raw) return v.xml;
  if (typeof v === 'object') return `<${name}>${toXml(v)}</${name}>`;
  return `<${name}>${esc(String(v))}</${name}>`;
};

/** The SOAP response envelope exactly as the Metadata API writes it (prefixed envelope, default metadata namespace). */
export const soapEnvelope = (bodyXml: string): string =>
  '<?xml version="1.0" encoding="UTF-8"?>' +
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="${MD_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
  `<soapenv:Body>${bodyXml}</soapenv:Body></soapenv:Envelope>`;

export const soapFaultXml = (code: string, message: string): string =>
  soapEnvelope(
    `<soapenv:Fault><faultcode>sf:${esc(code)}</faultcode><faultstring>${esc(message)}</faultstring></soapenv:Fault>`
  );

/** Checks well-formedness; returns the error with 1-based line and column, or undefined. */
export const xmlError = (xml: string): { message: string; line: number; column: number } | undefined => {
  const r = XMLValidator.validate(xml);
  return r === true ? undefined : { message: r.err.msg, line: r.err.line, column: r.err.col };
};

/** The root element name (without prefix) and its parsed children. */
export const rootOf = (xml: string): { name: string; body: XmlObject } | undefined => {
  const doc = parseXml(xml);
  const name = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (!name) return undefined;
  const body = doc[name];
  return { name, body: typeof body === 'object' && !Array.isArray(body) ? body : {} };
};

/** A top-level field of a metadata file, as text. */
export const field = (xml: string, name: string): string | undefined => text(rootOf(xml)?.body[name]);

type Tag = { name: string; start: number; end: number; closing: boolean; selfClosing: boolean };

/** Start/end tags in document order, skipping the prolog, comments, CDATA and processing instructions. */
const tags = (xml: string): Tag[] => {
  const out: Tag[] = [];
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    if (!m[2]) continue;
    out.push({ name: m[2], start: m.index, end: m.index + m[0].length, closing: m[1] === '/', selfClosing: m[4] === '/' });
  }
  return out;
};

type Child = { name: string; start: number; end: number };

/** The root's direct children with their text spans. */
const topLevel = (xml: string): { children: Child[]; rootClose: number } => {
  const children: Child[] = [];
  let depth = 0;
  let open: Tag | undefined;
  let rootClose = -1;
  for (const t of tags(xml)) {
    if (t.closing) {
      depth--;
      if (depth === 1 && open) {
        children.push({ name: open.name.replace(/^.*:/, ''), start: open.start, end: t.end });
        open = undefined;
      }
      if (depth === 0) rootClose = t.start;
    } else if (t.selfClosing) {
      if (depth === 1) children.push({ name: t.name.replace(/^.*:/, ''), start: t.start, end: t.end });
    } else {
      if (depth === 1) open = t;
      depth++;
    }
  }
  return { children, rootClose };
};

/**
 * Sets a top-level leaf field in a metadata file, keeping the rest of the text as it is. An existing
 * element gets its value replaced; a new one is inserted in alphabetical position (the order the org
 * writes ECA fields in), indented like its siblings.
 */
export const setField = (xml: string, name: string, value: string): string => {
  const { children, rootClose } = topLevel(xml);
  const existing = children.find((c) => c.name === name);
  const el = `<${name}>${esc(value)}</${name}>`;
  if (existing) return xml.slice(0, existing.start) + el + xml.slice(existing.end);
  const indent = children.length ? /([ \t]*)$/.exec(xml.slice(0, children[0]!.start))![1]! : '    ';
  const eol = xml.includes('\r\n') ? '\r\n' : '\n';
  const next = children.find((c) => c.name.localeCompare(name, 'en') > 0);
  if (next) return `${xml.slice(0, next.start)}${el}${eol}${indent}${xml.slice(next.start)}`;
  if (rootClose < 0) return xml;
  if (children.length) {
    const last = children[children.length - 1]!;
    return `${xml.slice(0, last.end)}${eol}${indent}${el}${xml.slice(last.end)}`;
  }
  // an empty root element: put the field on its own line
  return `${xml.slice(0, rootClose)}${eol}${indent}${el}${eol}${xml.slice(rootClose)}`;
};

/** The inner XML of the root element (what readMetadata returns inside `<records>`), without the fullName. */
export const innerXml = (xml: string): string => {
  const { children } = topLevel(xml);
  return children
    .filter((c) => c.name !== 'fullName')
    .map((c) => xml.slice(c.start, c.end))
    .join('');
};

/** A metadata file in the org's layout: XML prolog, root element with the namespace, 4-space indented fields. */
export const metadataFile = (type: string, fields: ReadonlyArray<readonly [string, string]>): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="${MD_NS}">\n${fields
    .map(([k, v]) => `    <${k}>${esc(v)}</${k}>\n`)
    .join('')}</${type}>\n`;

const orderedParser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  preserveOrder: true,
  trimValues: true,
});
const orderedBuilder = new XMLBuilder({
  preserveOrder: true,
  format: true,
  indentBy: '    ',
  ignoreAttributes: true,
  suppressEmptyNode: false,
});

type Ordered = Array<Record<string, unknown>>;

/**
 * Turns the `<metadata xsi:type="T">…</metadata>` elements of a CRUD call (createMetadata,
 * updateMetadata, upsertMetadata) into `{type, fullName, xml}` metadata files.
 */
export const crudMetadata = (soapXml: string, op: string): Array<{ type: string; fullName: string; xml: string }> => {
  const doc = orderedParser.parse(soapXml) as Ordered;
  const find = (nodes: Ordered, name: string): Ordered | undefined => {
    for (const n of nodes) if (name in n) return n[name] as Ordered;
    return undefined;
  };
  const env = find(doc, 'Envelope') ?? [];
  const body = find(env, 'Body') ?? [];
  const call = find(body, op) ?? [];
  const out: Array<{ type: string; fullName: string; xml: string }> = [];
  for (const n of call) {
    if (!('metadata' in n)) continue;
    const attrs = (n[':@'] ?? {}) as Record<string, string>;
    const type = (attrs['@type'] ?? '').replace(/^.*:/, '');
    // the org stores fields in WSDL order, which for the ECA types is alphabetical
    const nameOf = (c: Record<string, unknown>): string => Object.keys(c).find((k) => k !== ':@') ?? '';
    const children = (n.metadata as Ordered)
      .filter((c) => !('fullName' in c))
      .sort((a, b) => nameOf(a).localeCompare(nameOf(b), 'en'));
    const fullNameNode = (n.metadata as Ordered).find((c) => 'fullName' in c);
    const fullName = String(((fullNameNode?.fullName as Ordered | undefined)?.[0]?.['#text'] as string | undefined) ?? '');
    const inner: string = orderedBuilder.build(children);
    const lines = inner.split('\n').filter((l) => l.trim() !== '');
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="${MD_NS}">\n${lines
      .map((l) => `    ${l}\n`)
      .join('')}</${type}>\n`;
    out.push({ type, fullName, xml });
  }
  return out;
};
