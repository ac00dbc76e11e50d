import { expect } from 'chai';
import { MetadataFile } from '../../src/core/model/file.js';
import {
  describeRefreshToken,
  KEY_PLACEHOLDER,
  parseConnectedAppRefreshPolicy,
  SECRET_PLACEHOLDER,
  showFile,
  summarizeApp,
  summarizeConnectedApp,
} from '../../src/core/model/summary.js';
import { buildInventory } from '../../src/core/project/inventory.js';
import { xmlFile } from '../support/helpers.js';

const SECRET = 'S3CR3T-VALUE-THAT-MUST-NEVER-APPEAR';
const KEY = '3MVG9-KEY-VALUE';

describe('summary', () => {
  it('parses every Connected App refresh-token policy form', () => {
    expect(parseConnectedAppRefreshPolicy('infinite')).to.deep.equal({ type: 'Infinite' });
    expect(parseConnectedAppRefreshPolicy('zero')).to.deep.equal({ type: 'Zero' });
    expect(parseConnectedAppRefreshPolicy('specific_lifetime:1:DAYS')).to.deep.equal({ type: 'SpecificLifetime', period: 1, unit: 'Days' });
    expect(parseConnectedAppRefreshPolicy('specific_inactivity:7:HOURS')).to.deep.equal({
      type: 'SpecificInactivity',
      period: 7,
      unit: 'Hours',
    });
    expect(parseConnectedAppRefreshPolicy('specific_lifetime:abc')).to.equal(undefined);
  });

  it('describes refresh-token policies in plain words', () => {
    expect(describeRefreshToken('Infinite', undefined, undefined)).to.equal('never expire');
    expect(describeRefreshToken('SpecificInactivity', '30', 'Days')).to.equal('expire after 30 days unused');
    expect(describeRefreshToken('SpecificLifetime', '1', 'Hours')).to.equal('expire 1 hour after issue');
    expect(describeRefreshToken('SpecificLifetime', undefined, undefined)).to.include('period missing');
  });

  it('summarizes an app: policies and flows from both the global settings and the policies', () => {
    const inv = buildInventory([
      { path: 'h/A.eca-meta.xml', text: xmlFile('ExternalClientApplication', [['label', 'App A'], ['distributionState', 'Local']]) },
      {
        path: 'g/A_glbloauth.ecaGlblOauth-meta.xml',
        text: xmlFile('ExtlClntAppGlobalOauthSettings', [
          ['callbackUrl', 'https://x.example.com/cb'],
          ['externalClientApplication', 'A'],
          ['isDeviceFlowEnabled', 'true'],
        ]),
      },
      {
        path: 'p/A_oauthPlcy.ecaOauthPlcy-meta.xml',
        text: xmlFile('ExtlClntAppOauthConfigurablePolicies', [
          ['externalClientApplication', 'A'],
          ['ipRelaxationPolicyType', 'Enforce'],
          ['isClientCredentialsFlowEnabled', 'true'],
          ['permittedUsersPolicyType', 'AdminApprovedPreAuthorized'],
          ['refreshTokenPolicyType', 'SpecificInactivity'],
          ['refreshTokenValidityPeriod', '30'],
          ['refreshTokenValidityUnit', 'Days'],
        ]),
      },
    ]);
    const s = summarizeApp(inv.apps[0]!);
    expect(s).to.include({ name: 'A', label: 'App A', distributionState: 'Local', permittedUsers: 'AdminApprovedPreAuthorized', ipRelaxation: 'Enforce' });
    expect(s.refreshToken).to.equal('expire after 30 days unused');
    expect(s.flows).to.deep.equal(['authorization-code', 'client-credentials', 'device']);
    expect(Object.keys(s.files)).to.deep.equal(['header', 'globalOauth', 'oauthPolicies']);
  });

  it('lists the SAML policies and the other newer kinds among the app\'s files', () => {
    const inv = buildInventory([
      { path: 'h/A.eca-meta.xml', text: xmlFile('ExternalClientApplication', [['label', 'App A']]) },
      { path: 's/A_samlPlcy.ecaSamlPlcy-meta.xml', text: xmlFile('ExtlClntAppSamlConfigurablePolicies', [['acsUrl', 'https://sp/acs'], ['externalClientApplication', 'A']]) },
      { path: 'p/A_push.ecaPush-meta.xml', text: xmlFile('ExtlClntAppPushSettings', [['externalClientApplication', 'A']]) },
    ]);
    expect(summarizeApp(inv.apps[0]!).files).to.deep.equal({ header: 'h/A.eca-meta.xml', samlPolicies: 's/A_samlPlcy.ecaSamlPlcy-meta.xml', push: 'p/A_push.ecaPush-meta.xml' });
  });

  it('tells a malformed policies file from one that was never retrieved', () => {
    const headerFile = { path: 'h/A.eca-meta.xml', text: xmlFile('ExternalClientApplication', [['label', 'App A']]) };
    const bad = { path: 'p/A_oauthPlcy.ecaOauthPlcy-meta.xml', text: '<ExtlClntAppOauthConfigurablePolicies>\n  <externalClientApplication>A</externalClientApplication>\n  <x>\n</ExtlClntAppOauthConfigurablePolicies>\n' };
    const inv = buildInventory([headerFile, bad]);
    const s = summarizeApp(inv.apps[0]!, inv.unreadable);
    expect(s.malformed).to.deep.equal({ oauthPolicies: bad.path });
    expect(s.policies).to.equal('malformed');
    expect(s.files.oauthPolicies).to.equal(undefined);
    const none = buildInventory([headerFile]);
    expect(summarizeApp(none.apps[0]!, none.unreadable).policies).to.equal('missing');
    expect(summarizeApp(none.apps[0]!).policies).to.equal('missing');
  });

  it('summarizes a Connected App with ECA vocabulary', () => {
    const file = MetadataFile.read(
      'c/Old.connectedApp-meta.xml',
      '<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata"><label>Old</label><oauthConfig><callbackUrl>https://a</callbackUrl><isAdminApproved>true</isAdminApproved></oauthConfig><oauthPolicy><ipRelaxation>ENFORCE_RELAXREFRESH</ipRelaxation><refreshTokenPolicy>specific_inactivity:7:DAYS</refreshTokenPolicy></oauthPolicy></ConnectedApp>'
    ) as MetadataFile;
    const s = summarizeConnectedApp({ name: 'Old', packageDir: undefined, file });
    expect(s).to.include({ kind: 'ConnectedApp', permittedUsers: 'AdminApprovedPreAuthorized', ipRelaxation: 'Enforce_RelaxRefresh' });
    expect(s.refreshToken).to.equal('expire after 7 days unused');
  });

  it('never shows the consumer secret, and the key only when asked', () => {
    const file = MetadataFile.read(
      'g/A_glbloauth.ecaGlblOauth-meta.xml',
      xmlFile('ExtlClntAppGlobalOauthSettings', [
        ['consumerKey', KEY],
        ['consumerSecret', SECRET],
        ['externalClientApplication', 'A'],
      ])
    ) as MetadataFile;
    const hidden = showFile(file, false);
    expect(JSON.stringify(hidden)).to.not.include(SECRET);
    expect(JSON.stringify(hidden)).to.not.include(KEY);
    expect(hidden.values.map((v) => v.value)).to.include(SECRET_PLACEHOLDER).and.include(KEY_PLACEHOLDER);
    const shown = showFile(file, true);
    expect(JSON.stringify(shown)).to.not.include(SECRET);
    expect(JSON.stringify(shown)).to.include(KEY);
  });

  describe('redacts a consumerSecret by its local name, at any depth, in every file type', () => {
    const NS = 'http://soap.sforce.com/2006/04/metadata';
    const cases: Array<[string, string, string]> = [
      ['a namespace prefix', 'g/A_glbloauth.ecaGlblOauth-meta.xml', `<md:ExtlClntAppGlobalOauthSettings xmlns:md="${NS}">\n    <md:consumerSecret>${SECRET}</md:consumerSecret>\n    <md:externalClientApplication>A</md:externalClientApplication>\n</md:ExtlClntAppGlobalOauthSettings>\n`],
      ['a child element', 'g/A_glbloauth.ecaGlblOauth-meta.xml', `<ExtlClntAppGlobalOauthSettings xmlns="${NS}">\n    <externalClientApplication>A</externalClientApplication>\n    <idTokenConfig>\n        <consumerSecret>${SECRET}</consumerSecret>\n    </idTokenConfig>\n</ExtlClntAppGlobalOauthSettings>\n`],
      ['the wrong file type', 'o/A_oauth.ecaOauth-meta.xml', `<ExtlClntAppOauthSettings xmlns="${NS}">\n    <consumerSecret>${SECRET}</consumerSecret>\n    <externalClientApplication>A</externalClientApplication>\n</ExtlClntAppOauthSettings>\n`],
      ['a Connected App, top level', 'c/Old.connectedApp-meta.xml', `<ConnectedApp xmlns="${NS}">\n    <consumerSecret>${SECRET}</consumerSecret>\n    <label>Old</label>\n</ConnectedApp>\n`],
      ['a Connected App, in oauthConfig', 'c/Old.connectedApp-meta.xml', `<ConnectedApp xmlns="${NS}">\n    <label>Old</label>\n    <oauthConfig>\n        <consumerSecret>${SECRET}</consumerSecret>\n    </oauthConfig>\n</ConnectedApp>\n`],
      ['a Connected App, in samlConfig', 'c/Old.connectedApp-meta.xml', `<ConnectedApp xmlns="${NS}">\n    <label>Old</label>\n    <samlConfig>\n        <md:consumerSecret xmlns:md="${NS}">${SECRET}</md:consumerSecret>\n    </samlConfig>\n</ConnectedApp>\n`],
    ];
    for (const [where, path, text] of cases) {
      it(where, () => {
        const file = MetadataFile.read(path, text) as MetadataFile;
        expect(file).to.be.instanceOf(MetadataFile);
        const shown = showFile(file, true);
        expect(JSON.stringify(shown)).to.not.include(SECRET);
        expect(JSON.stringify(shown)).to.include(SECRET_PLACEHOLDER);
      });
    }
  });

  it('shows unknown elements, marked as such, and nested values', () => {
    const file = MetadataFile.read(
      'o/A_oauth.ecaOauth-meta.xml',
      '<ExtlClntAppOauthSettings xmlns="http://soap.sforce.com/2006/04/metadata">\n    <externalClientApplication>A</externalClientApplication>\n    <futureField>1</futureField>\n    <trustedIpRanges>\n        <endIpAddress>10.0.0.9</endIpAddress>\n        <startIpAddress>10.0.0.1</startIpAddress>\n    </trustedIpRanges>\n</ExtlClntAppOauthSettings>\n'
    ) as MetadataFile;
    const shown = showFile(file, false);
    expect(shown.values.find((v) => v.element === 'futureField')).to.include({ known: false, value: '1', line: 3 });
    const range = shown.values.find((v) => v.element === 'trustedIpRanges');
    expect(range?.children?.map((c) => [c.element, c.value])).to.deep.equal([
      ['endIpAddress', '10.0.0.9'],
      ['startIpAddress', '10.0.0.1'],
    ]);
  });
});
