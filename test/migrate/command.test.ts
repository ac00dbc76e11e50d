/*
 * `sf eca migrate` in-process: --relink on the files that name a Connected App, --plan (valid, invalid, replayed)
 * and --format markdown.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { tempDir, writeTree } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

const BASE = 'force-app/main/default';
const PERMISSION = `${BASE}/customPermissions/Approve_Orders.customPermission-meta.xml`;
const HANDLER = `${BASE}/oauthtokenexchangehandlers/Broker_Handler.oauthtokenexchangehandler-meta.xml`;

type Json = {
  status: number;
  result: {
    migrations: Array<{ eca: string; needsAcceptance: boolean; policies: Array<{ dimension: string; change: string; blocking: boolean }>; references: Array<{ path: string; how: string; written: boolean }> }>;
    apps: Array<{ connectedApp: string; eca: string; status: string; reason?: string; message?: string; relinked: string[]; accepted?: Array<{ dimension: string; reason: string }> }>;
    relinks: Array<{ path: string; text?: string }>;
    written: boolean;
    plan?: string;
  };
};

const allFiles = (dir: string): Map<string, string> => {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.sf') walk(p);
      } else out.set(relative(dir, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
};

const ca = (name: string, extra = '', policy = ''): string =>
  `<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <contactEmail>a@example.com</contactEmail>
    <label>${name}</label>
${extra}    <oauthConfig>
        <callbackUrl>https://app.example.com/cb</callbackUrl>
        <isAdminApproved>true</isAdminApproved>
        <isPkceRequired>true</isPkceRequired>
        <isRefreshTokenRotationEnabled>true</isRefreshTokenRotationEnabled>
        <isTokenExchangeEnabled>true</isTokenExchangeEnabled>
        <scopes>Api</scopes>
    </oauthConfig>
    <oauthPolicy>
        <ipRelaxation>ENFORCE</ipRelaxation>
${policy}        <refreshTokenPolicy>zero</refreshTokenPolicy>
    </oauthPolicy>
    <permissionSetName>${name}_Users</permissionSetName>
</ConnectedApp>
`;

const PERMISSION_XML = `<?xml version="1.0" encoding="UTF-8"?>
<CustomPermission xmlns="http://soap.sforce.com/2006/04/metadata">
    <connectedApp>Order_Desk</connectedApp>
    <description>Approve orders</description>
    <isLicensed>false</isLicensed>
    <label>Approve Orders</label>
</CustomPermission>
`;

const HANDLER_XML = `<?xml version="1.0" encoding="UTF-8"?>
<OauthTokenExchangeHandler xmlns="http://soap.sforce.com/2006/04/metadata">
    <developerName>Broker_Handler</developerName>
    <enablements>
        <apexExecutionUser>integration@example.com</apexExecutionUser>
        <connectedApp>Broker</connectedApp>
        <isDefault>true</isDefault>
    </enablements>
    <isEnabled>true</isEnabled>
    <masterLabel>Broker Handler</masterLabel>
    <tokenHandlerApex>BrokerHandler</tokenHandlerApex>
</OauthTokenExchangeHandler>
`;

/** Two Connected Apps: Order_Desk (a custom permission names it) and Broker (mobile start URL: lost; a token-exchange handler names it). */
const project = (): string =>
  writeTree(tempDir('eca-migrate-refs-'), {
    'sfdx-project.json': JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }),
    [`${BASE}/connectedApps/Order_Desk.connectedApp-meta.xml`]: ca('Order_Desk'),
    [`${BASE}/connectedApps/Broker.connectedApp-meta.xml`]: ca('Broker', '    <mobileStartUrl>https://m.example.com</mobileStartUrl>\n', '        <isTokenExchangeFlowEnabled>true</isTokenExchangeFlowEnabled>\n'),
    [PERMISSION]: PERMISSION_XML,
    [HANDLER]: HANDLER_XML,
  });

const plan = (dir: string, value: unknown, name = 'migration-plan.json'): string => {
  writeFileSync(join(dir, name), typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
  return name;
};

const GOOD_PLAN = {
  format: 'eca-migrate-plan/1',
  relink: true,
  apps: [
    { connectedApp: 'Order_Desk', eca: 'Order_Desk_ECA', harden: true },
    { connectedApp: 'Broker', acceptWeaker: [{ dimension: 'mobile', reason: 'the mobile start page is retired with the old app' }] },
  ],
};

describe('eca migrate: files that name the Connected App', () => {
  it('lists a custom permission link without --relink (the file is left alone) and re-points it with --relink', async () => {
    const dir = project();
    const listed = await runCommand(['eca', 'migrate', '-n', 'Order_Desk', '--json'], dir);
    expect(listed.code, listed.stderr).to.equal(0);
    const json = JSON.parse(listed.stdout) as Json;
    expect(json.result.migrations[0]!.references.map((r) => [r.path, r.how, r.written])).to.deep.equal([[PERMISSION, 'relink', false]]);
    expect(json.result.relinks).to.deep.equal([]);
    expect(readFileSync(join(dir, PERMISSION), 'utf8')).to.equal(PERMISSION_XML);
    const human = await runCommand(['eca', 'migrate', '-n', 'Order_Desk', '--dry-run', '--force'], dir);
    expect(human.stdout).to.include('Files that name the Connected App');
    expect(human.stdout).to.include('connectedApp Order_Desk → externalClientApplication Order_Desk');

    const dir2 = project();
    const dry = await runCommand(['eca', 'migrate', '-n', 'Order_Desk', '--relink', '--dry-run'], dir2);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.include(`+++ b/${PERMISSION}`);
    expect(dry.stdout).to.include('+    <externalClientApplication>Order_Desk</externalClientApplication>');
    expect(readFileSync(join(dir2, PERMISSION), 'utf8')).to.equal(PERMISSION_XML);
    const written = await runCommand(['eca', 'migrate', '-n', 'Order_Desk', '--relink'], dir2);
    expect(written.code, written.stderr).to.equal(0);
    expect(written.stdout).to.include(`Re-pointed 1 file to the External Client App: ${PERMISSION}`);
    expect(readFileSync(join(dir2, PERMISSION), 'utf8')).to.equal(PERMISSION_XML.replace('    <connectedApp>Order_Desk</connectedApp>\n', '').replace('    <isLicensed>', '    <externalClientApplication>Order_Desk</externalClientApplication>\n    <isLicensed>'));
  });

  it('a token-exchange handler that still names the Connected App is a lost policy; --relink adds the ECA enablement', async () => {
    const dir = project();
    const r = await runCommand(['eca', 'migrate', '-n', 'Broker', '--accept-weaker', '--json', '--dry-run'], dir);
    const m = (JSON.parse(r.stdout) as Json).result.migrations[0]!;
    expect(m.policies.find((p) => p.dimension === 'token-exchange-handler')).to.include({ change: 'lost', blocking: true });
    expect(m.policies.find((p) => p.dimension === 'mobile')).to.include({ change: 'lost', blocking: true });
    const relinked = await runCommand(['eca', 'migrate', '-n', 'Broker', '--relink', '--accept-weaker', '--json'], dir);
    expect(relinked.code, relinked.stderr).to.equal(0);
    const j = JSON.parse(relinked.stdout) as Json;
    expect(j.result.migrations[0]!.policies.find((p) => p.dimension === 'token-exchange-handler')).to.include({ change: 'same', blocking: false });
    expect(j.result.apps[0]!.relinked).to.deep.equal([HANDLER]);
    expect(readFileSync(join(dir, HANDLER), 'utf8')).to.include('        <externalClientApp>Broker</externalClientApp>');
  });
});

describe('eca migrate --all --relink', () => {
  it('two Connected Apps named in one NotificationTypeConfig: both appSettings land (each commit re-plans on the file as it is)', async () => {
    const config = `${BASE}/notificationtypes/NotificationTypeConfig.config-meta.xml`;
    const setting = (app: string): string => `        <appSettings>\n            <connectedAppName>${app}</connectedAppName>\n            <enabled>true</enabled>\n        </appSettings>\n`;
    const dir = writeTree(tempDir('eca-migrate-notif-'), {
      'sfdx-project.json': JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }),
      [`${BASE}/connectedApps/Field_A.connectedApp-meta.xml`]: ca('Field_A').replace('        <isTokenExchangeEnabled>true</isTokenExchangeEnabled>\n', ''),
      [`${BASE}/connectedApps/Field_B.connectedApp-meta.xml`]: ca('Field_B').replace('        <isTokenExchangeEnabled>true</isTokenExchangeEnabled>\n', ''),
      [config]: `<?xml version="1.0" encoding="UTF-8"?>\n<NotificationTypeConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n    <notificationTypeSettings>\n${setting('Field_A')}${setting('Field_B')}        <notificationType>Order_Shipped</notificationType>\n    </notificationTypeSettings>\n</NotificationTypeConfig>\n`,
    });
    const r = await runCommand(['eca', 'migrate', '--all', '--relink', '--json'], dir);
    expect(r.code, r.stderr).to.equal(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.result.apps.map((a) => [a.connectedApp, a.status, a.relinked])).to.deep.equal([
      ['Field_A', 'migrated', [config]],
      ['Field_B', 'migrated', [config]],
    ]);
    const text = readFileSync(join(dir, config), 'utf8');
    for (const app of ['Field_A', 'Field_B']) expect(text).to.include(`            <appType>EXTERNAL_CLIENT_APP</appType>\n            <connectedAppName>${app}</connectedAppName>`);
    for (const app of ['Field_A', 'Field_B']) expect(readFileSync(join(dir, `${BASE}/extlClntAppNotifSettings/${app}_notif.ecaNotifications-meta.xml`), 'utf8')).to.include('<notificationType>Order_Shipped</notificationType>');
    // Replayed: up to date, the file is not touched again.
    const again = JSON.parse((await runCommand(['eca', 'migrate', '--all', '--relink', '--json'], dir)).stdout) as Json;
    expect(again.result.apps.map((a) => a.reason)).to.deep.equal(['up-to-date', 'up-to-date']);
    expect(readFileSync(join(dir, config), 'utf8')).to.equal(text);
  });
});

describe('eca migrate --plan', () => {
  it('replays a plan: per-app ECA names, harden, relink and accepted weaker policies; the same plan gives the same result', async () => {
    const runs: Array<{ stdout: Json; files: Map<string, string> }> = [];
    for (let i = 0; i < 2; i++) {
      const dir = project();
      const file = plan(dir, GOOD_PLAN);
      const r = await runCommand(['eca', 'migrate', '--plan', file, '--json'], dir);
      expect(r.code, r.stderr).to.equal(0);
      runs.push({ stdout: JSON.parse(r.stdout) as Json, files: allFiles(dir) });
    }
    const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(a.stdout.result.plan).to.equal('migration-plan.json');
    expect(a.stdout.result.apps.map((x) => [x.connectedApp, x.eca, x.status])).to.deep.equal([
      ['Order_Desk', 'Order_Desk_ECA', 'migrated'],
      ['Broker', 'Broker', 'migrated'],
    ]);
    expect(a.stdout.result.apps[1]!.accepted).to.deep.equal([{ dimension: 'mobile', reason: 'the mobile start page is retired with the old app' }]);
    expect(a.files.get(PERMISSION)).to.include('<externalClientApplication>Order_Desk_ECA</externalClientApplication>');
    expect(a.files.get(HANDLER)).to.include('<externalClientApp>Broker</externalClientApp>');
    // Replayed on a copy of the same project: the same files, byte for byte, and the same report.
    expect([...a.files]).to.deep.equal([...b.files]);
    expect(a.stdout.result).to.deep.equal(b.stdout.result);
    // Replayed on the project it already migrated: nothing left to do.
    const dir = project();
    const file = plan(dir, GOOD_PLAN);
    await runCommand(['eca', 'migrate', '--plan', file], dir);
    const again = JSON.parse((await runCommand(['eca', 'migrate', '--plan', file, '--json'], dir)).stdout) as Json;
    expect(again.result.apps.map((x) => x.reason)).to.deep.equal(['up-to-date', 'up-to-date']);
  });

  it('an app whose blocking changes the plan does not accept is skipped, naming the dimensions (exit 1)', async () => {
    const dir = project();
    const file = plan(dir, { format: 'eca-migrate-plan/1', apps: [{ connectedApp: 'Broker', acceptWeaker: [{ dimension: 'mobile', reason: 'retired' }, { dimension: 'pkce', reason: 'left over' }] }] });
    const human = await runCommand(['eca', 'migrate', '--plan', file], dir);
    expect(human.stderr).to.include('Broker: the plan accepts pkce as weaker, but the migration does not weaken it; remove it from migration-plan.json');
    const r = await runCommand(['eca', 'migrate', '--plan', file, '--json'], dir);
    expect(r.code).to.equal(1);
    const app = (JSON.parse(r.stdout) as Json).result.apps[0]!;
    expect(app).to.include({ status: 'skipped', reason: 'weaker' });
    expect(app.message).to.include('the plan does not accept flows, token-exchange-handler (weaker or lost');
  });

  it('an invalid plan exits 2 naming the file and the key; not JSON names the line; flags the plan replaces are refused', async () => {
    const dir = project();
    const bad = plan(dir, { format: 'eca-migrate-plan/1', apps: [{ connectedApp: 'Broker', eca: 'Bad__Name', acceptWeaker: [{ dimension: 'speed', reason: '' }] }], extra: 1 }, 'bad-plan.json');
    const r = await runCommand(['eca', 'migrate', '--plan', bad], dir);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('Invalid migration plan bad-plan.json');
    expect(r.stderr).to.include('extra: unknown key');
    expect(r.stderr).to.include('apps[0].acceptWeaker[0].dimension: expected one of permitted-users');
    expect(r.stderr).to.include('apps[0].acceptWeaker[0].reason: an accepted weaker policy needs a reason');
    const named = plan(dir, { format: 'eca-migrate-plan/1', apps: [{ connectedApp: 'Broker', eca: 'Bad__Name' }] }, 'named.json');
    const n = await runCommand(['eca', 'migrate', '--plan', named], dir);
    expect(n.code).to.equal(2);
    expect(n.stderr).to.include('named.json').and.include('apps[0].eca: "Bad__Name" cannot be an External Client App API name');
    const broken = plan(dir, '{\n  "format": "eca-migrate-plan/1",\n  "apps": [,]\n}\n', 'broken.json');
    const j = await runCommand(['eca', 'migrate', '--plan', broken], dir);
    expect(j.code).to.equal(2);
    expect(j.stderr).to.match(/broken\.json(:3:\d+)?: the migration plan is not valid JSON/);
    const missing = await runCommand(['eca', 'migrate', '--plan', 'nope.json'], dir);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('The migration plan nope.json does not exist.');
    const good = plan(dir, GOOD_PLAN);
    for (const flag of [['--harden'], ['--accept-weaker'], ['--relink'], ['--eca-name', 'X'], ['--all']]) {
      expect((await runCommand(['eca', 'migrate', '--plan', good, ...flag], dir)).code, flag.join(' ')).to.equal(2);
    }
    const unknown = plan(dir, { format: 'eca-migrate-plan/1', apps: [{ connectedApp: 'Ghost' }] }, 'ghost.json');
    const g = await runCommand(['eca', 'migrate', '--plan', unknown], dir);
    expect(g.code).to.equal(1);
    expect(g.stderr).to.include('No Connected App named Ghost');
  });

  it('the shipped schema is the one the plan is validated with', async () => {
    const { PLAN_SCHEMA } = await import('../../src/core/migrate/planFile.js');
    const shipped = JSON.parse(readFileSync(new URL('../../schemas/eca-migrate-plan.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(shipped).to.deep.equal(JSON.parse(JSON.stringify(PLAN_SCHEMA)));
  });
});

describe('eca migrate --format markdown', () => {
  /** GFM tables of a markdown text: header cells and rows, pipes inside cells (escaped \|) kept in the cell. */
  const tables = (md: string): Array<{ header: string[]; rows: string[][] }> => {
    const split = (line: string): string[] => line.replace(/^\|\s?/, '').replace(/\s?\|$/, '').split(/(?<!\\)\s\|\s/);
    const out: Array<{ header: string[]; rows: string[][] }> = [];
    const lines = md.split('\n');
    for (let i = 0; i < lines.length - 1; i++) {
      if (lines[i]!.startsWith('|') && /^\|( ?-{3,}:? \|)+$/.test(lines[i + 1]!)) {
        const header = split(lines[i]!);
        const rows: string[][] = [];
        let j = i + 2;
        for (; j < lines.length && lines[j]!.startsWith('|'); j++) rows.push(split(lines[j]!));
        out.push({ header, rows });
        i = j;
      }
    }
    return out;
  };

  it('prints the parity report as GFM on stdout alone: outcomes, policies, references and the Setup route', async () => {
    const dir = project();
    const file = plan(dir, GOOD_PLAN);
    const r = await runCommand(['eca', 'migrate', '--plan', file, '--dry-run', '--format', 'markdown'], dir);
    expect(r.code, r.stderr).to.equal(0);
    const md = r.stdout;
    expect(md.startsWith('# sf eca migrate: parity report\n')).to.equal(true);
    expect(md).not.to.include('--- force-app'); // no file dumps in markdown
    expect(r.stderr).to.include('Dry run: would migrate 2 Connected Apps of 2');
    const t = tables(md);
    // Every table row has as many cells as its header.
    for (const x of t) for (const row of x.rows) expect(row.length, row.join(' | ')).to.equal(x.header.length);
    expect(t[0]!.header).to.deep.equal(['Connected App', 'External Client App', 'Status', 'Detail']);
    expect(t[0]!.rows.map((row) => row.slice(0, 3))).to.deep.equal([
      ['Order\\_Desk', 'Order\\_Desk\\_ECA', 'would migrate'],
      ['Broker', 'Broker', 'would migrate'],
    ]);
    const policies = t.filter((x) => x.header[0] === 'Policy');
    expect(policies).to.have.length(2);
    const broker = policies[1]!.rows;
    expect(broker.find((row) => row[0] === 'mobile')![3]).to.include('lost');
    expect(broker.find((row) => row[0] === 'token-exchange-handler')![3]).to.equal('same');
    expect(t.filter((x) => x.header[0] === 'File' && x.header[1] === 'Type')).to.have.length(2);
    // one section per app, the checklist of each (a GFM task list), then the other route once
    expect(md.match(/^## .*/gm)).to.deep.equal([
      '## Order\\_Desk → Order\\_Desk\\_ECA',
      '## Broker → Broker',
      '## After migrating Order\\_Desk to Order\\_Desk\\_ECA',
      '## After migrating Broker to Broker',
      "## Salesforce's own migration (Setup) or this command",
    ]);
    expect(md).to.match(/^- \[ \] Re-key every client of Broker/m);
    expect(md).to.include("### Salesforce's own migration (Setup)");
    expect(md).to.include('read-only').and.to.include('not confirmed').and.to.include('005387022');
  });
});
