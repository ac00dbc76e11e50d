import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { copyExample, EXAMPLE_PROJECT, tempDir, writeTree, xmlFile, SFDX_PROJECT } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

const SECRET = 'EXAMPLE0FAKE0SECRET0DO0NOT0USE0000000000000000000000000000000000';

describe('eca list and eca show (in-process)', () => {
  describe('eca list', () => {
    it('prints the example project as a table', async () => {
      // wide enough for the whole table (test/commands/width.test.ts: narrower terminals)
      const r = await runCommand(['eca', 'list'], EXAMPLE_PROJECT, { COLUMNS: '250' });
      expect(r.code, r.stderr).to.equal(0);
      const lines = r.stdout.split('\n');
      expect(lines[0]).to.match(/^App\s+Kind\s+Client\s+Label\s+State\s+Files\s+Permitted users\s+IP relaxation\s+Refresh tokens\s+Flows$/);
      expect(r.stdout).to.match(/Order_Sync\s+ECA\s+JWT bearer\s+Order Sync\s+Local\s+H G O P L\s+admin-approved\s+enforce\s+expire immediately\s+authorization code, JWT bearer/);
      expect(r.stdout).to.match(/Partner_Portal\s+ECA\s+confidential\s+Partner Portal\s+Local\s+H G O P ·\s+all users\s+bypass\s+never expire/);
      expect(r.stdout).to.match(/Field_Service_Mobile\s+ECA\s+.*H G O · ·\s+\(not retrieved\)/);
      expect(r.stdout).to.match(/Legacy_Data_Loader\s+Connected App/);
      expect(r.stdout).to.include('5 External Client Apps, 1 Connected App.');
      expect(r.stdout).to.match(/Desktop_CLI\s+ECA\s+public\s+Desktop CLI/);
      expect(r.stdout).to.match(/Partner_Connector\s+ECA\s+confidential, packaged\s+Partner Connector\s+Packaged/);
      expect(r.stdout).to.not.include(SECRET);
    });

    it('shows the client profile, inferred or declared in the configuration ("clients")', async () => {
      const show = await runCommand(['eca', 'show', '--name', 'Desktop_CLI'], EXAMPLE_PROJECT);
      expect(show.stdout).to.include('Client:          public (the secret is optional and PKCE required)');
      const dir = copyExample();
      const pj = JSON.parse(readFileSync(join(dir, 'sfdx-project.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, 'sfdx-project.json'), JSON.stringify({ ...pj, plugins: { eca: { clients: { Partner_Portal: 'public' } } } }));
      const json = JSON.parse((await runCommand(['eca', 'list', '--json'], dir)).stdout) as { result: { apps: Array<{ name: string; client?: { kind: string; declared: boolean } }> } };
      expect(json.result.apps.find((a) => a.name === 'Partner_Portal')?.client).to.deep.include({ kind: 'public', declared: true });
      expect(json.result.apps.find((a) => a.name === 'Legacy_Data_Loader')?.client).to.equal(undefined);
    });

    it('returns the typed result with file paths under --json', async () => {
      const r = await runCommand(['eca', 'list', '--json'], EXAMPLE_PROJECT);
      expect(r.code, r.stderr).to.equal(0);
      const json = JSON.parse(r.stdout) as { status: number; result: { apps: Array<Record<string, unknown>>; problems: unknown[] } };
      expect(json.status).to.equal(0);
      const order = json.result.apps.find((a) => a.name === 'Order_Sync') as { files: Record<string, string> };
      expect(order.files.oauthPolicies).to.equal('force-app/main/default/extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml');
      expect(json.result.problems).to.deep.equal([]);
      expect(r.stdout).to.not.include(SECRET);
    });

    it('runs from anywhere with --source-dir (the README line)', async () => {
      const r = await runCommand(['eca', 'list', '--source-dir', 'examples/eca-project'], join(EXAMPLE_PROJECT, '..', '..'));
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.include('Order_Sync');
    });

    it('reports a malformed file with path, line and column, lists the rest, exits 1, no stack trace', async () => {
      const dir = copyExample();
      const bad = join(dir, 'force-app/main/default/extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml');
      writeFileSync(bad, readFileSync(bad, 'utf8').replace('<label>Order_Sync_oauthPlcy</label>', '<label>Order_Sync_oauthPlcy</lable>'));
      const r = await runCommand(['eca', 'list'], dir);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.include('Partner_Portal');
      expect(r.stdout).to.include(
        'force-app/main/default/extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml:9:32: error: malformed XML: expected </label>'
      );
      expect(r.stdout + r.stderr).to.not.match(/\n\s+at /);
      const j = await runCommand(['eca', 'list', '--json'], dir);
      expect(j.code).to.equal(1);
      const json = JSON.parse(j.stdout) as { status: number; result: { problems: Array<{ line: number; col: number }> } };
      expect(json.status).to.equal(1);
      expect(json.result.problems[0]).to.include({ line: 9, col: 32 });
    });

    it('explains what to do outside a project', async () => {
      const r = await runCommand(['eca', 'list'], tempDir());
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('No sfdx-project.json was found');
      expect(r.stderr).to.include('--source-dir');
      expect(r.stderr).to.not.match(/\n\s+at /);
      const j = await runCommand(['eca', 'list', '--json'], tempDir());
      const json = JSON.parse(j.stdout) as { name: string; status: number; actions: string[] };
      expect(json).to.include({ name: 'NoProjectError', status: 2 });
      expect(json.actions.join(' ')).to.include('--source-dir');
    });

    it('documents its exit codes in --help', async () => {
      const r = await runCommand(['eca', 'list', '--help'], EXAMPLE_PROJECT);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.include('ERROR CODES');
      expect(r.stdout).to.include('--source-dir');
    });
  });

  describe('eca show', () => {
    it('shows every value with its meaning, never the secret', async () => {
      const r = await runCommand(['eca', 'show', '--name', 'Partner_Portal'], EXAMPLE_PROJECT);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.include('Permitted users: all users may self-authorize');
      expect(r.stdout).to.match(/permittedUsersPolicyType\s+AllSelfAuthorized\s+all users may self-authorize/);
      expect(r.stdout).to.match(/consumerSecret\s+\(secret present; never shown\)/);
      expect(r.stdout).to.not.include(SECRET);
    });

    it('never returns the secret in JSON, even with --show-consumer-key', async () => {
      const r = await runCommand(['eca', 'show', '-n', 'Partner_Portal', '--show-consumer-key', '--json'], EXAMPLE_PROJECT);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.not.include(SECRET);
      const json = JSON.parse(r.stdout) as { result: { files: Array<{ kind: string; values: Array<{ element: string; redacted: boolean }> }> } };
      const glbl = json.result.files.find((f) => f.kind === 'globalOauth');
      expect(glbl?.values.find((v) => v.element === 'consumerSecret')?.redacted).to.equal(true);
    });

    it('shows the consumer key only with --show-consumer-key', async () => {
      const dir = writeTree(tempDir(), {
        'sfdx-project.json': SFDX_PROJECT,
        'force-app/a/A.eca-meta.xml': xmlFile('ExternalClientApplication', [['label', 'A']]),
        'force-app/a/A_glbloauth.ecaGlblOauth-meta.xml': xmlFile('ExtlClntAppGlobalOauthSettings', [
          ['consumerKey', '3MVG9SECRETKEYVALUE'],
          ['externalClientApplication', 'A'],
        ]),
      });
      expect((await runCommand(['eca', 'show', '-n', 'A'], dir)).stdout).to.not.include('3MVG9SECRETKEYVALUE');
      expect((await runCommand(['eca', 'show', '-n', 'A', '--show-consumer-key'], dir)).stdout).to.include('3MVG9SECRETKEYVALUE');
    });

    it('shows a Connected App', async () => {
      const r = await runCommand(['eca', 'show', '-n', 'Legacy_Data_Loader'], EXAMPLE_PROJECT);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.include('Legacy_Data_Loader (Connected App)');
      expect(r.stdout).to.match(/ipRelaxation\s+BYPASS/);
    });

    it('lists the apps found when the name is unknown', async () => {
      const r = await runCommand(['eca', 'show', '-n', 'Nope'], EXAMPLE_PROJECT);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.include('No External Client App or Connected App named Nope');
      expect(r.stderr).to.include('Desktop_CLI, Field_Service_Mobile, Order_Sync, Partner_Connector, Partner_Portal, Legacy_Data_Loader (Connected App)');
    });

    it('requires --name (usage error, exit 2)', async () => {
      const r = await runCommand(['eca', 'show'], EXAMPLE_PROJECT);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('Missing required flag name');
    });
  });
});
