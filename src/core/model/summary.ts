/*
 * What `list` shows of an app, and what `show` says of every value, in plain words.
 */
import type { ClientKind, ClientProfile } from '../rules/profile.js';
import { type ConnectedAppEntry, ECA_FILE_KINDS, type EcaApp, type EcaFileKind, fileOf, isAppFileKind, type UnreadableFile } from '../project/inventory.js';
import type { XmlElement } from '../xml/parse.js';
import type { MetadataFile } from './file.js';
import { containsPrivateKey, localName, redactPrivateKeys, SECRET_ELEMENT_NAMES } from './secrets.js';
import { canonicalEnumValue, CONNECTED_APP_IP_RELAXATION, fieldOf, type FieldDef } from './schema.js';

export type OAuthFlow =
  | 'authorization-code'
  | 'jwt-bearer'
  | 'client-credentials'
  | 'device'
  | 'token-exchange'
  | 'code-credentials'
  | 'guest-code-credentials';

export const FLOW_LABELS: Readonly<Record<OAuthFlow, string>> = {
  'authorization-code': 'authorization code',
  'jwt-bearer': 'JWT bearer',
  'client-credentials': 'client credentials',
  device: 'device',
  'token-exchange': 'token exchange',
  'code-credentials': 'code and credentials',
  'guest-code-credentials': 'guest code and credentials',
};

export type AppSummary = {
  readonly kind: 'ExternalClientApp' | 'ConnectedApp';
  readonly name: string;
  readonly label: string | undefined;
  readonly distributionState: string | undefined;
  /** Which files exist, by kind (for a Connected App, only its one file). */
  readonly files: Readonly<Partial<Record<EcaFileKind, string>>>;
  /** Files of the app that .forceignore matches: checked and listed, never deployed. */
  readonly ignored?: readonly string[];
  /** Files of the app that are in the project but cannot be read (malformed XML, wrong root), by kind. */
  readonly malformed: Readonly<Partial<Record<EcaFileKind, string>>>;
  /**
   * The OAuth policies file: `present`; `malformed` (in the project but unreadable: say so, and never
   * advise a retrieve, which could overwrite local work); `missing` (not retrieved yet).
   */
  readonly policies: 'present' | 'malformed' | 'missing';
  readonly orphan: boolean;
  readonly permittedUsers: string | undefined;
  readonly ipRelaxation: string | undefined;
  readonly refreshTokenPolicy: string | undefined;
  /** e.g. "30 days of inactivity"; undefined when there is no policy. */
  readonly refreshToken: string | undefined;
  readonly flows: readonly OAuthFlow[];
  /** What kind of client the app is (External Client Apps; see src/core/rules/profile.ts), when known. */
  readonly client?: {
    /** public, confidential, jwt-bearer or client-credentials: the rules that apply depend on it. */
    readonly kind: ClientKind;
    /** distributionState Packaged: the AppExchange requirements apply too. */
    readonly packaged: boolean;
    /** Declared in the configuration ("clients"), else inferred from the files. */
    readonly declared: boolean;
    /** Why, in a few words. */
    readonly reason: string;
  };
};

const unitWord = (n: number, unit: string): string => {
  const u = unit.toLowerCase().replace(/s$/, '');
  return `${n} ${u}${n === 1 ? '' : 's'}`;
};

/** Human description of a refresh-token policy (ECA or parsed Connected App form). */
export const describeRefreshToken = (type: string | undefined, period: string | undefined, unit: string | undefined): string | undefined => {
  if (!type) return undefined;
  const n = Number(period);
  const span = period !== undefined && unit !== undefined && Number.isFinite(n) ? unitWord(n, unit) : undefined;
  switch (type) {
    case 'Infinite':
      return 'never expire';
    case 'Zero':
      return 'expire immediately';
    case 'SpecificInactivity':
      return span ? `expire after ${span} unused` : 'expire after inactivity (period missing)';
    case 'SpecificLifetime':
      return span ? `expire ${span} after issue` : 'expire after a lifetime (period missing)';
    default:
      return type;
  }
};

const ecaFlows = (app: EcaApp): OAuthFlow[] => {
  const g = fileOf(app, 'globalOauth');
  const p = fileOf(app, 'oauthPolicies');
  const flows: OAuthFlow[] = [];
  if (g?.value('callbackUrl')) flows.push('authorization-code');
  if (g?.value('certificate')) flows.push('jwt-bearer');
  if (g?.flag('isClientCredentialsFlowEnabled') === true || p?.flag('isClientCredentialsFlowEnabled') === true) flows.push('client-credentials');
  if (g?.flag('isDeviceFlowEnabled') === true) flows.push('device');
  if (g?.flag('isTokenExchangeEnabled') === true || p?.flag('isTokenExchangeFlowEnabled') === true) flows.push('token-exchange');
  if (g?.flag('isCodeCredFlowEnabled') === true) flows.push('code-credentials');
  if (p?.flag('isGuestCodeCredFlowEnabled') === true) flows.push('guest-code-credentials');
  return flows;
};

/**
 * What list and show say of an app. `unreadable` (the inventory's) tells a policies file that is in the
 * project but malformed from one that was never retrieved.
 */
export const summarizeApp = (app: EcaApp, unreadable: readonly UnreadableFile[] = [], profile?: ClientProfile): AppSummary => {
  const header = fileOf(app, 'header');
  const policies = fileOf(app, 'oauthPolicies');
  const files: Partial<Record<EcaFileKind, string>> = {};
  for (const kind of ECA_FILE_KINDS) {
    const f = fileOf(app, kind);
    if (f) files[kind] = f.path;
  }
  const ignored = ECA_FILE_KINDS.flatMap((k) => app.files[k].filter((f) => f.ignored).map((f) => f.path));
  const malformed: Partial<Record<EcaFileKind, string>> = {};
  for (const u of unreadable) {
    if (u.app === app.name && isAppFileKind(u.kind) && malformed[u.kind] === undefined) malformed[u.kind] = u.path;
  }
  const refreshType = policies?.value('refreshTokenPolicyType');
  return {
    kind: 'ExternalClientApp',
    name: app.name,
    label: header?.value('label'),
    distributionState: header?.value('distributionState'),
    files,
    ignored,
    malformed,
    policies: policies ? 'present' : malformed.oauthPolicies ? 'malformed' : 'missing',
    orphan: app.orphan,
    permittedUsers: policies?.value('permittedUsersPolicyType'),
    ipRelaxation: policies?.value('ipRelaxationPolicyType'),
    refreshTokenPolicy: refreshType,
    refreshToken: describeRefreshToken(refreshType, policies?.value('refreshTokenValidityPeriod'), policies?.value('refreshTokenValidityUnit')),
    flows: ecaFlows(app),
    ...(profile ? { client: { kind: profile.kind, packaged: profile.packaged, declared: profile.declared, reason: profile.reason } } : {}),
  };
};

/** Parses a Connected App refreshTokenPolicy (`zero`, `infinite`, `specific_lifetime:n:UNIT`, `specific_inactivity:n:UNIT`). */
export const parseConnectedAppRefreshPolicy = (
  value: string
): { type: string; period?: number; unit?: 'Hours' | 'Days' | 'Months' } | undefined => {
  const v = value.trim();
  if (/^infinite$/i.test(v)) return { type: 'Infinite' };
  if (/^zero$/i.test(v)) return { type: 'Zero' };
  const m = /^specific_(lifetime|inactivity):(\d+):(HOURS|DAYS|MONTHS)$/i.exec(v);
  if (!m) return undefined;
  const unit = (m[3] as string).toLowerCase();
  return {
    type: (m[1] as string).toLowerCase() === 'lifetime' ? 'SpecificLifetime' : 'SpecificInactivity',
    period: Number(m[2]),
    unit: unit === 'hours' ? 'Hours' : unit === 'days' ? 'Days' : 'Months',
  };
};

const child = (el: XmlElement | undefined, name: string): string | undefined => {
  const t = el?.children.find((c) => c.name === name)?.text?.trim();
  return t === '' ? undefined : t;
};

export const summarizeConnectedApp = (entry: ConnectedAppEntry): AppSummary => {
  const f = entry.file;
  const oauthConfig = f.element('oauthConfig');
  const oauthPolicy = f.element('oauthPolicy');
  const adminApproved = child(oauthConfig, 'isAdminApproved');
  const ip = child(oauthPolicy, 'ipRelaxation');
  const refresh = child(oauthPolicy, 'refreshTokenPolicy');
  const parsed = refresh ? parseConnectedAppRefreshPolicy(refresh) : undefined;
  const flows: OAuthFlow[] = [];
  if (oauthConfig) {
    if (child(oauthConfig, 'callbackUrl')) flows.push('authorization-code');
    if (child(oauthConfig, 'certificate')) flows.push('jwt-bearer');
    if (child(oauthConfig, 'isClientCredentialEnabled') === 'true') flows.push('client-credentials');
    if (child(oauthConfig, 'isDeviceFlowEnabled') === 'true') flows.push('device');
    if (child(oauthConfig, 'isTokenExchangeEnabled') === 'true') flows.push('token-exchange');
    if (child(oauthConfig, 'isCodeCredentialEnabled') === 'true') flows.push('code-credentials');
  }
  return {
    kind: 'ConnectedApp',
    name: entry.name,
    label: f.value('label'),
    distributionState: undefined,
    files: {},
    malformed: {},
    policies: 'present',
    orphan: false,
    permittedUsers: oauthConfig
      ? adminApproved === 'true'
        ? 'AdminApprovedPreAuthorized'
        : 'AllSelfAuthorized'
      : undefined,
    ipRelaxation: ip ? (CONNECTED_APP_IP_RELAXATION[ip.toUpperCase()] ?? ip) : undefined,
    refreshTokenPolicy: parsed?.type ?? refresh,
    refreshToken: parsed
      ? describeRefreshToken(parsed.type, parsed.period?.toString(), parsed.unit)
      : refresh
        ? `unreadable policy '${refresh}'`
        : oauthConfig
          ? 'never expire (default)'
          : undefined,
    flows,
  };
};

/** One element of a file as `show` presents it. */
export type ShownValue = {
  readonly element: string;
  /** The value as written; secrets and (unless asked) the consumer key are redacted. */
  readonly value: string | undefined;
  readonly redacted: boolean;
  /** What the value means in plain words. */
  readonly meaning: string | undefined;
  readonly line: number;
  /** false when the element is not in the schema of this type. */
  readonly known: boolean;
  readonly children?: readonly ShownValue[];
};

export type ShownFile = {
  readonly kind: EcaFileKind | 'connectedApp';
  readonly title: string;
  readonly type: string;
  readonly path: string;
  readonly fullName: string;
  readonly values: readonly ShownValue[];
};

export const SECRET_PLACEHOLDER = '(secret present; never shown)';
export const KEY_PLACEHOLDER = '(hidden; --show-consumer-key shows it)';
export { containsPrivateKey, localName, PRIVATE_KEY_PLACEHOLDER, redactPrivateKeys, SECRET_ELEMENT_NAMES } from './secrets.js';

const meaningOf = (field: FieldDef | undefined, value: string | undefined): string | undefined => {
  if (!field || value === undefined) return field?.summary;
  if (field.type === 'enum') {
    const canonical = canonicalEnumValue(field, value);
    const m = canonical ? field.meanings?.[canonical] : undefined;
    return m ?? `${field.summary} (unknown value)`;
  }
  if (field.type === 'boolean') {
    const m = field.meanings?.[value.toLowerCase()];
    return m ?? (value === 'true' || value === 'false' ? `${field.summary}: ${value === 'true' ? 'yes' : 'no'}` : `${field.summary} (not a boolean)`);
  }
  return field.summary;
};

const showElement = (el: XmlElement, field: FieldDef | undefined, showKey: boolean): ShownValue => {
  if (el.text === undefined) {
    return {
      element: el.name,
      value: undefined,
      redacted: false,
      meaning: field?.summary,
      line: el.line,
      known: field !== undefined,
      children: el.children.map((c) => showElement(c, field?.children?.find((f) => f.name === c.name), showKey)),
    };
  }
  const raw = el.text.trim();
  // A secret is recognised by the schema or by its local name, wherever it is (a misplaced or prefixed consumerSecret too).
  const secret = (field?.secret === true || SECRET_ELEMENT_NAMES.has(localName(el.name))) && raw !== '';
  const hiddenKey = !secret && field?.sensitive === true && !showKey && raw !== '';
  const keyMaterial = !secret && !hiddenKey && containsPrivateKey(raw);
  return {
    element: el.name,
    value: secret ? SECRET_PLACEHOLDER : hiddenKey ? KEY_PLACEHOLDER : keyMaterial ? redactPrivateKeys(raw) : raw,
    redacted: secret || hiddenKey || keyMaterial,
    meaning: meaningOf(field, secret || keyMaterial ? undefined : raw),
    line: el.line,
    known: field !== undefined,
  };
};

export const showFile = (file: MetadataFile, showKey: boolean): ShownFile => ({
  // show shows the files of an app or a Connected App, never the org settings (which belong to none).
  kind: file.type.kind as ShownFile['kind'],
  title: file.type.title,
  type: file.type.name,
  path: file.path,
  fullName: file.fullName,
  values: file.root.children.map((el) => showElement(el, fieldOf(file.type, el.name), showKey)),
});
