/*
 * The two ECA types a migration may write that the plugin's schema does not model yet (list, show
 * and check do not read them): SAML policies and canvas settings. Shapes from @salesforce/types 1.9.0
 * and the Metadata API docs (SAML policies from API 63; canvas settings renamed to this type in 66).
 * Every field is marked unconfirmed: the renames from the Connected App are inferred from the names.
 */
import type { FieldDef, TypeDef } from '../model/schema.js';

const str = (name: string, summary: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'string', summary, unconfirmed: true, ...extra });
const enm = (name: string, summary: string, values: readonly string[]): FieldDef => ({ name, type: 'enum', values, summary, unconfirmed: true });

export const ExtlClntAppSamlConfigurablePolicies: TypeDef = {
  name: 'ExtlClntAppSamlConfigurablePolicies',
  kind: 'policies',
  suffix: 'ecaSamlPlcy',
  directory: 'extlClntAppSamlConfigurablePolicies',
  since: 63,
  unconfirmed: true,
  packageable: false,
  title: 'SAML policies',
  fields: [
    str('acsUrl', 'assertion consumer service URL', { required: true }),
    str('certificate', 'service provider certificate'),
    str('commaSeparatedPermissionSet', 'permission sets whose users may use the app'),
    str('commaSeparatedProfile', 'profiles whose users may use the app'),
    { name: 'customAttributes', type: 'complex', repeated: true, summary: 'custom attributes', unconfirmed: true, children: [] },
    str('encryptionCertificate', 'certificate that encrypts the assertion'),
    enm('encryptionType', 'assertion encryption', ['AES_128', 'AES_256']),
    str('entityUrl', 'service provider entity id', { required: true }),
    str('externalClientApplication', 'API name of the External Client App', { required: true }),
    str('issuer', 'issuer'),
    str('label', 'display label'),
    enm('nameIdFormat', 'name id format', ['Unspecified', 'EmailAddress', 'Persistent', 'Transient']),
    enm('signingAlgorithmType', 'signing algorithm', ['SHA1', 'SHA256']),
    enm('singleLogoutBindingType', 'single logout binding', ['RedirectBinding', 'PostBinding']),
    str('singleLogoutUrl', 'single logout URL'),
    str('subjectCustomAttribute', 'custom attribute used as subject'),
    enm('subjectType', 'subject type', ['Username', 'FederationId', 'UserId', 'SpokeId', 'CustomAttribute', 'PersistentId']),
  ],
};

export const ExtlClntAppCanvasSettings: TypeDef = {
  name: 'ExtlClntAppCanvasSettings',
  kind: 'policies',
  suffix: 'ecaCanvas',
  directory: 'extlClntAppCanvasSettings',
  since: 66,
  unconfirmed: true,
  packageable: 'unconfirmed',
  title: 'canvas settings',
  fields: [
    enm('accessMethod', 'how the canvas app is accessed', ['Get', 'Post']),
    str('canvasLocationOptions', 'where the canvas app appears', { repeated: true }),
    str('canvasOptions', 'canvas options', { repeated: true }),
    str('canvasUrl', 'canvas app URL', { required: true }),
    str('externalClientApplication', 'API name of the External Client App', { required: true }),
    str('label', 'display label'),
    str('lifeCycleHandler', 'Apex lifecycle handler class'),
    enm('samlInitiationMethod', 'SAML initiation method', ['None', 'IdpInitiated', 'SpInitiated']),
  ],
};
