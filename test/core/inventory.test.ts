import { expect } from 'chai';
import { buildInventory, fileOf } from '../../src/core/project/inventory.js';
import { xmlFile } from '../support/helpers.js';

const header = (name: string): { path: string; text: string } => ({
  path: `force-app/main/default/externalClientApps/${name}.eca-meta.xml`,
  text: xmlFile('ExternalClientApplication', [
    ['contactEmail', 'a@example.com'],
    ['distributionState', 'Local'],
    ['label', name],
  ]),
});
const policies = (fileName: string, app: string, extra: Array<[string, string]> = []): { path: string; text: string } => ({
  path: `force-app/main/default/extlClntAppOauthPolicies/${fileName}.ecaOauthPlcy-meta.xml`,
  text: xmlFile('ExtlClntAppOauthConfigurablePolicies', [['externalClientApplication', app], ...extra]),
});

describe('buildInventory', () => {
  it('groups files by <externalClientApplication>, not by file name', () => {
    const inv = buildInventory([header('Order_Sync'), policies('Order_Sync_Settings_defaultPolicy', 'Order_Sync')]);
    expect(inv.apps.map((a) => a.name)).to.deep.equal(['Order_Sync']);
    const app = inv.apps[0]!;
    expect(fileOf(app, 'oauthPolicies')?.fullName).to.equal('Order_Sync_Settings_defaultPolicy');
    expect(app.orphan).to.equal(false);
    expect(inv.problems).to.deep.equal([]);
  });

  it('reports a policies file whose app has no header as an orphan, and keeps it', () => {
    const inv = buildInventory([policies('Ghost_oauthPlcy', 'Ghost')]);
    expect(inv.apps.map((a) => [a.name, a.orphan])).to.deep.equal([['Ghost', true]]);
    expect(inv.problems).to.have.length(1);
    expect(inv.problems[0]).to.include({ code: 'OrphanFile', severity: 'warning', line: 3 });
  });

  it('reports two policies files for one app', () => {
    const inv = buildInventory([header('A'), policies('A_oauthPlcy', 'A'), policies('A_Settings_defaultPolicy', 'A')]);
    expect(inv.apps[0]?.files.oauthPolicies).to.have.length(2);
    const p = inv.problems.find((x) => x.code === 'DuplicatePolicies');
    expect(p?.message).to.include('2 OAuth policies files').and.include('duplicate-value');
  });

  it('reports a malformed file with its line and column and still lists the rest', () => {
    const bad = {
      path: 'force-app/main/default/externalClientApps/Bad.eca-meta.xml',
      text: '<?xml version="1.0" encoding="UTF-8"?>\n<ExternalClientApplication>\n    <label>x</lable>\n</ExternalClientApplication>\n',
    };
    const inv = buildInventory([header('Good'), bad]);
    expect(inv.apps.map((a) => a.name)).to.deep.equal(['Good']);
    expect(inv.problems).to.have.length(1);
    expect(inv.problems[0]).to.include({ code: 'MalformedXml', path: bad.path, line: 3, col: 13 });
    expect(inv.fileCount).to.equal(2);
  });

  it('reports a file whose root element is not the type its name claims', () => {
    const inv = buildInventory([
      { path: 'x/Foo.ecaOauth-meta.xml', text: xmlFile('ExtlClntAppOauthConfigurablePolicies', [['externalClientApplication', 'Foo']]) },
    ]);
    expect(inv.apps).to.deep.equal([]);
    expect(inv.problems[0]?.code).to.equal('ForeignXml');
    expect(inv.problems[0]?.message).to.include('.ecaOauthPlcy-meta.xml');
  });

  it('reports a settings file with no <externalClientApplication>', () => {
    const inv = buildInventory([{ path: 'x/Foo.ecaOauth-meta.xml', text: xmlFile('ExtlClntAppOauthSettings', [['label', 'Foo']]) }]);
    expect(inv.problems[0]?.code).to.equal('MissingAppReference');
  });

  it('lists Connected Apps, in source and metadata format, as their own entries', () => {
    const inv = buildInventory([
      { path: 'a/Legacy.connectedApp-meta.xml', text: xmlFile('ConnectedApp', [['label', 'Legacy']]) },
      { path: 'src/connectedApps/Old.connectedApp', text: xmlFile('ConnectedApp', [['label', 'Old']]) },
    ]);
    expect(inv.connectedApps.map((c) => c.name)).to.deep.equal(['Legacy', 'Old']);
    expect(inv.apps).to.deep.equal([]);
  });

  it('reads the SAML, canvas, mobile, notification, push and attest files and groups them by app', () => {
    const child = (folder: string, name: string, suffix: string, root: string): { path: string; text: string } => ({
      path: `force-app/main/default/${folder}/${name}.${suffix}-meta.xml`,
      text: xmlFile(root, [['externalClientApplication', 'A'], ['label', name]]),
    });
    const inv = buildInventory([
      header('A'),
      child('extlClntAppSamlConfigurablePolicies', 'A_samlPlcy', 'ecaSamlPlcy', 'ExtlClntAppSamlConfigurablePolicies'),
      child('extlClntAppCanvasSettings', 'A_canvas', 'ecaCanvas', 'ExtlClntAppCanvasSettings'),
      child('extlClntAppMobileSettings', 'A_mobile', 'ecaMobile', 'ExtlClntAppMobileSettings'),
      child('extlClntAppMobilePolicies', 'A_mobilePlcy', 'ecaMobilePlcy', 'ExtlClntAppMobileConfigurablePolicies'),
      child('extlClntAppNotifSettings', 'A_notif', 'ecaNotifications', 'ExtlClntAppNotificationSettings'),
      child('extlClntAppPushSettings', 'A_push', 'ecaPush', 'ExtlClntAppPushSettings'),
      child('extlClntAppPushPolicies', 'A_pushPlcy', 'ecaPushPlcy', 'ExtlClntAppPushConfigurablePolicies'),
      child('extlClntAppAttestSettings', 'A_attest', 'ecaAttest', 'ExtlClntAppAttestSettings'),
      child('extlClntAppAttestPolicies', 'A_attestPlcy', 'ecaAttestPlcy', 'ExtlClntAppAttestConfigurablePolicies'),
    ]);
    expect(inv.problems).to.deep.equal([]);
    expect(inv.apps).to.have.length(1);
    const app = inv.apps[0]!;
    expect(
      (['samlPolicies', 'canvas', 'mobile', 'mobilePolicies', 'notifications', 'push', 'pushPolicies', 'attest', 'attestPolicies'] as const).map((k) => fileOf(app, k)?.fullName)
    ).to.deep.equal(['A_samlPlcy', 'A_canvas', 'A_mobile', 'A_mobilePlcy', 'A_notif', 'A_push', 'A_pushPlcy', 'A_attest', 'A_attestPlcy']);
  });

  it('attributes an unreadable file to its app: by <externalClientApplication>, else by the longest app name its file name starts with', () => {
    const broken = (path: string, text: string): { path: string; text: string } => ({ path, text });
    const inv = buildInventory([
      header('App'),
      header('App_B'),
      broken('force-app/main/default/extlClntAppOauthPolicies/Settings_defaultPolicy.ecaOauthPlcy-meta.xml', '<ExtlClntAppOauthConfigurablePolicies>\n    <externalClientApplication>App</externalClientApplication>\n    <label>x</lable>\n</ExtlClntAppOauthConfigurablePolicies>\n'),
      broken('force-app/main/default/extlClntAppOauthPolicies/App_B_oauthPlcy.ecaOauthPlcy-meta.xml', '<ExtlClntAppOauthConfigurablePolicies>\n    <extern'),
      broken('force-app/main/default/extlClntAppOauthSettings/Other.ecaOauth-meta.xml', xmlFile('ExtlClntAppOauthConfigurablePolicies', [['externalClientApplication', 'App']])),
      broken('force-app/main/default/extlClntAppOauthPolicies/Nobody.ecaOauthPlcy-meta.xml', '<'),
    ]);
    expect(inv.unreadable.map((u) => [u.path.slice(u.path.lastIndexOf('/') + 1), u.kind, u.app, u.problem.code])).to.deep.equal([
      ['App_B_oauthPlcy.ecaOauthPlcy-meta.xml', 'oauthPolicies', 'App_B', 'MalformedXml'],
      ['Nobody.ecaOauthPlcy-meta.xml', 'oauthPolicies', undefined, 'MalformedXml'],
      ['Settings_defaultPolicy.ecaOauthPlcy-meta.xml', 'oauthPolicies', 'App', 'MalformedXml'],
      ['Other.ecaOauth-meta.xml', 'oauth', 'App', 'ForeignXml'],
    ]);
  });
});
