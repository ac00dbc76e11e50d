import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { copyExample, SFDX_PROJECT, tempDir, writeTree } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

const CA_PATH = 'force-app/main/default/connectedApps/Legacy_Data_Loader.connectedApp-meta.xml';
const BASE = 'force-app/main/default';
const GENERATED = [
  `${BASE}/externalClientApps/Legacy_Data_Loader.eca-meta.xml`,
  `${BASE}/extlClntAppGlobalOauthSets/Legacy_Data_Loader_glbloauth.ecaGlblOauth-meta.xml`,
  `${BASE}/extlClntAppOauthSettings/Legacy_Data_Loader_oauth.ecaOauth-meta.xml`,
  `${BASE}/extlClntAppOauthPolicies/Legacy_Data_Loader_oauth_defaultPolicy.ecaOauthPlcy-meta.xml`,
  `${BASE}/extlClntAppPolicies/Legacy_Data_Loader_plcy.ecaPlcy-meta.xml`,
];

type Finding = { ruleId: string; path: string; line: number; severity: string; from?: string };
type CheckJson = { status: number; result: { findings: Finding[] } };
type MigrateJson = {
  status: number;
  result: {
    migrations: Array<{ eca: string; findings: Finding[]; needsAcceptance: boolean; errors: Array<{ path: string; line: number; col: number; message: string }>; hardening?: { changes: Array<{ ruleId: string }> }; policies: Array<{ dimension: string; change: string; blocking: boolean }> }>;
    files: Array<{ path: string; exists: boolean; text?: string }>;
    apps: Array<{ connectedApp: string; eca: string; status: string; reason?: string; message?: string; files: string[] }>;
    written: boolean;
    errors: Array<{ path: string; line: number }>;
    needsAcceptance: string[];
  };
};

const allFiles = (dir: string): Map<string, string> => {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
};

const project = (files: Record<string, string>, apiVersion = '66.0'): string =>
  writeTree(tempDir('eca-migrate-'), {
    'sfdx-project.json': JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: apiVersion }),
    ...files,
  });

const ca = (name: string, body: string): Record<string, string> => ({
  [`force-app/main/default/connectedApps/${name}.connectedApp-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n${body}</ConnectedApp>\n`,
});

const OAUTH = (extra = '', policy = '<ipRelaxation>ENFORCE</ipRelaxation>\n        <refreshTokenPolicy>zero</refreshTokenPolicy>'): string =>
  `    <contactEmail>a@example.com</contactEmail>\n    <label>App</label>\n    <oauthConfig>\n        <callbackUrl>https://app.example.com/cb</callbackUrl>\n        <isAdminApproved>true</isAdminApproved>\n${extra}        <scopes>Api</scopes>\n    </oauthConfig>\n    <oauthPolicy>\n        ${policy}\n    </oauthPolicy>\n`;

describe('eca migrate (in-process)', () => {
  it('migrate --all --harden on the example project, then check: nothing on the migrated app', async () => {
    const dir = copyExample();
    const caBefore = readFileSync(join(dir, CA_PATH), 'utf8');
    const r = await runCommand(['eca', 'migrate', '--all', '--harden'], dir);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('Hardening (--harden)');
    expect(r.stdout).to.include('Migrated 1 Connected App of 1: wrote 5 files.');
    expect(r.stdout).to.include('Legacy_Data_Loader → Legacy_Data_Loader  migrated  5 files');
    for (const p of GENERATED) expect(existsSync(join(dir, p)), p).to.equal(true);
    // The Connected App is never edited or deleted.
    expect(readFileSync(join(dir, CA_PATH), 'utf8')).to.equal(caBefore);

    const check = JSON.parse((await runCommand(['eca', 'check', '--json', '--fail-on', 'never'], dir)).stdout) as CheckJson;
    expect(check.result.findings.filter((f) => GENERATED.includes(f.path))).to.deep.equal([]);
    // The ECA files alone: check is clean (exit 0, no finding of any severity).
    const only = await runCommand(['eca', 'check', '--json', ...GENERATED.flatMap((p) => ['--source-dir', p])], dir);
    expect(only.code, only.stdout).to.equal(0);
    expect((JSON.parse(only.stdout) as CheckJson).result.findings).to.deep.equal([]);
    // The hardened policies use the Connected App's own permission set; nothing invented.
    const policies = readFileSync(join(dir, GENERATED[3]!), 'utf8');
    expect(policies).to.include('<permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType>');
    expect(policies).to.include('<commaSeparatedPermissionSet>Legacy_Data_Loader_Users</commaSeparatedPermissionSet>');
    expect(policies).to.include('<ipRelaxationPolicyType>Enforce</ipRelaxationPolicyType>');
  });

  it('without --harden, check reports exactly the findings inherited from the weak Connected App', async () => {
    const dir = copyExample();
    const r = await runCommand(['eca', 'migrate', '--name', 'Legacy_Data_Loader', '--json'], dir);
    expect(r.code, r.stderr).to.equal(0);
    const json = JSON.parse(r.stdout) as MigrateJson;
    const reported = json.result.migrations[0]!.findings;
    // BYPASS, infinite, isAdminApproved false, no rotation: each is one finding, nothing else. No isPkceRequired
    // in the Connected App: the element is left out and the ECA default (PKCE required) applies, so no ECA-GLB-010.
    expect(reported.map((f) => `${f.ruleId} ← ${f.from ?? '?'}`).sort()).to.deep.equal([
      'ECA-GLB-011 ← oauthConfig/isRefreshTokenRotationEnabled',
      'ECA-POL-001 ← oauthConfig/isAdminApproved',
      'ECA-POL-010 ← oauthPolicy/ipRelaxation',
      'ECA-POL-020 ← oauthPolicy/refreshTokenPolicy',
    ]);
    const check = JSON.parse((await runCommand(['eca', 'check', '--json'], dir)).stdout) as CheckJson;
    const onGenerated = check.result.findings.filter((f) => GENERATED.includes(f.path));
    const key = (f: Finding): string => `${f.ruleId} ${f.path}:${f.line} ${f.severity}`;
    expect(onGenerated.map(key).sort()).to.deep.equal(reported.map(key).sort());
    // The Connected App stays in the project until it is deleted in the org: once migrated, check says so and checks the ECA instead.
    const caFindings = check.result.findings.filter((f) => f.path === CA_PATH);
    expect(caFindings.map((f) => f.ruleId)).to.deep.equal(['ECA-CA-001']);
  });

  it('--dry-run prints the report and the files, and writes nothing', async () => {
    const dir = copyExample();
    const before = allFiles(dir);
    const r = await runCommand(['eca', 'migrate', '-n', 'Legacy_Data_Loader', '--dry-run'], dir);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('oauthConfig/isAdminApproved');
    expect(r.stdout).to.include('false → AllSelfAuthorized');
    expect(r.stdout).to.include('consumer key and secret');
    expect(r.stdout).to.include('username-password flow');
    expect(r.stdout).to.include(`--- ${GENERATED[3]!}`);
    expect(r.stdout).to.include('<ipRelaxationPolicyType>Bypass</ipRelaxationPolicyType>');
    expect(r.stdout).to.include('Dry run: would write 5 files. Nothing was written.');
    expect(allFiles(dir)).to.deep.equal(before);
  });

  it('refuses to overwrite existing files unless --force, and refuses an ECA name the project uses', async () => {
    const dir = copyExample();
    expect((await runCommand(['eca', 'migrate', '-n', 'Legacy_Data_Loader'], dir)).code).to.equal(0);
    const snapshot = allFiles(dir);
    const again = await runCommand(['eca', 'migrate', '-n', 'Legacy_Data_Loader', '--harden'], dir);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.include('exist already');
    expect(again.stdout).not.to.include('Hardening');
    expect(allFiles(dir)).to.deep.equal(snapshot);
    const forced = await runCommand(['eca', 'migrate', '-n', 'Legacy_Data_Loader', '--harden', '--force'], dir);
    expect(forced.code, forced.stderr).to.equal(0);
    expect(readFileSync(join(dir, GENERATED[3]!), 'utf8')).to.include('<ipRelaxationPolicyType>Enforce</ipRelaxationPolicyType>');
    const taken = await runCommand(['eca', 'migrate', '-n', 'Legacy_Data_Loader', '--eca-name', 'Order_Sync', '--dry-run'], dir);
    expect(taken.code).to.equal(1);
    expect(taken.stderr).to.include('already has an External Client App named Order_Sync');
  });

  it('--output-dir and --eca-name place and name the files', async () => {
    const dir = copyExample();
    const r = await runCommand(['eca', 'migrate', '-n', 'Legacy_Data_Loader', '--eca-name', 'Data_Loader', '--output-dir', 'migrated', '--json'], dir);
    expect(r.code, r.stderr).to.equal(0);
    const json = JSON.parse(r.stdout) as MigrateJson;
    expect(json.result.files.map((f) => f.path)).to.deep.equal([
      'migrated/externalClientApps/Data_Loader.eca-meta.xml',
      'migrated/extlClntAppGlobalOauthSets/Data_Loader_glbloauth.ecaGlblOauth-meta.xml',
      'migrated/extlClntAppOauthSettings/Data_Loader_oauth.ecaOauth-meta.xml',
      'migrated/extlClntAppOauthPolicies/Data_Loader_oauth_defaultPolicy.ecaOauthPlcy-meta.xml',
      'migrated/extlClntAppPolicies/Data_Loader_plcy.ecaPlcy-meta.xml',
    ]);
    expect(readFileSync(join(dir, 'migrated/extlClntAppOauthSettings/Data_Loader_oauth.ecaOauth-meta.xml'), 'utf8')).to.include(
      '<externalClientApplication>Data_Loader</externalClientApplication>'
    );
  });

  it('a weaker policy is refused (exit 1, nothing written) unless --accept-weaker', async () => {
    const body = OAUTH().replace('</oauthPolicy>\n', '</oauthPolicy>\n    <profileName>Integration User</profileName>\n');
    const dir = project(ca('ERP', body), '61.0');
    const before = allFiles(dir);
    const r = await runCommand(['eca', 'migrate', '-n', 'ERP', '--json'], dir);
    expect(r.code).to.equal(1);
    const json = JSON.parse(r.stdout) as MigrateJson;
    expect(json.status).to.equal(1);
    expect(json.result.written).to.equal(false);
    expect(json.result.needsAcceptance).to.deep.equal(['ERP']);
    expect(json.result.migrations[0]!.policies.find((p) => p.dimension === 'permitted-users')).to.include({ change: 'lost', blocking: true });
    expect(allFiles(dir)).to.deep.equal(before);
    const human = await runCommand(['eca', 'migrate', '-n', 'ERP'], dir);
    expect(human.code).to.equal(1);
    expect(human.stdout).to.include('lost — needs --accept-weaker');
    expect(human.stderr).to.include('a policy would be weaker after the migration');
    const accepted = await runCommand(['eca', 'migrate', '-n', 'ERP', '--accept-weaker'], dir);
    expect(accepted.code, accepted.stderr).to.equal(0);
    expect(existsSync(join(dir, `${BASE}/extlClntAppOauthPolicies/ERP_oauth_defaultPolicy.ecaOauthPlcy-meta.xml`))).to.equal(true);
    // At API 62 the profile can be expressed: nothing to accept.
    const dir62 = project(ca('ERP', body), '62.0');
    expect((await runCommand(['eca', 'migrate', '-n', 'ERP'], dir62)).code).to.equal(0);
  });

  it('malformed values are errors naming the file and line; --all still migrates the good one', async () => {
    const dir = project({
      ...ca('Bad', OAUTH('', '<ipRelaxation>ENFORCE</ipRelaxation>\n        <refreshTokenPolicy>specific_lifetime:abc</refreshTokenPolicy>')),
      ...ca('Good', OAUTH('        <isPkceRequired>true</isPkceRequired>\n')),
      ...ca('Odd', OAUTH('', '<ipRelaxation>SOMETIMES</ipRelaxation>')),
    });
    const before = allFiles(dir);
    const dry = JSON.parse((await runCommand(['eca', 'migrate', '--all', '--json', '--dry-run'], dir)).stdout) as MigrateJson;
    expect(dry.status).to.equal(1);
    expect(dry.result.errors.map((e) => `${e.path}:${e.line}`)).to.deep.equal([
      'force-app/main/default/connectedApps/Bad.connectedApp-meta.xml:12',
      'force-app/main/default/connectedApps/Odd.connectedApp-meta.xml:11',
    ]);
    expect(dry.result.apps.map((a) => `${a.connectedApp} ${a.status} ${a.reason ?? ''}`)).to.deep.equal(['Bad failed malformed', 'Good migrated ', 'Odd failed malformed']);
    expect(allFiles(dir)).to.deep.equal(before);
    const r = await runCommand(['eca', 'migrate', '--all'], dir);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.include('force-app/main/default/connectedApps/Bad.connectedApp-meta.xml:12:9  error  refreshTokenPolicy "specific_lifetime:abc" is not zero');
    expect(r.stdout).to.include('force-app/main/default/connectedApps/Odd.connectedApp-meta.xml:11:9  error  ipRelaxation "SOMETIMES" is not one of ENFORCE');
    expect(r.stdout).to.include('Bad → Bad  failed  malformed input (1 error, listed above); nothing written for it');
    expect(r.stdout).to.include('Good → Good  migrated  5 files');
    expect(r.stdout).to.include('Migrated 1 Connected App of 3: wrote 5 files.');
    expect(r.stderr).to.include('Not migrated, see the reasons above: Bad (failed), Odd (failed).');
    const written = [...allFiles(dir).keys()].filter((p) => !before.has(p)).sort();
    expect(written).to.have.length(5);
    expect(written.every((p) => /\/Good[_.]/.test(p)), written.join(', ')).to.equal(true);
    // Again: Good's files are exactly what the migration writes (skipped, up to date); the malformed ones still fail.
    const again = JSON.parse((await runCommand(['eca', 'migrate', '--all', '--json'], dir)).stdout) as MigrateJson;
    expect(again.status).to.equal(1);
    expect(again.result.apps.find((a) => a.connectedApp === 'Good')).to.include({ status: 'skipped', reason: 'up-to-date' });
    expect(again.result.written).to.equal(false);
  });

  it('--all: a name clash and a malformed app are reported with reasons, the good one is migrated (exit 1); --dry-run the same without writing', async () => {
    const eca = (name: string): Record<string, string> => ({
      [`${BASE}/externalClientApps/${name}.eca-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>\n<ExternalClientApplication xmlns="http://soap.sforce.com/2006/04/metadata">\n    <contactEmail>a@example.com</contactEmail>\n    <distributionState>Local</distributionState>\n    <isProtected>false</isProtected>\n    <label>${name}</label>\n</ExternalClientApplication>\n`,
      [`${BASE}/extlClntAppPolicies/${name}_custom.ecaPlcy-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata">\n    <externalClientApplication>${name}</externalClientApplication>\n    <isEnabled>true</isEnabled>\n    <isOauthPluginEnabled>true</isOauthPluginEnabled>\n    <label>${name}_custom</label>\n</ExtlClntAppConfigurablePolicies>\n`,
    });
    const dir = project({
      ...ca('Clash', OAUTH()),
      ...eca('Clash'),
      ...ca('Good', OAUTH('        <isPkceRequired>true</isPkceRequired>\n')),
      ...ca('Broken', OAUTH('', '<ipRelaxation>SOMETIMES</ipRelaxation>')),
    });
    const before = allFiles(dir);
    const expectApps = (json: MigrateJson): void => {
      expect(json.status).to.equal(1);
      const apps = json.result.apps;
      expect(apps.map((a) => a.connectedApp)).to.deep.equal(['Broken', 'Clash', 'Good']);
      expect(apps[0]).to.include({ status: 'failed', reason: 'malformed' });
      expect(apps[1]).to.include({ status: 'failed', reason: 'eca-exists' });
      expect(apps[1]!.message).to.include('already has an External Client App named Clash');
      expect(apps[1]!.message).to.include('Clash_custom.ecaPlcy-meta.xml');
      expect(apps[2]).to.include({ status: 'migrated' });
      expect(apps[2]!.reason).to.equal(undefined);
      expect(apps[2]!.files).to.have.length(5);
    };

    const dry = await runCommand(['eca', 'migrate', '--all', '--dry-run', '--json'], dir);
    expect(dry.code).to.equal(1);
    const dryJson = JSON.parse(dry.stdout) as MigrateJson;
    expectApps(dryJson);
    expect(dryJson.result.written).to.equal(false);
    const dryHuman = await runCommand(['eca', 'migrate', '--all', '--dry-run'], dir);
    expect(dryHuman.code).to.equal(1);
    expect(dryHuman.stdout).to.include('Good → Good  would migrate  5 files');
    expect(dryHuman.stdout).to.include('Clash → Clash  failed  the project already has an External Client App named Clash');
    expect(dryHuman.stdout).to.include('Dry run: would migrate 1 Connected App of 3 and write 5 files. Nothing was written.');
    expect(allFiles(dir)).to.deep.equal(before);

    const r = await runCommand(['eca', 'migrate', '--all', '--json'], dir);
    expect(r.code).to.equal(1);
    const json = JSON.parse(r.stdout) as MigrateJson;
    expectApps(json);
    expect(json.result.written).to.equal(true);
    const after = allFiles(dir);
    const added = [...after.keys()].filter((p) => !before.has(p)).sort();
    expect(added).to.deep.equal([...json.result.apps[2]!.files].sort());
    for (const [p, text] of before) expect(after.get(p), p).to.equal(text);

    // --name keeps refusing the clash as a whole, before any report.
    const one = await runCommand(['eca', 'migrate', '-n', 'Clash'], dir);
    expect(one.code).to.equal(1);
    expect(one.stderr).to.include('already has an External Client App named Clash');
  });

  it('--all: files in the way and a weaker policy are skipped with their reasons; --force and --accept-weaker write them', async () => {
    const weak = OAUTH().replace('</oauthPolicy>\n', '</oauthPolicy>\n    <profileName>Integration User</profileName>\n');
    const dir = project({ ...ca('Weak', weak), ...ca('Edited', OAUTH('        <isPkceRequired>true</isPkceRequired>\n')) }, '61.0');
    expect((await runCommand(['eca', 'migrate', '-n', 'Edited'], dir)).code).to.equal(0);
    const label = `${BASE}/externalClientApps/Edited.eca-meta.xml`;
    writeTree(dir, { [label]: readFileSync(join(dir, label), 'utf8').replace('<label>App</label>', '<label>Edited by hand</label>') });
    const before = allFiles(dir);
    const r = await runCommand(['eca', 'migrate', '--all', '--json'], dir);
    expect(r.code).to.equal(1);
    const json = JSON.parse(r.stdout) as MigrateJson;
    expect(json.result.apps.map((a) => `${a.connectedApp} ${a.status} ${a.reason ?? ''}`)).to.deep.equal(['Edited skipped files-exist', 'Weak skipped weaker']);
    expect(json.result.apps[0]!.message).to.include('--force');
    expect(json.result.apps[1]!.message).to.include('--accept-weaker');
    expect(allFiles(dir)).to.deep.equal(before);
    const both = await runCommand(['eca', 'migrate', '--all', '--force', '--accept-weaker'], dir);
    expect(both.code, both.stderr).to.equal(0);
    expect(both.stdout).to.include('Migrated 2 Connected Apps of 2');
    expect(readFileSync(join(dir, label), 'utf8')).to.include('<label>App</label>');
    expect(existsSync(join(dir, `${BASE}/extlClntAppOauthPolicies/Weak_oauth_defaultPolicy.ecaOauthPlcy-meta.xml`))).to.equal(true);
  });

  it('a Connected App that is not well-formed XML is reported with its line, not "not found"', async () => {
    const dir = project({ 'force-app/main/default/connectedApps/Broken.connectedApp-meta.xml': '<?xml version="1.0"?>\n<ConnectedApp>\n  <label>x</labl>\n</ConnectedApp>\n' });
    const r = await runCommand(['eca', 'migrate', '-n', 'Broken'], dir);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(/Broken\.connectedApp-meta\.xml:3:\d+ {2}error {2}malformed XML/);
  });

  it('never prints or writes a consumer key or secret', async () => {
    const key = '3MVG9E2ETESTKEY0000000000000000000000000000000000000000000000000000';
    const secret = 'E2ETESTSECRET00000000000000000000000000000000000000000000000000000';
    const dir = project(ca('Keyed', OAUTH(`        <consumerKey>${key}</consumerKey>\n        <consumerSecret>${secret}</consumerSecret>\n`)));
    for (const args of [['--dry-run'], ['--dry-run', '--json'], ['--json']]) {
      const r = await runCommand(['eca', 'migrate', '-n', 'Keyed', ...args], dir);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout + r.stderr).to.not.include(key);
      expect(r.stdout + r.stderr).to.not.include(secret);
    }
    for (const [path, text] of allFiles(dir)) {
      if (path.endsWith('.connectedApp-meta.xml')) continue;
      expect(text, path).to.not.include(key);
      expect(text, path).to.not.include(secret);
    }
    expect((await runCommand(['eca', 'migrate', '-n', 'Keyed', '--dry-run', '--force'], dir)).stdout).to.include('(present; never shown)');
  });

  it('usage errors exit 2; an unknown Connected App exits 1 and lists the ones found', async () => {
    const dir = copyExample();
    expect((await runCommand(['eca', 'migrate'], dir)).code).to.equal(2);
    expect((await runCommand(['eca', 'migrate', '--all', '--name', 'Legacy_Data_Loader'], dir)).code).to.equal(2);
    const withAll = await runCommand(['eca', 'migrate', '--all', '--eca-name', 'X'], dir);
    expect(withAll.code).to.equal(2);
    expect(withAll.stderr).to.include('cannot be used with --all');
    const badName = await runCommand(['eca', 'migrate', '-n', 'Legacy_Data_Loader', '--eca-name', 'Bad__Name'], dir);
    expect(badName.code).to.equal(2);
    expect(badName.stderr).to.include('two underscores');
    const oldApi = await runCommand(['eca', 'migrate', '-n', 'Legacy_Data_Loader', '--api-version', '58.0'], dir);
    expect(oldApi.code).to.equal(2);
    expect(oldApi.stderr).to.include('need API 59.0 or later');
    const missing = await runCommand(['eca', 'migrate', '-n', 'Nope'], dir);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include('No Connected App named Nope');
    expect(missing.stderr).to.include('Legacy_Data_Loader');
  });

  it('--all with no Connected App does nothing, successfully', async () => {
    const dir = writeTree(tempDir('eca-migrate-'), { 'sfdx-project.json': SFDX_PROJECT, 'force-app/.keep': '' });
    const r = await runCommand(['eca', 'migrate', '--all'], dir);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('nothing to migrate');
  });

  it('documents its exit codes in --help', async () => {
    const r = await runCommand(['eca', 'migrate', '--help'], copyExample());
    expect(r.code).to.equal(0);
    expect(r.stdout).to.include('ERROR CODES');
    expect(r.stdout).to.include('--accept-weaker');
  });
});
