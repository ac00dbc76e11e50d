/*
 * Proves the org emulator against the real client libraries: @salesforce/core (AuthInfo, Org,
 * Connection), jsforce-node's Metadata API client and SDR 13.7 (ComponentSet deploy/retrieve).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Lifecycle, Org, type Connection } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import { ComponentSet, ComponentStatus, RegistryAccess, type DeployResult } from '@salesforce/source-deploy-retrieve';
import JSZip from 'jszip';
import { OrgEmulator, authorizeEmulatorOrg, metadataFile, withTimeout, type EmulatorAuth } from '../support/emulator/index.js';
import { PROJECT_ROOT, SFDX_PROJECT, tempDir, writeTree } from '../support/helpers.js';

const ECA = 'ExternalClientApplication';
const GLOBAL = 'ExtlClntAppGlobalOauthSettings';
const SETTINGS = 'ExtlClntAppOauthSettings';
const POLICIES = 'ExtlClntAppOauthConfigurablePolicies';
const DEFAULT = 'force-app/main/default';

const header = (label = 'My App'): string =>
  metadataFile(ECA, [
    ['contactEmail', 'owner@example.com'],
    ['distributionState', 'Local'],
    ['isProtected', 'false'],
    ['label', label],
  ]);
const globalSettings = metadataFile(GLOBAL, [
  ['callbackUrl', 'https://app.example.com/cb'],
  ['externalClientApplication', 'MyApp'],
  ['isConsumerSecretOptional', 'false'],
  ['label', 'MyApp global'],
]);
const oauthSettings = (app = 'MyApp'): string =>
  metadataFile(SETTINGS, [
    ['commaSeparatedOauthScopes', 'Api, RefreshToken'],
    ['externalClientApplication', app],
    ['label', `${app} OAuth`],
  ]);
const policies = (app: string, label: string): string =>
  metadataFile(POLICIES, [
    ['externalClientApplication', app],
    ['label', label],
    ['permittedUsersPolicyType', 'AdminApprovedPreAuthorized'],
  ]);

const packageXml = (types: Record<string, string[]>): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${Object.entries(types)
    .map(([name, members]) => `    <types>\n${members.map((m) => `        <members>${m}</members>\n`).join('')}        <name>${name}</name>\n    </types>\n`)
    .join('')}    <version>66.0</version>\n</Package>\n`;

/** A temp sfdx project holding the MyApp header, global OAuth settings and OAuth settings (source format). */
const eca = (): string =>
  writeTree(tempDir('eca-emu-proj-'), {
    'sfdx-project.json': SFDX_PROJECT,
    [`${DEFAULT}/externalClientApps/MyApp.eca-meta.xml`]: header(),
    [`${DEFAULT}/extlClntAppGlobalOauthSets/MyApp_glbloauth.ecaGlblOauth-meta.xml`]: globalSettings,
    [`${DEFAULT}/extlClntAppOauthSettings/MyAppOAuth.ecaOauth-meta.xml`]: oauthSettings(),
  });

const fast = { frequency: Duration.milliseconds(10), timeout: Duration.seconds(5) };

/** Catches the rejection of a promise (fails when it resolves). */
const rejection = async (p: Promise<unknown>): Promise<Error & { errorCode?: string }> => {
  try {
    await p;
  } catch (e) {
    return e as Error & { errorCode?: string };
  }
  throw new Error('expected a rejection');
};

describe('org emulator', function () {
  this.timeout(15_000);
  const emu = new OrgEmulator();
  let auth: EmulatorAuth;
  let conn: Connection;
  const dirs: string[] = [];
  const project = (): string => {
    const d = eca();
    dirs.push(d);
    return d;
  };
  /** jsforce's read() only types the types it knows; the ECA types come back as plain records. */
  const read = (type: string, names: string | string[]): Promise<unknown> => conn.metadata.read(type as never, names as never);
  const deploySource = async (dir: string, apiOptions: Record<string, unknown> = {}): Promise<DeployResult> => {
    const cs = ComponentSet.fromSource(join(dir, 'force-app'));
    const op = await cs.deploy({ usernameOrConnection: conn, apiOptions });
    return op.pollStatus(fast);
  };

  before(async () => {
    await emu.start();
    auth = await authorizeEmulatorOrg(emu, { alias: 'emu' });
    const org = await Org.create({ aliasOrUsername: 'emu' });
    conn = org.getConnection();
  });
  after(async () => {
    await auth?.restore();
    await emu.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  beforeEach(() => {
    emu.reset();
  });

  describe('auth', () => {
    it('authorizes by access token with zero discovery calls, at the advertised API version', () => {
      expect(emu.requests).to.have.length(0);
      expect(conn.getApiVersion()).to.equal('66.0');
      expect(conn.instanceUrl).to.equal(emu.url);
      expect(conn.getAuthInfoFields().orgId).to.equal(emu.orgId);
      expect(emu.orgId).to.equal('00D000000000001EAA');
      expect(existsSync(join(auth.home, '.sfdx', `${emu.username}.json`))).to.equal(true);
      expect(auth.env).to.include({ HOME: auth.home, SF_USE_GENERIC_UNIX_KEYCHAIN: 'true' });
    });

    it('serves the REST calls core makes (versions, Organization query, userinfo)', async () => {
      const versions = await conn.request<Array<{ version: string }>>(`${emu.url}/services/data`);
      expect(versions.at(-1)!.version).to.equal('66.0');
      const orgs = await conn.query<{ Name: string; OrganizationType: string }>('SELECT Name, OrganizationType FROM Organization');
      expect(orgs.records[0]).to.include({ Name: 'Emulated Org', OrganizationType: 'Developer Edition' });
      const info = await conn.request<{ organization_id: string; preferred_username: string }>(`${emu.url}/services/oauth2/userinfo`);
      expect(info).to.include({ organization_id: emu.orgId, preferred_username: emu.username });
      expect(emu.ops()).to.deep.equal(['versions', 'query', 'userinfo']);
    });

    it('lets a child process use the same org through childEnv', async () => {
      const script = `import { Org } from '@salesforce/core';
        const org = await Org.create({ aliasOrUsername: 'emu' });
        const list = await org.getConnection().metadata.list([{ type: 'ExternalClientApplication' }], '66.0');
        console.log(JSON.stringify({ home: process.env.HOME, names: [list].flat().map((p) => p.fullName) }));`;
      emu.put(ECA, 'MyApp', header());
      const out = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: PROJECT_ROOT, env: auth.childEnv });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}: ${stderr}`))));
      });
      expect(JSON.parse(out)).to.deep.equal({ home: auth.home, names: ['MyApp'] });
      expect(emu.ops()).to.deep.equal(['listMetadata']);
    });
  });

  describe('Connection metadata calls', () => {
    it('list: FileProperties per component, [] for none', async () => {
      emu.put(ECA, 'MyApp', header());
      emu.put(ECA, 'Other', header('Other'));
      const props = await conn.metadata.list([{ type: ECA }], '66.0');
      expect(props.map((p) => p.fullName)).to.deep.equal(['MyApp', 'Other']);
      expect(props[0]).to.include({ fileName: 'externalClientApps/MyApp.eca', type: ECA, manageableState: 'unmanaged' });
      expect(props[0]!.id).to.match(/^0H4\w{15}$/);
      expect(props[0]!.lastModifiedDate).to.match(/^\d{4}-\d\d-\d\dT/);
      expect(await conn.metadata.list([{ type: POLICIES }], '66.0')).to.deep.equal([]);
      expect(emu.requests[0]).to.include({ api: 'soap', op: 'listMetadata', soapAction: '""', sessionId: emu.accessToken, path: '/services/Soap/m/66.0' });
    });

    it('read: the stored fields as a record (and a nil record for a missing name)', async () => {
      emu.put(ECA, 'MyApp', header());
      const rec = (await read(ECA, 'MyApp')) as Record<string, string>;
      expect(rec).to.include({ fullName: 'MyApp', contactEmail: 'owner@example.com', label: 'My App', distributionState: 'Local' });
      const [found, missing] = (await read(ECA, ['MyApp', 'Nope'])) as Array<Record<string, string>>;
      expect(found!.fullName).to.equal('MyApp');
      expect(missing?.fullName).to.equal(undefined);
    });

    it('upsert goes through the same save path (validation and lifecycle)', async () => {
      emu.put(ECA, 'MyApp', header());
      const res = await conn.metadata.upsert(SETTINGS, {
        fullName: 'MyAppOAuth',
        externalClientApplication: 'MyApp',
        commaSeparatedOauthScopes: 'Api',
        label: 'OAuth',
      } as never);
      expect(res).to.include({ created: true, fullName: 'MyAppOAuth', success: true });
      expect(emu.get(SETTINGS, 'MyAppOAuth')).to.include('<commaSeparatedOauthScopes>Api</commaSeparatedOauthScopes>');
      expect(emu.list(POLICIES)).to.deep.equal(['MyAppOAuth_defaultPolicy']);
      const bad = await conn.metadata.upsert(SETTINGS, { fullName: 'X', externalClientApplication: 'Ghost', label: 'x' } as never);
      expect(bad).to.deep.include({ success: false });
    });
  });

  describe('SDR deploy', () => {
    it('deploys source ECA files over SOAP, applies them and runs the ECA lifecycle', async () => {
      const t0 = Date.now();
      const result = await deploySource(project());
      expect(Date.now() - t0).to.be.below(2000);
      expect(result.response).to.include({ success: true, status: 'Succeeded', checkOnly: false, numberComponentsDeployed: 3 });
      const states = result.getFileResponses().map((f) => `${f.type}:${f.fullName}:${f.state}`);
      expect(states).to.have.members([`${ECA}:MyApp:Created`, `${GLOBAL}:MyApp_glbloauth:Created`, `${SETTINGS}:MyAppOAuth:Created`]);

      expect(emu.ops()).to.deep.equal(['deploy', 'checkDeployStatus']);
      const sent = emu.lastDeploy()!;
      expect(sent.entries).to.have.members([
        'package.xml',
        'externalClientApps/MyApp.eca',
        'extlClntAppGlobalOauthSets/MyApp_glbloauth.ecaGlblOauth',
        'extlClntAppOauthSettings/MyAppOAuth.ecaOauth',
      ]);
      expect(sent.members).to.deep.equal({ [ECA]: ['MyApp'], [GLOBAL]: ['MyApp_glbloauth'], [SETTINGS]: ['MyAppOAuth'] });
      expect(sent).to.include({ api: 'soap', checkOnly: false, version: '66.0' });
      expect(sent.options).to.include({ rollbackOnError: 'true', singlePackage: 'true', checkOnly: 'false' });
      expect(emu.requests[1]!.args).to.deep.include({ includeDetails: 'true' });

      // state: the deployed files plus what the org generates
      expect(emu.get(ECA, 'MyApp')).to.include(`<orgScopedExternalApp>${emu.orgId}:MyApp</orgScopedExternalApp>`);
      expect(emu.get(GLOBAL, 'MyApp_glbloauth')).to.match(/<consumerKey>3MVG9\w{80}<\/consumerKey>/);
      expect(emu.get(GLOBAL, 'MyApp_glbloauth')).to.match(/<consumerSecret>[0-9A-F]{64}<\/consumerSecret>/);
      expect(emu.get(SETTINGS, 'MyAppOAuth')).to.match(new RegExp(`<oauthLink>${emu.orgId}:0H4\\w{15}</oauthLink>`));
      const policy = emu.get(POLICIES, 'MyAppOAuth_defaultPolicy')!;
      expect(policy).to.include('<externalClientApplication>MyApp</externalClientApplication>');
      expect(policy).to.include('<permittedUsersPolicyType>AllSelfAuthorized</permittedUsersPolicyType>');

      const listed = await conn.metadata.list([{ type: POLICIES }], '66.0');
      expect([listed].flat().map((p) => p.fullName)).to.deep.equal(['MyAppOAuth_defaultPolicy']);
    });

    it('a redeploy keeps the generated key and reports Unchanged', async () => {
      const dir = project();
      await deploySource(dir);
      const key = /<consumerKey>(\w+)</.exec(emu.get(GLOBAL, 'MyApp_glbloauth')!)![1];
      const again = await deploySource(dir);
      expect(again.getFileResponses().map((f) => f.state)).to.deep.equal(['Unchanged', 'Unchanged', 'Unchanged']);
      expect(emu.get(GLOBAL, 'MyApp_glbloauth')).to.include(`<consumerKey>${key}</consumerKey>`);
    });

    it('deploys over REST (multipart deployRequest) too', async () => {
      const result = await deploySource(project(), { rest: true });
      expect(result.response.success).to.equal(true);
      expect(emu.ops()).to.deep.equal(['deployRequest', 'deployRequestStatus']);
      expect(emu.lastDeploy()).to.include({ api: 'rest', checkOnly: false });
      expect(emu.lastDeploy()!.options).to.include({ singlePackage: true, rollbackOnError: true });
      expect(emu.requests[1]!.query).to.deep.equal({ includeDetails: 'true' });
      expect(emu.list(ECA)).to.deep.equal(['MyApp']);
    });

    it('checkOnly validates but changes nothing', async () => {
      const result = await deploySource(project(), { checkOnly: true });
      expect(result.response).to.include({ success: true, checkOnly: true });
      expect(result.getFileResponses().map((f) => f.state)).to.deep.equal(['Created', 'Created', 'Created']);
      expect(emu.lastDeploy()!.checkOnly).to.equal(true);
      expect(emu.components()).to.deep.equal([]);
    });

    it('an OAuth policies file under another fullName fails with the duplicate-value error, rolled back', async () => {
      emu.applyComponents([
        { type: ECA, fullName: 'MyApp', xml: header() },
        { type: SETTINGS, fullName: 'MyAppOAuth', xml: oauthSettings() },
      ]);
      expect(emu.list(POLICIES)).to.deep.equal(['MyAppOAuth_defaultPolicy']);
      const dir = project();
      writeTree(dir, { [`${DEFAULT}/extlClntAppOauthPolicies/MyApp_oauthPlcy.ecaOauthPlcy-meta.xml`]: policies('MyApp', 'P') });
      const result = await deploySource(dir);
      expect(result.response).to.include({ success: false, status: 'Failed', numberComponentErrors: 1 });
      const failed = result.getFileResponses().filter((f) => f.state === ComponentStatus.Failed);
      expect(failed).to.have.length(1);
      expect(failed[0]).to.include({
        type: POLICIES,
        fullName: 'MyApp_oauthPlcy',
        error: 'duplicate value found: ExternalClientApplicationId duplicates value on MyAppOAuth_defaultPolicy',
      });
      expect(emu.list(POLICIES)).to.deep.equal(['MyAppOAuth_defaultPolicy']);
      expect(emu.list(GLOBAL)).to.deep.equal([]); // rolled back
    });

    it('the same policies fullName updates the record', async () => {
      emu.applyComponents([
        { type: ECA, fullName: 'MyApp', xml: header() },
        { type: SETTINGS, fullName: 'MyAppOAuth', xml: oauthSettings() },
      ]);
      const dir = project();
      writeTree(dir, {
        [`${DEFAULT}/extlClntAppOauthPolicies/MyAppOAuth_defaultPolicy.ecaOauthPlcy-meta.xml`]: policies('MyApp', 'edited'),
      });
      const result = await deploySource(dir);
      expect(result.response.success).to.equal(true);
      expect(emu.get(POLICIES, 'MyAppOAuth_defaultPolicy')).to.include('<label>edited</label>');
    });

    it('a child naming an unknown app fails', async () => {
      const dir = writeTree(tempDir('eca-emu-proj-'), {
        'sfdx-project.json': SFDX_PROJECT,
        [`${DEFAULT}/extlClntAppOauthSettings/GhostOAuth.ecaOauth-meta.xml`]: oauthSettings('Ghost'),
      });
      dirs.push(dir);
      const result = await deploySource(dir);
      expect(result.getFileResponses()[0]).to.include({
        state: 'Failed',
        error: 'In field: externalClientApplication - no ExternalClientApplication named Ghost found',
      });
    });

    it('injected component failures carry problem, line and column; with rollbackOnError=false the rest is saved', async () => {
      emu.failComponent(ECA, 'MyApp', { problem: 'The contactEmail field is required for an external client app.', line: 3, column: 5 });
      const result = await deploySource(project());
      expect(result.response).to.include({ success: false, status: 'Failed' });
      const failure = result.getFileResponses().find((f) => f.state === ComponentStatus.Failed)!;
      expect(failure).to.include({ type: ECA, fullName: 'MyApp', problemType: 'Error', lineNumber: 3, columnNumber: 5 });
      // SDR appends the position to the problem text
      expect(failure).to.include({ error: 'The contactEmail field is required for an external client app. (3:5)' });
      expect(failure.filePath).to.match(/externalClientApps[/\\]MyApp\.eca-meta\.xml$/);
      expect(emu.components()).to.deep.equal([]);

      emu.failComponent(GLOBAL, 'MyApp_glbloauth', { problem: 'nope' });
      const partial = await deploySource(project(), { rollbackOnError: false });
      expect(partial.response).to.include({ success: true, status: 'SucceededPartial' });
      expect(emu.list(GLOBAL)).to.deep.equal([]);
      expect(emu.list(SETTINGS)).to.deep.equal([]); // its app failed, so the settings fail too
    });

    it('raw jsforce deploy: a zip with a package folder, destructiveChanges, a missing member', async () => {
      emu.put(ECA, 'Old', header('Old'));
      const zip = new JSZip();
      zip.file('unpackaged/package.xml', packageXml({ [ECA]: ['New', 'Ghost'] }));
      zip.file('unpackaged/destructiveChanges.xml', packageXml({ [ECA]: ['Old'] }));
      zip.file('unpackaged/externalClientApps/New.eca', header('New'));
      const buf = await zip.generateAsync({ type: 'nodebuffer' });
      const started = await conn.metadata.deploy(buf, { rollbackOnError: false });
      const done = await conn.metadata.checkDeployStatus(started.id, true);
      expect(done).to.include({ done: true, status: 'SucceededPartial', numberComponentErrors: 1 });
      const failures = [done.details.componentFailures].flat();
      expect(failures[0]).to.include({
        fullName: 'Ghost',
        problem: "An object 'Ghost' of type ExternalClientApplication was named in package.xml, but was not found in zipped directory",
      });
      const successes = [done.details.componentSuccesses].flat().map((c) => `${c.fullName}:${String(c.created)}:${String(c.deleted)}`);
      expect(successes).to.have.members(['New:true:false', 'Old:false:true', 'package.xml:false:false']);
      expect(emu.list(ECA)).to.deep.equal(['New']);
      expect(emu.lastDeploy()!.options).to.deep.equal({ rollbackOnError: 'false' });
    });

    it('stays InProgress for the configured number of polls', async () => {
      emu.setPolling({ deploy: 2 });
      const result = await deploySource(project());
      expect(result.response.success).to.equal(true);
      expect(emu.ops()).to.deep.equal(['deploy', 'checkDeployStatus', 'checkDeployStatus', 'checkDeployStatus']);
      expect(emu.lastDeploy()!.statusChecks).to.equal(3);
    });

    it('a deploy InProgress forever ends in the client timeout', async () => {
      emu.setPolling({ deploy: Infinity });
      const cs = ComponentSet.fromSource(join(project(), 'force-app'));
      const op = await cs.deploy({ usernameOrConnection: conn });
      const err = await rejection(op.pollStatus({ frequency: Duration.milliseconds(20), timeout: Duration.milliseconds(300) }));
      expect(err.name).to.equal('MetadataTransferError');
      expect(err.message).to.equal('Metadata API request failed: The client has timed out.');
      expect(emu.count('checkDeployStatus')).to.be.above(3);
      expect(emu.components()).to.deep.equal([]);
    });
  });

  describe('SDR retrieve', () => {
    it('retrieves with merge into a project in source format (unpackaged/ zip layout)', async () => {
      emu.applyComponents([
        { type: ECA, fullName: 'MyApp', xml: header() },
        { type: GLOBAL, fullName: 'MyApp_glbloauth', xml: globalSettings },
        { type: SETTINGS, fullName: 'MyAppOAuth', xml: oauthSettings() },
      ]);
      emu.clearRequests();
      emu.setPolling({ retrieve: 1 });
      const dir = project();
      const forceApp = join(dir, 'force-app');
      const cs = ComponentSet.fromSource(forceApp);
      cs.add({ fullName: '*', type: new RegistryAccess().getTypeByName(POLICIES) });
      const op = await cs.retrieve({ usernameOrConnection: conn, output: forceApp, merge: true });
      const result = await op.pollStatus(fast);
      expect(result.response).to.include({ success: true, status: 'Succeeded' });
      expect(emu.ops()).to.deep.equal(['retrieve', 'checkRetrieveStatus', 'checkRetrieveStatus']);
      const request = (emu.requests[0]!.args as { request: Record<string, unknown> }).request;
      expect(request).to.include({ apiVersion: '66.0' });
      expect(request).to.not.have.property('singlePackage');
      const job = emu.lastRetrieve()!;
      expect(job.members).to.deep.equal({ [ECA]: ['MyApp'], [GLOBAL]: ['MyApp_glbloauth'], [POLICIES]: ['*'], [SETTINGS]: ['MyAppOAuth'] });
      expect(job.singlePackage).to.equal(false);
      expect(job.entries).to.include.members(['unpackaged/package.xml', 'unpackaged/extlClntAppOauthPolicies/MyAppOAuth_defaultPolicy.ecaOauthPlcy']);

      const policyPath = join(forceApp, 'main/default/extlClntAppOauthPolicies/MyAppOAuth_defaultPolicy.ecaOauthPlcy-meta.xml');
      expect(readFileSync(policyPath, 'utf8')).to.equal(emu.get(POLICIES, 'MyAppOAuth_defaultPolicy'));
      expect(readFileSync(join(forceApp, 'main/default/externalClientApps/MyApp.eca-meta.xml'), 'utf8')).to.include('<orgScopedExternalApp>');
      const states = result.getFileResponses().map((f) => `${f.type}:${f.fullName}:${f.state}`);
      expect(states).to.include(`${POLICIES}:MyAppOAuth_defaultPolicy:Created`);
      expect(states).to.include(`${ECA}:MyApp:Changed`);
    });

    it('reports a missing member as a message, as the org does', async () => {
      const raw = await conn.metadata.retrieve({ apiVersion: '66.0', unpackaged: { types: [{ name: ECA, members: ['Nope'] }], version: '66.0' } } as never);
      const status = await conn.metadata.checkRetrieveStatus(raw.id);
      expect(status.success).to.equal(true);
      expect([status.messages].flat()[0]).to.deep.equal({ fileName: 'unpackaged/package.xml', problem: "Entity of type 'ExternalClientApplication' named 'Nope' cannot be found" });
      const zip = await JSZip.loadAsync(Buffer.from(status.zipFile, 'base64'));
      expect(Object.keys(zip.files)).to.include('unpackaged/package.xml');
    });
  });

  describe('faults', () => {
    it('HTTP 500 on the next request of an operation: a SOAP UNKNOWN_EXCEPTION fault, then normal service', async () => {
      emu.failRequests(1, { op: 'listMetadata' });
      const err = await rejection(conn.metadata.list([{ type: ECA }], '66.0'));
      expect(err.name).to.equal('sf:UNKNOWN_EXCEPTION');
      expect(err.message).to.match(/^UNKNOWN_EXCEPTION: An unexpected error occurred/);
      expect(await conn.metadata.list([{ type: ECA }], '66.0')).to.deep.equal([]);
      expect(emu.requests.map((r) => [r.status, r.fault])).to.deep.equal([[500, 'http'], [200, undefined]]);
    });

    it('HTTP 500 with a plain body surfaces as ERROR_HTTP_500', async () => {
      emu.failRequests(1, { body: 'Internal Server Error' });
      const err = await rejection(read(ECA, 'MyApp'));
      expect(err.errorCode).to.equal('ERROR_HTTP_500');
      expect(err.message).to.equal('Internal Server Error');
    });

    it('a SOAP INVALID_SESSION_ID fault fails the deploy at once (no refresh loop)', async () => {
      emu.soapFault('INVALID_SESSION_ID', { op: 'deploy' });
      const cs = ComponentSet.fromSource(join(project(), 'force-app'));
      const err = await rejection(cs.deploy({ usernameOrConnection: conn }));
      expect(err.name).to.equal('sf:INVALID_SESSION_ID');
      expect(err.message).to.match(/^INVALID_SESSION_ID: Invalid Session ID found in SessionHeader/);
      expect(emu.ops()).to.deep.equal(['deploy']);
    });

    it('an expired session fails every call', async () => {
      const token = emu.accessToken;
      emu.expireSession();
      try {
        const err = await rejection(conn.metadata.list([{ type: ECA }], '66.0'));
        expect(err.name).to.equal('sf:INVALID_SESSION_ID');
      } finally {
        emu.accessToken = token;
      }
    });

    it('a hanging server: a client-side timeout fires, dropHanging frees the socket', async () => {
      emu.hang({ op: 'listMetadata' });
      const err = await rejection(withTimeout(conn.metadata.list([{ type: ECA }], '66.0'), 300, 'listMetadata'));
      expect(err.name).to.equal('TimeoutError');
      expect(emu.requests[0]).to.include({ op: 'listMetadata', fault: 'hang' });
      expect(emu.requests[0]!.status).to.equal(undefined);
      emu.dropHanging();
    });

    it('hangRest holds the REST calls core makes (GET /services/data) forever, SOAP still answered; untilHanging finds them', async () => {
      emu.hangRest();
      const versions = conn.request(`${emu.url}/services/data`);
      const held = await emu.untilHanging(5000);
      expect(held).to.include({ api: 'rest', op: 'versions', fault: 'hang' });
      expect(held.status).to.equal(undefined);
      expect((await rejection(withTimeout(versions, 300, 'versions'))).name).to.equal('TimeoutError');
      expect(await conn.metadata.list([{ type: ECA }], '66.0')).to.deep.equal([]);
      emu.dropHanging();
      expect(emu.requests.find((r) => r.op === 'listMetadata')?.status).to.equal(200);
    });

    it('a path pattern holds just the matching requests', async () => {
      emu.hang({ path: /^\/services\/data\/v[\d.]+\/query/, times: Infinity });
      const held = conn.request(`${emu.url}/services/data/v66.0/query?q=SELECT+Id+FROM+Organization`);
      await emu.untilHanging(5000);
      expect((await rejection(withTimeout(held, 300, 'query'))).name).to.equal('TimeoutError');
      expect(await conn.request<unknown[]>(`${emu.url}/services/data`)).to.be.an('array');
      emu.dropHanging();
    });

    it('a hanging status check ends in SDR pollStatus timeout', async () => {
      emu.hang({ op: 'checkDeployStatus' });
      const cs = ComponentSet.fromSource(join(project(), 'force-app'));
      const op = await cs.deploy({ usernameOrConnection: conn });
      const err = await rejection(op.pollStatus({ frequency: Duration.milliseconds(20), timeout: Duration.milliseconds(300) }));
      expect(err.message).to.equal('Metadata API request failed: The client has timed out.');
      emu.dropHanging();
    });

    it('SDR tolerates a transient 503 on a status check (a warning, then it keeps polling)', async () => {
      emu.failRequests(1, { op: 'checkDeployStatus', status: 503, body: 'Service Unavailable' });
      const lifecycle = Lifecycle.getInstance();
      const others = lifecycle.getListeners('warning');
      const warnings: string[] = [];
      lifecycle.onWarning((w) => Promise.resolve(void warnings.push(w)));
      try {
        const result = await deploySource(project());
        expect(result.response.success).to.equal(true);
      } finally {
        lifecycle.removeAllListeners('warning');
        for (const cb of others) lifecycle.on('warning', cb);
      }
      expect(warnings).to.include('Network error occurred.  Continuing to poll.');
      expect(emu.ops()).to.deep.equal(['deploy', 'checkDeployStatus', 'checkDeployStatus']);
    });

    it('a 500 on a status check fails the SDR poll', async () => {
      emu.failRequests(1, { op: 'checkDeployStatus' });
      const cs = ComponentSet.fromSource(join(project(), 'force-app'));
      const op = await cs.deploy({ usernameOrConnection: conn });
      const err = await rejection(op.pollStatus(fast));
      expect(err.name).to.equal('MetadataTransferError');
      expect(err.message).to.match(/^Metadata API request failed: UNKNOWN_EXCEPTION: An unexpected error occurred/);
    });

    it('a truncated envelope surfaces as an XML parse error', async () => {
      emu.malformed('truncated', { op: 'listMetadata' });
      const err = await rejection(conn.metadata.list([{ type: ECA }], '66.0'));
      expect(err.message).to.match(/^Unexpected end/);
    });

    it('a malformed (HTML) response surfaces as jsforce html-content error', async () => {
      emu.malformed('html', { op: 'listMetadata' });
      const err = await rejection(conn.metadata.list([{ type: ECA }], '66.0'));
      expect(err.message).to.match(/^HTTP response contains html content/);
      expect(err.errorCode).to.equal('ERROR_HTTP_503');
    });

    it('an envelope without namespace prefixes is silently empty: SDR never sees done (pitfall 4)', async () => {
      emu.malformed('no-namespace', { op: 'checkDeployStatus', times: Infinity });
      const cs = ComponentSet.fromSource(join(project(), 'force-app'));
      const op = await cs.deploy({ usernameOrConnection: conn });
      const err = await rejection(op.pollStatus({ frequency: Duration.milliseconds(20), timeout: Duration.milliseconds(200) }));
      expect(err.message).to.equal('Metadata API request failed: The client has timed out.');
    });

    it('a dropped connection surfaces as a fetch failure', async () => {
      emu.resetConnection({ op: 'listMetadata' });
      const err = await rejection(conn.metadata.list([{ type: ECA }], '66.0'));
      expect(err.message).to.equal('fetch failed');
    });
  });
});
