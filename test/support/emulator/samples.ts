/*
 * Realistic metadata-format files of the ECA types beyond OAuth (SAML, mobile, push, notifications,
 * canvas), as an org returns them: elements in alphabetical order, 4-space indentation. Seed an org with
 * `emu.applyComponents(samlApp('Sso_Portal'))`. The push credentials are fake and carry a marker
 * (FAKE_PUSH_SECRETS) a test can look for on disk and in every output.
 */
import { MD_NS } from './xml.js';

type Sample = { type: string; fullName: string; xml: string };

const file = (type: string, body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="${MD_NS}">\n${body}</${type}>\n`;

/** The fake credential values of `pushSettingsXml`: none may reach a disk or an output. */
export const FAKE_PUSH_SECRETS = {
  serviceAccount: 'EMULATOR0FAKE0FCM0PRIVATE0KEY',
  signingKey: 'EMULATOR0FAKE0APNS0SIGNING0KEY',
  password: 'EMULATOR0FAKE0APNS0PASSWORD',
} as const;

export const headerXml = (app: string): string =>
  file(
    'ExternalClientApplication',
    `    <contactEmail>identity-team@example.com</contactEmail>
    <description>${app}: single sign-on and mobile notifications</description>
    <distributionState>Local</distributionState>
    <isProtected>false</isProtected>
    <label>${app.replace(/_/g, ' ')}</label>
`
  );

export const pluginPoliciesXml = (app: string): string =>
  file(
    'ExtlClntAppConfigurablePolicies',
    `    <externalClientApplication>${app}</externalClientApplication>
    <isEnabled>true</isEnabled>
    <isMobilePluginEnabled>true</isMobilePluginEnabled>
    <isNotificationPluginEnabled>true</isNotificationPluginEnabled>
    <isOauthPluginEnabled>false</isOauthPluginEnabled>
    <isPushPluginEnabled>true</isPushPluginEnabled>
    <isSamlPluginEnabled>true</isSamlPluginEnabled>
    <label>${app}_plcy</label>
    <startPage>SAML</startPage>
`
  );

/** SAML policies of a service provider (signing algorithm SHA256 unless told). */
export const samlPoliciesXml = (app: string, options: { signing?: 'SHA1' | 'SHA256' } = {}): string =>
  file(
    'ExtlClntAppSamlConfigurablePolicies',
    `    <acsUrl>https://sp.example.com/saml/acs</acsUrl>
    <commaSeparatedPermissionSet>${app}_Users</commaSeparatedPermissionSet>
    <customAttributes>
        <formula>$User.Department</formula>
        <key>department</key>
    </customAttributes>
    <entityUrl>https://sp.example.com/saml/metadata</entityUrl>
    <externalClientApplication>${app}</externalClientApplication>
    <issuer>https://example.my.salesforce.com</issuer>
    <label>${app}_samlPlcy</label>
    <nameIdFormat>EmailAddress</nameIdFormat>
    <signingAlgorithmType>${options.signing ?? 'SHA256'}</signingAlgorithmType>
    <singleLogoutBindingType>PostBinding</singleLogoutBindingType>
    <singleLogoutUrl>https://sp.example.com/saml/logout</singleLogoutUrl>
    <subjectType>FederationId</subjectType>
`
  );

export const mobileSettingsXml = (app: string): string =>
  file(
    'ExtlClntAppMobileSettings',
    `    <externalClientApplication>${app}</externalClientApplication>
    <isScreenLockEnabled>true</isScreenLockEnabled>
    <label>${app}_mobile</label>
`
  );

export const mobilePoliciesXml = (app: string): string =>
  file(
    'ExtlClntAppMobileConfigurablePolicies',
    `    <externalClientApplication>${app}</externalClientApplication>
    <label>${app}_mobilePlcy</label>
    <screenLockTimeout>Five</screenLockTimeout>
`
  );

export const notificationSettingsXml = (app: string): string =>
  file(
    'ExtlClntAppNotificationSettings',
    `    <externalClientApplication>${app}</externalClientApplication>
    <label>${app}_notifications</label>
    <notificationTypes>
        <notificationType>Case_Escalated</notificationType>
        <pushByDefault>true</pushByDefault>
    </notificationTypes>
`
  );

/** Push settings with both services configured and fake credentials (FAKE_PUSH_SECRETS). */
export const pushSettingsXml = (app: string): string =>
  file(
    'ExtlClntAppPushSettings',
    `    <androidPushConfig>
        <fcmProject>example-mobile-4f2a1</fcmProject>
        <serviceAccount>{"type":"service_account","project_id":"example-mobile-4f2a1","private_key_id":"0f0f0f","private_key":"${FAKE_PUSH_SECRETS.serviceAccount}","client_email":"push@example-mobile-4f2a1.iam.gserviceaccount.com"}</serviceAccount>
    </androidPushConfig>
    <applePushConfig>
        <applicationBundle>com.example.mobile</applicationBundle>
        <environment>Production</environment>
        <keyIdentifier>ABC123DEFG</keyIdentifier>
        <password>${FAKE_PUSH_SECRETS.password}</password>
        <signingKey>${FAKE_PUSH_SECRETS.signingKey}</signingKey>
        <teamIdentifier>TEAM123456</teamIdentifier>
    </applePushConfig>
    <externalClientApplication>${app}</externalClientApplication>
    <label>${app}_push</label>
    <pushServiceType>Android</pushServiceType>
`
  );

export const pushPoliciesXml = (app: string): string =>
  file(
    'ExtlClntAppPushConfigurablePolicies',
    `    <externalClientApplication>${app}</externalClientApplication>
    <isFullContent>false</isFullContent>
    <label>${app}_pushPlcy</label>
`
  );

export const canvasSettingsXml = (app: string): string =>
  file(
    'ExtlClntAppCanvasSettings',
    `    <accessMethod>Post</accessMethod>
    <canvasLocationOptions>Visualforce</canvasLocationOptions>
    <canvasUrl>https://canvas.example.com/app</canvasUrl>
    <externalClientApplication>${app}</externalClientApplication>
    <label>${app}_canvas</label>
`
  );

/**
 * An app with a header, plugin policies, SAML policies, mobile settings and policies, notification and
 * push settings and push policies (no OAuth): the components to give `emu.applyComponents`.
 */
export const samlMobileApp = (app: string, options: { signing?: 'SHA1' | 'SHA256'; canvas?: boolean } = {}): Sample[] => [
  { type: 'ExternalClientApplication', fullName: app, xml: headerXml(app) },
  { type: 'ExtlClntAppConfigurablePolicies', fullName: `${app}_plcy`, xml: pluginPoliciesXml(app) },
  { type: 'ExtlClntAppSamlConfigurablePolicies', fullName: `${app}_samlPlcy`, xml: samlPoliciesXml(app, options) },
  { type: 'ExtlClntAppMobileSettings', fullName: `${app}_mobile`, xml: mobileSettingsXml(app) },
  { type: 'ExtlClntAppMobileConfigurablePolicies', fullName: `${app}_mobilePlcy`, xml: mobilePoliciesXml(app) },
  { type: 'ExtlClntAppNotificationSettings', fullName: `${app}_notifications`, xml: notificationSettingsXml(app) },
  { type: 'ExtlClntAppPushSettings', fullName: `${app}_push`, xml: pushSettingsXml(app) },
  { type: 'ExtlClntAppPushConfigurablePolicies', fullName: `${app}_pushPlcy`, xml: pushPoliciesXml(app) },
  ...(options.canvas ? [{ type: 'ExtlClntAppCanvasSettings', fullName: `${app}_canvas`, xml: canvasSettingsXml(app) }] : []),
];
