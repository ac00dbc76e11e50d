/*
 * What the org does with External Client App metadata on save, as far as the public documentation and
 * observed behaviour tell (see /work/shared/reference/eca-metadata.md §1–2):
 *
 *  - validation: every child type names its app in <externalClientApplication>; the app must exist (in
 *    the org or in the same deploy); an app has exactly one OAuth policies record, so a policies file
 *    under another fullName fails with the org's real duplicate-value error;
 *  - generated fields: consumerKey/consumerSecret on global OAuth settings, oauthLink on OAuth settings,
 *    orgScopedExternalApp on the header (kept from the stored version when the deployed file omits them);
 *  - generated records: OAuth policies `<OAuthSettingsFullName>_defaultPolicy` with defaults
 *    (DEFAULT_POLICY_FIELDS) for an app that has OAuth settings but no policies after the save.
 */
import { randomBytes } from 'node:crypto';
import { field, metadataFile, setField } from './xml.js';

export const ECA = 'ExternalClientApplication';
export const GLOBAL = 'ExtlClntAppGlobalOauthSettings';
export const SETTINGS = 'ExtlClntAppOauthSettings';
export const POLICIES = 'ExtlClntAppOauthConfigurablePolicies';

/** ECA child types: each carries a required <externalClientApplication> naming the header. */
export const ECA_CHILD_TYPES = new Set([
  GLOBAL,
  SETTINGS,
  POLICIES,
  'ExtlClntAppConfigurablePolicies',
  'ExtlClntAppOauthSecuritySettings',
  'ExtlClntAppMobileSettings',
  'ExtlClntAppMobileConfigurablePolicies',
  'ExtlClntAppPushSettings',
  'ExtlClntAppPushConfigurablePolicies',
  'ExtlClntAppNotificationSettings',
  'ExtlClntAppSamlConfigurablePolicies',
  'ExtlClntAppCanvasSettings',
  'ExtlClntAppAttestSettings',
  'ExtlClntAppAttestConfigurablePolicies',
]);

/**
 * The API version each ECA type appeared in (Metadata API Developer Guide; SDR 13.7's registry for the
 * attestation types). An org, or a call, at an older version does not know the type: listMetadata
 * answers INVALID_TYPE, a retrieve names it unknown.
 */
export const ECA_TYPE_SINCE: Readonly<Record<string, number>> = {
  [ECA]: 59,
  [GLOBAL]: 59,
  [SETTINGS]: 59,
  [POLICIES]: 59,
  ExtlClntAppConfigurablePolicies: 60,
  ExtlClntAppSamlConfigurablePolicies: 63,
  ExtlClntAppMobileSettings: 64,
  ExtlClntAppMobileConfigurablePolicies: 64,
  ExtlClntAppNotificationSettings: 64,
  ExtlClntAppPushSettings: 64,
  ExtlClntAppPushConfigurablePolicies: 64,
  ExtlClntAppCanvasSettings: 66,
  ExtlClntAppOauthSecuritySettings: 67,
  ExtlClntAppAttestSettings: 67,
  ExtlClntAppAttestConfigurablePolicies: 67,
};

/** Whether an org (or a call) at `apiVersion` knows an ECA type; other types are not versioned here. */
export const knowsEcaType = (type: string, apiVersion: number): boolean => {
  const since = ECA_TYPE_SINCE[type];
  return since === undefined || Number.isNaN(apiVersion) || since <= apiVersion;
};

/** Save order inside one deploy: header first, then the consumer, the settings that link to it, the policies. */
export const SAVE_ORDER = [ECA, GLOBAL, SETTINGS, POLICIES];

/**
 * Field values of a generated `_defaultPolicy` record: the documented defaults of a new OAuth app
 * ("All users may self-authorize", "Enforce IP restrictions", "Refresh token is valid until revoked",
 * every optional flow off). `externalClientApplication` and `label` are added per app.
 */
export const DEFAULT_POLICY_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['ipRelaxationPolicyType', 'Enforce'],
  ['isClientCredentialsFlowEnabled', 'false'],
  ['isGuestCodeCredFlowEnabled', 'false'],
  ['isTokenExchangeFlowEnabled', 'false'],
  ['permittedUsersPolicyType', 'AllSelfAuthorized'],
  ['refreshTokenPolicyType', 'Infinite'],
];

/** Switches for each piece of org behaviour (all on by default). */
export type EcaLifecycle = {
  /** Validate <externalClientApplication> (present, names an existing app). */
  requireApp: boolean;
  /** Reject a second OAuth policies record for an app (the duplicate-value error). */
  uniquePolicy: boolean;
  /** Generate `<OAuthSettings>_defaultPolicy` for an app with OAuth settings and no policies. */
  defaultPolicy: boolean;
  /** Generate consumerKey/consumerSecret on global OAuth settings saved without them. */
  consumerCredentials: boolean;
  /** Return consumerSecret in retrieve/readMetadata (the org setting "Allow access to consumer secrets via Metadata API"). */
  exposeConsumerSecret: boolean;
  /** Generate oauthLink (`<orgId>:<consumer id>`) on OAuth settings saved without it. */
  oauthLink: boolean;
  /** Generate orgScopedExternalApp (`<orgId>:<app>`) on a header saved without it. */
  orgScopedExternalApp: boolean;
};

export const DEFAULT_LIFECYCLE: EcaLifecycle = {
  requireApp: true,
  uniquePolicy: true,
  defaultPolicy: true,
  consumerCredentials: true,
  exposeConsumerSecret: true,
  oauthLink: true,
  orgScopedExternalApp: true,
};

export type StoredLike = { type: string; fullName: string; xml: string; id: string };

/** What the lifecycle needs from the org: the components as they will be after this save. */
export type EcaView = {
  orgId: string;
  /** The org's own namespace (a developer org that owns a package), or null. */
  namespacePrefix?: string | null;
  get(type: string, fullName: string): StoredLike | undefined;
  list(type: string): StoredLike[];
  lifecycle: EcaLifecycle;
};

/** `3MVG9…`: an 85-character consumer key like the org issues. */
export const newConsumerKey = (): string =>
  `3MVG9${randomBytes(60).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(80, 'x').slice(0, 80)}`;
/** 64 upper-case hex characters, the shape of a consumer secret. */
export const newConsumerSecret = (): string => randomBytes(32).toString('hex').toUpperCase();

/** The app a child component belongs to. */
export const appOf = (xml: string): string | undefined => field(xml, 'externalClientApplication');

/**
 * Validates one ECA component about to be saved. `pending` holds the components of the same save
 * already accepted (in save order), `deleted` the keys being deleted by it.
 */
export const validateEca = (
  c: { type: string; fullName: string; xml: string },
  view: EcaView,
  pending: ReadonlyArray<{ type: string; fullName: string; xml: string }>,
  isDeleted: (type: string, fullName: string) => boolean
): string | undefined => {
  // A subscriber org cannot create a component in a package's namespace (the generated policies of an
  // installed app carry none): the org's text, for any type.
  const ns = /^([A-Za-z]\w*?)__/.exec(c.fullName)?.[1];
  if (ns && ns !== view.namespacePrefix && !view.get(c.type, c.fullName)) {
    return `Cannot create a new component with the namespace: ${ns}. Only components in the same namespace as the organization can be created through the API`;
  }
  if (!ECA_CHILD_TYPES.has(c.type)) return undefined;
  const app = appOf(c.xml);
  if (view.lifecycle.requireApp) {
    if (!app) return 'Required field is missing: externalClientApplication';
    const exists =
      (view.get(ECA, app) && !isDeleted(ECA, app)) || pending.some((p) => p.type === ECA && p.fullName === app);
    if (!exists) return `In field: externalClientApplication - no ExternalClientApplication named ${app} found`;
  }
  if (c.type === POLICIES && view.lifecycle.uniquePolicy && app) {
    const other =
      view.list(POLICIES).find((p) => p.fullName !== c.fullName && appOf(p.xml) === app && !isDeleted(POLICIES, p.fullName)) ??
      pending.find((p) => p.type === POLICIES && p.fullName !== c.fullName && appOf(p.xml) === app);
    if (other) return `duplicate value found: ExternalClientApplicationId duplicates value on ${other.fullName}`;
  }
  return undefined;
};

/** The text the org stores for a saved ECA component: the deployed file plus the fields the org generates. */
export const onSave = (
  c: { type: string; fullName: string; xml: string },
  existing: StoredLike | undefined,
  view: EcaView,
  newId: () => string
): string => {
  let xml = c.xml;
  const keep = (name: string, make: () => string): void => {
    if (field(xml, name)) return;
    const old = existing ? field(existing.xml, name) : undefined;
    xml = setField(xml, name, old ?? make());
  };
  if (c.type === ECA && view.lifecycle.orgScopedExternalApp) {
    keep('orgScopedExternalApp', () => `${view.orgId}:${c.fullName}`);
  }
  if (c.type === GLOBAL && view.lifecycle.consumerCredentials) {
    if (field(xml, 'shouldRotateConsumerKey') === 'true') xml = setField(xml, 'consumerKey', newConsumerKey());
    if (field(xml, 'shouldRotateConsumerSecret') === 'true') xml = setField(xml, 'consumerSecret', newConsumerSecret());
    keep('consumerKey', newConsumerKey);
    keep('consumerSecret', newConsumerSecret);
  }
  if (c.type === SETTINGS && view.lifecycle.oauthLink) {
    const app = appOf(xml);
    const consumer = view.list(GLOBAL).find((g) => appOf(g.xml) === app);
    keep('oauthLink', () => `${view.orgId}:${consumer?.id ?? newId()}`);
  }
  return xml;
};

/** The `_defaultPolicy` records to create after a save that touched `apps`. */
export const defaultPolicies = (view: EcaView, apps: Iterable<string>): Array<{ type: string; fullName: string; xml: string }> => {
  if (!view.lifecycle.defaultPolicy) return [];
  const out: Array<{ type: string; fullName: string; xml: string }> = [];
  for (const app of new Set(apps)) {
    if (!view.get(ECA, app)) continue;
    const settings = view.list(SETTINGS).find((s) => appOf(s.xml) === app);
    if (!settings) continue;
    if (view.list(POLICIES).some((p) => appOf(p.xml) === app)) continue;
    const fullName = `${settings.fullName}_defaultPolicy`;
    const fields: Array<readonly [string, string]> = [
      ['externalClientApplication', app],
      ...DEFAULT_POLICY_FIELDS,
      ['label', fullName],
    ];
    fields.sort(([a], [b]) => a.localeCompare(b, 'en'));
    out.push({ type: POLICIES, fullName, xml: metadataFile(POLICIES, fields) });
  }
  return out;
};

/** The file the org hands back on retrieve/read (the consumer secret hidden unless exposed). */
export const onRead = (c: StoredLike, lifecycle: EcaLifecycle): string => {
  if (c.type !== GLOBAL || lifecycle.exposeConsumerSecret) return c.xml;
  return c.xml.replace(/[ \t]*<consumerSecret>[^<]*<\/consumerSecret>\r?\n?/, '');
};
