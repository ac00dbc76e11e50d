/*
 * retrieve, diff and audit see every ECA type SDR can retrieve (SAML, canvas, mobile, notifications,
 * push, OAuth security, attestation), not only the OAuth five; types newer than the org are not asked
 * for, and a type the org does not know is skipped. In-process against the emulator.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ECA_ORG_TYPES, ECA_TYPES_NOT_IN_SDR, ecaOrgTypesFor } from '../../src/adapters/org.js';
import { ECA_TYPES } from '../../src/core/model/schema.js';
import { FAKE_PUSH_SECRETS, samlMobileApp, useEmulatorOrg } from '../support/emulator/index.js';
import { copyExample, type RunResult, snapshot, tempDir } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

const APP = 'Sso_Portal';
const D = 'force-app/main/default';
const SAML = `${D}/extlClntAppSamlConfigurablePolicies/${APP}_samlPlcy.ecaSamlPlcy-meta.xml`;
const PUSH = `${D}/extlClntAppPushSettings/${APP}_push.ecaPush-meta.xml`;
const MOBILE = `${D}/extlClntAppMobileSettings/${APP}_mobile.ecaMobile-meta.xml`;

type RetrieveJson = { result: { files: Array<{ path: string; type: string; action: string; leftOut: string[] }> } };

/** No fake push credential anywhere: in the outputs, or in any file of the folder. */
const expectNoPushSecret = (r: RunResult, dir?: string): void => {
  for (const secret of Object.values(FAKE_PUSH_SECRETS)) {
    expect(r.stdout + r.stderr, secret).to.not.include(secret);
    if (dir) for (const [path, text] of snapshot(dir)) expect(text, `${path} holds ${secret}`).to.not.include(secret);
  }
};

/** The types asked for in each listMetadata call, in order. */
const listedTypes = (requests: ReadonlyArray<{ op: string; args?: unknown }>): string[][] =>
  requests
    .filter((r) => r.op === 'listMetadata')
    .map((r) => {
      const queries = (r.args as { queries?: unknown }).queries;
      return (Array.isArray(queries) ? queries : [queries]).map((q) => (q as { type: string }).type);
    });

describe('ECA types beyond OAuth', () => {
  it('lists and retrieves every modelled type SDR knows, with the suffix and folder of the schema', () => {
    expect(ECA_TYPES_NOT_IN_SDR).to.deep.equal([]);
    expect(ECA_ORG_TYPES).to.deep.equal(ECA_TYPES.map((t) => t.name));
    expect(ECA_ORG_TYPES[0]).to.equal('ExternalClientApplication');
    expect(ecaOrgTypesFor(67)).to.have.length(15);
    // core's fallback when it could not resolve an access-token org's version: not the org's, so every type
    expect(ecaOrgTypesFor(50)).to.deep.equal(ECA_ORG_TYPES);
    expect(ecaOrgTypesFor(66)).to.have.length(12).and.not.include.members(['ExtlClntAppOauthSecuritySettings', 'ExtlClntAppAttestSettings']);
    expect(ecaOrgTypesFor(63)).to.deep.equal([
      'ExternalClientApplication',
      'ExtlClntAppGlobalOauthSettings',
      'ExtlClntAppOauthSettings',
      'ExtlClntAppOauthConfigurablePolicies',
      'ExtlClntAppConfigurablePolicies',
      'ExtlClntAppSamlConfigurablePolicies',
    ]);
  });

  describe('against an org at API 66', function () {
    this.timeout(60_000);
    const org = useEmulatorOrg();
    const sf = (args: string[], cwd: string): Promise<RunResult> => runCommand(['eca', ...args, '--target-org', 'emu'], cwd, org.env);
    const seed = (options: { signing?: 'SHA1' | 'SHA256'; canvas?: boolean } = {}): void => {
      const result = org.emu.applyComponents(samlMobileApp(APP, options));
      expect(result.success, JSON.stringify(result)).to.equal(true);
    };

    it('retrieve writes the SAML, mobile, notification and push files; push credentials are left out and named', async () => {
      seed({ canvas: true });
      const dir = copyExample();
      const r = await sf(['retrieve', '--name', APP, '--json'], dir);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      const files = (JSON.parse(r.stdout) as RetrieveJson).result.files;
      expect(files.map((f) => f.path).sort()).to.deep.equal(
        [
          `${D}/externalClientApps/${APP}.eca-meta.xml`,
          `${D}/extlClntAppPolicies/${APP}_plcy.ecaPlcy-meta.xml`,
          SAML,
          `${D}/extlClntAppCanvasSettings/${APP}_canvas.ecaCanvas-meta.xml`,
          MOBILE,
          `${D}/extlClntAppMobilePolicies/${APP}_mobilePlcy.ecaMobilePlcy-meta.xml`,
          `${D}/extlClntAppNotifSettings/${APP}_notifications.ecaNotifications-meta.xml`,
          PUSH,
          `${D}/extlClntAppPushPolicies/${APP}_pushPlcy.ecaPushPlcy-meta.xml`,
        ].sort()
      );
      expect(files.every((f) => f.action === 'created')).to.equal(true);
      expect(files.find((f) => f.path === PUSH)?.leftOut).to.have.members(['serviceAccount', 'password', 'signingKey']);
      // what the org holds, less the credentials
      expect(readFileSync(join(dir, SAML), 'utf8')).to.equal(org.emu.get('ExtlClntAppSamlConfigurablePolicies', `${APP}_samlPlcy`));
      expect(readFileSync(join(dir, MOBILE), 'utf8')).to.include('<isScreenLockEnabled>true</isScreenLockEnabled>');
      const push = readFileSync(join(dir, PUSH), 'utf8');
      expect(push).to.include('<fcmProject>example-mobile-4f2a1</fcmProject>').and.include('<keyIdentifier>ABC123DEFG</keyIdentifier>');
      expect(push).to.not.match(/<(serviceAccount|password|signingKey)>/);
      expectNoPushSecret(r, dir);
      // 12 types at API 66, three per call; one retrieve
      expect(org.emu.ops()).to.deep.equal(['listMetadata', 'listMetadata', 'listMetadata', 'listMetadata', 'retrieve', 'checkRetrieveStatus']);
      expect(listedTypes(org.emu.requests).flat()).to.deep.equal(ecaOrgTypesFor(66));

      // the human output names what was left out; a second retrieve changes nothing
      const again = await sf(['retrieve', '--name', APP], dir);
      expect(again.code, again.stderr).to.equal(0);
      expect(again.stdout + again.stderr).to.include(`${APP} push settings: serviceAccount, password, signingKey left out`);
      expect(again.stdout).to.include('0 file(s) created, 0 updated');
      expectNoPushSecret(again, dir);
    });

    it('retrieve --dry-run shows the push file without its credentials and writes nothing', async () => {
      seed();
      const dir = copyExample();
      const before = snapshot(dir);
      const r = await sf(['retrieve', '--name', APP, '--dry-run'], dir);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.include('+        <fcmProject>example-mobile-4f2a1</fcmProject>').and.not.match(/<(serviceAccount|password|signingKey)>/);
      expectNoPushSecret(r);
      expect(snapshot(dir)).to.deep.equal(before);
    });

    it('diff reports a SAML policies field difference (exit 1), and nothing when equal (exit 0), never the org\'s push credentials', async () => {
      seed();
      const dir = copyExample();
      expect((await sf(['retrieve', '--name', APP], dir)).code).to.equal(0);
      // the org still holds the push credentials the project leaves out: that is not a difference
      const same = await sf(['diff', '--name', APP], dir);
      expect(same.code, same.stdout + same.stderr).to.equal(0);
      expect(same.stdout).to.include('No difference in 1 app(s).');
      expectNoPushSecret(same);
      writeFileSync(join(dir, SAML), readFileSync(join(dir, SAML), 'utf8').replace('<signingAlgorithmType>SHA256<', '<signingAlgorithmType>SHA1<'));
      const r = await sf(['diff', '--name', APP, '--json'], dir);
      expect(r.code, r.stdout + r.stderr).to.equal(1);
      const json = JSON.parse(r.stdout) as { result: { differences: unknown[] } };
      expect(json.result.differences).to.deep.equal([
        { app: APP, kind: 'samlPolicies', localPath: SAML, orgName: `${APP}_samlPlcy`, element: 'signingAlgorithmType', local: 'SHA1', org: 'SHA256' },
      ]);
      expectNoPushSecret(r);
      const human = await sf(['diff', '--name', APP], dir);
      expect(human.code).to.equal(1);
      expect(human.stdout).to.match(/signingAlgorithmType\s+SHA1\s+SHA256/);
    });

    it('audit runs the plugin rules on an org app (SHA1 SAML signing: ECA-PLG-010)', async () => {
      seed({ signing: 'SHA1' });
      const empty = tempDir();
      const r = await sf(['audit', '--json'], empty);
      expect(r.code, r.stdout + r.stderr).to.equal(1);
      const findings = (JSON.parse(r.stdout) as { result: { findings: Array<{ ruleId: string; app: string; path: string }> } }).result.findings;
      const plg010 = findings.find((f) => f.ruleId === 'ECA-PLG-010');
      expect(plg010).to.include({ app: APP, path: `org:extlClntAppSamlConfigurablePolicies/${APP}_samlPlcy.ecaSamlPlcy-meta.xml` });
      // the push credentials are in the org's file: the rule that reports them never shows their values
      expect(findings.map((f) => f.ruleId)).to.include('ECA-PLG-001');
      expectNoPushSecret(r);
      expect([...snapshot(empty).keys()]).to.deep.equal([]);
      expect(org.emu.count('listMetadata')).to.equal(5); // 12 ECA types + ConnectedApp
    });

    it('skips a type the org does not know (a pilot feature not enabled): the batch is listed again type by type', async () => {
      seed();
      org.emu.disabledTypes.add('ExtlClntAppPushSettings');
      const dir = copyExample();
      const r = await sf(['retrieve', '--name', APP, '--json'], dir);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      const types = (JSON.parse(r.stdout) as RetrieveJson).result.files.map((f) => f.type);
      expect(types).to.include.members(['ExtlClntAppSamlConfigurablePolicies', 'ExtlClntAppPushConfigurablePolicies']).and.not.include('ExtlClntAppPushSettings');
      const calls = listedTypes(org.emu.requests);
      expect(calls.slice(3)).to.deep.equal([
        ['ExtlClntAppNotificationSettings', 'ExtlClntAppPushSettings', 'ExtlClntAppPushConfigurablePolicies'],
        ['ExtlClntAppNotificationSettings'],
        ['ExtlClntAppPushSettings'],
        ['ExtlClntAppPushConfigurablePolicies'],
      ]);
    });

    it('an org that does not know the header type is an org error (exit 20), not a skipped type', async () => {
      seed();
      org.emu.disabledTypes.add('ExternalClientApplication');
      const dir = copyExample();
      const before = snapshot(dir);
      const r = await sf(['retrieve', '--name', APP], dir);
      expect(r.code, r.stdout + r.stderr).to.equal(20);
      expect(r.stderr).to.include('INVALID_TYPE');
      expect(snapshot(dir)).to.deep.equal(before);
    });
  });

  describe('against an org at API 63', function () {
    this.timeout(60_000);
    const org = useEmulatorOrg({ apiVersion: '63.0' });
    const sf = (args: string[], cwd: string): Promise<RunResult> => runCommand(['eca', ...args, '--target-org', 'emu'], cwd, org.env);

    it('asks only for the types the org has (SAML, not mobile or push): two listMetadata calls', async () => {
      const app = samlMobileApp(APP).filter((c) => ['ExternalClientApplication', 'ExtlClntAppConfigurablePolicies', 'ExtlClntAppSamlConfigurablePolicies'].includes(c.type));
      expect(org.emu.applyComponents(app).success).to.equal(true);
      const dir = copyExample();
      const r = await sf(['retrieve', '--name', APP, '--json'], dir);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      expect((JSON.parse(r.stdout) as RetrieveJson).result.files.map((f) => f.type)).to.include('ExtlClntAppSamlConfigurablePolicies');
      expect(listedTypes(org.emu.requests).flat()).to.deep.equal(ecaOrgTypesFor(63));
      expect(org.emu.count('listMetadata')).to.equal(2);
    });
  });
});
