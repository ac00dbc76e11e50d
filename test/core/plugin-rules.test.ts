/*
 * The rules of the non-OAuth plugin types (src/core/rules/catalog/plugins.ts): each fires on a weak
 * file and stays silent on a sound one; push credentials never appear in show or in a fix preview.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { buildInventory, type SourceText } from '../../src/core/project/inventory.js';
import { DEFAULT_CONFIG } from '../../src/core/rules/config.js';
import { pluginTypeRules } from '../../src/core/rules/catalog/plugins.js';
import { ALL_RULES, RULE_KEYS, runCheck } from '../../src/core/rules/engine.js';
import type { Finding, RuleContext } from '../../src/core/rules/types.js';
import { MetadataFile } from '../../src/core/model/file.js';
import { REDACTED_ELEMENT_NAMES, redactText } from '../../src/core/model/secrets.js';
import { showFile } from '../../src/core/model/summary.js';
import { copyExample, NS } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

type Fields = Array<[string, string]>;
const xml = (root: string, fields: Fields): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${fields.map(([k, v]) => (v.trimStart().startsWith('<') ? `    <${k}>\n${v}\n    </${k}>\n` : `    <${k}>${v}</${k}>\n`)).join('')}</${root}>\n`;
const nested = (fields: Fields): string => fields.map(([k, v]) => `        <${k}>${v}</${k}>`).join('\n');

const D = 'force-app/main/default';
const H = `${D}/externalClientApps/App.eca-meta.xml`;
const L = `${D}/extlClntAppPolicies/App_plcy.ecaPlcy-meta.xml`;
const PUSH = `${D}/extlClntAppPushSettings/App_push.ecaPush-meta.xml`;
const SAML = `${D}/extlClntAppSamlConfigurablePolicies/App_samlPlcy.ecaSamlPlcy-meta.xml`;
const MOB = `${D}/extlClntAppMobileSettings/App_mobile.ecaMobile-meta.xml`;
const MOBP = `${D}/extlClntAppMobilePolicies/App_mobilePlcy.ecaMobilePlcy-meta.xml`;
const CANVAS = `${D}/extlClntAppCanvasSettings/App_canvas.ecaCanvas-meta.xml`;

// Test values, never credentials.
const SERVICE_ACCOUNT = 'eyJ0eXBlIjoic2VydmljZV9hY2NvdW50IiwicHJvamVjdF9pZCI6Im5vdC1yZWFsIn0SA1';
const SIGNING_KEY = 'TlpUX0FfUkVBTF9BUE5TX1NJR05JTkdfS0VZXzAxMjM0NTY3ODk=SK1';
const P12 = 'Tk9UX0FfUkVBTF9QMTJfQ0VSVElGSUNBVEVfMDEyMzQ1Njc4OQ==P12';
const PASSWORD = 'N0t-A-Real-P12-Passw0rd';

const header = xml('ExternalClientApplication', [['contactEmail', 'owner@example.com'], ['distributionState', 'Local'], ['isProtected', 'false'], ['label', 'App']]);
const plugins = xml('ExtlClntAppConfigurablePolicies', [
  ['externalClientApplication', 'App'],
  ['isCanvasPluginEnabled', 'true'],
  ['isEnabled', 'true'],
  ['isMobilePluginEnabled', 'true'],
  ['isOauthPluginEnabled', 'true'],
  ['isPushPluginEnabled', 'true'],
  ['isSamlPluginEnabled', 'true'],
  ['label', 'App_plcy'],
]);

const androidPush = (serviceAccount: string | undefined): string =>
  xml('ExtlClntAppPushSettings', [
    ['androidPushConfig', nested([['fcmProject', 'app-123'], ...(serviceAccount === undefined ? [] : ([['serviceAccount', serviceAccount]] as Fields))])],
    ['externalClientApplication', 'App'],
    ['label', 'App push'],
    ['pushServiceType', 'Android'],
  ]);
const applePush = (apple: Fields): string =>
  xml('ExtlClntAppPushSettings', [['applePushConfig', nested(apple)], ['externalClientApplication', 'App'], ['label', 'App push'], ['pushServiceType', 'Apple']]);
const linkedPush = xml('ExtlClntAppPushSettings', [['externalClientApplication', 'App'], ['label', 'App push'], ['pushConfigLink', '00D000000000001:1Dh000000000001'], ['pushServiceType', 'Apple']]);

const saml = (changes: Record<string, string | undefined> = {}): string => {
  const base: Record<string, string | undefined> = {
    acsUrl: 'https://sp.example.com/acs',
    encryptionCertificate: 'SP_Encryption_Cert',
    encryptionType: 'AES_256',
    entityUrl: 'https://sp.example.com',
    externalClientApplication: 'App',
    nameIdFormat: 'EmailAddress',
    signingAlgorithmType: 'SHA256',
    subjectType: 'FederationId',
    ...changes,
  };
  return xml(
    'ExtlClntAppSamlConfigurablePolicies',
    Object.entries(base)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
  );
};
const mobile = (lock: string): string => xml('ExtlClntAppMobileSettings', [['externalClientApplication', 'App'], ['isScreenLockEnabled', lock], ['label', 'App mobile']]);
const mobilePolicies = (timeout: string): string => xml('ExtlClntAppMobileConfigurablePolicies', [['externalClientApplication', 'App'], ['label', 'App mobile'], ['screenLockTimeout', timeout]]);
// The official sample of the Metadata API page (D-CANVAS67), with accessMethod as given.
const canvas = (accessMethod: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>
<ExtlClntAppCanvasSettings xmlns="${NS}">
    <accessMethod>${accessMethod}</accessMethod>
    <canvasUrl>https://www.example.com</canvasUrl>
    <canvasLocationOptions>Aura</canvasLocationOptions>
    <canvasLocationOptions>Visualforce</canvasLocationOptions>
    <canvasOptions>HideHeader</canvasOptions>
    <label>My external client app settings for canvas</label>
    <samlInitiationMethod>None</samlInitiationMethod>
    <externalClientApplication>App</externalClientApplication>
</ExtlClntAppCanvasSettings>
`;

const ctx: RuleContext = { apiVersion: 67, config: DEFAULT_CONFIG, packageDirs: [{ fullPath: '/p/force-app', packaged: false }], today: '2026-12-01' };

const check = (files: Record<string, string>): Finding[] => {
  const sources: SourceText[] = Object.entries({ [H]: header, [L]: plugins, ...files }).map(([path, text]) => ({ path, text, packageDir: '/p/force-app' }));
  return [...runCheck(buildInventory(sources), ctx).findings];
};
const of = (findings: Finding[], id: string): Finding[] => findings.filter((f) => f.ruleId === id);

type Case = { readonly rule: string; readonly name: string; readonly files: Record<string, string>; readonly count?: number; readonly expect?: Partial<Finding> };

const FIRES: Case[] = [
  { rule: 'ECA-PLG-001', name: 'Firebase service account key', files: { [PUSH]: androidPush(SERVICE_ACCOUNT) }, expect: { severity: 'error', line: 5 } },
  {
    rule: 'ECA-PLG-001',
    name: 'APNs signing key, TLS certificate and its password: one finding each',
    files: { [PUSH]: applePush([['applicationBundle', 'com.example.app'], ['certificate', P12], ['environment', 'Production'], ['keyIdentifier', 'ABC123DEFG'], ['password', PASSWORD], ['signingKey', SIGNING_KEY], ['teamIdentifier', 'TEAM123456']]) },
    count: 3,
  },
  { rule: 'ECA-PLG-010', name: 'SHA1 signatures', files: { [SAML]: saml({ signingAlgorithmType: 'SHA1' }) }, expect: { severity: 'warning', actual: 'SHA1', expected: 'SHA256' } },
  { rule: 'ECA-PLG-011', name: 'http:// ACS URL', files: { [SAML]: saml({ acsUrl: 'http://sp.example.com/acs' }) }, expect: { severity: 'error', actual: 'http://sp.example.com/acs' } },
  { rule: 'ECA-PLG-011', name: 'HTTP:// in capitals', files: { [SAML]: saml({ acsUrl: 'HTTP://sp.example.com/acs' }) } },
  { rule: 'ECA-PLG-012', name: 'no encryption at all', files: { [SAML]: saml({ encryptionCertificate: undefined, encryptionType: undefined }) }, expect: { severity: 'info' } },
  { rule: 'ECA-PLG-012', name: 'an encryption type without a certificate', files: { [SAML]: saml({ encryptionCertificate: undefined }) }, expect: { severity: 'info', line: 4 } },
  { rule: 'ECA-PLG-020', name: 'screen lock off', files: { [MOB]: mobile('false') }, expect: { severity: 'warning', actual: 'false', expected: 'true' } },
  { rule: 'ECA-PLG-021', name: 'screen lock timeout Never', files: { [MOB]: mobile('true'), [MOBP]: mobilePolicies('Never') }, expect: { severity: 'warning', actual: 'Never' } },
  { rule: 'ECA-PLG-021', name: 'Never without mobile settings in the project', files: { [MOBP]: mobilePolicies('Never') } },
  { rule: 'ECA-PLG-030', name: 'Post (the official sample)', files: { [CANVAS]: canvas('Post') }, expect: { severity: 'warning', actual: 'Post', expected: 'Get', line: 3 } },
];

const SILENT: Case[] = [
  { rule: 'ECA-PLG-001', name: 'push settings without credentials (pushConfigLink only)', files: { [PUSH]: linkedPush } },
  { rule: 'ECA-PLG-001', name: 'an empty serviceAccount', files: { [PUSH]: androidPush('') } },
  { rule: 'ECA-PLG-001', name: 'APNs key id and team id only', files: { [PUSH]: applePush([['environment', 'Sandbox'], ['keyIdentifier', 'ABC123DEFG'], ['teamIdentifier', 'TEAM123456']]) } },
  { rule: 'ECA-PLG-010', name: 'SHA256', files: { [SAML]: saml() } },
  { rule: 'ECA-PLG-010', name: 'no signingAlgorithmType', files: { [SAML]: saml({ signingAlgorithmType: undefined }) } },
  { rule: 'ECA-PLG-011', name: 'https:// ACS URL', files: { [SAML]: saml() } },
  { rule: 'ECA-PLG-012', name: 'certificate and type', files: { [SAML]: saml() } },
  { rule: 'ECA-PLG-020', name: 'screen lock on', files: { [MOB]: mobile('true') } },
  { rule: 'ECA-PLG-021', name: 'a five-minute timeout', files: { [MOB]: mobile('true'), [MOBP]: mobilePolicies('Five') } },
  { rule: 'ECA-PLG-021', name: 'Never while the lock is off: ECA-PLG-020 says it once', files: { [MOB]: mobile('false'), [MOBP]: mobilePolicies('Never') } },
  { rule: 'ECA-PLG-030', name: 'Get', files: { [CANVAS]: canvas('Get') } },
];

describe('plugin type rules', () => {
  it('are registered, in the plugin-policies family, with unique ids, manual and with the Metadata API page of their type', () => {
    expect(pluginTypeRules.length).to.equal(7);
    for (const r of pluginTypeRules) {
      expect(ALL_RULES).to.include(r);
      expect(r.id).to.match(/^ECA-PLG-0\d\d$/);
      expect(r.category).to.equal('plugin-policies');
      expect(r.fixClass).to.equal('manual');
      expect(r.fixable).to.equal(false);
      expect(r.helpUri).to.match(/^https:\/\/developer\.salesforce\.com\/docs\/atlas\.en-us\.api_meta\.meta\/api_meta\/meta_extlclntapp[a-z]+\.htm$/);
      expect(RULE_KEYS.has(r.id) && RULE_KEYS.has(r.name)).to.equal(true);
    }
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(new Set(ALL_RULES.map((r) => r.name)).size).to.equal(ALL_RULES.length);
    for (const r of pluginTypeRules) {
      expect(FIRES.some((c) => c.rule === r.id), `a firing case for ${r.id}`).to.equal(true);
      expect(SILENT.some((c) => c.rule === r.id), `a silent case for ${r.id}`).to.equal(true);
    }
  });

  it('say nothing about an app without plugin files, nor about sound plugin files', () => {
    const sound = { [PUSH]: linkedPush, [SAML]: saml(), [MOB]: mobile('true'), [MOBP]: mobilePolicies('Five'), [CANVAS]: canvas('Get') };
    const plg = (fs: Finding[]): string[] => fs.filter((f) => f.ruleId.startsWith('ECA-PLG-')).map((f) => `${f.ruleId} ${f.message}`);
    expect(plg(check({}))).to.deep.equal([]);
    expect(plg(check(sound))).to.deep.equal([]);
  });

  for (const c of FIRES) {
    it(`${c.rule} fires: ${c.name}`, () => {
      const all = check(c.files);
      const mine = of(all, c.rule);
      expect(mine, all.map((f) => `${f.ruleId}: ${f.message}`).join('\n')).to.have.length(c.count ?? 1);
      if (c.expect) expect(mine[0]).to.include(c.expect);
      expect(mine[0]?.category).to.equal('plugin-policies');
      expect(mine[0]?.fix).to.equal(undefined);
    });
  }

  for (const c of SILENT) {
    it(`${c.rule} does not fire: ${c.name}`, () => {
      expect(of(check(c.files), c.rule).map((f) => f.message)).to.deep.equal([]);
    });
  }

  it('ECA-PLG-001 never carries the value in its finding', () => {
    const files = {
      [PUSH]: applePush([['certificate', P12], ['environment', 'Production'], ['password', PASSWORD], ['signingKey', SIGNING_KEY]]),
    };
    const android = { [PUSH]: androidPush(SERVICE_ACCOUNT) };
    const text = JSON.stringify([...of(check(files), 'ECA-PLG-001'), ...of(check(android), 'ECA-PLG-001')].map(({ ruleId, message, actual, expected, action }) => ({ ruleId, message, actual, expected, action })));
    for (const v of [SERVICE_ACCOUNT, SIGNING_KEY, P12, PASSWORD]) expect(text).not.to.include(v);
    expect(text).to.include('applePushConfig>/<signingKey>');
    expect(text).to.include('androidPushConfig>/<serviceAccount>');
  });
});

describe('push credentials are redacted like the consumer secret', function () {
  this.timeout(120_000);

  const applePushFile = applePush([['applicationBundle', 'com.example.app'], ['certificate', P12], ['environment', 'production'], ['keyIdentifier', 'ABC123DEFG'], ['password', PASSWORD], ['signingKey', SIGNING_KEY], ['teamIdentifier', 'TEAM123456']]);

  it('every preview (redactText) and show (showFile) hide them: the schema marks them secret', () => {
    for (const n of ['serviceAccount', 'signingKey', 'certificate', 'password']) expect(REDACTED_ELEMENT_NAMES.has(n), n).to.equal(true);
    const previews = redactText(androidPush(SERVICE_ACCOUNT)) + redactText(applePushFile);
    for (const v of [SERVICE_ACCOUNT, SIGNING_KEY, P12, PASSWORD]) expect(previews).not.to.include(v);
    for (const text of [androidPush(SERVICE_ACCOUNT), applePushFile]) {
      const file = MetadataFile.read(PUSH, text);
      expect(file).to.be.instanceOf(MetadataFile);
      const shown = JSON.stringify(showFile(file as MetadataFile, true));
      for (const v of [SERVICE_ACCOUNT, SIGNING_KEY, P12, PASSWORD]) expect(shown).not.to.include(v);
    }
  });

  it('sf eca show, check and fix --dry-run never print them', async () => {
    const dir = copyExample();
    const base = join(dir, 'force-app/main/default');
    const put = (rel: string, text: string): void => {
      mkdirSync(dirname(join(base, rel)), { recursive: true });
      writeFileSync(join(base, rel), text);
    };
    // environment in lower case: ECA-SCH-002 fixes it, so the dry run's diff shows the lines around the credentials.
    put('extlClntAppPushSettings/Order_Sync_push.ecaPush-meta.xml', applePushFile.replace(/>App</g, '>Order_Sync<'));
    put('extlClntAppPushSettings/Partner_Portal_push.ecaPush-meta.xml', androidPush(SERVICE_ACCOUNT).replace(/>App</g, '>Partner_Portal<').replace('<pushServiceType>Android', '<pushServiceType>android'));
    const outputs: string[] = [];
    for (const args of [
      ['eca', 'show', '--name', 'Order_Sync'],
      ['eca', 'show', '--name', 'Order_Sync', '--json', '--show-consumer-key'],
      ['eca', 'show', '--name', 'Partner_Portal', '--json'],
      ['eca', 'check'],
      ['eca', 'check', '--json'],
      ['eca', 'fix', '--dry-run'],
      ['eca', 'fix', '--dry-run', '--include-breaking', '--remove-secrets'],
      ['eca', 'fix', '--dry-run', '--json'],
    ]) {
      const r = await runCommand(args, dir);
      outputs.push(`$ ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
    }
    const all = outputs.join('\n');
    for (const v of [SERVICE_ACCOUNT, SIGNING_KEY, P12, PASSWORD]) expect(all.includes(v), v).to.equal(false);
    // The commands did see the files: the rule reports them and the dry run previews the push files.
    expect(all).to.include('ECA-PLG-001');
    expect(all).to.include('Order_Sync_push.ecaPush-meta.xml');
    expect(all).to.match(/\+\s*<environment>Production<\/environment>/);
  });
});
