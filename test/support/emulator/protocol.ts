/*
 * Wire-level helpers of the org emulator: SOAP request parsing, REST route names, multipart bodies,
 * fault texts, ids.
 */
import { type IncomingMessage } from 'node:http';
import { parseXml, text, type XmlObject } from './xml.js';

/** An error a SOAP handler throws to answer with a fault. */
export class SoapFault extends Error {
  public constructor(public readonly code: string, message: string, public readonly status = 500) {
    super(message);
  }
}

const CHECKSUM_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
/** The 18-character form of a 15-character Salesforce id (case-safe checksum suffix). */
export const to18 = (id15: string): string => {
  if (id15.length !== 15) return id15;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM_CHARS.charAt(bits);
  }
  return id15 + suffix;
};


export const DEFAULT_FAULT_MESSAGES: Record<string, string> = {
  INVALID_SESSION_ID: 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session',
  UNKNOWN_EXCEPTION: 'UNKNOWN_EXCEPTION: An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
  INVALID_CROSS_REFERENCE_KEY: 'INVALID_CROSS_REFERENCE_KEY: invalid cross reference id',
  REQUEST_LIMIT_EXCEEDED: 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.',
  API_DISABLED_FOR_ORG: 'API_DISABLED_FOR_ORG: API is not enabled for this Organization or Partner',
  INSUFFICIENT_ACCESS: 'INSUFFICIENT_ACCESS: insufficient access rights on object id',
};

export const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export const safeJson = (s: string): unknown => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
};

/** The SOAP operation (first child of soapenv:Body), its arguments and the session id. */
export const parseSoap = (xml: string): { op: string; args: XmlObject; sessionId?: string } => {
  const doc = parseXml(xml);
  const env = doc.Envelope as XmlObject | undefined;
  if (!env) throw new Error('no soapenv:Envelope');
  const body = (env.Body ?? {}) as XmlObject;
  const op = Object.keys(body).find((k) => !k.startsWith('@') && !k.startsWith('#'));
  if (!op) throw new Error('empty soapenv:Body');
  const sessionId = text(((env.Header as XmlObject | undefined)?.SessionHeader as XmlObject | undefined)?.sessionId);
  const args = body[op];
  return { op, args: typeof args === 'object' && !Array.isArray(args) ? args : {}, sessionId };
};

export const summarizeArgs = (args: XmlObject): XmlObject => {
  if (typeof args.ZipFile !== 'string') return args;
  return { ...args, ZipFile: `<base64: ${args.ZipFile.length} chars>` };
};

/** Names REST routes so tests can count them like SOAP operations. */
export const restRoute = (method: string, path: string): string => {
  const p = path.replace(/\/$/, '');
  if (p === '/services/data') return 'versions';
  if (p === '/services/oauth2/userinfo') return 'userinfo';
  if (p === '/services/oauth2/token') return 'oauthToken';
  if (p === '/services/oauth2/revoke') return 'oauthRevoke';
  const rest = /^\/services\/data\/v[\d.]+(\/.*)?$/.exec(p);
  if (!rest) return `${method} ${p}`;
  const sub = rest[1] ?? '';
  if (sub === '') return 'versionResources';
  if (sub === '/query' || sub === '/tooling/query') return 'query';
  if (/^\/sobjects\/User\/\w+$/.test(sub)) return 'sobjectUser';
  if (sub === '/metadata/deployRequest' && method === 'POST') return 'deployRequest';
  if (/^\/metadata\/deployRequest\/\w+$/.test(sub) && method === 'GET') return 'deployRequestStatus';
  return `${method} ${p}`;
};

/** The parts of a multipart/form-data body by field name. */
export const parseMultipart = (body: Buffer, contentType: string): Map<string, Buffer> => {
  const out = new Map<string, Buffer>();
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return out;
  const delim = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    const start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delim, start);
    if (next < 0) break;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const sep = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, sep).toString('utf8');
    const name = /name="([^"]*)"/.exec(headers)?.[1];
    if (name) out.set(name, part.subarray(sep + 4));
    pos = next;
  }
  return out;
};
