/*
 * The ECA metadata schema: every type, field, value type, enum, nested type and the API versions
 * that introduced or removed each field. Source: shared/reference/eca-metadata.md (Metadata API
 * docs, the public WSDL history 47–66 and @salesforce/types). Facts the reference marks
 * UNCONFIRMED carry `unconfirmed: true`: validators warn about them, never fail.
 */

export type ValueType = 'string' | 'boolean' | 'int' | 'enum' | 'complex';

export type FieldDef = {
  readonly name: string;
  readonly type: ValueType;
  /** Enum values as Salesforce writes them. */
  readonly values?: readonly string[];
  /** Compare enum values without case (the server itself is inconsistent, e.g. ipRelaxationPolicyType). */
  readonly caseInsensitive?: boolean;
  readonly required?: boolean;
  /** The element may repeat (a list). */
  readonly repeated?: boolean;
  /** First API version where the docs list the field. */
  readonly since?: number;
  /** First API version where the public WSDL has it, when earlier than the docs. */
  readonly wsdlSince?: number;
  /** Last API version that accepts the field. */
  readonly until?: number;
  readonly deprecated?: boolean;
  /** Known only from @salesforce/types or third-party reports: tolerate, warn. */
  readonly unconfirmed?: boolean;
  /** Internal to Salesforce: do not write. */
  readonly internal?: boolean;
  /** Enum values internal to Salesforce: valid, but not to be written in source (a warning). */
  readonly internalValues?: readonly string[];
  /** Enum values known only from @salesforce/types, not from the Metadata API pages (an info). */
  readonly unconfirmedValues?: readonly string[];
  /** A credential: never printed, never written by this plugin. */
  readonly secret?: boolean;
  /** Printed only on explicit request. */
  readonly sensitive?: boolean;
  /** Holds an org id, username or other value that differs from org to org. */
  readonly orgSpecific?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Child fields of a complex type. */
  readonly children?: readonly FieldDef[];
  /** What the field means, in plain words. */
  readonly summary: string;
  /** What each enum or boolean value means, in plain words. */
  readonly meanings?: Readonly<Record<string, string>>;
  /** The field replacing an obsolete spelling. */
  readonly replacedBy?: string;
};

export type FileKind =
  | 'header'
  | 'globalOauth'
  | 'oauth'
  | 'oauthPolicies'
  | 'policies'
  | 'oauthSecurity'
  | 'samlPolicies'
  | 'canvas'
  | 'mobile'
  | 'mobilePolicies'
  | 'notifications'
  | 'push'
  | 'pushPolicies'
  | 'attest'
  | 'attestPolicies'
  | 'connectedApp'
  | 'externalClientAppSettings'
  | 'oauthOidcSettings';

export type TypeDef = {
  /** Metadata API type name, also the root element. */
  readonly name: string;
  readonly kind: FileKind;
  /** File suffix (source format adds -meta.xml). */
  readonly suffix: string;
  /**
   * The one file name a settings type has (`<fileName>.settings-meta.xml`): org settings share the
   * suffix `settings`, so the name tells the type; other names with that suffix are not read.
   */
  readonly fileName?: string;
  /** Folder name in a package directory. */
  readonly directory: string;
  readonly since: number;
  readonly unconfirmed?: boolean;
  /** false: Salesforce says it can't be packaged; 'unconfirmed': reported so, not documented. */
  readonly packageable: boolean | 'unconfirmed';
  /** Short human name of the file. */
  readonly title: string;
  readonly fields: readonly FieldDef[];
  /** The fields are not documented: elements outside `fields` are tolerated (no unknown-element findings). */
  readonly openContent?: boolean;
};

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

const bool = (name: string, summary: string, extra: Partial<FieldDef> & { on?: string; off?: string } = {}): FieldDef => {
  const { on, off, ...rest } = extra;
  return {
    name,
    type: 'boolean',
    summary,
    ...(on || off ? { meanings: { true: on ?? 'on', false: off ?? 'off' } } : {}),
    ...rest,
  };
};
const str = (name: string, summary: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'string', summary, ...extra });
const int = (name: string, summary: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'int', summary, ...extra });
const enm = (name: string, summary: string, meanings: Record<string, string>, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  type: 'enum',
  values: Object.keys(meanings),
  meanings,
  summary,
  ...extra,
});

const externalClientApplication = str('externalClientApplication', 'API name of the External Client App this file belongs to', {
  required: true,
});

const ipRangeChildren = (start: string, end: string): FieldDef[] => [
  str('description', 'what the range is for'),
  str(end, 'last address of the range', { required: true }),
  str(start, 'first address of the range', { required: true }),
];

const attributeChildren: FieldDef[] = [
  str('formula', 'formula that computes the attribute value', { required: true }),
  str('key', 'attribute name', { required: true }),
];

export const ExternalClientApplication: TypeDef = {
  name: 'ExternalClientApplication',
  kind: 'header',
  suffix: 'eca',
  directory: 'externalClientApps',
  since: 59,
  packageable: true,
  title: 'header',
  fields: [
    str('contactEmail', 'contact address of the app administrator', { since: 59, wsdlSince: 56, required: true, unconfirmed: true }),
    str('contactPhone', 'contact phone of the app administrator', { since: 59, wsdlSince: 57 }),
    str('description', 'what the app is for', { since: 59, wsdlSince: 56 }),
    enm(
      'distributionState',
      'whether the app stays in this org or can be packaged',
      {
        Local: 'local: usable only in the org where it is created',
        Packaged: 'packaged: can be added to a managed package and installed in other orgs',
        Managed: 'managed (internal use only)',
        AutoInstalled: 'auto-installed (internal use only)',
      },
      // Managed and AutoInstalled are in the API 68 schema, for Salesforce's own use.
      { since: 59, wsdlSince: 57, internalValues: ['Managed', 'AutoInstalled'] }
    ),
    str('iconUrl', 'icon URL', { since: 59, wsdlSince: 56 }),
    str('infoUrl', 'information URL (reserved)', { since: 59, wsdlSince: 56 }),
    bool('isProtected', 'package visibility', {
      since: 59,
      wsdlSince: 56,
      on: 'protected: hidden from subscribers of a managed package',
      off: 'not protected',
    }),
    str('label', 'display label', { since: 59, wsdlSince: 57 }),
    str('logoUrl', 'logo URL', { since: 59, wsdlSince: 56 }),
    enm('managedType', 'managed type (internal use only)', { Local: 'local', Global: 'global' }, { since: 60, internal: true }),
    str('orgScopedExternalApp', 'org-scoped app id <OrgId>:<AppName>, filled by the org on first deploy', {
      since: 59,
      wsdlSince: 56,
      orgSpecific: true,
    }),
  ],
};

export const ExtlClntAppGlobalOauthSettings: TypeDef = {
  name: 'ExtlClntAppGlobalOauthSettings',
  kind: 'globalOauth',
  suffix: 'ecaGlblOauth',
  directory: 'extlClntAppGlobalOauthSets',
  since: 59,
  packageable: false,
  title: 'global OAuth settings',
  fields: [
    str('callbackUrl', 'OAuth redirect URLs (one per line)', { since: 59, wsdlSince: 58 }),
    str('certificate', 'X.509 certificate (PEM); enables the JWT bearer flow', { since: 60 }),
    str('consumerKey', 'OAuth client id', { since: 59, wsdlSince: 58, sensitive: true }),
    str('consumerSecret', 'OAuth client secret', { since: 59, wsdlSince: 58, secret: true }),
    externalClientApplication,
    {
      name: 'idTokenConfig',
      type: 'complex',
      summary: 'OpenID Connect ID token settings',
      since: 59,
      wsdlSince: 58,
      children: [
        str('idTokenAudience', 'audiences of the ID token'),
        bool('idTokenIncludeAttributes', 'include custom attributes in the ID token'),
        bool('idTokenIncludeCustomPermissions', 'include custom permissions in the ID token', { since: 61 }),
        bool('idTokenIncludeStandardClaims', 'include standard claims in the ID token'),
        int('idTokenValidityInMinutes', 'ID token lifetime in minutes', { min: 1, max: 720 }),
      ],
    },
    bool('isClientCredentialEnabled', 'obsolete spelling of isClientCredentialsFlowEnabled (v58 WSDL)', {
      deprecated: true,
      until: 58,
      replacedBy: 'isClientCredentialsFlowEnabled',
    }),
    bool('isClientCredentialsFlowEnabled', 'client credentials flow (developer side)', {
      since: 60,
      on: 'client credentials flow allowed by the developer (the admin must also enable it in the policies)',
      off: 'client credentials flow off',
    }),
    bool('isCodeCredFlowEnabled', 'Authorization Code and Credentials flow (headless login)', { since: 61, on: 'on', off: 'off' }),
    bool('isCodeCredPostOnly', 'credentials must be sent in the POST body', { since: 61 }),
    bool('isConsumerSecretOptional', 'web server flow without the client secret', {
      since: 59,
      wsdlSince: 58,
      on: 'secret optional: a client may use the web server flow without its secret',
      off: 'secret required for the web server flow',
    }),
    bool('isDeviceFlowEnabled', 'device flow', { since: 60, on: 'device flow on', off: 'device flow off' }),
    bool('isDPopEnabled', 'DPoP-bound tokens', { unconfirmed: true }),
    // In @salesforce/types from 1.7.3 and seen on a v67 retrieve; not documented yet.
    bool('isEnforceRefreshTokenTTL', 'limit the idle refresh-token lifetime to 30 days', { since: 67, unconfirmed: true }),
    bool('isIntrospectAllTokens', 'token introspection scope', {
      since: 59,
      wsdlSince: 58,
      on: 'may introspect every token of the org',
      off: 'may introspect only its own tokens',
    }),
    bool('isMtlsEnabled', 'mutual-TLS client authentication', { unconfirmed: true }),
    bool('isNamedUserJwtEnabled', 'JWT-based access tokens instead of opaque ones', {
      since: 61,
      on: 'JWT-based access tokens (SOAP API calls with them fail)',
      off: 'opaque access tokens',
    }),
    bool('isPkceRequired', 'Proof Key for Code Exchange', { since: 59, on: 'PKCE required', off: 'PKCE not required' }),
    bool('isRefreshTokenRotationEnabled', 'refresh-token rotation', {
      since: 60,
      on: 'each refresh issues a new refresh token',
      off: 'refresh tokens are not rotated',
    }),
    bool('isSecretRequiredForRefreshToken', 'client secret for the refresh-token flow', {
      since: 59,
      wsdlSince: 58,
      on: 'secret required to refresh a token',
      off: 'tokens can be refreshed without the secret',
    }),
    bool('isSecretRequiredForTokenExchange', 'client secret for the token-exchange flow', { since: 60, on: 'secret required', off: 'secret not required' }),
    bool('isTokenExchangeEnabled', 'token-exchange flow (developer side)', { since: 60, on: 'token exchange on', off: 'token exchange off' }),
    str('label', 'display label', { since: 59, wsdlSince: 58 }),
    bool('shouldRotateConsumerKey', 'replace the consumer key on the next deploy', {
      since: 59,
      on: 'the consumer key is replaced on every deploy of this file',
      off: 'keep the consumer key',
    }),
    bool('shouldRotateConsumerSecret', 'replace the consumer secret on the next deploy', {
      since: 59,
      on: 'the consumer secret is replaced on every deploy of this file',
      off: 'keep the consumer secret',
    }),
  ],
};

export const ExtlClntAppOauthSettings: TypeDef = {
  name: 'ExtlClntAppOauthSettings',
  kind: 'oauth',
  suffix: 'ecaOauth',
  directory: 'extlClntAppOauthSettings',
  since: 59,
  packageable: true,
  title: 'OAuth settings',
  fields: [
    bool('areAttributesIncludedInAssetToken', 'include custom attributes in asset tokens', { since: 61 }),
    bool('areCustomPermsIncludedInAssetToken', 'include custom permissions in asset tokens', { since: 61 }),
    str('assetTokenAudiences', 'asset-token audiences', { since: 61 }),
    str('assetTokenSigningCertificate', 'asset-token signing certificate', { since: 61 }),
    int('assetTokenValidity', 'asset-token lifetime', { since: 61 }),
    str('clientAssertionCertificate', 'certificate for first-party headless flows', { since: 62 }),
    // Documented on the OAuth policies page, not on this type's page (it is in @salesforce/types).
    str('commaSeparatedCustomScopes', 'custom OAuth scopes', { since: 61, unconfirmed: true }),
    str('commaSeparatedOauthScopes', 'OAuth scopes the app may request', { since: 59, wsdlSince: 58, required: true, unconfirmed: true }),
    str('commaSeperatedOauthScopes', 'misspelled scopes element of the v57 WSDL', {
      deprecated: true,
      until: 57,
      replacedBy: 'commaSeparatedOauthScopes',
    }),
    {
      name: 'customAttributes',
      type: 'complex',
      repeated: true,
      summary: 'custom attributes (developer defaults)',
      since: 59,
      max: 128,
      children: attributeChildren,
    },
    externalClientApplication,
    bool('isFirstPartyAppEnabled', 'first-party authorization-challenge endpoint', { since: 62 }),
    str('label', 'display label', { since: 59, wsdlSince: 57, unconfirmed: true }),
    str('oauthLink', 'link to the OAuth consumer <OrgId>:<ConsumerId>, generated by the org', {
      since: 59,
      wsdlSince: 57,
      orgSpecific: true,
    }),
    str('singleLogoutUrl', 'single logout URL', { since: 59, wsdlSince: 57 }),
    {
      name: 'trustedIpRanges',
      type: 'complex',
      repeated: true,
      summary: 'IP ranges from which users may use the app without further verification',
      since: 59,
      wsdlSince: 58,
      max: 128,
      children: ipRangeChildren('startIpAddress', 'endIpAddress'),
    },
  ],
};

const jwtTimeoutValues61 = [1, 5, 10, 15, 30];
const jwtTimeoutValues65 = [60, 90, 120, 240, 480, 720];
/** Minutes accepted by namedUserJwtTimeout and guestJwtTimeout, by the API version that introduced them. */
export const JWT_TIMEOUT_VALUES: ReadonlyArray<{ readonly minutes: number; readonly since: number }> = [
  ...jwtTimeoutValues61.map((minutes) => ({ minutes, since: 61 })),
  ...jwtTimeoutValues65.map((minutes) => ({ minutes, since: 65 })),
];

export const PERMITTED_USERS = {
  AdminApprovedPreAuthorized: 'only admin-approved users, pre-authorized by permission set or profile',
  AllSelfAuthorized: 'all users may self-authorize',
} as const;

export const IP_RELAXATION = {
  Enforce: 'enforce IP restrictions',
  Enforce_RelaxRefresh: 'enforce IP restrictions, but allow refresh tokens from any address',
  Bypass_2factor: 'relax IP restrictions when the user completes two-factor authentication',
  Bypass: 'relax IP restrictions: tokens work from any address',
} as const;

export const REFRESH_TOKEN_POLICY = {
  Infinite: 'refresh tokens are valid until revoked',
  SpecificInactivity: 'refresh tokens expire after a period without use',
  SpecificLifetime: 'refresh tokens expire a fixed time after issue',
  Zero: 'refresh tokens expire immediately (no refresh)',
} as const;

/** Connected App ipRelaxation values and their ECA equivalents. */
export const CONNECTED_APP_IP_RELAXATION: Readonly<Record<string, keyof typeof IP_RELAXATION>> = {
  ENFORCE: 'Enforce',
  BYPASS: 'Bypass',
  BYPASS_2FACTOR: 'Bypass_2factor',
  ENFORCE_RELAXREFRESH: 'Enforce_RelaxRefresh',
};

export const ExtlClntAppOauthConfigurablePolicies: TypeDef = {
  name: 'ExtlClntAppOauthConfigurablePolicies',
  kind: 'oauthPolicies',
  suffix: 'ecaOauthPlcy',
  directory: 'extlClntAppOauthPolicies',
  since: 59,
  packageable: false,
  title: 'OAuth policies',
  fields: [
    str('apexHandler', 'Apex handler class (e.g. token exchange)', { since: 61 }),
    str('clientCredentialsFlowUser', 'run-as user of the client credentials flow (must be API Only)', { since: 60, orgSpecific: true }),
    str('commaSeparatedCustomScopes', 'custom OAuth scopes', { since: 61 }),
    str('commaSeparatedPermissionSet', 'permission sets whose users are pre-authorized', { since: 59, wsdlSince: 58 }),
    str('commaSeparatedProfile', 'profiles whose users are pre-authorized', { since: 62 }),
    {
      name: 'customAttributes',
      type: 'complex',
      repeated: true,
      summary: 'custom attributes (admin)',
      since: 59,
      max: 128,
      children: attributeChildren,
    },
    str('executeHandlerAs', 'user the Apex handler runs as', { since: 61, orgSpecific: true }),
    externalClientApplication,
    enm('guestJwtSessionTimeoutType', 'guest JWT session timeout', { UserSession: 'follows the user session', Custom: 'custom timeout (guestJwtTimeout)' }, { since: 65 }),
    int('guestJwtTimeout', 'guest JWT timeout in minutes', { since: 61 }),
    enm('ipRelaxationPolicyType', 'where tokens may be used from', { ...IP_RELAXATION }, { since: 59, wsdlSince: 57, caseInsensitive: true }),
    bool('isClientCredentialsFlowEnabled', 'client credentials flow (admin side)', {
      since: 60,
      on: 'client credentials flow enabled, tokens issued as the run-as user',
      off: 'client credentials flow off',
    }),
    bool('isGuestCodeCredFlowEnabled', 'Authorization Code and Credentials flow for guest users', { since: 61, on: 'guest users may use it', off: 'off' }),
    bool('isNamedUserJwtEnabled', 'JWT-based access tokens (deprecated here)', { since: 61, until: 63, deprecated: true }),
    bool('isTokenExchangeFlowEnabled', 'token-exchange flow (admin side)', { since: 60, on: 'token exchange on', off: 'token exchange off' }),
    str('label', 'display label', { since: 59, wsdlSince: 57 }),
    enm('namedUserJwtSessionTimeoutType', 'named-user JWT session timeout', { UserSession: 'follows the user session', Custom: 'custom timeout (namedUserJwtTimeout)' }, { since: 65 }),
    int('namedUserJwtTimeout', 'named-user JWT timeout in minutes', { since: 61 }),
    enm('permittedUsersPolicyType', 'who may use the app', { ...PERMITTED_USERS }, { since: 59, wsdlSince: 57 }),
    enm(
      'policyAction',
      'what happens when the session level is too low',
      {
        Block: 'block access',
        RaiseSessionLevel: 'ask the user to raise the session level (e.g. multi-factor authentication)',
        StepUpMFA: 'step-up multi-factor authentication',
      },
      { since: 59, wsdlSince: 58, unconfirmedValues: ['StepUpMFA'] }
    ),
    enm('refreshTokenPolicyType', 'how long refresh tokens live', { ...REFRESH_TOKEN_POLICY }, { since: 59, wsdlSince: 57 }),
    int('refreshTokenValidityPeriod', 'refresh-token validity, in refreshTokenValidityUnit', { since: 59, wsdlSince: 57, min: 0 }),
    enm('refreshTokenValidityUnit', 'unit of refreshTokenValidityPeriod', { Hours: 'hours', Days: 'days', Months: 'months' }, { since: 59, wsdlSince: 57 }),
    enm(
      'requiredSessionLevel',
      'session security level required to use the app',
      { STANDARD: 'standard session', HIGH_ASSURANCE: 'high-assurance session (multi-factor)', LOW: 'low assurance' },
      { since: 59, wsdlSince: 58 }
    ),
    int('sessionTimeoutInMinutes', 'session timeout in minutes (opaque tokens)', { since: 59, wsdlSince: 58, min: 0 }),
    str('singleLogoutUrl', 'single logout URL', { since: 59, wsdlSince: 57 }),
    str('startUrl', 'start URL', { since: 59, wsdlSince: 57 }),
  ],
};

export const ExtlClntAppConfigurablePolicies: TypeDef = {
  name: 'ExtlClntAppConfigurablePolicies',
  kind: 'policies',
  suffix: 'ecaPlcy',
  directory: 'extlClntAppPolicies',
  since: 60,
  packageable: 'unconfirmed',
  title: 'plugin policies',
  fields: [
    externalClientApplication,
    bool('isAttestPluginEnabled', 'attestation plugin', { unconfirmed: true }),
    bool('isCanvasPluginEnabled', 'canvas plugin', { since: 66, wsdlSince: 65 }),
    bool('isEnabled', 'the app as a whole', { since: 60, required: true, on: 'app enabled', off: 'app disabled' }),
    bool('isMobilePluginEnabled', 'mobile plugin', { since: 63, wsdlSince: 62 }),
    bool('isNotificationPluginEnabled', 'notification plugin', { since: 63, wsdlSince: 61 }),
    bool('isOauthPluginEnabled', 'OAuth plugin', { since: 60, on: 'OAuth on', off: 'OAuth off' }),
    bool('isPushPluginEnabled', 'push plugin', { since: 63, wsdlSince: 62 }),
    bool('isSamlPluginEnabled', 'SAML plugin', { since: 63 }),
    str('label', 'display label', { since: 60 }),
    enm('startPage', 'page shown when the app starts', { None: 'none', Custom: 'custom URL (startUrl)', OAuth: 'OAuth start page', SAML: 'SAML start page' }, { since: 63, wsdlSince: 62, unconfirmedValues: ['SAML'] }),
    str('startUrl', 'start URL (with startPage Custom)', { since: 63, wsdlSince: 62 }),
  ],
};

export const ExtlClntAppOauthSecuritySettings: TypeDef = {
  name: 'ExtlClntAppOauthSecuritySettings',
  kind: 'oauthSecurity',
  suffix: 'ecaOauthSecurity',
  directory: 'extlClntAppOauthSecuritySettings',
  since: 67,
  unconfirmed: true,
  packageable: 'unconfirmed',
  title: 'OAuth security settings',
  fields: [
    externalClientApplication,
    str('label', 'display label'),
    enm(
      'tlsClientAuthCertParamType',
      'mutual-TLS certificate binding',
      {
        tls_client_auth_subject_dn: 'subject DN',
        tls_client_auth_san_dns: 'SAN DNS name',
        tls_client_auth_san_uri: 'SAN URI',
        tls_client_auth_san_ip: 'SAN IP address',
        tls_client_auth_san_email: 'SAN e-mail',
        tls_client_auth_san_spiffe: 'SAN SPIFFE id',
      },
      { unconfirmed: true }
    ),
    str('tlsClientAuthCertParamValue', 'mutual-TLS certificate binding value', { unconfirmed: true }),
    {
      name: 'tokenIpRanges',
      type: 'complex',
      repeated: true,
      summary: 'IP ranges from which tokens may be used',
      unconfirmed: true,
      max: 128,
      children: ipRangeChildren('startIpAddress', 'endIpAddress'),
    },
  ],
};

export const ExtlClntAppSamlConfigurablePolicies: TypeDef = {
  name: 'ExtlClntAppSamlConfigurablePolicies',
  kind: 'samlPolicies',
  suffix: 'ecaSamlPlcy',
  directory: 'extlClntAppSamlConfigurablePolicies',
  since: 63,
  // A SAML-enabled ECA must stay Local (D-SAML).
  packageable: false,
  title: 'SAML policies',
  fields: [
    str('acsUrl', 'assertion consumer service URL', { required: true }),
    str('certificate', 'service provider certificate'),
    str('commaSeparatedPermissionSet', 'permission sets whose users may use the app'),
    str('commaSeparatedProfile', 'profiles whose users may use the app'),
    { name: 'customAttributes', type: 'complex', repeated: true, summary: 'custom attributes of the assertion', children: attributeChildren },
    str('encryptionCertificate', 'certificate that encrypts the assertion'),
    enm('encryptionType', 'assertion encryption', { AES_128: 'AES-128', AES_256: 'AES-256' }),
    str('entityUrl', 'service provider entity id', { required: true }),
    externalClientApplication,
    str('issuer', 'issuer'),
    str('label', 'display label'),
    enm('nameIdFormat', 'name id format', { Unspecified: 'unspecified', EmailAddress: 'e-mail address', Persistent: 'persistent', Transient: 'transient' }),
    enm('signingAlgorithmType', 'signing algorithm', { SHA1: 'SHA-1 (weak)', SHA256: 'SHA-256' }),
    enm('singleLogoutBindingType', 'single logout binding', { RedirectBinding: 'HTTP redirect', PostBinding: 'HTTP POST' }),
    str('singleLogoutUrl', 'single logout URL'),
    str('startUrl', 'start URL (deprecated)', { deprecated: true }),
    str('subjectCustomAttribute', 'custom attribute used as subject'),
    enm('subjectType', 'subject type', {
      Username: 'username',
      FederationId: 'federation id',
      UserId: 'user id',
      SpokeId: 'spoke id',
      CustomAttribute: 'custom attribute',
      PersistentId: 'persistent id',
    }),
  ],
};

export const ExtlClntAppCanvasSettings: TypeDef = {
  name: 'ExtlClntAppCanvasSettings',
  kind: 'canvas',
  suffix: 'ecaCanvas',
  directory: 'extlClntAppCanvasSettings',
  since: 66,
  packageable: 'unconfirmed',
  title: 'canvas settings',
  fields: [
    enm('accessMethod', 'how the canvas app is accessed', { Get: 'GET (signed request on demand)', Post: 'POST signed request (implicit admin approval)' }, { required: true }),
    str('canvasLocationOptions', 'where the canvas app appears', { repeated: true }),
    str('canvasOptions', 'canvas options', { repeated: true }),
    str('canvasUrl', 'canvas app URL', { required: true }),
    externalClientApplication,
    str('label', 'display label'),
    str('lifeCycleHandler', 'Apex lifecycle handler class'),
    enm('samlInitiationMethod', 'SAML initiation method', { None: 'none', IdpInitiated: 'identity provider initiated', SpInitiated: 'service provider initiated' }),
  ],
};

export const ExtlClntAppMobileSettings: TypeDef = {
  name: 'ExtlClntAppMobileSettings',
  kind: 'mobile',
  suffix: 'ecaMobile',
  directory: 'extlClntAppMobileSettings',
  since: 64,
  packageable: 'unconfirmed',
  title: 'mobile settings',
  fields: [
    externalClientApplication,
    bool('isScreenLockEnabled', 'screen lock of the mobile app', { required: true, on: 'screen lock on', off: 'no screen lock' }),
    str('label', 'display label'),
  ],
};

export const ExtlClntAppMobileConfigurablePolicies: TypeDef = {
  name: 'ExtlClntAppMobileConfigurablePolicies',
  kind: 'mobilePolicies',
  suffix: 'ecaMobilePlcy',
  directory: 'extlClntAppMobilePolicies',
  since: 64,
  packageable: 'unconfirmed',
  title: 'mobile policies',
  fields: [
    externalClientApplication,
    str('label', 'display label'),
    enm('screenLockTimeout', 'minutes of inactivity before the mobile app locks', {
      Never: 'never locks',
      One: '1 minute',
      Five: '5 minutes',
      Ten: '10 minutes',
      Thirty: '30 minutes',
      Sixty: '60 minutes',
      OneTwenty: '120 minutes',
      OneEighty: '180 minutes',
      TwoForty: '240 minutes',
    }),
  ],
};

export const ExtlClntAppNotificationSettings: TypeDef = {
  name: 'ExtlClntAppNotificationSettings',
  kind: 'notifications',
  suffix: 'ecaNotifications',
  directory: 'extlClntAppNotifSettings',
  since: 64,
  packageable: 'unconfirmed',
  title: 'notification settings',
  fields: [
    externalClientApplication,
    str('label', 'display label'),
    {
      name: 'notificationTypes',
      type: 'complex',
      repeated: true,
      summary: 'custom notification types the app receives',
      children: [str('notificationType', 'API name of the notification type', { required: true }), bool('pushByDefault', 'push the notification by default')],
    },
  ],
};

export const ExtlClntAppPushSettings: TypeDef = {
  name: 'ExtlClntAppPushSettings',
  kind: 'push',
  suffix: 'ecaPush',
  directory: 'extlClntAppPushSettings',
  since: 64,
  packageable: 'unconfirmed',
  title: 'push settings',
  fields: [
    {
      name: 'androidPushConfig',
      type: 'complex',
      summary: 'Firebase Cloud Messaging settings',
      children: [
        str('fcmProject', 'Firebase project id', { required: true }),
        str('serviceAccount', 'Firebase service account key (JSON with a private key)', { required: true, secret: true }),
      ],
    },
    {
      name: 'applePushConfig',
      type: 'complex',
      summary: 'Apple Push Notification service settings',
      children: [
        str('applicationBundle', 'bundle id of the iOS app'),
        str('certificate', 'APNs certificate (with its private key)', { secret: true }),
        enm('environment', 'APNs environment', { Sandbox: 'sandbox', Production: 'production' }, { required: true }),
        str('keyIdentifier', 'id of the APNs signing key'),
        str('password', 'password of the APNs certificate', { secret: true }),
        str('signingKey', 'APNs token signing key (a private key)', { secret: true }),
        str('teamIdentifier', 'Apple developer team id'),
      ],
    },
    externalClientApplication,
    str('label', 'display label'),
    str('pushConfigLink', 'link to the push configuration of another app', { orgSpecific: true }),
    enm('pushServiceType', 'push service', { Apple: 'Apple Push Notification service', Android: 'Firebase Cloud Messaging' }),
  ],
};

export const ExtlClntAppPushConfigurablePolicies: TypeDef = {
  name: 'ExtlClntAppPushConfigurablePolicies',
  kind: 'pushPolicies',
  suffix: 'ecaPushPlcy',
  directory: 'extlClntAppPushPolicies',
  since: 64,
  packageable: 'unconfirmed',
  title: 'push policies',
  fields: [
    externalClientApplication,
    bool('isFullContent', 'push notifications carry their full content', { required: true, on: 'full content in the notification', off: 'content withheld from the notification' }),
    str('label', 'display label'),
  ],
};

/** Attestation types: in SDR's registry (API 67), fields undocumented. */
const attestType = (name: string, kind: FileKind, suffix: string, directory: string, title: string): TypeDef => ({
  name,
  kind,
  suffix,
  directory,
  since: 67,
  unconfirmed: true,
  packageable: 'unconfirmed',
  title,
  openContent: true,
  fields: [externalClientApplication, str('label', 'display label')],
});

export const ExtlClntAppAttestSettings: TypeDef = attestType('ExtlClntAppAttestSettings', 'attest', 'ecaAttest', 'extlClntAppAttestSettings', 'attestation settings');
export const ExtlClntAppAttestConfigurablePolicies: TypeDef = attestType(
  'ExtlClntAppAttestConfigurablePolicies',
  'attestPolicies',
  'ecaAttestPlcy',
  'extlClntAppAttestPolicies',
  'attestation policies'
);

export const ConnectedApp: TypeDef = {
  name: 'ConnectedApp',
  kind: 'connectedApp',
  suffix: 'connectedApp',
  directory: 'connectedApps',
  since: 29,
  packageable: true,
  title: 'Connected App',
  fields: [
    { name: 'attributes', type: 'complex', repeated: true, summary: 'custom attributes', children: attributeChildren },
    { name: 'canvasConfig', type: 'complex', summary: 'canvas settings', children: [] },
    str('contactEmail', 'contact address', { required: true }),
    str('contactPhone', 'contact phone'),
    str('description', 'what the app is for'),
    str('iconUrl', 'icon URL'),
    str('infoUrl', 'information URL'),
    { name: 'ipRanges', type: 'complex', repeated: true, summary: 'trusted IP ranges', children: ipRangeChildren('start', 'end') },
    str('label', 'display label', { required: true }),
    str('logoUrl', 'logo URL'),
    { name: 'mobileAppConfig', type: 'complex', summary: 'mobile settings', children: [] },
    str('mobileStartUrl', 'mobile start URL'),
    {
      name: 'oauthConfig',
      type: 'complex',
      summary: 'OAuth settings',
      children: [
        { name: 'assetTokenConfig', type: 'complex', summary: 'asset token settings', children: [] },
        str('callbackUrl', 'OAuth redirect URLs', { required: true }),
        str('certificate', 'X.509 certificate (JWT bearer flow)'),
        str('consumerKey', 'OAuth client id', { sensitive: true }),
        str('consumerSecret', 'OAuth client secret', { secret: true }),
        { name: 'idTokenConfig', type: 'complex', summary: 'ID token settings', children: [] },
        bool('isAdminApproved', 'admin-approved users only', { on: PERMITTED_USERS.AdminApprovedPreAuthorized, off: PERMITTED_USERS.AllSelfAuthorized }),
        bool('isClientCredentialEnabled', 'client credentials flow'),
        bool('isCodeCredentialEnabled', 'Authorization Code and Credentials flow'),
        bool('isCodeCredentialPostOnly', 'credentials in the POST body only'),
        bool('isConsumerSecretOptional', 'secret optional for the web server flow'),
        bool('isDeviceFlowEnabled', 'device flow'),
        bool('isIntrospectAllTokens', 'introspect all tokens'),
        bool('isNamedUserJwtEnabled', 'JWT-based access tokens'),
        bool('isPkceRequired', 'PKCE required'),
        bool('isRefreshTokenRotationEnabled', 'refresh-token rotation'),
        bool('isSecretRequiredForRefreshToken', 'secret required for refresh'),
        bool('isSecretRequiredForTokenExchange', 'secret required for token exchange'),
        bool('isTokenExchangeEnabled', 'token-exchange flow'),
        str('oauthClientCredentialUser', 'run-as user of the client credentials flow', { orgSpecific: true }),
        str('scopes', 'OAuth scope', { repeated: true }),
        str('singleLogoutUrl', 'single logout URL'),
      ],
    },
    {
      name: 'oauthPolicy',
      type: 'complex',
      summary: 'OAuth policies',
      children: [
        enm('ipRelaxation', 'IP relaxation', {
          ENFORCE: IP_RELAXATION.Enforce,
          BYPASS_2FACTOR: IP_RELAXATION.Bypass_2factor,
          BYPASS: IP_RELAXATION.Bypass,
          ENFORCE_RELAXREFRESH: IP_RELAXATION.Enforce_RelaxRefresh,
        }),
        bool('isTokenExchangeFlowEnabled', 'token-exchange flow'),
        str('refreshTokenPolicy', 'refresh-token policy (infinite, zero, specific_lifetime:n:UNIT, specific_inactivity:n:UNIT)'),
        str('singleLogoutUrl', 'single logout URL'),
      ],
    },
    str('permissionSetName', 'pre-authorized permission set', { repeated: true }),
    str('plugin', 'Apex plugin class'),
    str('pluginExecutionUser', 'user the plugin runs as', { orgSpecific: true }),
    str('profileName', 'pre-authorized profile', { repeated: true }),
    { name: 'samlConfig', type: 'complex', summary: 'SAML settings', children: [] },
    {
      name: 'sessionPolicy',
      type: 'complex',
      summary: 'session policy',
      children: [
        enm('policyAction', 'action when the session level is too low', { Block: 'block access', RaiseSessionLevel: 'raise the session level' }),
        str('sessionLevel', 'required session level'),
        int('sessionTimeout', 'session timeout in minutes'),
      ],
    },
    str('startUrl', 'start URL'),
  ],
};

/*
 * Org settings: one file per org (package manifest type Settings, folder settings), not part of any
 * app. Only the two that decide how every app's OAuth is exposed are read.
 */

/**
 * ExternalClientAppSettings (Metadata API page, API 58+; the v62+ page adds enableClientSecretInRestApiAccess
 * and enablePackageEcaOauthFromDevOrg and marks enableConsumerSecretApiAccess deprecated;
 * enableExternalClientApps is on the v58 page, in the WSDL 58–62 only). Other elements are tolerated.
 */
export const ExternalClientAppSettings: TypeDef = {
  name: 'ExternalClientAppSettings',
  kind: 'externalClientAppSettings',
  suffix: 'settings',
  fileName: 'ExternalClientApp',
  directory: 'settings',
  since: 58,
  packageable: 'unconfirmed',
  title: 'External Client App org settings',
  openContent: true,
  fields: [
    bool('enableClientSecretInRestApiAccess', 'OAuth consumer secrets can be read through the credentials REST API', {
      since: 62,
      on: 'secrets readable through the credentials REST API',
      off: 'secrets masked in the credentials REST API',
    }),
    bool('enableConsumerSecretApiAccess', 'OAuth consumer secrets can be read through the Metadata API', {
      since: 58,
      deprecated: true,
      on: 'secrets readable through the Metadata API',
      off: 'secrets not readable through the Metadata API',
    }),
    bool('enableExternalClientApps', 'the org opted in to External Client Apps', { since: 58, until: 62 }),
    bool('enablePackageEcaOauthFromDevOrg', 'an External Client App owned by an org that is not a Dev Hub can be packaged', { since: 62 }),
  ],
};

/**
 * OauthOidcSettings (Metadata API page, API 56+): org-wide switches for OAuth and OpenID Connect flows.
 * Both block flags default to false. Other elements are tolerated.
 */
export const OauthOidcSettings: TypeDef = {
  name: 'OauthOidcSettings',
  kind: 'oauthOidcSettings',
  suffix: 'settings',
  fileName: 'OauthOidc',
  directory: 'settings',
  since: 56,
  packageable: 'unconfirmed',
  title: 'OAuth and OpenID Connect org settings',
  openContent: true,
  fields: [
    bool('agentAuthLinking', 'internal to Salesforce', { internal: true }),
    bool('blockOAuthUnPwFlow', 'the OAuth username-password flow is blocked in the org (default false)', {
      since: 56,
      on: 'username-password flow blocked',
      off: 'username-password flow allowed',
    }),
    bool('blockOAuthUsrAgtFlow', 'the OAuth user-agent flow is blocked in the org (default false)', {
      since: 56,
      on: 'user-agent flow blocked',
      off: 'user-agent flow allowed',
    }),
    bool('enableHdlessFgtPswFlow', 'internal to Salesforce', { internal: true }),
    bool('isPkceRequired', 'PKCE is required for every authorization code flow variant in the org (default false)', {
      since: 59,
      on: 'PKCE required org-wide',
      off: 'PKCE as each app requires',
    }),
    bool('oAuthCdCrdtFlowEnable', 'the Authorization Code and Credentials flow is enabled in the org (default false)', {
      on: 'Authorization Code and Credentials flow enabled',
      off: 'Authorization Code and Credentials flow blocked',
    }),
  ],
};

/** The org settings types read from a project (project-level files: they belong to no app). */
export const ORG_SETTINGS_TYPES: readonly TypeDef[] = [ExternalClientAppSettings, OauthOidcSettings];

/** The ECA types this plugin models, in the order the files are shown. */
export const ECA_TYPES: readonly TypeDef[] = [
  ExternalClientApplication,
  ExtlClntAppGlobalOauthSettings,
  ExtlClntAppOauthSettings,
  ExtlClntAppOauthConfigurablePolicies,
  ExtlClntAppConfigurablePolicies,
  ExtlClntAppOauthSecuritySettings,
  ExtlClntAppSamlConfigurablePolicies,
  ExtlClntAppCanvasSettings,
  ExtlClntAppMobileSettings,
  ExtlClntAppMobileConfigurablePolicies,
  ExtlClntAppNotificationSettings,
  ExtlClntAppPushSettings,
  ExtlClntAppPushConfigurablePolicies,
  ExtlClntAppAttestSettings,
  ExtlClntAppAttestConfigurablePolicies,
];

export const ALL_TYPES: readonly TypeDef[] = [...ECA_TYPES, ConnectedApp];

/**
 * Every type the reader recognises: the metadata types, and the org settings SDR deploys as members of
 * its one `Settings` type (so they are no registry types of their own).
 */
export const FILE_TYPES: readonly TypeDef[] = [...ALL_TYPES, ...ORG_SETTINGS_TYPES];

const byName = new Map(FILE_TYPES.map((t) => [t.name, t]));
// Org settings share the suffix `settings` (their file name tells them apart): not found by suffix.
const bySuffix = new Map(ALL_TYPES.map((t) => [t.suffix, t]));
const byKind = new Map(FILE_TYPES.map((t) => [t.kind, t]));

export const typeByName = (name: string): TypeDef | undefined => byName.get(name);
export const typeBySuffix = (suffix: string): TypeDef | undefined => bySuffix.get(suffix);
export const typeByKind = (kind: FileKind): TypeDef => byKind.get(kind) as TypeDef;

export const fieldOf = (type: TypeDef | { readonly fields?: readonly FieldDef[]; readonly children?: readonly FieldDef[] }, name: string): FieldDef | undefined =>
  ('fields' in type ? type.fields : type.children)?.find((f) => f.name === name);

/** Whether a field is accepted at an API version; `unknown` when only the WSDL or third parties know it. */
export const fieldAvailability = (field: FieldDef, apiVersion: number): 'yes' | 'no' | 'uncertain' => {
  if (field.until !== undefined && apiVersion > field.until) return 'no';
  const since = field.since ?? field.wsdlSince;
  if (since !== undefined && apiVersion < since) {
    return field.wsdlSince !== undefined && apiVersion >= field.wsdlSince ? 'uncertain' : 'no';
  }
  return field.unconfirmed ? 'uncertain' : 'yes';
};

/** Matches a value against an enum field; returns the canonical spelling or undefined. */
export const canonicalEnumValue = (field: FieldDef, value: string): string | undefined => {
  const values = field.values ?? [];
  if (values.includes(value)) return value;
  if (field.caseInsensitive) return values.find((v) => v.toLowerCase() === value.toLowerCase());
  return undefined;
};
