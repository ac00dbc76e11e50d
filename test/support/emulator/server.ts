/*
 * OrgEmulator: a loopback Salesforce org for tests. It speaks the REST calls @salesforce/core makes and
 * the Metadata API (SOAP, plus the REST deployRequest endpoint) as jsforce-node and SDR 13.7 use them,
 * keeps an in-memory org (metadata components by type and fullName), applies deploys to it with the
 * ECA lifecycle (eca.ts), records every request, and injects faults on demand.
 *
 * See README.md next to this file for the wire protocol and usage; the protocol notes come from
 * /work/shared/reference/org-emulation.md.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  DEFAULT_LIFECYCLE,
  ECA_CHILD_TYPES,
  knowsEcaType,
  SAVE_ORDER,
  appOf,
  defaultPolicies,
  onRead,
  onSave,
  validateEca,
  type EcaLifecycle,
  type EcaView,
} from './eca.js';
import {
  buildPackageXml,
  hasContentFile,
  mdapiPath,
  packageFromRequest,
  parsePackageXml,
  readZip,
  typeByName,
  unpackDeploy,
  type IncomingComponent,
  writeZip,
  type PackageTypes,
  type ZipEntries,
} from './metadata.js';
import {
  MD_NS,
  Raw,
  arr,
  crudMetadata,
  esc,
  field,
  setField,
  innerXml,
  soapEnvelope,
  soapFaultXml,
  text,
  toXml,
  xmlError,
  type Ser,
  type XmlObject,
} from './xml.js';
import {
  DEFAULT_FAULT_MESSAGES,
  SoapFault,
  header,
  parseMultipart,
  parseSoap,
  readBody,
  restRoute,
  safeJson,
  summarizeArgs,
  to18,
} from './protocol.js';

import { runSoql, SoqlError, type SoqlRecord } from './soql.js';

export { DEFAULT_FAULT_MESSAGES, SoapFault, to18 } from './protocol.js';
export type { SoqlRecord } from './soql.js';

// ---------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------

export type Component = {
  type: string;
  fullName: string;
  /** The metadata-format XML as the org returns it. */
  xml: string;
  /** For types with a content file (ApexClass…): the content; the xml is then the `-meta.xml`. */
  content?: Buffer;
  id: string;
  createdDate: string;
  lastModifiedDate: string;
};

export type OrgEmulatorOptions = {
  /** 15 or 18 characters, starting with 00D. Default 00D000000000001 (18: 00D000000000001EAA). */
  orgId?: string;
  username?: string;
  /** Default `<orgId15>!AQ0EmulatorToken`; core treats such a string as an access token. */
  accessToken?: string;
  /** Highest version GET /services/data advertises. Default '66.0'. */
  apiVersion?: string;
  orgName?: string;
  /** Organization.OrganizationType. Default 'Developer Edition'. */
  orgEdition?: string;
  isSandbox?: boolean;
  namespacePrefix?: string | null;
  /** Reject SOAP/REST calls whose session id is not `accessToken` (INVALID_SESSION_ID). Default true. */
  checkSession?: boolean;
  lifecycle?: Partial<EcaLifecycle>;
  /** Default number of InProgress answers before a deploy/retrieve is done. Default 0 (done at the first check). */
  polls?: { deploy?: number; retrieve?: number };
  /**
   * Types this org does not have at any version (a pilot or beta feature not enabled): listMetadata
   * answers INVALID_TYPE, a retrieve names them unknown. Also `emu.disabledTypes` (cleared by reset()).
   */
  disabledTypes?: readonly string[];
};

export type DeploySummary = {
  id: string;
  api: 'soap' | 'rest';
  checkOnly: boolean;
  /** DeployOptions as sent (strings for SOAP, JSON values for REST). */
  options: Record<string, unknown>;
  /** Zip entry names, in zip order. */
  entries: string[];
  /** package.xml types → members. */
  members: Record<string, string[]>;
  /** package.xml <version>. */
  version?: string;
};

export type RecordedRequest = {
  seq: number;
  /** Milliseconds since the emulator started. */
  at: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  api: 'soap' | 'rest' | 'oauth';
  /** SOAP operation (first child of soapenv:Body) or REST route name (see README). */
  op: string;
  /** The SOAPAction header (always '""' from jsforce). */
  soapAction?: string;
  /** SessionHeader/sessionId or the Bearer token. */
  sessionId?: string;
  /** The SOAP call's arguments as parsed (ZipFile replaced by '<base64: N chars>'), or the REST JSON body. */
  args?: unknown;
  /** Set for deploy and deployRequest calls. */
  deploy?: DeploySummary;
  /** HTTP status sent; undefined while unanswered (hang). */
  status?: number;
  /** The injected fault that answered this request, if any. */
  fault?: FaultKind;
};

export type ComponentFailureSpec = {
  problem: string;
  line?: number;
  column?: number;
  /** 'Error' (default) or 'Warning'. A Warning does not fail the component. */
  problemType?: 'Error' | 'Warning';
};

export type FaultKind = 'http' | 'soapFault' | 'hang' | 'malformed' | 'reset';
export type MalformedVariant =
  /** `<Envelope>` without prefixes: jsforce resolves `{}` and SDR keeps polling (pitfall 4). */
  | 'no-namespace'
  /** a valid envelope served as text/plain: same effect. */
  | 'wrong-content-type'
  /** half an envelope: not parseable, jsforce hands back nothing usable. */
  | 'truncated'
  /** an HTML error page (HTTP 503 unless `status` is given): jsforce's "HTTP response contains html content". */
  | 'html'
  /** HTTP 200 with an empty body. */
  | 'empty';

export type FaultMatch = {
  /** SOAP operation or REST route name(s); omit to match any request. */
  op?: string | string[];
  /** Path prefix or pattern. */
  path?: string | RegExp;
  api?: 'soap' | 'rest' | 'oauth';
};
export type FaultOptions = FaultMatch & {
  /** How many matching requests this fault answers. Default 1; Infinity for all. */
  times?: number;
};

type FaultAction =
  | { kind: 'http'; status: number; body?: string; contentType?: string }
  | { kind: 'soapFault'; code: string; message: string; status: number }
  | { kind: 'hang' }
  | { kind: 'malformed'; variant: MalformedVariant; status?: number }
  | { kind: 'reset' };
type FaultRule = { match: FaultMatch; remaining: number; action: FaultAction };

/** A DeployResult as a plain object (booleans and numbers typed), serialised to SOAP XML or REST JSON. */
export type DeployResultObj = Record<string, Ser> & {
  id: string;
  done: boolean;
  status: string;
  success: boolean;
  details?: {
    componentSuccesses: Array<Record<string, Ser>>;
    componentFailures: Array<Record<string, Ser>>;
    runTestResult: Record<string, Ser>;
  };
};

export type DeployJob = DeploySummary & {
  zip: Buffer;
  rollbackOnError: boolean;
  createdDate: string;
  /** InProgress answers still to give (Infinity: never finishes). */
  pollsLeft: number;
  statusChecks: number;
  canceled: boolean;
  result?: DeployResultObj;
};

export type RetrieveJob = {
  id: string;
  apiVersion: string;
  singlePackage: boolean;
  /** Requested types → members (wildcards as sent). */
  members: Record<string, string[]>;
  packageNames: string[];
  pollsLeft: number;
  statusChecks: number;
  /** Zip entry names of the result, once done. */
  entries?: string[];
  result?: Record<string, Ser>;
  zip?: Buffer;
};

const NO_TESTS = { numFailures: 0, numTestsRun: 0, totalTime: 0 };
const KEY_PREFIX: Record<string, string> = { deploy: '0Af', retrieve: '09S', component: '0H4' };

// ---------------------------------------------------------------------------------------------------
// The emulator
// ---------------------------------------------------------------------------------------------------

const MDAPI_ORDER = (t: string): number => {
  const i = SAVE_ORDER.indexOf(t);
  return i < 0 ? SAVE_ORDER.length : i;
};
const key = (type: string, fullName: string): string => `${type}\u0000${fullName}`;
const now = (): string => new Date().toISOString();
const record = (m: PackageTypes): Record<string, string[]> => Object.fromEntries(m);

export class OrgEmulator {
  public readonly orgId: string;
  public readonly orgId15: string;
  public readonly username: string;
  public readonly userId: string;
  public readonly apiVersion: string;
  /** Types the org does not have (see OrgEmulatorOptions.disabledTypes); cleared by reset(). */
  public readonly disabledTypes: Set<string>;
  /** The session the org accepts; change it (or call expireSession) to make every call fail with INVALID_SESSION_ID. */
  public accessToken: string;
  public checkSession: boolean;
  public readonly lifecycle: EcaLifecycle;
  public readonly orgName: string;
  public readonly orgEdition: string;
  public readonly isSandbox: boolean;
  public readonly namespacePrefix: string | null;
  public readonly userFullName = 'Emulated User';

  /** Every request, in arrival order. */
  public readonly requests: RecordedRequest[] = [];
  /** Deploy jobs by id, in creation order. */
  public readonly deploys = new Map<string, DeployJob>();
  /** Retrieve jobs by id, in creation order. */
  public readonly retrieves = new Map<string, RetrieveJob>();

  private readonly store = new Map<string, Component>();
  /** Query fixtures by object (setRecords); cleared by reset(). */
  private readonly fixtures = new Map<string, SoqlRecord[]>();
  private readonly recordOverrides = new Map<string, Map<string, SoqlRecord>>();
  /**
   * Elements the org saves with another value than the one deployed (a platform that forces a setting,
   * or a Setup-only value): what a read-back after a write must catch. Cleared by reset().
   */
  public readonly saveOverrides: Array<{ type: string; fullName?: string; element: string; value: string }> = [];
  /** Types listMetadata leaves out (the policies of an installed app are not listed); retrieve and SOQL still see them. Cleared by reset(). */
  public readonly unlistedTypes = new Set<string>();
  /** Fields (`Object.Field`) the org does not expose: a query naming one gets INVALID_FIELD. Cleared by reset(). */
  public readonly hiddenFields = new Set<string>();
  /** Objects a query names that the org does not know (INVALID_TYPE): an org without the feature. Cleared by reset(). */
  public readonly unsupportedObjects = new Set<string>();
  private faults: FaultRule[] = [];
  private readonly componentFailures = new Map<string, ComponentFailureSpec & { remaining: number }>();
  private polls: { deploy: number; retrieve: number };
  private readonly hanging = new Set<ServerResponse>();
  private server?: Server;
  private started = 0;
  private seq = 0;
  private idCounter = 0;
  private baseUrl = '';

  public constructor(options: OrgEmulatorOptions = {}) {
    const org = options.orgId ?? '00D000000000001';
    this.orgId15 = org.slice(0, 15);
    this.orgId = to18(this.orgId15);
    this.username = options.username ?? 'emulator@eca-tools.test';
    this.userId = to18('005000000000001');
    this.apiVersion = options.apiVersion ?? '66.0';
    this.accessToken = options.accessToken ?? `${this.orgId15}!AQ0EmulatorToken`;
    this.checkSession = options.checkSession ?? true;
    this.lifecycle = { ...DEFAULT_LIFECYCLE, ...options.lifecycle };
    this.orgName = options.orgName ?? 'Emulated Org';
    this.orgEdition = options.orgEdition ?? 'Developer Edition';
    this.isSandbox = options.isSandbox ?? false;
    this.namespacePrefix = options.namespacePrefix ?? null;
    this.polls = { deploy: options.polls?.deploy ?? 0, retrieve: options.polls?.retrieve ?? 0 };
    this.disabledTypes = new Set(options.disabledTypes ?? []);
  }

  // ------------------------------------------------------------------ lifecycle of the server

  /** Listens on 127.0.0.1 with an ephemeral port. */
  public async start(): Promise<{ url: string; port: number }> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.started = Date.now();
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return { url: this.baseUrl, port };
  }

  /** Closes the server and every connection, including requests left hanging. */
  public async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Destroys the connections of requests left hanging by hang() (their clients see a socket error). */
  public dropHanging(): void {
    for (const res of this.hanging) res.socket?.destroy();
    this.hanging.clear();
  }

  /** Forgets the org's components, jobs, recorded requests and faults (the server keeps running, the session stays valid). */
  public reset(): this {
    this.dropHanging();
    this.disabledTypes.clear();
    this.store.clear();
    this.fixtures.clear();
    this.recordOverrides.clear();
    this.hiddenFields.clear();
    this.unsupportedObjects.clear();
    this.saveOverrides.length = 0;
    this.unlistedTypes.clear();
    this.deploys.clear();
    this.retrieves.clear();
    this.clearRequests();
    return this.clearFaults();
  }

  /** `http://127.0.0.1:<port>` (empty before start()). */
  public get url(): string {
    return this.baseUrl;
  }

  // ------------------------------------------------------------------ org state

  /** Stores a component as-is (no validation, no lifecycle). */
  public put(type: string, fullName: string, xml: string, opts: { content?: Buffer } = {}): Component {
    const existing = this.store.get(key(type, fullName));
    const c: Component = {
      type,
      fullName,
      xml,
      content: opts.content,
      id: existing?.id ?? this.newId('component'),
      createdDate: existing?.createdDate ?? now(),
      lastModifiedDate: now(),
    };
    this.store.set(key(type, fullName), c);
    return c;
  }

  /** The stored XML of a component, or undefined. */
  public get(type: string, fullName: string): string | undefined {
    return this.store.get(key(type, fullName))?.xml;
  }

  public component(type: string, fullName: string): Component | undefined {
    return this.store.get(key(type, fullName));
  }

  /** fullNames of a type, sorted. */
  public list(type: string): string[] {
    return this.components(type).map((c) => c.fullName);
  }

  /** Stored components, optionally of one type, sorted by type then fullName. */
  public components(type?: string): Component[] {
    return [...this.store.values()]
      .filter((c) => type === undefined || c.type === type)
      .sort((a, b) => a.type.localeCompare(b.type) || a.fullName.localeCompare(b.fullName));
  }

  public remove(type: string, fullName: string): boolean {
    return this.store.delete(key(type, fullName));
  }

  /**
   * Saves components the way a deploy does (validation, ECA lifecycle, all-or-nothing), without HTTP.
   * Handy to seed an org "as it is after the app was deployed". Returns the DeployResult.
   */
  public applyComponents(
    components: ReadonlyArray<{ type: string; fullName: string; xml: string; content?: Buffer }>,
    options: { checkOnly?: boolean; rollbackOnError?: boolean } = {}
  ): DeployResultObj {
    const id = this.newId('deploy');
    return this.save(
      id,
      components.map((c) => ({ ...c, fileName: mdapiPath(c.type, c.fullName) })),
      [],
      [],
      options.checkOnly ?? false,
      options.rollbackOnError ?? true,
      now()
    );
  }

  // ------------------------------------------------------------------ recording

  /** The operations of the recorded requests, in order (SOAP operation or REST route name). */
  public ops(): string[] {
    return this.requests.map((r) => r.op);
  }

  /** How many requests had this operation. */
  public count(op: string): number {
    return this.requests.filter((r) => r.op === op).length;
  }

  public lastDeploy(): DeployJob | undefined {
    return [...this.deploys.values()].pop();
  }

  public lastRetrieve(): RetrieveJob | undefined {
    return [...this.retrieves.values()].pop();
  }

  public clearRequests(): void {
    this.requests.length = 0;
  }

  /**
   * Resolves with the first recorded request left unanswered by hang() once one has arrived (polls every
   * 20 ms); rejects after `timeoutMs`. Lets a test act (send a signal) while a client is stuck on it.
   */
  public async untilHanging(timeoutMs = 10_000): Promise<RecordedRequest> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const r = this.requests.find((q) => q.fault === 'hang');
      if (r) return r;
      if (Date.now() > end) throw new Error(`untilHanging: no request left hanging within ${timeoutMs} ms (requests: ${this.ops().join(', ') || 'none'})`);
      await new Promise((res) => setTimeout(res, 20));
    }
  }

  // ------------------------------------------------------------------ fault injection

  /** Answers the next `n` matching requests with an HTTP error (default 500 with a SOAP UNKNOWN_EXCEPTION fault or REST error JSON; `body` sends that text instead). */
  public failRequests(
    n: number,
    options: FaultMatch & { status?: number; body?: string; contentType?: string } = {}
  ): this {
    const { status = 500, body, contentType, ...match } = options;
    return this.addFault(match, n, { kind: 'http', status, body, contentType });
  }

  /** Answers matching SOAP calls with a fault, e.g. soapFault('INVALID_SESSION_ID'). */
  public soapFault(code: string, options: FaultOptions & { message?: string; status?: number } = {}): this {
    const { message, status = 500, times = 1, ...match } = options;
    const text = message ?? DEFAULT_FAULT_MESSAGES[code] ?? `${code}: emulated fault`;
    return this.addFault({ api: 'soap', ...match }, times, { kind: 'soapFault', code, message: text, status });
  }

  /** Never answers matching requests (until stop()). */
  public hang(options: FaultOptions = {}): this {
    const { times = 1, ...match } = options;
    return this.addFault(match, times, { kind: 'hang' });
  }

  /**
   * Holds every REST request (by default; `times` to limit) forever, SOAP still answered: an org that
   * accepts connections but never answers the calls @salesforce/core makes to resolve the org and its
   * API version (GET /services/data, the Organization query). Same as hang({api: 'rest', times}).
   */
  public hangRest(times = Infinity): this {
    return this.hang({ api: 'rest', times });
  }

  /** Answers matching requests with a broken response. */
  public malformed(variant: MalformedVariant, options: FaultOptions & { status?: number } = {}): this {
    const { times = 1, status, ...match } = options;
    return this.addFault(match, times, { kind: 'malformed', variant, status });
  }

  /** Drops the connection of matching requests without an answer (the client sees a socket error). */
  public resetConnection(options: FaultOptions = {}): this {
    const { times = 1, ...match } = options;
    return this.addFault(match, times, { kind: 'reset' });
  }

  /** Makes a component fail on every deploy that contains it (or the next `times` ones). */
  public failComponent(type: string, fullName: string, failure: ComponentFailureSpec & { times?: number }): this {
    const { times = Infinity, ...spec } = failure;
    this.componentFailures.set(key(type, fullName), { ...spec, remaining: times });
    return this;
  }

  /**
   * How many status checks answer InProgress before a job is done, for jobs created from now on.
   * 0 (the default) = done at the first check; Infinity = never done.
   */
  public setPolling(polls: { deploy?: number; retrieve?: number }): this {
    this.polls = { ...this.polls, ...polls };
    return this;
  }

  /** Every later call fails with INVALID_SESSION_ID (SOAP) / 401 (REST), as with an expired token. */
  public expireSession(): this {
    this.accessToken = `${this.orgId15}!AQ0Expired${Date.now()}`;
    return this;
  }

  /** Removes every injected fault and component failure, and restores default polling. */
  public clearFaults(): this {
    this.faults = [];
    this.componentFailures.clear();
    this.polls = { deploy: 0, retrieve: 0 };
    return this;
  }

  private addFault(match: FaultMatch, times: number, action: FaultAction): this {
    this.faults.push({ match, remaining: times, action });
    return this;
  }

  private takeFault(r: RecordedRequest): FaultAction | undefined {
    for (const f of this.faults) {
      if (f.remaining <= 0) continue;
      const m = f.match;
      if (m.api && m.api !== r.api) continue;
      if (m.op !== undefined && !arr(m.op).includes(r.op)) continue;
      if (m.path !== undefined && (typeof m.path === 'string' ? !r.path.startsWith(m.path) : !m.path.test(r.path))) continue;
      f.remaining--;
      return f.action;
    }
    return undefined;
  }

  // ------------------------------------------------------------------ HTTP plumbing

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const r: RecordedRequest = {
      seq: ++this.seq,
      at: Date.now() - this.started,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      api: 'rest',
      op: 'unknown',
    };
    this.requests.push(r);
    let soap: { op: string; args: XmlObject; sessionId?: string } | undefined;
    try {
      if (r.method === 'POST' && /^\/services\/Soap\/m\/[\d.]+\/?$/.test(r.path)) {
        r.api = 'soap';
        r.soapAction = header(req, 'soapaction');
        soap = parseSoap(body.toString('utf8'));
        r.op = soap.op;
        r.sessionId = soap.sessionId;
        r.args = summarizeArgs(soap.args);
      } else {
        r.api = r.path.startsWith('/services/oauth2/') ? 'oauth' : 'rest';
        r.op = restRoute(r.method, r.path);
        const auth = header(req, 'authorization');
        if (auth?.startsWith('Bearer ')) r.sessionId = auth.slice('Bearer '.length);
        const ct = header(req, 'content-type') ?? '';
        if (ct.startsWith('application/json') && body.length) r.args = safeJson(body.toString('utf8'));
      }
    } catch (e) {
      return this.send(r, res, 500, 'text/xml; charset=utf-8', soapFaultXml('INVALID_XML', `Unable to parse request: ${(e as Error).message}`));
    }

    const fault = this.takeFault(r);
    if (fault) return this.sendFault(r, req, res, fault);

    try {
      if (soap) {
        if (this.checkSession && soap.sessionId !== this.accessToken) {
          throw new SoapFault('INVALID_SESSION_ID', DEFAULT_FAULT_MESSAGES.INVALID_SESSION_ID!);
        }
        const handler = this.soapHandlers[soap.op];
        if (!handler) throw new SoapFault('INVALID_OPERATION', `No operation available for request {${MD_NS}}${soap.op}`);
        const result = await handler(soap.args, r, body.toString('utf8'));
        return this.send(r, res, 200, 'text/xml; charset=utf-8', soapEnvelope(`<${soap.op}Response>${result}</${soap.op}Response>`));
      }
      const answer = await this.rest(r, req, body);
      return this.send(r, res, answer.status, answer.contentType ?? 'application/json;charset=UTF-8', answer.body);
    } catch (e) {
      if (e instanceof SoapFault) return this.send(r, res, e.status, 'text/xml; charset=utf-8', soapFaultXml(e.code, e.message));
      const message = e instanceof Error ? e.message : String(e);
      if (r.api === 'soap') return this.send(r, res, 500, 'text/xml; charset=utf-8', soapFaultXml('UNKNOWN_EXCEPTION', `UNKNOWN_EXCEPTION: ${message}`));
      return this.send(r, res, 500, 'application/json', JSON.stringify([{ errorCode: 'UNKNOWN_EXCEPTION', message }]));
    }
  }

  private send(r: RecordedRequest, res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
    r.status = status;
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  private sendFault(r: RecordedRequest, req: IncomingMessage, res: ServerResponse, f: FaultAction): void {
    r.fault = f.kind;
    switch (f.kind) {
      case 'hang':
        this.hanging.add(res); // the socket stays open until dropHanging() or stop()
        res.on('close', () => this.hanging.delete(res));
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'soapFault':
        return this.send(r, res, f.status, 'text/xml; charset=utf-8', soapFaultXml(f.code, f.message));
      case 'http': {
        if (f.body !== undefined) return this.send(r, res, f.status, f.contentType ?? 'text/plain', f.body);
        const msg = DEFAULT_FAULT_MESSAGES.UNKNOWN_EXCEPTION!;
        if (r.api === 'soap') return this.send(r, res, f.status, 'text/xml; charset=utf-8', soapFaultXml('UNKNOWN_EXCEPTION', msg));
        return this.send(r, res, f.status, 'application/json;charset=UTF-8', JSON.stringify([{ errorCode: 'UNKNOWN_EXCEPTION', message: msg }]));
      }
      case 'malformed': {
        const op = r.api === 'soap' ? r.op : 'result';
        const good = soapEnvelope(`<${op}Response><result><done>true</done><id>x</id></result></${op}Response>`);
        switch (f.variant) {
          case 'no-namespace':
            return this.send(r, res, f.status ?? 200, 'text/xml; charset=utf-8', `<?xml version="1.0" encoding="UTF-8"?><Envelope><Body><${op}Response><result><done>true</done></result></${op}Response></Body></Envelope>`);
          case 'wrong-content-type':
            return this.send(r, res, f.status ?? 200, 'text/plain', good);
          case 'truncated':
            return this.send(r, res, f.status ?? 200, r.api === 'soap' ? 'text/xml; charset=utf-8' : 'application/json', r.api === 'soap' ? good.slice(0, Math.floor(good.length / 2)) : '{"id": "0Af00');
          case 'html':
            return this.send(r, res, f.status ?? 503, 'text/html', '<html><head><title>Service Unavailable</title></head><body><h1>Down for maintenance</h1></body></html>');
          case 'empty':
            return this.send(r, res, f.status ?? 200, r.api === 'soap' ? 'text/xml; charset=utf-8' : 'application/json', '');
        }
      }
    }
  }

  // ------------------------------------------------------------------ REST

  private async rest(r: RecordedRequest, req: IncomingMessage, body: Buffer): Promise<{ status: number; body: string; contentType?: string }> {
    const json = (status: number, v: unknown): { status: number; body: string } => ({ status, body: JSON.stringify(v) });
    const needsSession = !['versions', 'oauthToken', 'oauthRevoke'].includes(r.op);
    if (needsSession && this.checkSession && r.sessionId !== this.accessToken) {
      return json(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
    const v = /^\/services\/data\/v([\d.]+)/.exec(r.path)?.[1] ?? this.apiVersion;
    switch (r.op) {
      case 'versions':
        return json(200, this.versions());
      case 'versionResources':
        return json(200, Object.fromEntries(['sobjects', 'query', 'metadata', 'tooling', 'limits'].map((k) => [k, `/services/data/v${v}/${k}`])));
      case 'userinfo':
        return json(200, {
          sub: `${this.baseUrl}/id/${this.orgId}/${this.userId}`,
          user_id: this.userId,
          organization_id: this.orgId,
          preferred_username: this.username,
          email: this.username,
          name: this.userFullName,
          urls: { rest: `${this.baseUrl}/services/data/v{version}/` },
        });
      case 'query':
        return this.query(r.query.q ?? '', v);
      case 'sobjectUser':
        return json(200, {
          attributes: { type: 'User', url: `/services/data/v${v}/sobjects/User/${this.userId}` },
          Id: this.userId,
          Username: this.username,
          Name: this.userFullName,
          Email: this.username,
        });
      case 'deployRequest':
        return json(201, await this.restDeploy(r, header(req, 'content-type') ?? '', body));
      case 'deployRequestStatus': {
        const id = r.path.split('/').pop() ?? '';
        const job = this.deploys.get(id);
        if (!job) return json(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
        const result = await this.deployStatus(job, r.query.includeDetails === 'true');
        return json(200, { id, url: r.path, deployResult: result, deployOptions: job.options });
      }
      case 'oauthToken':
        return json(400, { error: 'invalid_grant', error_description: 'expired access/refresh token' });
      case 'oauthRevoke':
        return { status: 200, body: '' };
      default:
        return json(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    }
  }

  private versions(): Array<{ label: string; url: string; version: string }> {
    const top = Math.floor(parseFloat(this.apiVersion));
    const out = [];
    for (let n = Math.max(20, top - 10); n <= top; n++) out.push({ label: `v${n}`, url: `/services/data/v${n}.0`, version: `${n}.0` });
    return out;
  }

  private query(q: string, v: string): { status: number; body: string } {
    const from = /\bfrom\s+(\w+)/i.exec(q)?.[1]?.toLowerCase();
    const result = (records: Array<Record<string, unknown>>): { status: number; body: string } => ({
      status: 200,
      body: JSON.stringify({ totalSize: records.length, done: true, records }),
    });
    switch (from) {
      case 'organization':
        return result([
          {
            attributes: { type: 'Organization', url: `/services/data/v${v}/sobjects/Organization/${this.orgId}` },
            Id: this.orgId,
            Name: this.orgName,
            InstanceName: 'EMU1',
            IsSandbox: this.isSandbox,
            TrialExpirationDate: null,
            NamespacePrefix: this.namespacePrefix,
            OrganizationType: this.orgEdition,
          },
        ]);
      case 'user':
        return result([
          {
            attributes: { type: 'User', url: `/services/data/v${v}/sobjects/User/${this.userId}` },
            Id: this.userId,
            Username: this.username,
            Name: this.userFullName,
          },
        ]);
      case 'scratchorginfo':
        return { status: 400, body: JSON.stringify([{ message: "sObject type 'ScratchOrgInfo' is not supported.", errorCode: 'INVALID_TYPE' }]) };
      default:
        try {
          return result(runSoql(q, (object) => this.table(object)));
        } catch (e) {
          if (e instanceof SoqlError) return { status: 400, body: JSON.stringify([{ message: e.message, errorCode: e.errorCode }]) };
          throw e;
        }
    }
  }

  /**
   * The records a query reads: the ECA objects derived from the stored metadata (so they follow every
   * deploy: the policies record keeps the name the org gave it), plus the fixtures a test set with
   * setRecords. An object in `unsupportedObjects` is unknown (INVALID_TYPE); any other object has no records.
   */
  private table(object: string): { records: SoqlRecord[]; fields: readonly string[] } | undefined {
    const name = object.toLowerCase();
    if ([...this.unsupportedObjects].some((o) => o.toLowerCase() === name)) return undefined;
    const fixtures = [...this.fixtures.entries()].find(([o]) => o.toLowerCase() === name)?.[1] ?? [];
    const overrides = [...this.recordOverrides.entries()].find(([o]) => o.toLowerCase() === name)?.[1];
    const derived = derivedRecords(name, this.components()).map((r) => ({ ...r, ...(overrides?.get(String(r.DeveloperName)) ?? {}) }));
    const hidden = [...this.hiddenFields].filter((f) => f.toLowerCase().startsWith(`${name}.`)).map((f) => f.slice(name.length + 1).toLowerCase());
    const fields = (DERIVED_FIELDS[name] ?? []).filter((f) => !hidden.includes(f.toLowerCase()));
    const strip = (r: SoqlRecord): SoqlRecord => Object.fromEntries(Object.entries(r).filter(([k]) => !hidden.includes(k.toLowerCase())));
    return { records: [...derived, ...fixtures].map(strip), fields };
  }

  /**
   * Fields a derived record (by DeveloperName) answers otherwise than its metadata: a change made in Setup that the
   * metadata does not show (the idle refresh-token limit). Cleared by reset().
   */
  public overrideRecord(object: string, developerName: string, fields: SoqlRecord): this {
    const byName = this.recordOverrides.get(object) ?? new Map<string, SoqlRecord>();
    byName.set(developerName, { ...(byName.get(developerName) ?? {}), ...fields });
    this.recordOverrides.set(object, byName);
    return this;
  }

  /** Records an SOQL query of `object` returns (besides the derived ECA objects): OauthToken, SetupEntityAccess, LoginHistory… */
  public setRecords(object: string, records: readonly SoqlRecord[]): this {
    this.fixtures.set(object, [...records]);
    return this;
  }

  // ------------------------------------------------------------------ SOAP handlers (one per operation)

  private readonly soapHandlers: Record<string, (args: XmlObject, r: RecordedRequest, raw: string) => Promise<string> | string> = {
    deploy: async (args, r) => {
      const zip = Buffer.from(text(args.ZipFile) ?? '', 'base64');
      const options = Object.fromEntries(
        Object.entries((args.DeployOptions ?? {}) as XmlObject).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => text(x)) : text(v)])
      );
      const job = await this.createDeploy('soap', zip, options);
      r.deploy = summary(job);
      return toXml({ result: { done: false, id: job.id, state: 'Queued' } });
    },

    checkDeployStatus: async (args) => {
      const job = this.deploys.get(text(args.asyncProcessId) ?? '');
      if (!job) throw new SoapFault('INVALID_CROSS_REFERENCE_KEY', 'INVALID_CROSS_REFERENCE_KEY: invalid cross reference id');
      return toXml({ result: await this.deployStatus(job, text(args.includeDetails) === 'true') });
    },

    cancelDeploy: (args) => {
      const job = this.deploys.get(text(args.id) ?? '');
      if (!job) throw new SoapFault('INVALID_CROSS_REFERENCE_KEY', 'INVALID_CROSS_REFERENCE_KEY: invalid cross reference id');
      if (!job.result) job.canceled = true;
      return toXml({ result: { done: !!job.result, id: job.id } });
    },

    retrieve: (args) => {
      const req = (args.request ?? {}) as XmlObject;
      const pkg = packageFromRequest(req.unpackaged as XmlObject | undefined);
      const job: RetrieveJob = {
        id: this.newId('retrieve'),
        apiVersion: text(req.apiVersion) ?? pkg.version ?? this.apiVersion,
        singlePackage: text(req.singlePackage) === 'true',
        members: record(pkg.types),
        packageNames: arr(req.packageNames).map((p) => text(p) ?? ''),
        pollsLeft: this.polls.retrieve,
        statusChecks: 0,
      };
      if (pkg.version) job.apiVersion = pkg.version;
      this.retrieves.set(job.id, job);
      return toXml({ result: { done: false, id: job.id, state: 'Queued' } });
    },

    checkRetrieveStatus: async (args) => {
      const job = this.retrieves.get(text(args.asyncProcessId) ?? '');
      if (!job) throw new SoapFault('INVALID_LOCATOR', 'INVALID_LOCATOR: Retrieve result has been deleted.');
      job.statusChecks++;
      if (job.pollsLeft > 0) {
        job.pollsLeft--;
        return toXml({ result: { done: false, id: job.id, status: 'InProgress', success: false } });
      }
      job.result ??= await this.completeRetrieve(job);
      const includeZip = text(args.includeZip) !== 'false';
      return toXml({ result: includeZip ? job.result : { ...job.result, zipFile: undefined } });
    },

    listMetadata: (args, r) => {
      const results: Array<Record<string, Ser>> = [];
      const version = this.callVersion(r);
      for (const q of arr(args.queries) as XmlObject[]) {
        const type = text(q.type) ?? '';
        if ((!typeByName(type) && this.components(type).length === 0) || !this.hasType(type, version)) {
          throw new SoapFault('INVALID_TYPE', `INVALID_TYPE: Unknown type name '${type}'`);
        }
        const folder = text(q.folder);
        for (const c of this.components(type)) {
          if (folder && !c.fullName.startsWith(`${folder}/`)) continue;
          if (this.unlistedTypes.has(c.type)) continue;
          results.push(this.fileProperties(c, mdapiPath(c.type, c.fullName)));
        }
      }
      return toXml({ result: results });
    },

    readMetadata: (args) => {
      const type = text(args.type) ?? '';
      const records = arr(args.fullNames).map((n) => {
        const c = this.store.get(key(type, text(n) ?? ''));
        if (!c) return new Raw('<records xsi:nil="true"/>');
        return new Raw(
          `<records xsi:type="${esc(type)}"><fullName>${esc(c.fullName)}</fullName>${innerXml(onRead(c, this.lifecycle))}</records>`
        );
      });
      return toXml({ result: { records } });
    },

    describeMetadata: (_args, r) => {
      const version = this.callVersion(r);
      const names = new Set([...ECA_CHILD_TYPES, 'ExternalClientApplication', ...this.components().map((c) => c.type)].filter((n) => this.hasType(n, version)));
      const metadataObjects = [...names]
        .map((n) => typeByName(n))
        .filter((t) => t !== undefined)
        .map((t) => ({ directoryName: t.directoryName, inFolder: !!t.inFolder, metaFile: hasContentFile(t), suffix: t.suffix, xmlName: t.name }));
      return toXml({ result: { metadataObjects, organizationNamespace: this.namespacePrefix ?? '', partialSaveAllowed: true, testRequired: false } });
    },

    createMetadata: (_args, _r, raw) => this.crud('createMetadata', raw),
    updateMetadata: (_args, _r, raw) => this.crud('updateMetadata', raw),
    upsertMetadata: (_args, _r, raw) => this.crud('upsertMetadata', raw),

    deleteMetadata: (args) => {
      const type = text(args.type) ?? '';
      const results = arr(args.fullNames).map((n) => {
        const fullName = text(n) ?? '';
        if (!this.store.delete(key(type, fullName))) {
          return { errors: { message: `${type} named ${fullName} not found`, statusCode: 'INVALID_CROSS_REFERENCE_KEY' }, fullName, success: false };
        }
        return { fullName, success: true };
      });
      return toXml({ result: results });
    },
  };

  // ------------------------------------------------------------------ deploy

  private async createDeploy(api: 'soap' | 'rest', zip: Buffer, options: Record<string, unknown>): Promise<DeployJob> {
    let entries: ZipEntries = new Map();
    try {
      entries = await readZip(zip);
    } catch {
      // an unreadable zip fails the deploy when it completes
    }
    const pkgName = [...entries.keys()].find((n) => n === 'package.xml' || /^[^/]+\/package\.xml$/.test(n));
    const pkg = pkgName ? parsePackageXml(entries.get(pkgName)!.toString('utf8')) : undefined;
    const bool = (v: unknown, dflt: boolean): boolean => (v === undefined ? dflt : v === true || v === 'true');
    const job: DeployJob = {
      id: this.newId('deploy'),
      api,
      checkOnly: bool(options.checkOnly, false),
      rollbackOnError: bool(options.rollbackOnError, true),
      options,
      entries: [...entries.keys()],
      members: pkg ? record(pkg.types) : {},
      version: pkg?.version,
      zip,
      createdDate: now(),
      pollsLeft: this.polls.deploy,
      statusChecks: 0,
      canceled: false,
    };
    this.deploys.set(job.id, job);
    return job;
  }

  private async deployStatus(job: DeployJob, includeDetails: boolean): Promise<DeployResultObj> {
    job.statusChecks++;
    if (!job.result && job.canceled) job.result = this.header(job, 'Canceled', true, false, 0, 0, 0);
    if (!job.result && job.pollsLeft > 0) {
      job.pollsLeft--;
      return this.header(job, 'InProgress', false, false, 0, 0, Object.values(job.members).flat().length);
    }
    job.result ??= await this.completeDeploy(job);
    if (includeDetails) return job.result;
    return { ...job.result, details: undefined };
  }

  private header(
    job: Pick<DeployJob, 'id' | 'checkOnly' | 'rollbackOnError' | 'createdDate' | 'options'>,
    status: string,
    done: boolean,
    success: boolean,
    deployed: number,
    errors: number,
    total: number
  ): DeployResultObj {
    const ts = now();
    return {
      checkOnly: job.checkOnly,
      ...(done ? { completedDate: ts } : {}),
      createdBy: this.userId,
      createdByName: this.userFullName,
      createdDate: job.createdDate,
      done,
      id: job.id,
      ignoreWarnings: job.options.ignoreWarnings === true || job.options.ignoreWarnings === 'true',
      lastModifiedDate: ts,
      numberComponentErrors: errors,
      numberComponentsDeployed: deployed,
      numberComponentsTotal: total,
      numberTestErrors: 0,
      numberTestsCompleted: 0,
      numberTestsTotal: 0,
      rollbackOnError: job.rollbackOnError,
      runTestsEnabled: false,
      startDate: job.createdDate,
      status,
      success,
    };
  }

  /** Unpacks the zip into components and saves them. */
  private async completeDeploy(job: DeployJob): Promise<DeployResultObj> {
    let entries: ZipEntries;
    try {
      entries = await readZip(job.zip);
    } catch (e) {
      return this.failedPackage(job, `Error reading zip file: ${(e as Error).message}`);
    }
    const unpacked = unpackDeploy(entries);
    if ('problem' in unpacked) return this.failedPackage(job, unpacked.problem);
    const { incoming, destructive, missing } = unpacked;
    return this.save(job.id, incoming, destructive, missing, job.checkOnly, job.rollbackOnError, job.createdDate, job);
  }

  private failedPackage(job: DeployJob, problem: string): DeployResultObj {
    const failure = { changed: false, componentType: '', created: false, createdDate: now(), deleted: false, fileName: 'package.xml', fullName: 'package.xml', problem, problemType: 'Error', success: false };
    return { ...this.header(job, 'Failed', true, false, 0, 1, 0), details: { componentFailures: [failure], componentSuccesses: [], runTestResult: NO_TESTS } };
  }

  /**
   * The heart of a deploy: validates every component (XML, injected failures, ECA rules), then — unless
   * checkOnly, or a failure with rollbackOnError — stores them, deletes the destructive ones and runs
   * the ECA lifecycle. Returns the DeployResult with details.
   */
  private save(
    id: string,
    incoming: IncomingComponent[],
    destructive: Array<{ type: string; fullName: string }>,
    missing: Array<{ type: string; fullName: string; problem: string }>,
    checkOnly: boolean,
    rollbackOnError: boolean,
    createdDate: string,
    job?: DeployJob
  ): DeployResultObj {
    const ts = now();
    const ordered = [...incoming].sort((a, b) => MDAPI_ORDER(a.type) - MDAPI_ORDER(b.type));
    const deleting = new Set(destructive.map((d) => key(d.type, d.fullName)));
    const view = this.ecaView();
    const failures: Array<Record<string, Ser>> = [];
    const successes: Array<Record<string, Ser>> = [];
    const accepted: typeof ordered = [];
    const fail = (c: { type: string; fullName: string; fileName?: string }, problem: string, line?: number, column?: number, problemType = 'Error'): void => {
      failures.push({
        changed: false,
        ...(column !== undefined ? { columnNumber: column } : {}),
        componentType: c.type,
        created: false,
        createdDate: ts,
        deleted: false,
        fileName: c.fileName ?? mdapiPath(c.type, c.fullName),
        fullName: c.fullName,
        ...(line !== undefined ? { lineNumber: line } : {}),
        problem,
        problemType,
        success: false,
      });
    };
    for (const m of missing) fail(m, m.problem);
    for (const c of ordered) {
      const syntax = xmlError(c.xml);
      if (syntax) {
        fail(c, `Error parsing file: ${syntax.message}`, syntax.line, syntax.column);
        continue;
      }
      const injected = this.componentFailures.get(key(c.type, c.fullName));
      if (injected && injected.remaining > 0) {
        injected.remaining--;
        if ((injected.problemType ?? 'Error') === 'Error') {
          fail(c, injected.problem, injected.line, injected.column);
          continue;
        }
      }
      const problem = validateEca(c, view, accepted, (t, n) => deleting.has(key(t, n)));
      if (problem) {
        fail(c, problem);
        continue;
      }
      accepted.push(c);
    }
    const failed = failures.length > 0;
    const apply = !checkOnly && !(failed && rollbackOnError);

    for (const c of accepted) {
      const existing = this.store.get(key(c.type, c.fullName));
      let xml = onSave(c, existing, view, () => this.newId('component'));
      for (const o of this.saveOverrides) if (o.type === c.type && (o.fullName === undefined || o.fullName === c.fullName)) xml = setField(xml, o.element, o.value);
      const changed = !existing || existing.xml !== xml || !sameBuf(existing.content, c.content);
      let idOf = existing?.id;
      if (apply) idOf = this.storeComponent({ ...c, xml }).id;
      const warn = this.componentFailures.get(key(c.type, c.fullName));
      successes.push({
        changed,
        componentType: c.type,
        created: !existing,
        createdDate: existing?.createdDate ?? ts,
        deleted: false,
        fileName: c.fileName,
        fullName: c.fullName,
        ...(idOf ? { id: idOf } : {}),
        ...(warn?.problemType === 'Warning' ? { problem: warn.problem, problemType: 'Warning' } : {}),
        success: true,
      });
    }
    for (const d of destructive) {
      const existing = this.store.get(key(d.type, d.fullName));
      if (apply) this.store.delete(key(d.type, d.fullName));
      successes.push({
        changed: !!existing,
        componentType: d.type,
        created: false,
        createdDate: ts,
        deleted: true,
        fileName: mdapiPath(d.type, d.fullName),
        fullName: d.fullName,
        ...(existing ? { id: existing.id } : {}),
        ...(existing ? {} : { problem: `No ${d.type} named: ${d.fullName} found`, problemType: 'Warning' }),
        success: true,
      });
    }
    if (apply) {
      const apps = accepted
        .map((c) => (c.type === 'ExternalClientApplication' ? c.fullName : appOf(c.xml)))
        .filter((a): a is string => !!a);
      for (const p of defaultPolicies(this.ecaView(), apps)) this.storeComponent(p);
    }
    successes.push({ changed: true, componentType: '', created: false, createdDate: ts, deleted: false, fileName: 'package.xml', fullName: 'package.xml', success: true });

    const deployed = successes.length - 1;
    const status = !failed ? 'Succeeded' : rollbackOnError ? 'Failed' : 'SucceededPartial';
    const hdr = this.header(
      job ?? { id, checkOnly, rollbackOnError, createdDate, options: {} },
      status,
      true,
      !failed || !rollbackOnError,
      deployed,
      failures.length,
      deployed + failures.length
    );
    return { ...hdr, details: { componentFailures: failures, componentSuccesses: successes, runTestResult: NO_TESTS } };
  }

  private storeComponent(c: { type: string; fullName: string; xml: string; content?: Buffer }): Component {
    return this.put(c.type, c.fullName, c.xml, { content: c.content });
  }

  private ecaView(): EcaView {
    return {
      orgId: this.orgId,
      namespacePrefix: this.namespacePrefix,
      lifecycle: this.lifecycle,
      get: (t, n) => this.store.get(key(t, n)),
      list: (t) => this.components(t),
    };
  }

  private async restDeploy(r: RecordedRequest, contentType: string, body: Buffer): Promise<Record<string, unknown>> {
    const parts = parseMultipart(body, contentType);
    const entity = safeJson(parts.get('entity_content')?.toString('utf8') ?? '{}') as { deployOptions?: Record<string, unknown> } | undefined;
    const options = entity?.deployOptions ?? {};
    const job = await this.createDeploy('rest', parts.get('file') ?? Buffer.alloc(0), options);
    r.deploy = summary(job);
    r.args = { deployOptions: options, file: `<zip: ${job.zip.length} bytes>` };
    return { id: job.id, validatedDeployRequestId: null, deployOptions: options, deployResult: this.header(job, 'Pending', false, false, 0, 0, 0) };
  }

  // ------------------------------------------------------------------ retrieve

  /** Whether the org knows a type at this API version (ECA types by the version they appeared in, minus the disabled ones). */
  private hasType(type: string, version: number): boolean {
    return !this.disabledTypes.has(type) && knowsEcaType(type, version);
  }

  /** The API version a SOAP call is answered at: its endpoint's (`/services/Soap/m/<v>`), never above the org's. */
  private callVersion(r: RecordedRequest): number {
    const v = parseFloat(/\/Soap\/m\/([\d.]+)/.exec(r.path)?.[1] ?? this.apiVersion);
    return Math.min(Number.isNaN(v) ? Infinity : v, parseFloat(this.apiVersion));
  }

  private async completeRetrieve(job: RetrieveJob): Promise<Record<string, Ser>> {
    const prefix = job.singlePackage ? '' : 'unpackaged/';
    const entries: ZipEntries = new Map();
    const fileProperties: Array<Record<string, Ser>> = [];
    const messages: Array<Record<string, Ser>> = [];
    const version = Math.min(parseFloat(job.apiVersion), parseFloat(this.apiVersion));
    for (const [type, members] of Object.entries(job.members)) {
      if ((!typeByName(type) && this.components(type).length === 0) || !this.hasType(type, version)) {
        messages.push({ fileName: `${prefix}package.xml`, problem: `Entity type: '${type}' is unknown` });
        continue;
      }
      const wanted = members.includes('*')
        ? [...new Set([...this.list(type), ...members.filter((m) => m !== '*')])]
        : members;
      for (const m of wanted) {
        const c = this.store.get(key(type, m));
        if (!c) {
          messages.push({ fileName: `${prefix}package.xml`, problem: `Entity of type '${type}' named '${m}' cannot be found` });
          continue;
        }
        const rel = mdapiPath(type, m);
        const xml = Buffer.from(onRead(c, this.lifecycle), 'utf8');
        if (c.content) {
          entries.set(`${prefix}${rel}`, c.content);
          entries.set(`${prefix}${rel}-meta.xml`, xml);
        } else {
          entries.set(`${prefix}${rel}`, xml);
        }
        fileProperties.push(this.fileProperties(c, `${prefix}${rel}`));
      }
    }
    for (const p of job.packageNames) messages.push({ fileName: p, problem: `No package named '${p}' found` });
    const pkgXml = buildPackageXml(new Map(Object.entries(job.members)), job.apiVersion);
    entries.set(`${prefix}package.xml`, Buffer.from(pkgXml, 'utf8'));
    const zip = await writeZip(entries);
    job.zip = zip;
    job.entries = [...entries.keys()];
    const ts = now();
    fileProperties.push({
      createdById: this.userId,
      createdByName: this.userFullName,
      createdDate: ts,
      fileName: `${prefix}package.xml`,
      fullName: `${prefix}package.xml`,
      id: '',
      lastModifiedById: this.userId,
      lastModifiedByName: this.userFullName,
      lastModifiedDate: ts,
      manageableState: 'unmanaged',
      type: 'Package',
    });
    return {
      done: true,
      fileProperties,
      id: job.id,
      ...(messages.length ? { messages } : {}),
      status: 'Succeeded',
      success: true,
      zipFile: zip.toString('base64'),
    };
  }

  private namespaceOf(fullName: string): string | undefined {
    return /^([A-Za-z][A-Za-z0-9]*?)__[A-Za-z]/.exec(fullName)?.[1] ?? this.namespacePrefix ?? undefined;
  }

  private installed(fullName: string): boolean {
    const ns = /^([A-Za-z][A-Za-z0-9]*?)__[A-Za-z]/.exec(fullName)?.[1];
    return ns !== undefined && ns !== this.namespacePrefix;
  }

  private fileProperties(c: Component, fileName: string): Record<string, Ser> {
    return {
      createdById: this.userId,
      createdByName: this.userFullName,
      createdDate: c.createdDate,
      fileName,
      fullName: c.fullName,
      id: c.id,
      lastModifiedById: this.userId,
      lastModifiedByName: this.userFullName,
      lastModifiedDate: c.lastModifiedDate,
      // A component named in another namespace than the org's was installed from a managed package.
      manageableState: this.installed(c.fullName) ? 'installed' : 'unmanaged',
      ...(this.namespaceOf(c.fullName) ? { namespacePrefix: this.namespaceOf(c.fullName) } : {}),
      type: c.type,
    };
  }

  // ------------------------------------------------------------------ CRUD

  private crud(op: 'createMetadata' | 'updateMetadata' | 'upsertMetadata', raw: string): string {
    const results = crudMetadata(raw, op).map((m) => {
      const existing = this.store.get(key(m.type, m.fullName));
      if (op === 'createMetadata' && existing) {
        return { errors: { message: `There is already a ${m.type} named ${m.fullName}`, statusCode: 'DUPLICATE_DEVELOPER_NAME' }, fullName: m.fullName, success: false };
      }
      if (op === 'updateMetadata' && !existing) {
        return { errors: { message: `In field: fullName - no ${m.type} named ${m.fullName} found`, statusCode: 'INVALID_CROSS_REFERENCE_KEY' }, fullName: m.fullName, success: false };
      }
      const res = this.applyComponents([m]);
      const failure = res.details?.componentFailures[0];
      if (failure) {
        return { errors: { message: failure.problem as string, statusCode: 'FIELD_INTEGRITY_EXCEPTION' }, fullName: m.fullName, success: false };
      }
      return op === 'upsertMetadata' ? { created: !existing, fullName: m.fullName, success: true } : { fullName: m.fullName, success: true };
    });
    return toXml({ result: results });
  }

  // ------------------------------------------------------------------ misc

  private newId(kind: keyof typeof KEY_PREFIX): string {
    const n = String(++this.idCounter).padStart(12, '0');
    return to18(`${KEY_PREFIX[kind]}${n}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------------

/** The fields of the ECA objects a query can read (the queryable part of the metadata, as the org names it). */
const DERIVED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  externalclientapplication: ['Id', 'DeveloperName', 'NamespacePrefix', 'MasterLabel', 'DistributionState'],
  extlclntappoauthplcycnfg: [
    'Id',
    'DeveloperName',
    'NamespacePrefix',
    'ExternalClientApplicationId',
    'ExternalClientApplication',
    'ExtlClntAppOauthSettingsId',
    'PermittedUsersPolicyType',
    'IpRelaxationPolicyType',
    'RefreshTokenPolicyType',
    'RefreshTokenValidityPeriod',
    'RefreshTokenValidityUnit',
    'RequiredSessionLevel',
    'IsClientCredentialsFlowEnabled',
    'ClientCredentialsFlowUser',
  ],
  oauthtoken: ['Id', 'AppName', 'AppMenuItemId', 'AppMenuItem', 'LastUsedDate', 'UseCount', 'UserId', 'User', 'CreatedDate'],
  setupentityaccess: ['Id', 'ParentId', 'Parent', 'SetupEntityId', 'SetupEntityType'],
  loginhistory: ['Id', 'UserId', 'LoginTime', 'LoginType', 'LoginSubType', 'Application', 'Status', 'AuthMethodReference'],
  connectedapplication: ['Id', 'Name', 'OptionsAllowAdminApprovedUsersOnly'],
};

const splitNamespace = (fullName: string): { DeveloperName: string; NamespacePrefix: string | null } => {
  const m = /^([A-Za-z]\w*?)__(.+)$/.exec(fullName);
  return m ? { DeveloperName: m[2] as string, NamespacePrefix: m[1] as string } : { DeveloperName: fullName, NamespacePrefix: null };
};

const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** ExternalClientApplication and ExtlClntAppOauthPlcyCnfg records of the stored metadata. */
const derivedRecords = (object: string, components: readonly Component[]): SoqlRecord[] => {
  const headers = components.filter((c) => c.type === 'ExternalClientApplication');
  const headerRecord = (c: Component): SoqlRecord => ({
    Id: c.id,
    ...splitNamespace(c.fullName),
    MasterLabel: field(c.xml, 'label') ?? c.fullName,
    DistributionState: field(c.xml, 'distributionState') ?? 'Local',
  });
  if (object === 'externalclientapplication') return headers.map(headerRecord);
  if (object !== 'extlclntappoauthplcycnfg') return [];
  return components
    .filter((c) => c.type === 'ExtlClntAppOauthConfigurablePolicies')
    .map((c) => {
      const app = appOf(c.xml);
      const header = headers.find((h) => h.fullName === app);
      const settings = components.find((s) => s.type === 'ExtlClntAppOauthSettings' && appOf(s.xml) === app);
      const rec: SoqlRecord = {
        Id: c.id,
        ...splitNamespace(c.fullName),
        ExternalClientApplicationId: header?.id ?? null,
        ExternalClientApplication: header ? headerRecord(header) : null,
        ExtlClntAppOauthSettingsId: settings?.id ?? null,
      };
      for (const f of DERIVED_FIELDS.extlclntappoauthplcycnfg ?? []) {
        if (f in rec) continue;
        const v = field(c.xml, f.charAt(0).toLowerCase() + f.slice(1));
        rec[upperFirst(f)] = v === undefined ? null : v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v;
      }
      return rec;
    });
};

const sameBuf = (a?: Buffer, b?: Buffer): boolean => (!a && !b) || (!!a && !!b && a.equals(b));

const summary = (job: DeployJob): DeploySummary => ({
  id: job.id,
  api: job.api,
  checkOnly: job.checkOnly,
  options: job.options,
  entries: job.entries,
  members: job.members,
  version: job.version,
});
