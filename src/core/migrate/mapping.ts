/*
 * The field-by-field mapping Connected App → External Client App (shared/reference/eca-metadata.md
 * §3.2). Pure: from a read Connected App to the elements of each ECA file, with a record of where
 * every Connected App value went and what could not be migrated.
 */
import { CONNECTED_APP_IP_RELAXATION, ExtlClntAppGlobalOauthSettings, fieldOf, type TypeDef } from '../model/schema.js';
import { parseConnectedAppRefreshPolicy } from '../model/summary.js';
import type { NewElement } from '../xml/edit.js';
import type { ConnectedAppReader, Leaf } from './reader.js';
import type { Reference } from './references.js';
import type { FieldMapping, FieldStatus, FieldTarget, NotMigrated, OutputKind, PolicyComparison } from './types.js';

/** The full names of the files of an ECA, by the conventions the project follows (see DESIGN in the command's help). */
export const fullNames = (eca: string): Readonly<Record<OutputKind, string>> => ({
  header: eca,
  globalOauth: `${eca}_glbloauth`,
  oauth: `${eca}_oauth`,
  // The org names the OAuth policies of an app deployed through the Metadata API <OAuthSettingsFullName>_defaultPolicy.
  oauthPolicies: `${eca}_oauth_defaultPolicy`,
  policies: `${eca}_plcy`,
  samlPolicies: `${eca}_samlPlcy`,
  canvas: `${eca}_canvas`,
  // No name is documented for the notification settings; the project's convention (<App>_<short kind>).
  notifications: `${eca}_notif`,
});

/** Connected App scope tokens written differently in ECAs. */
const SCOPE_RENAMES: Readonly<Record<string, string>> = { SFAP: 'SFApiPlatform' };

export const ecaScope = (scope: string): string => SCOPE_RENAMES[scope] ?? scope;

/** First API version of the types a migration may write (beyond the header's 59). */
export const TYPE_SINCE: Readonly<Record<OutputKind, number>> = {
  header: 59,
  globalOauth: 59,
  oauth: 59,
  oauthPolicies: 59,
  policies: 60,
  samlPolicies: 63,
  canvas: 66,
  notifications: 64,
};

/** Whether the API version accepts a top-level field of a type (undefined version: every field). */
const fieldAccepted = (type: TypeDef, field: string, apiVersion: number | undefined): boolean => {
  const def = fieldOf(type, field);
  return apiVersion === undefined || def === undefined || ((def.since === undefined || apiVersion >= def.since) && (def.until === undefined || apiVersion <= def.until));
};

export const available = (kind: OutputKind, apiVersion: number | undefined): boolean => apiVersion === undefined || apiVersion >= TYPE_SINCE[kind];

type Target = { -readonly [K in keyof FieldTarget]: FieldTarget[K] };
type Mapping = Omit<FieldMapping, 'eca' | 'status'> & { eca: Target[]; status: FieldStatus };

/** The Connected App's effective OAuth policy (its documented defaults filled in). */
export type CaPolicy = {
  readonly adminApproved: boolean;
  readonly permissionSets: readonly string[];
  readonly profiles: readonly string[];
  readonly ipRelaxation: string;
  readonly refresh: { readonly type: string; readonly period?: number; readonly unit?: string };
  readonly pkce: boolean;
  readonly secretOptional: boolean;
  readonly secretRefresh: boolean;
  readonly secretTokenExchange: boolean | undefined;
  readonly rotation: boolean;
  readonly scopes: readonly string[];
  readonly ranges: ReadonlyArray<readonly [string, string]>;
  readonly flows: readonly string[];
  readonly sessionLevel: string | undefined;
  /** Custom scopes (OauthCustomScope assignedTo the Connected App; commaSeparatedCustomScopes of the ECA policies). */
  readonly customScopes: readonly string[];
  /** Notification types delivered to the app (NotificationTypeConfig for the Connected App; notification settings of the ECA). */
  readonly notifications: readonly string[];
};

export type Mapped = {
  readonly elements: Readonly<Partial<Record<OutputKind, NewElement[]>>>;
  readonly fields: Mapping[];
  readonly notMigrated: NotMigrated[];
  /** Policy dimensions decided by the mapping alone (no ECA equivalent). */
  readonly fixedDimensions: PolicyComparison[];
  /** Undefined when the Connected App has no OAuth settings. */
  readonly caPolicy: CaPolicy | undefined;
  /** Plugins the ECA uses (SAML and canvas files are written). */
  readonly plugins: { readonly oauth: boolean; readonly saml: boolean; readonly canvas: boolean; readonly notifications: boolean };
};

/** First API version of the ECA mobile settings and policies (ExtlClntAppMobileSettings, ExtlClntAppMobileConfigurablePolicies). */
const MOBILE_SINCE = 64;

/** Element names that hold a refresh-token IP allowlist (no Metadata API name is confirmed; matched by meaning). */
export const ALLOWLIST_ELEMENT = /allow-?list|tokenIpRange/i;

/** How to set the refresh-token IP allowlist on the ECA (Salesforce's own migration does not carry it over either: Help 005387022). */
export const ALLOWLIST_ACTION =
  'Set it on the ECA: Setup → External Client App Manager → the app → Edit Settings → OAuth Settings → Enforce Refresh Token IP Allowlist, and add the ranges (at most 128 ranges and 256 addresses in all, IPv4 or IPv6); add the new ranges before removing old ones, since changes apply at once. Salesforce\'s own migration does not carry the allowlist over either (Help known issue 005387022).';

const describeValue = (path: string, value: string): string => {
  if (/(^|\/)(certificate|encryptionCertificate)$/.test(path)) return `(certificate, ${value.length} characters)`;
  return value;
};

class Builder {
  public readonly elements: Partial<Record<OutputKind, NewElement[]>> = {};
  public readonly fields: Mapping[] = [];
  public readonly notMigrated: NotMigrated[] = [];

  public put(kind: OutputKind, el: NewElement): void {
    (this.elements[kind] ??= []).push(el);
  }

  /** Records where a Connected App value (or an ECA-only default, source null) went, and writes the targets that carry a value. */
  public record(
    source: { readonly path: string; readonly line?: number; readonly value?: string } | string | null,
    targets: ReadonlyArray<{ kind: OutputKind; field: string; value?: string; element?: NewElement; note?: string; written?: false }>,
    transform: string,
    status: FieldStatus = 'migrated'
  ): void {
    for (const t of targets) if (t.element) this.put(t.kind, t.element);
    const src: { path: string; line?: number; value?: string } | null = typeof source === 'string' ? { path: source } : source;
    this.fields.push({
      connectedApp: src ? src.path : null,
      ...(src?.line !== undefined ? { line: src.line } : {}),
      ...(src?.value !== undefined ? { value: describeValue(src.path, src.value) } : {}),
      eca: targets.map((t) => ({
        kind: t.kind,
        field: t.field,
        ...(t.value !== undefined ? { value: describeValue(t.field, t.value) } : {}),
        written: t.written ?? status !== 'not-migrated',
        ...(t.note ? { note: t.note } : {}),
      })),
      status,
      transform,
    });
  }

  /** A leaf copied (or renamed) into one or more targets. */
  public copy(leaf: Leaf | undefined, targets: ReadonlyArray<readonly [OutputKind, string]>, transform?: string): void {
    if (!leaf) return;
    const renamed = targets.some(([, f]) => f.split('/').pop() !== leaf.path.split('/').pop());
    this.record(
      leaf,
      targets.map(([kind, field]) => ({ kind, field, value: leaf.value, element: { name: field, value: leaf.value } })),
      transform ?? (renamed ? 'renamed' : 'copied')
    );
  }

  public notMigrate(source: Leaf | { path: string; line?: number; value?: string }, item: string, reason: string, action?: string): void {
    this.record(source, [], reason, 'not-migrated');
    this.notMigrated.push({ item, connectedApp: source.path, ...(source.line !== undefined ? { line: source.line } : {}), reason, ...(action ? { action } : {}) });
  }
}

const sortChildren = (children: NewElement[]): NewElement[] =>
  [...children].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));

/**
 * Maps a Connected App. Malformed values are collected in the reader's errors; the mapping goes
 * on so that every error of the file is reported at once.
 */
export const mapConnectedApp = (reader: ConnectedAppReader, eca: string, apiVersion: number | undefined, references: readonly Reference[] = []): Mapped => {
  const b = new Builder();
  const names = fullNames(eca);
  const fixedDimensions: PolicyComparison[] = [];

  // ---- Header --------------------------------------------------------------------------------
  const fullNameLeaf = reader.leaf('fullName');
  b.record(
    { path: fullNameLeaf ? 'fullName' : '(API name)', line: fullNameLeaf ? fullNameLeaf.line : reader.root.line, value: reader.file.fullName },
    [{ kind: 'header', field: '(API name)', value: eca }],
    eca === reader.file.fullName ? 'the ECA API name is the Connected App\'s' : 'the ECA API name is set with --eca-name'
  );
  for (const f of ['contactEmail', 'contactPhone', 'description', 'iconUrl', 'infoUrl', 'label', 'logoUrl']) b.copy(reader.leaf(f), [['header', f]]);
  b.record(null, [{ kind: 'header', field: 'distributionState', value: 'Local', element: { name: 'distributionState', value: 'Local' } }], 'fixed: a migrated app is local (Salesforce migrates only local Connected Apps)', 'default');
  b.record(null, [{ kind: 'header', field: 'isProtected', value: 'false', element: { name: 'isProtected', value: 'false' } }], 'fixed: not protected (as Salesforce writes new apps)', 'default');

  // ---- OAuth ---------------------------------------------------------------------------------
  const cfg = reader.group('oauthConfig');
  const pol = reader.group('oauthPolicy');
  const session = reader.group('sessionPolicy');
  const saml = reader.group('samlConfig');
  const canvas = reader.group('canvasConfig');
  const oauth = cfg !== undefined;
  const policiesFile = available('policies', apiVersion);
  const samlOn = saml !== undefined && available('samlPolicies', apiVersion);
  const canvasOn = canvas !== undefined && available('canvas', apiVersion);

  const permissionSets = reader.list('permissionSetName');
  const profiles = reader.list('profileName');
  const ipRanges = reader.groups('ipRanges');
  const attributes = reader.groups('attributes');
  const customScopes = [...new Set(references.filter((r) => r.kind === 'custom-scope' && r.value !== undefined).map((r) => r.value as string))];
  const notificationTypes = [...new Set(references.filter((r) => r.kind === 'notification-delivery' && r.enabled !== false && r.value !== undefined).map((r) => r.value as string))];
  const notificationsOn = notificationTypes.length > 0 && available('notifications', apiVersion);

  let caPolicy: CaPolicy | undefined;
  if (cfg) {
    const glbl = (field: string): readonly [OutputKind, string] => ['globalOauth', field];
    const label = (kind: OutputKind): void =>
      b.record(null, [{ kind, field: 'label', value: names[kind], element: { name: 'label', value: names[kind] } }], 'fixed: the file\'s full name, as Salesforce labels child files', 'default');
    const link = (kind: OutputKind): void =>
      b.record(null, [{ kind, field: 'externalClientApplication', value: eca, element: { name: 'externalClientApplication', value: eca } }], 'fixed: the ECA API name, which binds the file to its app', 'default');
    for (const kind of ['globalOauth', 'oauth', 'oauthPolicies'] as const) {
      link(kind);
      label(kind);
    }

    // Global OAuth settings: the consumer.
    b.copy(reader.leaf('callbackUrl', cfg), [glbl('callbackUrl')]);
    b.copy(reader.leaf('certificate', cfg), [glbl('certificate')]);
    for (const secret of ['consumerKey', 'consumerSecret']) {
      const leaf = reader.leaf(secret, cfg);
      if (leaf) b.record({ path: leaf.path, line: leaf.line, value: '(present; never shown)' }, [], 'not migrated: credentials are never copied', 'not-migrated');
    }
    /**
     * Booleans: the value copied. When absent: the Connected App default (caDefault) is what the app did,
     * and it is written explicitly only when the ECA default is the same value (or not documented and the
     * value is the safe one: a flow off). When the ECA default differs, or is not documented and may be
     * the safer true (ecaDefault null), the element is left out so that the ECA default applies: an absent
     * Connected App field never overrides an ECA default. caDefault undefined: left out, nothing to say.
     */
    const flag = (
      name: string,
      targets: ReadonlyArray<readonly [OutputKind, string]>,
      caDefault: boolean | undefined,
      note?: string,
      ecaDefault?: boolean | null
    ): boolean | undefined => {
      const leaf = reader.bool(name, cfg);
      if (leaf) {
        const renamed = targets.some(([, f]) => f !== name);
        b.record(leaf, targets.map(([kind, field]) => ({ kind, field, value: String(leaf.bool), element: { name: field, value: String(leaf.bool) }, ...(note ? { note } : {}) })), renamed ? 'renamed' : 'copied');
        return leaf.bool;
      }
      if (caDefault === undefined) return undefined;
      if (ecaDefault !== undefined && ecaDefault !== caDefault) {
        // The ECA field the version does not accept at all: nothing to leave out, nothing to say.
        const accepted = targets.filter(([kind, field]) => kind !== 'globalOauth' || fieldAccepted(ExtlClntAppGlobalOauthSettings, field, apiVersion));
        if (accepted.length === 0) return caDefault;
        b.record(
          `oauthConfig/${name}`,
          accepted.map(([kind, field]) => ({ kind, field, written: false })),
          `absent in the Connected App (default ${String(caDefault)}): left out, so the ECA default ${ecaDefault === null ? '(not documented)' : `(${String(ecaDefault)})`} applies`,
          'default'
        );
        return caDefault;
      }
      b.record(
        `oauthConfig/${name}`,
        targets.map(([kind, field]) => ({ kind, field, value: String(caDefault), element: { name: field, value: String(caDefault) } })),
        `absent: the Connected App default ${String(caDefault)} is written`,
        'default'
      );
      return caDefault;
    };
    const adminLeaf = reader.bool('isAdminApproved', cfg);
    const adminApproved = adminLeaf?.bool ?? false;
    const permitted = adminApproved ? 'AdminApprovedPreAuthorized' : 'AllSelfAuthorized';
    b.record(
      adminLeaf ?? 'oauthConfig/isAdminApproved',
      [{ kind: 'oauthPolicies', field: 'permittedUsersPolicyType', value: permitted, element: { name: 'permittedUsersPolicyType', value: permitted } }],
      adminLeaf ? `${String(adminApproved)} → ${permitted}` : `absent: the Connected App default false → ${permitted}`,
      adminLeaf ? 'migrated' : 'default'
    );
    const clientCredentials = flag('isClientCredentialEnabled', [glbl('isClientCredentialsFlowEnabled'), ['oauthPolicies', 'isClientCredentialsFlowEnabled']], false);
    b.copy(reader.leaf('oauthClientCredentialUser', cfg), [['oauthPolicies', 'clientCredentialsFlowUser']]);
    const codeCred = flag('isCodeCredentialEnabled', [glbl('isCodeCredFlowEnabled')], false);
    flag('isCodeCredentialPostOnly', [glbl('isCodeCredPostOnly')], false);
    const secretOptional = flag('isConsumerSecretOptional', [glbl('isConsumerSecretOptional')], false) ?? false;
    const device = flag('isDeviceFlowEnabled', [glbl('isDeviceFlowEnabled')], false);
    flag('isIntrospectAllTokens', [glbl('isIntrospectAllTokens')], false);
    flag('isNamedUserJwtEnabled', [glbl('isNamedUserJwtEnabled')], false);
    const pkce = flag('isPkceRequired', [glbl('isPkceRequired')], false, undefined, true) ?? false;
    const rotation = flag('isRefreshTokenRotationEnabled', [glbl('isRefreshTokenRotationEnabled')], false, undefined, null) ?? false;
    const secretRefresh = flag('isSecretRequiredForRefreshToken', [glbl('isSecretRequiredForRefreshToken')], true) ?? true;
    const secretTokenExchange = flag('isSecretRequiredForTokenExchange', [glbl('isSecretRequiredForTokenExchange')], undefined);
    const tokenExchangeDev = flag('isTokenExchangeEnabled', [glbl('isTokenExchangeEnabled')], false);
    flag('isDPopEnabled', [glbl('isDPopEnabled')], undefined, 'UNCONFIRMED: known only from @salesforce/types');
    flag('isEnforceRefreshTokenTTL', [glbl('isEnforceRefreshTokenTTL')], undefined, 'UNCONFIRMED: known only from @salesforce/types');
    flag('isPKImTLSEnabled', [glbl('isMtlsEnabled')], undefined, 'UNCONFIRMED: inferred equivalence of the two mutual-TLS switches');
    const ipBinding = reader.bool('isIpBindingEnabled', cfg);
    if (ipBinding) {
      b.notMigrate(ipBinding, 'token IP binding', 'no External Client App equivalent (isIpBindingEnabled)', ipBinding.bool ? 'Restrict where tokens work with ipRelaxationPolicyType Enforce and narrow trusted IP ranges.' : undefined);
      if (ipBinding.bool) {
        fixedDimensions.push({ dimension: 'token-ip-binding', connectedApp: 'tokens bound to the IP address they were issued to', eca: 'not available', change: 'weaker', blocking: true, hardened: false });
      }
    }
    for (const [kind, field] of [glbl('shouldRotateConsumerKey'), glbl('shouldRotateConsumerSecret')]) {
      b.record(null, [{ kind, field, value: 'false', element: { name: field, value: 'false' } }], 'fixed: keep the credentials the org generates on the first deploy', 'default');
    }

    // idTokenConfig → idTokenConfig (two children renamed).
    const idToken = reader.group('idTokenConfig', cfg);
    if (idToken) {
      const children: NewElement[] = [];
      const renames: ReadonlyArray<readonly [string, string, 'bool' | 'int' | 'str', number?]> = [
        ['idTokenAudience', 'idTokenAudience', 'str'],
        ['idTokenIncludeAttributes', 'idTokenIncludeAttributes', 'bool'],
        ['idTokenIncludeCustomPerms', 'idTokenIncludeCustomPermissions', 'bool', 61],
        ['idTokenIncludeStandardClaims', 'idTokenIncludeStandardClaims', 'bool'],
        ['idTokenValidity', 'idTokenValidityInMinutes', 'int'],
      ];
      for (const [from, to, kind, since] of renames) {
        const leaf = kind === 'bool' ? reader.bool(from, idToken) : kind === 'int' ? reader.int(from, idToken, 1) : reader.leaf(from, idToken);
        if (!leaf) continue;
        const value = 'bool' in leaf ? String(leaf.bool) : leaf.value;
        const field = `idTokenConfig/${to}`;
        if (since !== undefined && apiVersion !== undefined && apiVersion < since) {
          b.record(leaf, [{ kind: 'globalOauth', field, value, note: `not accepted at API ${apiVersion.toFixed(1)} (needs ${since.toFixed(1)})` }], from === to ? 'copied' : 'renamed', 'dropped');
          continue;
        }
        children.push({ name: to, value });
        b.record(leaf, [{ kind: 'globalOauth', field, value }], from === to ? 'copied' : 'renamed');
      }
      if (children.length > 0) b.put('globalOauth', { name: 'idTokenConfig', children: sortChildren(children) });
    }

    // OAuth settings: scopes, trusted ranges, custom attributes, asset tokens, single logout.
    const scopeLeaves = reader.list('scopes', cfg);
    const scopes = [...new Set(scopeLeaves.map((s) => ecaScope(s.value)))];
    if (scopeLeaves.length > 0) {
      const joined = scopes.join(', ');
      const renamed = scopeLeaves.filter((s) => SCOPE_RENAMES[s.value]).map((s) => `${s.value} → ${ecaScope(s.value)} (UNCONFIRMED)`);
      b.record(
        { path: 'oauthConfig/scopes', line: (scopeLeaves[0] as Leaf).line, value: scopeLeaves.map((s) => s.value).join(', ') },
        [{ kind: 'oauth', field: 'commaSeparatedOauthScopes', value: joined, element: { name: 'commaSeparatedOauthScopes', value: joined } }],
        `one element per scope → one comma-separated list${renamed.length > 0 ? `; ${renamed.join(', ')}` : ''}`
      );
    }
    if (customScopes.length > 0) {
      const v = customScopes.join(',');
      const files = references.filter((r) => r.kind === 'custom-scope');
      b.record(
        { path: 'OauthCustomScope assignedTo', value: customScopes.join(', ') },
        [
          { kind: 'oauth', field: 'commaSeparatedCustomScopes', value: v, element: { name: 'commaSeparatedCustomScopes', value: v }, note: 'UNCONFIRMED on the OAuth settings (documented on the OAuth policies page)' },
          { kind: 'oauthPolicies', field: 'commaSeparatedCustomScopes', value: v, element: { name: 'commaSeparatedCustomScopes', value: v } },
        ],
        `assigned to the Connected App by ${files.map((r) => r.path).join(', ')} (assignedTo/connectedApp) → one comma-separated list`
      );
    }
    const ranges: Array<readonly [string, string]> = [];
    ipRanges.forEach((range, i) => {
      const start = reader.leaf('start', range);
      const end = reader.leaf('end', range);
      const description = reader.leaf('description', range);
      const path = `ipRanges[${i + 1}]`;
      if (!start || !end) {
        reader.failAt({ path, line: range.line, col: range.col }, `${path} needs a start and an end address`);
        return;
      }
      ranges.push([start.value, end.value]);
      const children: NewElement[] = [
        ...(description ? [{ name: 'description', value: description.value }] : []),
        { name: 'endIpAddress', value: end.value },
        { name: 'startIpAddress', value: start.value },
      ];
      b.record(
        { path, line: range.line, value: `${start.value}–${end.value}${description ? ` (${description.value})` : ''}` },
        [{ kind: 'oauth', field: 'trustedIpRanges', value: `${start.value}–${end.value}`, element: { name: 'trustedIpRanges', children } }],
        'start, end → startIpAddress, endIpAddress'
      );
    });
    attributes.forEach((attr, i) => {
      const key = reader.leaf('key', attr);
      const formula = reader.leaf('formula', attr);
      const path = `attributes[${i + 1}]`;
      if (!key || !formula) {
        reader.failAt({ path, line: attr.line, col: attr.col }, `${path} needs a key and a formula`);
        return;
      }
      const el: NewElement = { name: 'customAttributes', children: [{ name: 'formula', value: formula.value }, { name: 'key', value: key.value }] };
      const targets: Array<{ kind: OutputKind; field: string; value: string; element: NewElement }> = [{ kind: 'oauth', field: 'customAttributes', value: key.value, element: el }];
      if (samlOn) targets.push({ kind: 'samlPolicies', field: 'customAttributes', value: key.value, element: el });
      b.record({ path, line: attr.line, value: key.value }, targets, 'key, formula copied');
    });
    b.copy(reader.leaf('singleLogoutUrl', cfg), [['oauth', 'singleLogoutUrl']]);
    const asset = reader.group('assetTokenConfig', cfg);
    if (asset) {
      for (const [from, to, kind] of [
        ['assetAudiences', 'assetTokenAudiences', 'str'],
        ['assetIncludeAttributes', 'areAttributesIncludedInAssetToken', 'bool'],
        ['assetIncludeCustomPerms', 'areCustomPermsIncludedInAssetToken', 'bool'],
        ['assetSigningCertId', 'assetTokenSigningCertificate', 'str'],
        ['assetValidityPeriod', 'assetTokenValidity', 'int'],
      ] as const) {
        const leaf = kind === 'bool' ? reader.bool(from, asset) : kind === 'int' ? reader.int(from, asset) : reader.leaf(from, asset);
        if (!leaf) continue;
        const value = 'bool' in leaf ? String(leaf.bool) : leaf.value;
        b.record(leaf, [{ kind: 'oauth', field: to, value, element: { name: to, value } }], 'renamed');
      }
    }

    // OAuth policies.
    if (permissionSets.length > 0) {
      const v = permissionSets.map((p) => p.value).join(',');
      b.record({ path: 'permissionSetName', line: (permissionSets[0] as Leaf).line, value: permissionSets.map((p) => p.value).join(', ') }, [
        { kind: 'oauthPolicies', field: 'commaSeparatedPermissionSet', value: v, element: { name: 'commaSeparatedPermissionSet', value: v }, ...(adminApproved ? {} : { note: 'kept, but it grants nothing while all users may self-authorize' }) },
        ...(samlOn ? [{ kind: 'samlPolicies' as const, field: 'commaSeparatedPermissionSet', value: v, element: { name: 'commaSeparatedPermissionSet', value: v } }] : []),
      ], 'one element per permission set → one comma-separated list');
    }
    if (profiles.length > 0) {
      const v = profiles.map((p) => p.value).join(',');
      b.record({ path: 'profileName', line: (profiles[0] as Leaf).line, value: profiles.map((p) => p.value).join(', ') }, [
        { kind: 'oauthPolicies', field: 'commaSeparatedProfile', value: v, element: { name: 'commaSeparatedProfile', value: v }, ...(adminApproved ? {} : { note: 'kept, but it grants nothing while all users may self-authorize' }) },
        ...(samlOn ? [{ kind: 'samlPolicies' as const, field: 'commaSeparatedProfile', value: v, element: { name: 'commaSeparatedProfile', value: v } }] : []),
      ], 'one element per profile → one comma-separated list');
    }
    const ipLeaf = pol ? reader.leaf('ipRelaxation', pol) : undefined;
    let ipRelaxation = 'Enforce';
    if (ipLeaf) {
      const mapped = CONNECTED_APP_IP_RELAXATION[ipLeaf.value.toUpperCase()];
      if (!mapped) {
        reader.failAt(ipLeaf, `ipRelaxation "${ipLeaf.value}" is not one of ${Object.keys(CONNECTED_APP_IP_RELAXATION).join(', ')}`, 'Correct the value in the Connected App (ENFORCE enforces IP restrictions), then migrate again.');
      } else {
        ipRelaxation = mapped;
        b.record(ipLeaf, [{ kind: 'oauthPolicies', field: 'ipRelaxationPolicyType', value: mapped, element: { name: 'ipRelaxationPolicyType', value: mapped } }], `${ipLeaf.value} → ${mapped}`);
      }
    } else {
      b.record('oauthPolicy/ipRelaxation', [{ kind: 'oauthPolicies', field: 'ipRelaxationPolicyType', value: 'Enforce', element: { name: 'ipRelaxationPolicyType', value: 'Enforce' } }], 'absent: the Connected App default ENFORCE → Enforce', 'default');
    }
    const rtLeaf = pol ? reader.leaf('refreshTokenPolicy', pol) : undefined;
    let refresh: CaPolicy['refresh'] = { type: 'Infinite' };
    if (rtLeaf) {
      const parsed = parseConnectedAppRefreshPolicy(rtLeaf.value);
      if (!parsed || (parsed.period !== undefined && parsed.period < 1)) {
        reader.failAt(
          rtLeaf,
          `refreshTokenPolicy "${rtLeaf.value}" is not zero, infinite, specific_lifetime:<n>:<HOURS|DAYS|MONTHS> or specific_inactivity:<n>:<HOURS|DAYS|MONTHS> with n at least 1`,
          'Correct the value in the Connected App (e.g. specific_inactivity:30:DAYS), then migrate again.'
        );
      } else {
        refresh = parsed;
        const targets: Array<{ kind: OutputKind; field: string; value: string; element: NewElement }> = [
          { kind: 'oauthPolicies', field: 'refreshTokenPolicyType', value: parsed.type, element: { name: 'refreshTokenPolicyType', value: parsed.type } },
        ];
        if (parsed.period !== undefined && parsed.unit !== undefined) {
          targets.push(
            { kind: 'oauthPolicies', field: 'refreshTokenValidityPeriod', value: String(parsed.period), element: { name: 'refreshTokenValidityPeriod', value: String(parsed.period) } },
            { kind: 'oauthPolicies', field: 'refreshTokenValidityUnit', value: parsed.unit, element: { name: 'refreshTokenValidityUnit', value: parsed.unit } }
          );
        }
        b.record(rtLeaf, targets, `${rtLeaf.value} → ${targets.map((t) => t.value).join(', ')}`);
      }
    } else {
      b.record('oauthPolicy/refreshTokenPolicy', [{ kind: 'oauthPolicies', field: 'refreshTokenPolicyType', value: 'Infinite', element: { name: 'refreshTokenPolicyType', value: 'Infinite' } }], 'absent: the Connected App default infinite → Infinite', 'default');
    }
    b.copy(pol ? reader.leaf('singleLogoutUrl', pol) : undefined, [['oauthPolicies', 'singleLogoutUrl']]);
    const tokenExchangeLeaf = pol ? reader.bool('isTokenExchangeFlowEnabled', pol) : undefined;
    const tokenExchangeAdmin = tokenExchangeLeaf?.bool ?? false;
    b.record(
      tokenExchangeLeaf ?? 'oauthPolicy/isTokenExchangeFlowEnabled',
      [{ kind: 'oauthPolicies', field: 'isTokenExchangeFlowEnabled', value: String(tokenExchangeAdmin), element: { name: 'isTokenExchangeFlowEnabled', value: String(tokenExchangeAdmin) } }],
      tokenExchangeLeaf ? 'copied' : 'absent: the Connected App default false is written',
      tokenExchangeLeaf ? 'migrated' : 'default'
    );
    b.record(null, [{ kind: 'oauthPolicies', field: 'isGuestCodeCredFlowEnabled', value: 'false', element: { name: 'isGuestCodeCredFlowEnabled', value: 'false' } }], 'fixed: Connected Apps have no guest flow', 'default');

    // Session policy.
    let sessionLevel: string | undefined;
    if (session) {
      const action = reader.leaf('policyAction', session);
      if (action) {
        const canonical = ['Block', 'RaiseSessionLevel'].find((v) => v.toLowerCase() === action.value.toLowerCase());
        if (!canonical) reader.failAt(action, `sessionPolicy/policyAction "${action.value}" is not Block or RaiseSessionLevel`);
        else b.record(action, [{ kind: 'oauthPolicies', field: 'policyAction', value: canonical, element: { name: 'policyAction', value: canonical } }], canonical === action.value ? 'copied' : `${action.value} → ${canonical}`);
      }
      const level = reader.leaf('sessionLevel', session);
      if (level) {
        const key = level.value.toUpperCase().replace(/[^A-Z]/g, '');
        const canonical = key === 'HIGHASSURANCE' ? 'HIGH_ASSURANCE' : key === 'STANDARD' ? 'STANDARD' : key === 'LOW' ? 'LOW' : undefined;
        if (!canonical) reader.failAt(level, `sessionPolicy/sessionLevel "${level.value}" is not HIGH_ASSURANCE, STANDARD or LOW`);
        else {
          sessionLevel = canonical;
          b.record(level, [{ kind: 'oauthPolicies', field: 'requiredSessionLevel', value: canonical, element: { name: 'requiredSessionLevel', value: canonical } }], `renamed${canonical === level.value ? '' : `, ${level.value} → ${canonical}`} (value format UNCONFIRMED)`);
        }
      }
      const timeout = reader.int('sessionTimeout', session);
      if (timeout) b.record(timeout, [{ kind: 'oauthPolicies', field: 'sessionTimeoutInMinutes', value: timeout.value, element: { name: 'sessionTimeoutInMinutes', value: timeout.value } }], 'renamed');
    }

    const certificate = reader.leaf('certificate', cfg);
    const flows = [
      'authorization-code',
      ...(certificate ? ['jwt-bearer'] : []),
      ...(clientCredentials === true ? ['client-credentials'] : []),
      ...(device === true ? ['device'] : []),
      ...(tokenExchangeDev === true && tokenExchangeAdmin ? ['token-exchange'] : []),
      ...(codeCred === true ? ['code-credentials'] : []),
    ];
    caPolicy = {
      adminApproved,
      permissionSets: permissionSets.map((p) => p.value),
      profiles: profiles.map((p) => p.value),
      ipRelaxation,
      refresh,
      pkce,
      secretOptional,
      secretRefresh,
      secretTokenExchange,
      rotation,
      scopes,
      ranges,
      flows,
      sessionLevel,
      customScopes,
      notifications: notificationTypes,
    };
    b.notMigrated.push(
      {
        item: 'consumer key and secret',
        connectedApp: 'oauthConfig',
        line: cfg.line,
        reason: 'the External Client App gets a new consumer key and secret when it is first deployed; a metadata copy cannot carry the Connected App\'s credentials over (the secret is never readable). Salesforce\'s own Setup action may keep them: that is not confirmed in Salesforce\'s documentation',
        action: 'Re-key every client: after the deploy, give each one the new consumer key and secret (Setup → External Client App Manager).',
      },
      {
        item: 'username-password flow',
        connectedApp: 'oauthConfig',
        line: cfg.line,
        reason: 'External Client Apps do not support the OAuth username-password flow',
        action: 'Move clients that log in with a username and password to the JWT bearer flow (server-to-server) or the web server flow.',
      }
    );
  } else {
    // Without OAuth settings there is no OAuth file; the values that belong there are lost.
    for (const leaf of [...permissionSets, ...profiles]) {
      if (!samlOn) b.notMigrate(leaf, `pre-authorized ${leaf.path === 'profileName' ? 'profile' : 'permission set'} ${leaf.value}`, 'the app has no OAuth (or migrated SAML) settings, where pre-authorizations live');
    }
    if (samlOn) {
      for (const [list, field] of [[permissionSets, 'commaSeparatedPermissionSet'], [profiles, 'commaSeparatedProfile']] as const) {
        if (list.length === 0) continue;
        const v = list.map((p) => p.value).join(',');
        b.record({ path: (list[0] as Leaf).path, line: (list[0] as Leaf).line, value: list.map((p) => p.value).join(', ') }, [{ kind: 'samlPolicies', field, value: v, element: { name: field, value: v } }], 'one element per value → one comma-separated list');
      }
    }
    ipRanges.forEach((range, i) => b.notMigrate({ path: `ipRanges[${i + 1}]`, line: range.line }, 'trusted IP range', 'trusted IP ranges belong to the OAuth settings, and the app has none'));
    attributes.forEach((attr, i) => {
      const key = reader.leaf('key', attr);
      const formula = reader.leaf('formula', attr);
      if (samlOn && key && formula) {
        b.record({ path: `attributes[${i + 1}]`, line: attr.line, value: key.value }, [{ kind: 'samlPolicies', field: 'customAttributes', value: key.value, element: { name: 'customAttributes', children: [{ name: 'formula', value: formula.value }, { name: 'key', value: key.value }] } }], 'key, formula copied');
      } else b.notMigrate({ path: `attributes[${i + 1}]`, line: attr.line }, 'custom attribute', 'custom attributes belong to the OAuth settings or SAML policies, and the app has neither');
    });
    if (customScopes.length > 0) b.notMigrate({ path: 'OauthCustomScope assignedTo', value: customScopes.join(', ') }, `custom scopes ${customScopes.join(', ')}`, 'custom scopes belong to the OAuth settings, and the app has none');
    if (pol) b.notMigrate({ path: 'oauthPolicy', line: pol.line }, 'OAuth policy', 'the app has no OAuth settings (oauthConfig), so no OAuth policies file is generated');
    if (session) b.notMigrate({ path: 'sessionPolicy', line: session.line }, 'session policy', 'the session policy belongs to the OAuth policies, and the app has no OAuth settings');
  }

  // ---- Plugin policies and start URL ---------------------------------------------------------
  const startUrl = reader.leaf('startUrl');
  if (policiesFile) {
    b.record(null, [{ kind: 'policies', field: 'externalClientApplication', value: eca, element: { name: 'externalClientApplication', value: eca } }], 'fixed: the ECA API name, which binds the file to its app', 'default');
    b.record(null, [{ kind: 'policies', field: 'label', value: names.policies, element: { name: 'label', value: names.policies } }], 'fixed: the file\'s full name, as Salesforce labels child files', 'default');
    b.record(null, [{ kind: 'policies', field: 'isEnabled', value: 'true', element: { name: 'isEnabled', value: 'true' } }], 'fixed: the app is enabled, as the Connected App was', 'default');
    const plugin = (field: string, on: boolean, why: string): void =>
      b.record(null, [{ kind: 'policies', field, value: String(on), element: { name: field, value: String(on) } }], why, 'default');
    plugin('isOauthPluginEnabled', oauth, oauth ? 'on: the Connected App has OAuth settings' : 'off: the Connected App has no OAuth settings');
    plugin('isSamlPluginEnabled', samlOn, samlOn ? 'on: the SAML settings are migrated (Salesforce requires it with a SAML policy)' : 'off: no SAML settings are migrated');
    plugin('isCanvasPluginEnabled', canvasOn, canvasOn ? 'on: the canvas settings are migrated' : 'off: no canvas settings are migrated');
    plugin('isMobilePluginEnabled', false, 'off: no mobile settings are written (the Connected App\'s mobile settings have no ECA equivalent; the ECA\'s screen lock is set in Setup)');
    plugin('isPushPluginEnabled', false, 'off: no push settings are written (push credentials are never copied from a Connected App)');
    plugin(
      'isNotificationPluginEnabled',
      notificationsOn,
      notificationsOn
        ? 'on: the notification types delivered to the Connected App are migrated'
        : notificationTypes.length > 0
          ? `off: the notification settings (ExtlClntAppNotificationSettings) need API 64.0; the API version is ${apiVersion?.toFixed(1) ?? '?'}`
          : 'off: no Notification Delivery Settings (NotificationTypeConfig) in the project name the Connected App'
    );
  }
  if (startUrl) {
    const targets: Array<{ kind: OutputKind; field: string; value: string; element: NewElement; note?: string }> = [];
    if (policiesFile) {
      targets.push(
        { kind: 'policies', field: 'startPage', value: 'Custom', element: { name: 'startPage', value: 'Custom' } },
        { kind: 'policies', field: 'startUrl', value: startUrl.value, element: { name: 'startUrl', value: startUrl.value } }
      );
    }
    if (oauth) targets.push({ kind: 'oauthPolicies', field: 'startUrl', value: startUrl.value, element: { name: 'startUrl', value: startUrl.value } });
    if (targets.length > 0) b.record(startUrl, targets, 'copied; the plugin policies also get startPage Custom (equivalence UNCONFIRMED)');
    else b.notMigrate(startUrl, 'start URL', 'the app has no OAuth settings, and the plugin policies need API 60.0');
  }

  // ---- SAML ----------------------------------------------------------------------------------
  if (saml) {
    if (!samlOn) {
      for (const c of saml.children) reader.leaf(c.name, saml);
      b.notMigrate({ path: 'samlConfig', line: saml.line }, 'SAML settings', `SAML policies (ExtlClntAppSamlConfigurablePolicies) need API 63.0; the API version is ${apiVersion?.toFixed(1) ?? '?'}`, 'Raise sourceApiVersion (or pass --api-version) to 63.0 or later and migrate again.');
    } else {
      b.record(null, [{ kind: 'samlPolicies', field: 'externalClientApplication', value: eca, element: { name: 'externalClientApplication', value: eca } }], 'fixed: the ECA API name, which binds the file to its app', 'default');
      b.record(null, [{ kind: 'samlPolicies', field: 'label', value: names.samlPolicies, element: { name: 'label', value: names.samlPolicies } }], 'fixed: the file\'s full name', 'default');
      for (const [from, to] of [
        ['acsUrl', 'acsUrl'],
        ['certificate', 'certificate'],
        ['encryptionCertificate', 'encryptionCertificate'],
        ['entityUrl', 'entityUrl'],
        ['issuer', 'issuer'],
        ['samlIdpSLOBindingEnum', 'singleLogoutBindingType'],
        ['samlNameIdFormat', 'nameIdFormat'],
        ['samlSigningAlgoType', 'signingAlgorithmType'],
        ['samlSloUrl', 'singleLogoutUrl'],
        ['samlSubjectCustomAttr', 'subjectCustomAttribute'],
        ['samlSubjectType', 'subjectType'],
      ] as const) {
        b.copy(reader.leaf(from, saml), [['samlPolicies', to]], from === to ? 'copied' : 'renamed (UNCONFIRMED)');
      }
      const enc = reader.leaf('encryptionType', saml);
      if (enc) {
        const canonical = ['AES_128', 'AES_256', 'Triple_Des'].find((v) => v.toLowerCase() === enc.value.toLowerCase());
        if (!canonical) reader.failAt(enc, `samlConfig/encryptionType "${enc.value}" is not AES_128, AES_256 or Triple_Des`);
        else if (canonical === 'Triple_Des') {
          b.notMigrate(enc, 'SAML assertion encryption Triple_Des', 'External Client Apps encrypt SAML assertions with AES_128 or AES_256 only', 'Set encryptionType in the SAML policies to an AES value the service provider supports.');
          fixedDimensions.push({
            dimension: 'saml-encryption',
            connectedApp: 'assertions encrypted with Triple_Des',
            eca: 'no encryption type written',
            change: 'weaker',
            blocking: true,
            hardened: false,
            note: 'choose AES_128 or AES_256 with the service provider',
          });
        } else b.record(enc, [{ kind: 'samlPolicies', field: 'encryptionType', value: canonical, element: { name: 'encryptionType', value: canonical } }], 'copied');
      }
    }
  }

  // ---- Canvas --------------------------------------------------------------------------------
  if (canvas) {
    if (!canvasOn) {
      for (const c of canvas.children) reader.list(c.name, canvas);
      b.notMigrate({ path: 'canvasConfig', line: canvas.line }, 'canvas settings', `canvas settings (ExtlClntAppCanvasSettings) need API 66.0; the API version is ${apiVersion?.toFixed(1) ?? '?'}`, 'Raise sourceApiVersion (or pass --api-version) to 66.0 or later and migrate again.');
    } else {
      b.record(null, [{ kind: 'canvas', field: 'externalClientApplication', value: eca, element: { name: 'externalClientApplication', value: eca } }], 'fixed: the ECA API name, which binds the file to its app', 'default');
      b.record(null, [{ kind: 'canvas', field: 'label', value: names.canvas, element: { name: 'label', value: names.canvas } }], 'fixed: the file\'s full name', 'default');
      b.copy(reader.leaf('accessMethod', canvas), [['canvas', 'accessMethod']]);
      b.copy(reader.leaf('canvasUrl', canvas), [['canvas', 'canvasUrl']]);
      b.copy(reader.leaf('lifecycleClass', canvas), [['canvas', 'lifeCycleHandler']], 'renamed (UNCONFIRMED)');
      b.copy(reader.leaf('samlInitiationMethod', canvas), [['canvas', 'samlInitiationMethod']]);
      for (const [from, to] of [['locations', 'canvasLocationOptions'], ['options', 'canvasOptions']] as const) {
        const values = reader.list(from, canvas);
        if (values.length === 0) continue;
        b.record(
          { path: `canvasConfig/${from}`, line: (values[0] as Leaf).line, value: values.map((v) => v.value).join(', ') },
          values.map((v) => ({ kind: 'canvas' as const, field: to, value: v.value, element: { name: to, value: v.value } })),
          'renamed; one element per value'
        );
      }
    }
  }

  // ---- Notifications (NotificationTypeConfig → ExtlClntAppNotificationSettings) ----------------
  if (notificationTypes.length > 0) {
    const from = { path: 'NotificationTypeConfig appSettings', value: notificationTypes.join(', ') };
    if (notificationsOn) {
      b.record(null, [{ kind: 'notifications', field: 'externalClientApplication', value: eca, element: { name: 'externalClientApplication', value: eca } }], 'fixed: the ECA API name, which binds the file to its app', 'default');
      b.record(null, [{ kind: 'notifications', field: 'label', value: names.notifications, element: { name: 'label', value: names.notifications } }], 'fixed: the file\'s full name', 'default');
      b.record(
        from,
        notificationTypes.map((t) => ({ kind: 'notifications' as const, field: 'notificationTypes', value: t, element: { name: 'notificationTypes', children: [{ name: 'notificationType', value: t }] } })),
        'the notification types whose delivery settings name the Connected App → one notificationTypes element each (pushByDefault left to the ECA default)'
      );
    } else {
      b.notMigrate(from, `notification types ${notificationTypes.join(', ')}`, `the notification settings (ExtlClntAppNotificationSettings) need API 64.0; the API version is ${apiVersion?.toFixed(1) ?? '?'}`, 'Raise sourceApiVersion (or pass --api-version) to 64.0 or later and migrate again.');
      // With OAuth settings the policy comparison has a notifications dimension; without, it is recorded here.
      if (!cfg) fixedDimensions.push({
        dimension: 'notifications',
        connectedApp: `delivered: ${notificationTypes.join(', ')}`,
        eca: 'no notification settings (the API version has no such type)',
        change: 'lost',
        blocking: true,
        hardened: false,
        note: 'the app stops receiving these notifications',
      });
    }
  }

  // ---- Mobile and push: no ECA equivalent for what a Connected App holds -----------------------
  const mobileConfig = reader.root.children.find((c) => c.name === 'mobileAppConfig');
  const mobileStartLeaf = reader.root.children.find((c) => c.name === 'mobileStartUrl');
  if (mobileConfig || mobileStartLeaf) {
    fixedDimensions.push({
      dimension: 'mobile',
      connectedApp: [mobileConfig ? 'mobile app distribution (mobileAppConfig)' : undefined, mobileStartLeaf ? 'mobile start URL' : undefined].filter(Boolean).join(', '),
      eca: apiVersion === undefined || apiVersion >= MOBILE_SINCE ? 'no mobile settings (ExtlClntAppMobileSettings hold the screen lock only)' : 'no mobile settings (they need API 64.0)',
      change: 'lost',
      blocking: true,
      hardened: false,
      note: 'mobile users lose what the Connected App gave them; set up the ECA mobile plugin in Setup',
    });
  }
  const push = reader.unread().filter((u) => /push/i.test(u.path));
  if (push.length > 0) {
    fixedDimensions.push({
      dimension: 'push',
      connectedApp: `push settings (${push.map((u) => u.path).join(', ')})`,
      eca: 'no push settings: push credentials are never copied',
      change: 'lost',
      blocking: true,
      hardened: false,
      note: 'push notifications stop until push is set up on the ECA in Setup (API 64.0+) with new credentials',
    });
  }
  const allowlist = reader.unread().filter((u) => ALLOWLIST_ELEMENT.test(u.path.split('/').pop() ?? ''));
  if (allowlist.length > 0) {
    fixedDimensions.push({
      dimension: 'refresh-token-ip-allowlist',
      connectedApp: `refresh tokens work only from the allowlisted ranges (${allowlist.map((u) => u.path).join(', ')})`,
      eca: 'no allowlist: refresh tokens work from anywhere',
      change: 'weaker',
      blocking: true,
      hardened: false,
      note: 'set the allowlist on the ECA in Setup (see Not migrated)',
    });
  }

  // ---- What has no equivalent ----------------------------------------------------------------
  const plugin = reader.leaf('plugin');
  if (plugin) {
    b.notMigrate(plugin, `Connected App plugin ${plugin.value}`, 'a ConnectedAppPlugin Apex class has no External Client App equivalent (apexHandler takes a different kind of handler)', 'Review what the plugin does (its authorize() method may restrict who uses the app) and reproduce it with permission sets or an ECA OAuth handler.');
    fixedDimensions.push({
      dimension: 'plugin-authorization',
      connectedApp: `plugin ${plugin.value} runs on every authorization`,
      eca: 'no plugin',
      change: 'weaker',
      blocking: true,
      hardened: false,
      note: 'a plugin can refuse users in authorize(); without it, only the permitted-users policy applies',
    });
  }
  const pluginUser = reader.leaf('pluginExecutionUser');
  if (pluginUser) b.notMigrate(pluginUser, 'plugin execution user', 'the plugin is not migrated');
  const mobileStart = reader.leaf('mobileStartUrl');
  if (mobileStart) b.notMigrate(mobileStart, 'mobile start URL', 'External Client Apps have no mobile start URL (their mobile settings hold the screen lock only)', 'Configure the mobile plugin of the ECA in Setup if the app is used from a mobile device.');
  for (const unread of reader.unread()) {
    const why: Readonly<Record<string, string>> = {
      mobileAppConfig: 'the Connected App\'s mobile app distribution (binary, install URL, platform) has no External Client App equivalent: ECA mobile settings (API 64.0) hold the screen lock only',
      canvas: 'the canvas definition is not migrated',
      pushNotificationConfig: 'push settings are not migrated: push credentials (APNs certificate or signing key, Firebase service account) are secrets and never copied from a Connected App',
    };
    const leafName = unread.path.split('/').pop() ?? '';
    if (ALLOWLIST_ELEMENT.test(leafName)) {
      b.notMigrate({ path: unread.path, line: unread.line }, 'refresh-token IP allowlist', 'External Client Apps keep the refresh-token IP allowlist in their settings (no Metadata API field is confirmed), so it is not written', ALLOWLIST_ACTION);
      continue;
    }
    const known = why[unread.path] ?? (/push/i.test(unread.path) ? why.pushNotificationConfig : undefined);
    b.notMigrate(
      { path: unread.path, line: unread.line },
      unread.path,
      known ?? 'not a Connected App element this command knows; it has no mapping',
      known ? 'Configure it on the ECA in Setup after the deploy.' : 'Check whether the setting matters and configure it on the ECA in Setup.'
    );
  }

  b.fields.sort((x, y) => (x.line ?? Number.MAX_SAFE_INTEGER) - (y.line ?? Number.MAX_SAFE_INTEGER));
  b.notMigrated.sort((x, y) => (x.line ?? Number.MAX_SAFE_INTEGER) - (y.line ?? Number.MAX_SAFE_INTEGER));
  return {
    elements: b.elements,
    fields: b.fields,
    notMigrated: b.notMigrated,
    fixedDimensions,
    caPolicy,
    plugins: { oauth, saml: samlOn, canvas: canvasOn, notifications: notificationsOn },
  };
};
