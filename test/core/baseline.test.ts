/* Baselines (src/core/sync/baseline.ts): built from the org's files without a credential, written in a stable order, read back with errors naming the file, compared field by field. */
import { expect } from 'chai';
import { buildInventory, type Inventory } from '../../src/core/project/inventory.js';
import {
  BASELINE_FORMAT,
  buildBaseline,
  compareBaseline,
  InvalidBaseline,
  NOT_QUERYABLE_NOTE,
  parseBaseline,
  serializeBaseline,
  type Baseline,
} from '../../src/core/sync/baseline.js';
import { FAKE_PUSH_SECRETS, pushSettingsXml } from '../support/emulator/samples.js';
import { NS } from '../support/helpers.js';

const xml = (root: string, body: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${body}</${root}>\n`;
const KEY = '3MVG9FAKEUNITTESTCONSUMERKEY0000000000000000000000000000000000000000000000000000000';
const SECRET = 'ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789';

type Options = { ip?: string; pkce?: string; ranges?: Array<[string, string]>; withPush?: boolean; policiesName?: string; app?: string };

/** An org's files of one app, as a retrieve returns them (credentials and org ids included). */
const orgFiles = (o: Options = {}): Array<{ path: string; text: string }> => {
  const app = o.app ?? 'App';
  const ranges = o.ranges ?? [['10.0.0.0', '10.0.0.255'], ['192.168.0.0', '192.168.0.9']];
  return [
    {
      path: `externalClientApps/${app}.eca-meta.xml`,
      text: xml('ExternalClientApplication', `    <contactEmail>a@example.com</contactEmail>\n    <label>${app}</label>\n    <orgScopedExternalApp>00D000000000001EAA:${app}</orgScopedExternalApp>\n`),
    },
    {
      path: `extlClntAppGlobalOauthSets/${app}_glbloauth.ecaGlblOauth-meta.xml`,
      text: xml(
        'ExtlClntAppGlobalOauthSettings',
        `    <callbackUrl>https://a.example.com/cb</callbackUrl>\n    <consumerKey>${KEY}</consumerKey>\n    <consumerSecret>${SECRET}</consumerSecret>\n    <externalClientApplication>${app}</externalClientApplication>\n    <isPkceRequired>${o.pkce ?? 'true'}</isPkceRequired>\n    <label>g</label>\n`
      ),
    },
    {
      path: `extlClntAppOauthSettings/${app}_oauth.ecaOauth-meta.xml`,
      text: xml(
        'ExtlClntAppOauthSettings',
        `    <commaSeparatedOauthScopes>Api</commaSeparatedOauthScopes>\n    <externalClientApplication>${app}</externalClientApplication>\n    <label>o</label>\n    <oauthLink>00D000000000001EAA:0xx000000000001</oauthLink>\n${ranges
          .map(([s, e]) => `    <trustedIpRanges>\n        <endIpAddress>${e}</endIpAddress>\n        <startIpAddress>${s}</startIpAddress>\n    </trustedIpRanges>\n`)
          .join('')}`
      ),
    },
    {
      path: `extlClntAppOauthPolicies/${o.policiesName ?? `${app}_oauthPlcy`}.ecaOauthPlcy-meta.xml`,
      text: xml(
        'ExtlClntAppOauthConfigurablePolicies',
        `    <externalClientApplication>${app}</externalClientApplication>\n    <ipRelaxationPolicyType>${o.ip ?? 'Enforce'}</ipRelaxationPolicyType>\n    <label>p</label>\n    <refreshTokenPolicyType>Zero</refreshTokenPolicyType>\n`
      ),
    },
    ...(o.withPush ? [{ path: `extlClntAppPushSettings/${app}_push.ecaPush-meta.xml`, text: pushSettingsXml(app) }] : []),
  ];
};
const inventoryOf = (...files: Array<Array<{ path: string; text: string }>>): Inventory => buildInventory(files.flat());
const ORG = { id: '00D000000000001EAA', apiVersion: '66.0' };
const AT = '2026-12-01T10:00:00.000Z';
const baselineOf = (o: Options = {}): Baseline => buildBaseline(inventoryOf(orgFiles(o)), ORG, AT);

describe('baselines (core)', () => {
  describe('buildBaseline and serializeBaseline', () => {
    it('records every file of every app with compareFiles\' element paths; the global OAuth settings are not queryable', () => {
      const b = baselineOf();
      expect(b.format).to.equal(BASELINE_FORMAT);
      expect(b.org).to.deep.equal({ id: '00D000000000001', apiVersion: '66.0' });
      expect(Object.keys(b.apps.App!)).to.deep.equal(['header', 'globalOauth', 'oauth', 'oauthPolicies']);
      expect(b.apps.App!.globalOauth).to.deep.include({ type: 'ExtlClntAppGlobalOauthSettings', fullName: 'App_glbloauth', queryable: false });
      expect(b.apps.App!.oauthPolicies).to.deep.include({ type: 'ExtlClntAppOauthConfigurablePolicies', fullName: 'App_oauthPlcy', queryable: true });
      expect(b.apps.App!.oauth!.fields).to.deep.equal({
        commaSeparatedOauthScopes: 'Api',
        externalClientApplication: 'App',
        label: 'o',
        'trustedIpRanges[1]/endIpAddress': '10.0.0.255',
        'trustedIpRanges[1]/startIpAddress': '10.0.0.0',
        'trustedIpRanges[2]/endIpAddress': '192.168.0.9',
        'trustedIpRanges[2]/startIpAddress': '192.168.0.0',
      });
    });

    it('never holds a credential (consumer key and secret, push credentials) nor an org-specific id', () => {
      const text = serializeBaseline(buildBaseline(inventoryOf(orgFiles({ withPush: true })), ORG, AT));
      for (const value of [KEY, SECRET, ...Object.values(FAKE_PUSH_SECRETS), '0xx000000000001', '00D000000000001EAA']) expect(text, value).to.not.include(value);
      expect(text).to.not.match(/consumerKey|consumerSecret|oauthLink|orgScopedExternalApp|serviceAccount|signingKey|password/);
      expect(text).to.include('"applePushConfig/keyIdentifier": "ABC123DEFG"');
    });

    it('replaces a value holding a private key by a placeholder', () => {
      const files = orgFiles();
      files[0] = { ...files[0]!, text: files[0]!.text.replace('<label>App</label>', '<description>-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----</description>\n    <label>App</label>') };
      const b = buildBaseline(inventoryOf(files), ORG, AT);
      expect(b.apps.App!.header!.fields.description).to.equal('(private key present; never shown)');
      expect(serializeBaseline(b)).to.not.include('MIIEvQIBADAN');
    });

    it('writes JSON in a stable order (apps by name, files by kind, fields sorted), 2-space indented, with a trailing newline', () => {
      const one = serializeBaseline(buildBaseline(inventoryOf(orgFiles({ app: 'Zeta' }), orgFiles({ app: 'Alpha' })), ORG, AT));
      const two = serializeBaseline(buildBaseline(inventoryOf([...orgFiles({ app: 'Alpha' })].reverse(), orgFiles({ app: 'Zeta' })), ORG, AT));
      expect(one).to.equal(two);
      expect(one.endsWith('}\n')).to.equal(true);
      expect(one.split('\n')[1]).to.equal('  "format": "eca-baseline/1",');
      expect(Object.keys((JSON.parse(one) as Baseline).apps)).to.deep.equal(['Alpha', 'Zeta']);
      expect(one).to.include('"fields": {\n          "callbackUrl": "https://a.example.com/cb",\n          "externalClientApplication": "Alpha",\n');
    });

    it('keeps only the named apps with names', () => {
      const b = buildBaseline(inventoryOf(orgFiles({ app: 'A' }), orgFiles({ app: 'B' })), ORG, AT, ['B']);
      expect(Object.keys(b.apps)).to.deep.equal(['B']);
    });
  });

  describe('parseBaseline', () => {
    it('reads back what serializeBaseline writes', () => {
      const b = baselineOf({ withPush: true });
      expect(parseBaseline(serializeBaseline(b), 'b.json')).to.deep.equal(JSON.parse(serializeBaseline(b)));
    });

    const cases: Array<[string, string, string]> = [
      ['not JSON', '{"format": ', 'b.json is not a usable baseline: it is not valid JSON'],
      ['an array', '[]', 'b.json is not a usable baseline: the file must hold a JSON object.'],
      ['no format', '{}', '"format" is missing, expected "eca-baseline/1"'],
      ['another format', '{"format":"eca-baseline/2"}', '"format" is "eca-baseline/2", expected "eca-baseline/1"'],
      ['a bad org id', '{"format":"eca-baseline/1","org":{"id":"x","apiVersion":"66.0"},"capturedAt":"2026-01-01T00:00:00Z","apps":{}}', '"org.id" must be a 15-character org id'],
      ['a bad date', '{"format":"eca-baseline/1","org":{"id":"00D000000000001","apiVersion":"66.0"},"capturedAt":"soon","apps":{}}', '"capturedAt" must be an ISO 8601 date'],
      ['an unknown kind', '{"format":"eca-baseline/1","org":{"id":"00D000000000001","apiVersion":"66.0"},"capturedAt":"2026-01-01T00:00:00Z","apps":{"A":{"gadget":{}}}}', '"apps.A.gadget" is not a file kind'],
      [
        'the wrong type for a kind',
        '{"format":"eca-baseline/1","org":{"id":"00D000000000001","apiVersion":"66.0"},"capturedAt":"2026-01-01T00:00:00Z","apps":{"A":{"oauth":{"type":"ExternalClientApplication","fullName":"A","queryable":true,"fields":{}}}}}',
        '"apps.A.oauth.type" must be "ExtlClntAppOauthSettings"',
      ],
      [
        'a value that is not a string',
        '{"format":"eca-baseline/1","org":{"id":"00D000000000001","apiVersion":"66.0"},"capturedAt":"2026-01-01T00:00:00Z","apps":{"A":{"header":{"type":"ExternalClientApplication","fullName":"A","queryable":true,"fields":{"isProtected":false}}}}}',
        '"apps.A.header.fields.isProtected" must be a string',
      ],
    ];
    for (const [what, text, message] of cases) {
      it(`refuses ${what}, naming the file and what is wrong`, () => {
        let thrown: unknown;
        try {
          parseBaseline(text, 'b.json');
        } catch (e) {
          thrown = e;
        }
        expect(thrown).to.be.instanceOf(InvalidBaseline);
        expect((thrown as InvalidBaseline).file).to.equal('b.json');
        expect((thrown as Error).message).to.match(/^b\.json is not a usable baseline: /).and.include(message);
      });
    }
  });

  describe('compareBaseline', () => {
    it('finds nothing when the org says what the baseline says (credentials and org ids are not compared)', () => {
      const files = orgFiles().map((f) => ({ ...f, text: f.text.replace(KEY, 'ANOTHERKEY').replace(SECRET, 'ANOTHERSECRET').replace('0xx000000000001', '0xx000000000002') }));
      expect(compareBaseline(baselineOf(), inventoryOf(files))).to.deep.equal([]);
    });

    it('names a changed field with both values: the baseline\'s as local, the org\'s now as org', () => {
      expect(compareBaseline(baselineOf(), inventoryOf(orgFiles({ ip: 'Bypass' })))).to.deep.equal([
        { app: 'App', kind: 'oauthPolicies', orgName: 'App_oauthPlcy', against: 'baseline', element: 'ipRelaxationPolicyType', local: 'Enforce', org: 'Bypass' },
      ]);
    });

    it('reports list elements by position, a value on one side only without the other', () => {
      const d = compareBaseline(baselineOf(), inventoryOf(orgFiles({ ranges: [['10.0.0.0', '10.0.0.255']] })));
      expect(d.map((x) => [x.element, x.local, x.org])).to.deep.equal([
        ['trustedIpRanges[2]/endIpAddress', '192.168.0.9', undefined],
        ['trustedIpRanges[2]/startIpAddress', '192.168.0.0', undefined],
      ]);
      expect(d[0]).to.not.have.property('org');
    });

    it('notes that the global OAuth settings are known only from the last retrieve', () => {
      const [d] = compareBaseline(baselineOf(), inventoryOf(orgFiles({ pkce: 'false' })));
      expect(d).to.include({ kind: 'globalOauth', element: 'isPkceRequired', local: 'true', org: 'false', note: NOT_QUERYABLE_NOTE });
    });

    it('reports an app gone from the org, an app new in it, a file on one side only and a file under another name', () => {
      const baseline = buildBaseline(inventoryOf(orgFiles({ app: 'Gone' }), orgFiles({ app: 'Kept' })), ORG, AT);
      const kept = orgFiles({ app: 'Kept', policiesName: 'Kept_oauth_defaultPolicy' }).filter((f) => !f.path.includes('glbloauth'));
      const d = compareBaseline(baseline, inventoryOf(kept, orgFiles({ app: 'New' })));
      expect(d.map((x) => [x.app, x.kind, x.element, x.local, x.org])).to.deep.equal([
        ['Gone', 'header', '(app)', 'in the baseline', 'not in the org'],
        ['Kept', 'globalOauth', '(file)', 'present', 'missing'],
        ['Kept', 'oauthPolicies', '(name)', 'Kept_oauthPlcy', 'Kept_oauth_defaultPolicy'],
        ['New', 'header', '(app)', 'not in the baseline', 'in the org'],
      ]);
      expect(d[1]).to.include({ baselineName: 'Kept_glbloauth', note: NOT_QUERYABLE_NOTE });
    });

    it('reports only the named apps with names', () => {
      const baseline = buildBaseline(inventoryOf(orgFiles({ app: 'A' }), orgFiles({ app: 'B' })), ORG, AT);
      const now = inventoryOf(orgFiles({ app: 'A', ip: 'Bypass' }), orgFiles({ app: 'B', ip: 'Bypass' }));
      expect(compareBaseline(baseline, now, ['B']).map((x) => x.app)).to.deep.equal(['B']);
      expect(compareBaseline(baseline, now, ['Nope'])).to.deep.equal([]);
    });

    it('never shows a credential of the org, even against a baseline that names one', () => {
      const b = baselineOf();
      const tampered: Baseline = { ...b, apps: { App: { ...b.apps.App, globalOauth: { ...b.apps.App!.globalOauth!, fields: { ...b.apps.App!.globalOauth!.fields, consumerKey: 'OLD' } } } } };
      const d = compareBaseline(tampered, inventoryOf(orgFiles()));
      expect(JSON.stringify(d)).to.not.include(KEY).and.not.include(SECRET);
      expect(d).to.deep.equal([{ app: 'App', kind: 'globalOauth', orgName: 'App_glbloauth', against: 'baseline', note: NOT_QUERYABLE_NOTE, element: 'consumerKey', local: 'OLD' }]);
    });
  });
});
