/*
 * Rules for the plugin types other than OAuth: push settings (committed credentials), SAML policies
 * (signing algorithm, ACS URL, assertion encryption), mobile settings and policies (screen lock) and
 * canvas settings (access method). Each rule reads only the file of its type; an app without that
 * file is not concerned. Sources: the Metadata API pages of each type (API 67).
 */
import type { MetadataFile } from '../../model/file.js';
import { localName } from '../../model/secrets.js';
import { fileOf } from '../../project/inventory.js';
import type { Rule } from '../types.js';
import { at, descendants } from '../util.js';

const META = 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_';
const HELP = {
  push: `${META}extlclntapppushsettings.htm`,
  saml: `${META}extlclntappsamlconfigurablepolicies.htm`,
  mobile: `${META}extlclntappmobilesettings.htm`,
  mobilePolicies: `${META}extlclntappmobileconfigurablepolicies.htm`,
  canvas: `${META}extlclntappcanvassettings.htm`,
} as const;

const eca = (r: Omit<Rule, 'appliesTo' | 'category' | 'fixable' | 'fixClass'>): Rule => ({
  ...r,
  appliesTo: 'eca',
  category: 'plugin-policies',
  fixable: false,
  fixClass: 'manual',
});

/** The credentials of push settings, by element name, and what each one is (Metadata API, ExtlClntAppPushSettings). */
const PUSH_SECRETS: Readonly<Record<string, { readonly parent: string; readonly what: string }>> = {
  serviceAccount: { parent: 'androidPushConfig', what: 'the Google Firebase service account private key' },
  signingKey: { parent: 'applePushConfig', what: 'the APNs private key (.p8)' },
  certificate: { parent: 'applePushConfig', what: 'the APNs TLS certificate (.p12)' },
  password: { parent: 'applePushConfig', what: 'the password of the APNs TLS certificate' },
};

/** A leaf value, trimmed; undefined when absent or empty. */
const textOf = (file: MetadataFile | undefined, name: string): string | undefined => file?.value(name);

export const pluginTypeRules: readonly Rule[] = [
  eca({
    id: 'ECA-PLG-001',
    name: 'no-committed-push-credentials',
    severity: 'error',
    summary: 'Push settings do not carry their credentials: no Firebase serviceAccount, no APNs signingKey, certificate or password in the file.',
    rationale:
      'The Metadata API describes serviceAccount as the Base64-encoded Admin SDK private key of the Google Firebase service account, signingKey as the Base64-encoded APNs private key, and certificate and password as the APNs TLS certificate and its password: committed, they are readable by everyone with the repository.',
    helpUri: HELP.push,
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      for (const file of unit.app.files.push) {
        for (const { el, parent } of descendants(file.root)) {
          const secret = PUSH_SECRETS[localName(el.name)];
          if (!secret || el.text === undefined || el.text.trim() === '') continue;
          // certificate and password are credentials inside applePushConfig; elsewhere another rule judges them.
          if ((localName(el.name) === 'certificate' || localName(el.name) === 'password') && localName(parent.name) !== secret.parent) continue;
          const where = parent === file.root ? `<${el.name}>` : `<${parent.name}>/<${el.name}>`;
          report({
            file,
            at: at(el),
            message: `${where} holds ${secret.what} (its value is not shown)`,
            expected: `no ${localName(el.name)} in source control`,
            action:
              'Consider the credential leaked: revoke it with Google or Apple and create a new one, configure it in Setup (or deploy it from a secret store at release time), remove the element from the file and purge it from the repository history.',
          });
        }
      }
    },
  }),
  eca({
    id: 'ECA-PLG-010',
    name: 'saml-signing-sha256',
    severity: 'warning',
    summary: 'SAML messages are signed with SHA256, not SHA1.',
    rationale:
      'signingAlgorithmType is the algorithm Salesforce uses to sign SAML responses, their assertions and single logout messages; the Metadata API documents SHA1 (a 160-bit hash) and SHA256 (a 256-bit hash).',
    helpUri: HELP.saml,
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      for (const file of unit.app.files.samlPolicies) {
        const value = textOf(file, 'signingAlgorithmType');
        if (value?.toUpperCase() !== 'SHA1') continue;
        report({
          file,
          at: at(file.element('signingAlgorithmType')),
          message: 'SAML responses and assertions are signed with SHA1',
          actual: value,
          expected: 'SHA256',
          action: 'Set signingAlgorithmType to SHA256 once the service provider accepts SHA-256 signatures.',
        });
      }
    },
  }),
  eca({
    id: 'ECA-PLG-011',
    name: 'saml-acs-url-https',
    severity: 'error',
    summary: 'The SAML assertion consumer service URL (acsUrl) uses https://.',
    rationale:
      'The ACS URL is the endpoint where the service provider receives the SAML responses Salesforce sends (Metadata API, acsUrl); an http:// URL sends the responses, and the user identity they assert, without TLS.',
    helpUri: HELP.saml,
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      for (const file of unit.app.files.samlPolicies) {
        const url = textOf(file, 'acsUrl');
        if (url === undefined || !/^http:\/\//i.test(url)) continue;
        report({
          file,
          at: at(file.element('acsUrl')),
          message: 'the assertion consumer service URL uses http://',
          actual: url,
          expected: 'an https:// URL',
          action: 'Use the service provider\'s https:// ACS endpoint.',
        });
      }
    },
  }),
  eca({
    id: 'ECA-PLG-012',
    name: 'saml-assertion-encryption',
    severity: 'info',
    summary: 'SAML assertions are encrypted (encryptionCertificate and encryptionType).',
    rationale:
      'encryptionCertificate is the certificate Salesforce uses to encrypt the SAML assertions it sends to the service provider, and encryptionType (AES_128 or AES_256) the method; without them assertions are signed but not encrypted. The service provider must be configured to decrypt them.',
    helpUri: HELP.saml,
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      for (const file of unit.app.files.samlPolicies) {
        if (textOf(file, 'encryptionCertificate') !== undefined) continue;
        const type = textOf(file, 'encryptionType');
        report({
          file,
          at: at(file.element('encryptionType')),
          message:
            type === undefined
              ? 'SAML assertions are not encrypted: no encryptionCertificate'
              : `encryptionType is ${type} but there is no encryptionCertificate: SAML assertions are not encrypted`,
          expected: 'encryptionCertificate and encryptionType',
          action: 'If the service provider can decrypt assertions, add an encryptionCertificate (from Certificate and Key Management) and an encryptionType.',
        });
      }
    },
  }),
  eca({
    id: 'ECA-PLG-020',
    name: 'mobile-screen-lock-on',
    severity: 'warning',
    summary: 'The mobile app locks its screen (isScreenLockEnabled true).',
    rationale:
      'isScreenLockEnabled says whether the mobile app locks the screen after a timeout; the mobile policies\' screenLockTimeout, after which the app locks and asks the user to reauthenticate, applies only when it is true (Metadata API).',
    helpUri: HELP.mobile,
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      for (const file of unit.app.files.mobile) {
        if (file.flag('isScreenLockEnabled') !== false) continue;
        report({
          file,
          at: at(file.element('isScreenLockEnabled')),
          message: 'the mobile app never locks its screen',
          actual: 'false',
          expected: 'true',
          action: 'Set isScreenLockEnabled to true and choose a screenLockTimeout in the mobile policies.',
        });
      }
    },
  }),
  eca({
    id: 'ECA-PLG-021',
    name: 'mobile-screen-lock-timeout',
    severity: 'warning',
    summary: 'The mobile policies set a screenLockTimeout other than Never.',
    rationale:
      'screenLockTimeout is the time after which the mobile app locks and requires the user to reauthenticate (Metadata API); Never means it does not lock.',
    helpUri: HELP.mobilePolicies,
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      // With the screen lock off the timeout does nothing; ECA-PLG-020 reports that.
      if (fileOf(unit.app, 'mobile')?.flag('isScreenLockEnabled') === false) return;
      for (const file of unit.app.files.mobilePolicies) {
        const value = textOf(file, 'screenLockTimeout');
        if (value?.toLowerCase() !== 'never') continue;
        report({
          file,
          at: at(file.element('screenLockTimeout')),
          message: 'screenLockTimeout is Never: the mobile app never locks',
          actual: value,
          expected: 'a timeout (One, Five, Ten, Thirty, Sixty, OneTwenty, OneEighty, TwoForty)',
          action: 'Choose the shortest timeout the app\'s users accept.',
        });
      }
    },
  }),
  eca({
    id: 'ECA-PLG-030',
    name: 'canvas-access-get',
    severity: 'warning',
    summary: 'The canvas app uses the Get access method, so users are asked to allow access.',
    rationale:
      'With accessMethod Post, the administrator who installs the canvas app implicitly allows access for users, who are not prompted to allow the third party to access their information; with Get, the user is prompted and the canvas app initiates the OAuth flow (Metadata API).',
    helpUri: HELP.canvas,
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      for (const file of unit.app.files.canvas) {
        const value = textOf(file, 'accessMethod');
        if (value?.toLowerCase() !== 'post') continue;
        report({
          file,
          at: at(file.element('accessMethod')),
          message: 'accessMethod is Post: installing the canvas app grants every user access without a prompt',
          actual: value,
          expected: 'Get',
          action: 'Use Get (the canvas app must then start the OAuth flow), or keep Post deliberately and restrict who may use the app.',
        });
      }
    },
  }),
];
