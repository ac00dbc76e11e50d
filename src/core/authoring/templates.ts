/*
 * `sf eca generate`: the files of a new app for each real integration shape, secure by default
 * (sf eca check reports nothing on them; the device template is the one deliberate exception).
 */
import type { NewElement } from '../xml/edit.js';
import {
  ExternalClientApplication,
  ExtlClntAppConfigurablePolicies,
  ExtlClntAppGlobalOauthSettings,
  ExtlClntAppOauthConfigurablePolicies,
  ExtlClntAppOauthSettings,
  fieldAvailability,
  type TypeDef,
} from '../model/schema.js';
import { containsPrivateKey } from '../model/summary.js';
import type { Duration } from '../rules/config.js';
import { isRemoteHttpUrl } from '../rules/util.js';
import { renderMetadataFile } from './render.js';

export const TEMPLATES = ['client-credentials', 'jwt-bearer', 'web-server', 'public-client', 'device'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

export const TEMPLATE_SUMMARIES: Readonly<Record<TemplateName, string>> = {
  'client-credentials': 'server-to-server with the client credentials flow and an API Only run-as user',
  'jwt-bearer': 'server-to-server with the JWT bearer flow and a certificate',
  'web-server': 'web application (confidential client) with the web server flow and PKCE',
  'public-client': 'native or single-page application (public client) with PKCE and no secret',
  device: 'device flow (input-constrained devices); Salesforce advises against it',
};

/** Placeholder callback of server-to-server apps, which never redirect. */
export const NO_REDIRECT_CALLBACK = 'https://login.salesforce.com/services/oauth2/success';

export type GenerateOptions = {
  readonly name: string;
  readonly template: TemplateName;
  readonly label?: string;
  readonly description?: string;
  readonly contactEmail: string;
  readonly callbackUrls: readonly string[];
  /** PEM text of the certificate (jwt-bearer). */
  readonly certificate?: string;
  /** Run-as username (client-credentials). */
  readonly runAs?: string;
  readonly permissionSets: readonly string[];
  /** Override of the template's scopes. */
  readonly scopes?: readonly string[];
  readonly withPolicies: boolean;
  readonly refreshInactivity: Duration;
  readonly apiVersion: number | undefined;
};

export type GeneratedFile = {
  readonly type: TypeDef;
  readonly folder: string;
  readonly fullName: string;
  readonly fileName: string;
  readonly text: string;
  /** Fields the API version does not accept, left out. */
  readonly dropped: readonly string[];
  /** Warnings about what was written or left out (e.g. a private key in the --certificate file). */
  readonly notes: readonly string[];
};

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The CERTIFICATE blocks of a PEM text, nothing else (never a private key); undefined when there is none. */
export const certificateBlocks = (pem: string): string | undefined => {
  const blocks = pem.match(CERTIFICATE_BLOCK);
  return blocks && blocks.length > 0 ? blocks.join('\n') : undefined;
};

/** What generate says about the --certificate file: a private key in it is left out. */
export const certificateNotes = (pem: string | undefined): string[] =>
  pem !== undefined && containsPrivateKey(pem)
    ? ['the --certificate file also holds a private key: it was left out, only the certificate is written. Keep the key out of the project and out of source control.']
    : [];

export type GenerateProblem = { readonly flag: string; readonly message: string };

const leaf = (name: string, value: string | boolean | number | undefined): NewElement => ({
  name,
  ...(value === undefined ? {} : { value: String(value) }),
});

/** What each template needs that only the user can give; an empty list when the options are complete. */
export const validateGenerate = (o: GenerateOptions): GenerateProblem[] => {
  const p: GenerateProblem[] = [];
  const interactive = o.template === 'web-server' || o.template === 'public-client';
  if (interactive && o.callbackUrls.length === 0) p.push({ flag: '--callback-url', message: `the ${o.template} template needs the app's callback URL` });
  for (const url of o.callbackUrls) {
    if (/\*/.test(url)) p.push({ flag: '--callback-url', message: `${url}: wildcards are not allowed` });
    else if (isRemoteHttpUrl(url)) {
      p.push({ flag: '--callback-url', message: `${url}: use https:// (http:// is allowed for localhost only)` });
    } else if (o.template === 'web-server' && !/^https?:\/\//i.test(url)) {
      p.push({ flag: '--callback-url', message: `${url}: a web server app redirects to an https:// URL (custom schemes are for the public-client template)` });
    } else if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) p.push({ flag: '--callback-url', message: `${url} is not a URL` });
  }
  if (o.template === 'client-credentials' && !o.runAs) {
    p.push({ flag: '--run-as', message: 'the client-credentials template needs the username of the API Only user its tokens are issued to' });
  }
  if (o.template === 'jwt-bearer' && !o.certificate) p.push({ flag: '--certificate', message: 'the jwt-bearer template needs the PEM certificate the client signs its assertions with' });
  if (o.certificate !== undefined && certificateBlocks(o.certificate) === undefined) {
    p.push({ flag: '--certificate', message: 'the file is not a PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----); never pass a private key' });
  }
  if (o.withPolicies && o.permissionSets.length === 0) {
    p.push({ flag: '--permission-set', message: 'the policies pre-authorize the users of a permission set: name it (or set "defaultPermissionSet" in the configuration)' });
  }
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(o.contactEmail)) p.push({ flag: '--contact-email', message: `${o.contactEmail} is not an e-mail address` });
  const tooOld = versionProblem(o.template, o.apiVersion);
  if (tooOld) p.push(tooOld);
  return p;
};

/** The fields without which a template's app would not work (its flow), by type. */
const ESSENTIAL: Readonly<Record<TemplateName, ReadonlyArray<readonly [TypeDef, string]>>> = {
  'client-credentials': [
    [ExtlClntAppGlobalOauthSettings, 'isClientCredentialsFlowEnabled'],
    [ExtlClntAppOauthConfigurablePolicies, 'clientCredentialsFlowUser'],
  ],
  'jwt-bearer': [[ExtlClntAppGlobalOauthSettings, 'certificate']],
  'web-server': [],
  'public-client': [],
  device: [[ExtlClntAppGlobalOauthSettings, 'isDeviceFlowEnabled']],
};

/** A template below the API version it needs is refused with that version (it would write an app without its flow). */
const versionProblem = (template: TemplateName, apiVersion: number | undefined): GenerateProblem | undefined => {
  if (apiVersion === undefined) return undefined;
  const missing = ESSENTIAL[template].filter(([type, name]) => {
    const field = type.fields.find((f) => f.name === name);
    return field !== undefined && fieldAvailability(field, apiVersion) === 'no';
  });
  if (missing.length === 0) return undefined;
  const needs = Math.max(...missing.map(([type, name]) => type.fields.find((f) => f.name === name)?.since ?? 0));
  return {
    flag: '--api-version',
    message: `the ${template} template needs API ${needs.toFixed(1)} (${missing.map(([, n]) => n).join(', ')}); the version is ${apiVersion.toFixed(1)}: raise sourceApiVersion or pass --api-version ${needs.toFixed(1)}`,
  };
};

const DEFAULT_SCOPES: Readonly<Record<TemplateName, readonly string[]>> = {
  'client-credentials': ['Api'],
  'jwt-bearer': ['Api'],
  'web-server': ['Api', 'RefreshToken'],
  'public-client': ['Api', 'RefreshToken'],
  device: ['Api', 'RefreshToken'],
};

/** The files of a new app (plain values; the command writes them). */
export const generateApp = (o: GenerateOptions): GeneratedFile[] => {
  const t = o.template;
  const serverToServer = t === 'client-credentials' || t === 'jwt-bearer';
  const publicClient = t === 'public-client' || t === 'device';
  const settingsName = `${o.name}_oauth`;
  const callbacks = o.callbackUrls.length > 0 ? o.callbackUrls : [NO_REDIRECT_CALLBACK];
  const files: Array<{ type: TypeDef; fullName: string; elements: NewElement[] }> = [
    {
      type: ExternalClientApplication,
      fullName: o.name,
      elements: [
        leaf('contactEmail', o.contactEmail),
        leaf('description', o.description ?? `${TEMPLATE_SUMMARIES[t]}`),
        leaf('distributionState', 'Local'),
        leaf('isProtected', false),
        leaf('label', o.label ?? o.name.replace(/_/g, ' ')),
      ],
    },
    {
      type: ExtlClntAppGlobalOauthSettings,
      fullName: `${o.name}_glbloauth`,
      elements: [
        leaf('callbackUrl', callbacks.join('\n')),
        leaf('certificate', o.certificate === undefined ? undefined : certificateBlocks(o.certificate)),
        leaf('externalClientApplication', o.name),
        leaf('isClientCredentialsFlowEnabled', t === 'client-credentials'),
        leaf('isCodeCredFlowEnabled', false),
        leaf('isConsumerSecretOptional', publicClient),
        leaf('isDeviceFlowEnabled', t === 'device'),
        leaf('isIntrospectAllTokens', false),
        leaf('isPkceRequired', true),
        leaf('isRefreshTokenRotationEnabled', true),
        leaf('isSecretRequiredForRefreshToken', !publicClient),
        leaf('isSecretRequiredForTokenExchange', true),
        leaf('isTokenExchangeEnabled', false),
        leaf('label', `${o.label ?? o.name.replace(/_/g, ' ')} global OAuth settings`),
        leaf('shouldRotateConsumerKey', false),
        leaf('shouldRotateConsumerSecret', false),
      ],
    },
    {
      type: ExtlClntAppOauthSettings,
      fullName: settingsName,
      elements: [
        leaf('commaSeparatedOauthScopes', (o.scopes ?? DEFAULT_SCOPES[t]).join(', ')),
        leaf('externalClientApplication', o.name),
        leaf('label', settingsName),
      ],
    },
    {
      type: ExtlClntAppConfigurablePolicies,
      fullName: `${o.name}_plcy`,
      elements: [leaf('externalClientApplication', o.name), leaf('isEnabled', true), leaf('isOauthPluginEnabled', true), leaf('label', `${o.name}_plcy`)],
    },
  ];
  if (o.withPolicies) {
    // Named as the org names the policies of an app deployed through the Metadata API.
    const policiesName = `${settingsName}_defaultPolicy`;
    files.push({
      type: ExtlClntAppOauthConfigurablePolicies,
      fullName: policiesName,
      elements: [
        leaf('clientCredentialsFlowUser', t === 'client-credentials' ? o.runAs : undefined),
        leaf('commaSeparatedPermissionSet', o.permissionSets.join(',')),
        leaf('externalClientApplication', o.name),
        leaf('ipRelaxationPolicyType', 'Enforce'),
        leaf('isClientCredentialsFlowEnabled', t === 'client-credentials'),
        leaf('isGuestCodeCredFlowEnabled', false),
        leaf('isTokenExchangeFlowEnabled', false),
        leaf('label', policiesName),
        leaf('permittedUsersPolicyType', 'AdminApprovedPreAuthorized'),
        leaf('refreshTokenPolicyType', serverToServer ? 'Zero' : 'SpecificInactivity'),
        leaf('refreshTokenValidityPeriod', serverToServer ? undefined : o.refreshInactivity.period),
        leaf('refreshTokenValidityUnit', serverToServer ? undefined : o.refreshInactivity.unit),
        leaf('requiredSessionLevel', 'STANDARD'),
      ],
    });
  }
  // A type the API version does not have is never written (plugin policies exist from 60).
  const known = files.filter((f) => o.apiVersion === undefined || o.apiVersion >= f.type.since);
  return known.map((f) => {
    const { text, dropped } = renderMetadataFile(f.type, f.elements, o.apiVersion);
    const notes = f.type.kind === 'globalOauth' ? certificateNotes(o.certificate) : [];
    return { type: f.type, folder: f.type.directory, fullName: f.fullName, fileName: `${f.fullName}.${f.type.suffix}-meta.xml`, text, dropped, notes };
  });
};
