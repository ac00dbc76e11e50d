/*
 * The pieces of the migration that look outside the Connected App file: references (custom scopes, token-exchange
 * handlers, custom permissions, notification delivery, manual ones), their relink edits, the losses the mapping
 * counts (mobile, push, refresh-token IP allowlist) and the plan file.
 */
import { expect } from 'chai';
import { migrateConnectedApp } from '../../src/core/migrate/migrate.js';
import { parsePlan, PlanError } from '../../src/core/migrate/planFile.js';
import { findReferences, relinkText } from '../../src/core/migrate/references.js';
import type { Migration, ProjectFile } from '../../src/core/migrate/types.js';
import { DEFAULT_CONFIG } from '../../src/core/rules/config.js';

const BASE = 'force-app/main/default';
const xml = (root: string, body: string, eol = '\n'): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://soap.sforce.com/2006/04/metadata">\n${body}</${root}>\n`.replace(/\n/g, eol);

const CA = (extra = '', oauthExtra = ''): string =>
  xml(
    'ConnectedApp',
    `    <contactEmail>a@example.com</contactEmail>
    <label>App</label>
${extra}    <oauthConfig>
        <callbackUrl>https://app.example.com/cb</callbackUrl>
        <isAdminApproved>true</isAdminApproved>
        <isPkceRequired>true</isPkceRequired>
        <isRefreshTokenRotationEnabled>true</isRefreshTokenRotationEnabled>
${oauthExtra}        <scopes>Api</scopes>
    </oauthConfig>
    <oauthPolicy>
        <ipRelaxation>ENFORCE</ipRelaxation>
        <refreshTokenPolicy>zero</refreshTokenPolicy>
    </oauthPolicy>
    <permissionSetName>App_Users</permissionSetName>
`
  );

const migrate = (text: string, options: { apiVersion?: number; references?: ProjectFile[]; relink?: boolean; noOauth?: boolean } = {}): Migration =>
  migrateConnectedApp(
    { path: `${BASE}/connectedApps/App.connectedApp-meta.xml`, text },
    {
      apiVersion: options.apiVersion ?? 66,
      baseDir: BASE,
      harden: false,
      ruleContext: { apiVersion: options.apiVersion ?? 66, config: DEFAULT_CONFIG, packageDirs: [], today: '2026-06-01' },
      references: options.references ?? [],
      relink: options.relink ?? false,
    }
  );

const scope = (name: string, app = 'App'): ProjectFile => ({
  path: `${BASE}/oauthcustomscopes/${name}.oauthcustomscope-meta.xml`,
  text: xml('OauthCustomScope', `    <assignedTo>\n        <connectedApp>${app}</connectedApp>\n    </assignedTo>\n    <description>d</description>\n    <developerName>${name}</developerName>\n    <masterLabel>${name}</masterLabel>\n`),
});

const permission = (eol = '\n'): ProjectFile => ({
  path: `${BASE}/customPermissions/Approve.customPermission-meta.xml`,
  text: xml('CustomPermission', '    <connectedApp>App</connectedApp>\n    <description>d</description>\n    <isLicensed>false</isLicensed>\n    <label>Approve</label>\n', eol),
});

const notifications: ProjectFile = {
  path: `${BASE}/notificationtypes/NotificationTypeConfig.config-meta.xml`,
  text: xml(
    'NotificationTypeConfig',
    `    <notificationTypeSettings>
        <appSettings>
            <connectedAppName>App</connectedAppName>
            <enabled>true</enabled>
        </appSettings>
        <appSettings>
            <appType>EXTERNAL_CLIENT_APP</appType>
            <connectedAppName>App</connectedAppName>
            <enabled>true</enabled>
        </appSettings>
        <notificationType>Shipped</notificationType>
    </notificationTypeSettings>
    <notificationTypeSettings>
        <appSettings>
            <connectedAppName>App</connectedAppName>
        </appSettings>
        <notificationType>Escalated</notificationType>
    </notificationTypeSettings>
`
  ),
};

describe('migrate: files that name the Connected App', () => {
  it('classifies each kind, skips other apps, ECA entries, malformed XML and files without the element', () => {
    const files: ProjectFile[] = [
      scope('Read'),
      scope('Other', 'Another_App'),
      permission(),
      notifications,
      { path: `${BASE}/userProvisioningConfigs/P.userProvisioningConfig-meta.xml`, text: xml('UserProvisioningConfig', '    <connectedApp>App</connectedApp>\n    <masterLabel>P</masterLabel>\n') },
      { path: `${BASE}/EmbeddedServiceConfig/Chat.EmbeddedServiceConfig-meta.xml`, text: xml('EmbeddedServiceConfig', '    <embeddedMessagingChannel>\n        <connectedApp>App</connectedApp>\n    </embeddedMessagingChannel>\n') },
      { path: `${BASE}/objects/Thing.object-meta.xml`, text: xml('CustomObject', '    <connectedApp>App</connectedApp>\n') },
      { path: `${BASE}/broken/B.customPermission-meta.xml`, text: '<CustomPermission><connectedApp>App</connectedApp>' },
      { path: `${BASE}/labels/L.labels-meta.xml`, text: xml('CustomLabels', '    <value>App</value>\n') },
    ];
    const refs = findReferences(files, 'App', 'App_ECA', false);
    expect(refs.map((r) => [r.kind, r.how, r.element])).to.deep.equal([
      ['embedded-messaging', 'manual', 'embeddedMessagingChannel/connectedApp'],
      ['custom-permission', 'relink', 'connectedApp'],
      // the ECA's own entry in the first notification type is not a reference; the second type has none yet
      ['notification-delivery', 'relink', 'notificationTypeSettings/appSettings/connectedAppName'],
      ['notification-delivery', 'relink', 'notificationTypeSettings/appSettings/connectedAppName'],
      ['custom-scope', 'manual', 'assignedTo/connectedApp'],
      ['other', 'manual', 'connectedApp'],
      ['user-provisioning', 'manual', 'connectedApp'],
    ]);
    expect(refs.find((r) => r.kind === 'custom-scope')?.value).to.equal('Read');
    expect(refs.filter((r) => r.kind === 'notification-delivery').map((r) => [r.value, r.enabled])).to.deep.equal([
      ['Shipped', true],
      ['Escalated', true],
    ]);
    expect(refs.every((r) => !r.written)).to.equal(true);
    expect(findReferences(files, 'App', 'App_ECA', true).filter((r) => r.written).map((r) => r.kind)).to.deep.equal(['custom-permission', 'notification-delivery', 'notification-delivery']);
  });

  it('relinks with minimal edits: other lines keep their bytes, CRLF stays CRLF, a second run changes nothing', () => {
    for (const eol of ['\n', '\r\n']) {
      const before = permission(eol).text;
      const after = relinkText(before, 'App', 'App_ECA');
      expect(after).to.equal(before.replace(`    <connectedApp>App</connectedApp>${eol}`, '').replace('    <isLicensed>', `    <externalClientApplication>App_ECA</externalClientApplication>${eol}    <isLicensed>`));
      expect(relinkText(after, 'App', 'App_ECA')).to.equal(after);
    }
    const once = relinkText(notifications.text, 'App', 'App_ECA');
    expect(once.match(/<connectedAppName>App_ECA<\/connectedAppName>/g)).to.have.length(2);
    expect(relinkText(once, 'App', 'App_ECA')).to.equal(once);
    // The original lines are all still there, in order.
    const kept = notifications.text.split('\n');
    const lines = once.split('\n');
    let i = 0;
    for (const line of lines) if (line === kept[i]) i++;
    expect(i).to.equal(kept.length);
    // Nothing to relink: the same text.
    const scopeFile = scope('Read').text;
    expect(relinkText(scopeFile, 'App', 'App_ECA')).to.equal(scopeFile);
  });

  it('custom scopes go to commaSeparatedCustomScopes of the OAuth settings and policies, and to parity', () => {
    const m = migrate(CA(), { references: [scope('Read'), scope('Write'), scope('Other', 'Another_App')] });
    const text = (kind: string): string => m.files.find((f) => f.kind === kind)?.text ?? '';
    expect(text('oauth')).to.include('<commaSeparatedCustomScopes>Read,Write</commaSeparatedCustomScopes>');
    expect(text('oauthPolicies')).to.include('<commaSeparatedCustomScopes>Read,Write</commaSeparatedCustomScopes>');
    expect(m.report.policies.find((p) => p.dimension === 'custom-scopes')).to.include({ change: 'same', blocking: false });
    const old = migrate(CA(), { apiVersion: 60, references: [scope('Read')] });
    expect(old.files.some((f) => f.text.includes('commaSeparatedCustomScopes'))).to.equal(false);
    expect(old.report.policies.find((p) => p.dimension === 'custom-scopes')).to.include({ change: 'lost', blocking: true });
    expect(old.report.needsAcceptance).to.equal(true);
    // Without custom scopes the dimension is not shown.
    expect(migrate(CA()).report.policies.some((p) => p.dimension === 'custom-scopes')).to.equal(false);
  });

  it('notification types become notification settings from API 64 with the plugin on; below, a loss with the plugin off', () => {
    const m = migrate(CA(), { references: [notifications] });
    const file = m.files.find((f) => f.kind === 'notifications');
    expect(file?.path).to.equal(`${BASE}/extlClntAppNotifSettings/App_notif.ecaNotifications-meta.xml`);
    expect(file?.text).to.include('<notificationType>Shipped</notificationType>').and.to.include('<notificationType>Escalated</notificationType>');
    expect(m.files.find((f) => f.kind === 'policies')?.text).to.include('<isNotificationPluginEnabled>true</isNotificationPluginEnabled>');
    expect(m.report.policies.find((p) => p.dimension === 'notifications')).to.include({ change: 'same' });
    const old = migrate(CA(), { apiVersion: 63, references: [notifications] });
    expect(old.files.some((f) => f.kind === 'notifications')).to.equal(false);
    expect(old.report.policies.find((p) => p.dimension === 'notifications')).to.include({ change: 'lost', blocking: true });
    const none = migrate(CA());
    expect(none.report.fields.find((f) => f.eca.some((t) => t.field === 'isNotificationPluginEnabled'))?.transform).to.equal(
      'off: no Notification Delivery Settings (NotificationTypeConfig) in the project name the Connected App'
    );
  });

  it('mobile settings, push settings and a refresh-token IP allowlist are counted as losses; push credentials are never written', () => {
    const m = migrate(
      CA(
        '    <mobileAppConfig>\n        <devicePlatform>ios</devicePlatform>\n        <version>1.0</version>\n    </mobileAppConfig>\n    <pushNotificationConfig>\n        <applePushCertificate>MIIPUSHSECRETVALUE</applePushCertificate>\n    </pushNotificationConfig>\n',
        '        <refreshTokenIpAllowlist>203.0.113.0/24</refreshTokenIpAllowlist>\n'
      )
    );
    const dims = new Map(m.report.policies.map((p) => [p.dimension, p]));
    expect(dims.get('mobile')).to.include({ change: 'lost', blocking: true });
    expect(dims.get('push')).to.include({ change: 'lost', blocking: true });
    expect(dims.get('refresh-token-ip-allowlist')).to.include({ change: 'weaker', blocking: true });
    const allowlist = m.report.notMigrated.find((n) => n.item === 'refresh-token IP allowlist');
    expect(allowlist?.action).to.include('Enforce Refresh Token IP Allowlist').and.to.include('005387022');
    expect(m.report.notMigrated.find((n) => n.item === 'pushNotificationConfig')?.reason).to.include('never copied');
    for (const f of m.files) expect(f.text, f.path).not.to.include('MIIPUSHSECRETVALUE');
    expect(JSON.stringify(m.report)).not.to.include('MIIPUSHSECRETVALUE');
    expect(m.files.some((f) => /Push|Mobile/.test(f.type))).to.equal(false);
  });

  it('token-exchange: the handler dimension is lost until relinked; the relink adds an enablement and keeps the old one', () => {
    const handler: ProjectFile = {
      path: `${BASE}/oauthtokenexchangehandlers/H.oauthtokenexchangehandler-meta.xml`,
      text: xml('OauthTokenExchangeHandler', '    <developerName>H</developerName>\n    <enablements>\n        <apexExecutionUser>u@example.com</apexExecutionUser>\n        <connectedApp>App</connectedApp>\n        <isDefault>false</isDefault>\n    </enablements>\n    <isEnabled>true</isEnabled>\n'),
    };
    const open = migrate(CA(), { references: [handler] });
    expect(open.report.policies.find((p) => p.dimension === 'token-exchange-handler')).to.include({ change: 'lost', blocking: true });
    expect(open.relinks).to.deep.equal([]);
    const linked = migrate(CA(), { references: [handler], relink: true });
    expect(linked.report.policies.find((p) => p.dimension === 'token-exchange-handler')).to.include({ change: 'same', blocking: false });
    expect(linked.relinks).to.have.length(1);
    const after = linked.relinks[0]!.after;
    expect(after).to.include('        <connectedApp>App</connectedApp>');
    expect(after).to.include('    <enablements>\n        <apexExecutionUser>u@example.com</apexExecutionUser>\n        <externalClientApp>App</externalClientApp>\n        <isDefault>false</isDefault>\n    </enablements>\n    <isEnabled>');
    // Already enabled for the ECA: done, nothing to write, not lost.
    const done = migrate(CA(), { references: [{ path: handler.path, text: after }] });
    expect(done.report.references[0]!.how).to.equal('done');
    expect(done.report.policies.find((p) => p.dimension === 'token-exchange-handler')).to.include({ change: 'same' });
  });

  it("says when Salesforce's Setup action would refuse the app", () => {
    expect(migrate(CA()).report.setupAction).to.deep.equal({ eligible: 'unknown', blockers: [] });
    const plugin = migrate(CA('    <plugin>MyPlugin</plugin>\n'));
    expect(plugin.report.setupAction.eligible).to.equal('no');
    expect(plugin.report.setupAction.blockers).to.deep.equal(['a custom Apex plugin (plugin)']);
  });
});

describe('migrate: the plan file', () => {
  it('fills in the defaults: the plan-level harden and relink, the ECA name, no acceptance', () => {
    expect(parsePlan({ format: 'eca-migrate-plan/1', relink: true, apps: [{ connectedApp: 'A' }, { connectedApp: 'B', eca: 'B2', harden: true, relink: false }] })).to.deep.equal({
      format: 'eca-migrate-plan/1',
      apps: [
        { connectedApp: 'A', harden: false, relink: true, acceptWeaker: [] },
        { connectedApp: 'B', eca: 'B2', harden: true, relink: false, acceptWeaker: [] },
      ],
    });
  });

  it('names every bad key: wrong format, no apps, a Connected App or ECA planned twice, a dimension accepted twice', () => {
    const issues = (value: unknown): string[] => {
      try {
        parsePlan(value);
      } catch (e) {
        if (e instanceof PlanError) return e.issues.map((i) => `${i.key}: ${i.message}`);
        throw e;
      }
      return [];
    };
    expect(issues({ format: 'eca-migrate-plan/2', apps: [] })).to.deep.equal(['format: expected "eca-migrate-plan/1"', 'apps: expected at least one app']);
    expect(issues([])).to.deep.equal(['(root): expected an object']);
    expect(issues({ format: 'eca-migrate-plan/1', apps: [{ connectedApp: 'A' }, { connectedApp: 'A', eca: 'X' }, { connectedApp: 'B', eca: 'X' }] })).to.deep.equal([
      'apps[1].connectedApp: A is planned twice (also apps[0])',
      'apps[2].eca: two Connected Apps would become the External Client App X (also apps[1])',
    ]);
    expect(
      issues({ format: 'eca-migrate-plan/1', apps: [{ connectedApp: 'A', acceptWeaker: [{ dimension: 'pkce', reason: 'ok ok' }, { dimension: 'pkce', reason: 'again' }] }] })
    ).to.deep.equal(['apps[0].acceptWeaker[1].dimension: pkce is accepted twice']);
    expect(issues({ format: 'eca-migrate-plan/1', apps: [{ connectedApp: ' ' }] })).to.deep.equal(['apps[0].connectedApp: expected a name (a string that is not blank)']);
  });
});
