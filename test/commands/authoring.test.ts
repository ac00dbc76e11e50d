import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { MetadataFile } from '../../src/core/model/file.js';
import { copyExample, PROJECT_ROOT, snapshot } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

const GOLDEN = join(PROJECT_ROOT, 'test', 'golden', 'set');
type SetCase = { name: string; args: string[]; changed: string[] };


const PEM = readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'certificate.pem'), 'utf8');

describe('eca set and eca generate (in-process)', () => {
  describe('set', () => {
    const cases = JSON.parse(readFileSync(join(GOLDEN, 'cases.json'), 'utf8')) as SetCase[];
    for (const c of cases) {
      it(`produces the golden files with the minimal diff: ${c.name}`, async () => {
        const dir = copyExample();
        const before = snapshot(dir);
        const r = await runCommand(['eca', 'set', ...c.args], dir);
        expect(r.code, r.stderr).to.equal(0);
        const after = snapshot(dir);
        const changed = [...after.keys()].filter((k) => before.get(k) !== after.get(k)).sort();
        expect(changed).to.deep.equal([...c.changed].sort());
        for (const path of c.changed) {
          const expected = readFileSync(join(GOLDEN, c.name, path.slice(path.lastIndexOf('/') + 1)), 'utf8');
          expect(after.get(path)).to.equal(expected);
        }
      });
    }

    it('changes nothing with --dry-run, and prints the diff', async () => {
      const dir = copyExample();
      const before = snapshot(dir);
      const r = await runCommand(['eca', 'set', '-n', 'Partner_Portal', '--ip-relaxation', 'enforce', '--dry-run'], dir);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.include('-    <ipRelaxationPolicyType>Bypass</ipRelaxationPolicyType>\n+    <ipRelaxationPolicyType>Enforce</ipRelaxationPolicyType>');
      expect(r.stdout).to.include('ipRelaxationPolicyType: Bypass → Enforce');
      expect(snapshot(dir)).to.deep.equal(before);
    });

    it('lists the findings check still reports for the app', async () => {
      const dir = copyExample();
      const r = await runCommand(['eca', 'set', '-n', 'Partner_Portal', '--ip-relaxation', 'enforce', '--json'], dir);
      const json = JSON.parse(r.stdout) as { result: { findings: Array<{ ruleId: string }> } };
      expect(json.result.findings.map((f) => f.ruleId)).to.include('ECA-POL-001').and.not.include('ECA-POL-010');
    });

    const refused: Array<[string, string[], number, string]> = [
      ['a validity with infinite', ['--refresh-token', 'infinite', '--refresh-token-validity', '30d'], 2, 'does not go with --refresh-token infinite'],
      ['a run-as user with the flow off', ['--client-credentials', 'off', '--run-as', 'a@example.com'], 2, 'which --client-credentials off turns off'],
      ['client credentials without a run-as user', ['--client-credentials', 'on'], 1, 'needs --run-as'],
      ['an unknown scope', ['--add-scope', 'api'], 2, 'api is not an OAuth scope (did you mean Api?)'],
      ['a bad IP range', ['--add-ip-range', '10.0.0.0/40'], 2, 'is not an IP range'],
      ['a bad duration', ['--refresh-token', 'inactivity', '--refresh-token-validity', 'forever'], 2, 'use a duration such as 30d'],
      ['a lifetime without validity on an app that has none', ['--refresh-token', 'lifetime'], 1, 'needs --refresh-token-validity'],
    ];
    for (const [name, args, code, text] of refused) {
      it(`refuses ${name} (exit ${code}), writing nothing`, async () => {
        const dir = copyExample();
        const before = snapshot(dir);
        const r = await runCommand(['eca', 'set', '-n', 'Partner_Portal', ...args], dir);
        expect(r.code, r.stdout).to.equal(code);
        expect(r.stderr).to.include(text);
        expect(r.stderr).to.not.match(/\n\s+at /);
        expect(snapshot(dir)).to.deep.equal(before);
      });
    }

    it('says how to get a policies file that was not retrieved', async () => {
      const r = await runCommand(['eca', 'set', '-n', 'Field_Service_Mobile', '--ip-relaxation', 'enforce'], copyExample());
      expect(r.code).to.equal(1);
      expect(r.stderr).to.include('sf eca retrieve --name Field_Service_Mobile').and.include('--create-policies');
    });

    it('names the apps when one is unknown', async () => {
      const r = await runCommand(['eca', 'set', '-n', 'Nope', '--pkce', 'on'], copyExample());
      expect(r.code).to.equal(1);
      expect(r.stderr).to.include('Desktop_CLI, Field_Service_Mobile, Order_Sync, Partner_Connector, Partner_Portal');
    });
  });

  describe('generate', () => {
    const templates: Array<[string, string[]]> = [
      ['client-credentials', ['--run-as', 'feed.integration@example.com']],
      ['jwt-bearer', ['--certificate', 'cert.pem']],
      ['web-server', ['--callback-url', 'https://app.example.com/oauth/callback']],
      ['public-client', ['--callback-url', 'com.example.app:/oauth/callback']],
      ['device', ['--accept-device-flow']],
    ];
    for (const [template, extra] of templates) {
      it(`${template}: writes files that check passes and that round-trip byte for byte`, async () => {
        const dir = copyExample();
        writeFileSync(join(dir, 'cert.pem'), PEM);
        const r = await runCommand(['eca', 'generate', '-n', 'New_App', '-t', template, '-e', 'owner@example.com', '--permission-set', 'New_App_Users', ...extra, '--json'], dir);
        expect(r.code, r.stdout + r.stderr).to.equal(0);
        const json = JSON.parse(r.stdout) as { result: { files: Array<{ path: string }>; findings: Array<{ ruleId: string }> } };
        expect(json.result.files).to.have.length(5);
        for (const f of json.result.files) {
          const text = readFileSync(join(dir, f.path), 'utf8');
          expect((MetadataFile.read(f.path, text) as MetadataFile).source).to.equal(text);
          expect(text).to.not.match(/consumerKey|consumerSecret/);
        }
        const check = JSON.parse((await runCommand(['eca', 'check', '--json'], dir)).stdout) as { result: { findings: Array<{ app: string; ruleId: string }> } };
        const mine = check.result.findings.filter((f) => f.app === 'New_App').map((f) => f.ruleId);
        expect(mine).to.deep.equal(template === 'device' ? ['ECA-GLB-014'] : []);
        expect(json.result.findings.map((f) => f.ruleId)).to.deep.equal(mine);
      });
    }

    it('leaves out the fields an older API version rejects', async () => {
      const dir = copyExample();
      const r = await runCommand(['eca', 'generate', '-n', 'Old_Api', '-t', 'web-server', '-e', 'o@example.com', '--callback-url', 'https://a.example.com/cb', '--permission-set', 'P', '--api-version', '59.0', '--json'], dir);
      expect(r.code, r.stderr).to.equal(0);
      const json = JSON.parse(r.stdout) as { result: { dropped: string[] } };
      expect(json.result.dropped).to.include('isRefreshTokenRotationEnabled').and.include('isClientCredentialsFlowEnabled');
      const glbl = readFileSync(join(dir, 'force-app/main/default/extlClntAppGlobalOauthSets/Old_Api_glbloauth.ecaGlblOauth-meta.xml'), 'utf8');
      expect(glbl).to.not.include('isRefreshTokenRotationEnabled');
    });

    it('refuses to overwrite without --force, writing nothing', async () => {
      const dir = copyExample();
      const args = ['eca', 'generate', '-n', 'Order_Sync', '-t', 'jwt-bearer', '-e', 'o@example.com', '--certificate', join(PROJECT_ROOT, 'examples/eca-project/force-app/main/default/externalClientApps/Order_Sync.eca-meta.xml'), '--permission-set', 'P'];
      writeFileSync(join(dir, 'cert.pem'), PEM);
      args[args.indexOf('--certificate') + 1] = 'cert.pem';
      const before = snapshot(dir);
      const r = await runCommand(args, dir);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.include('exist already').and.include('--force');
      expect(snapshot(dir)).to.deep.equal(before);
      expect((await runCommand([...args, '--force'], dir)).code).to.equal(0);
    });

    it('refuses invalid names, missing input and folders outside the project', async () => {
      const dir = copyExample();
      const bad = await runCommand(['eca', 'generate', '-n', '1App', '-t', 'web-server', '-e', 'o@example.com'], dir);
      expect(bad.code).to.equal(2);
      expect(bad.stderr).to.include('1App is not a valid API name: it must start with a letter');
      const missing = await runCommand(['eca', 'generate', '-n', 'App', '-t', 'client-credentials', '-e', 'o@example.com', '--permission-set', 'P'], dir);
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.include('--run-as');
      const outside = await runCommand(['eca', 'generate', '-n', 'App', '-t', 'web-server', '-e', 'o@example.com', '--callback-url', 'https://a.example.com', '--permission-set', 'P', '--output-dir', '../elsewhere'], dir);
      expect(outside.code).to.equal(1);
      expect(outside.stderr).to.include('outside the project');
      const http = await runCommand(['eca', 'generate', '-n', 'App', '-t', 'web-server', '-e', 'o@example.com', '--callback-url', 'http://a.example.com', '--permission-set', 'P'], dir);
      expect(http.code).to.equal(2);
      expect(http.stderr).to.include('use https://');
      const device = await runCommand(['eca', 'generate', '-n', 'App', '-t', 'device', '-e', 'o@example.com', '--permission-set', 'P'], dir);
      expect(device.code).to.equal(2);
      expect(device.stderr).to.include('--accept-device-flow');
    });

    it('adds the global settings to .forceignore once with --update-forceignore', async () => {
      const dir = copyExample();
      const base = ['eca', 'generate', '-t', 'web-server', '-e', 'o@example.com', '--callback-url', 'https://a.example.com/cb', '--permission-set', 'P', '--update-forceignore'];
      expect((await runCommand([...base, '-n', 'App_One'], dir)).code).to.equal(0);
      expect((await runCommand([...base, '-n', 'App_Two'], dir)).code).to.equal(0);
      const fi = readFileSync(join(dir, '.forceignore'), 'utf8');
      expect(fi.split('\n').filter((l) => l === '**/*.ecaGlblOauth-meta.xml')).to.have.length(1);
      expect(existsSync(join(dir, 'force-app/main/default/externalClientApps/App_Two.eca-meta.xml'))).to.equal(true);
    });
  });
});
