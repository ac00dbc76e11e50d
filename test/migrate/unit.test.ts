import { expect } from 'chai';
import { defaultBaseDir, migrateConnectedApp, outputPath } from '../../src/core/migrate/migrate.js';
import { comparePolicies } from '../../src/core/migrate/parity.js';
import type { CaPolicy } from '../../src/core/migrate/mapping.js';
import { DEFAULT_CONFIG } from '../../src/core/rules/config.js';

const policy = (over: Partial<CaPolicy> = {}): CaPolicy => ({
  adminApproved: true,
  permissionSets: ['P'],
  profiles: [],
  ipRelaxation: 'Enforce',
  refresh: { type: 'Zero' },
  pkce: true,
  secretOptional: false,
  secretRefresh: true,
  secretTokenExchange: undefined,
  rotation: true,
  scopes: ['Api'],
  ranges: [],
  flows: ['authorization-code'],
  sessionLevel: undefined,
  customScopes: [],
  notifications: [],
  ...over,
});

const change = (ca: CaPolicy, eca: CaPolicy, dimension: string, final = eca): string | undefined =>
  comparePolicies(ca, eca, final).find((p) => p.dimension === dimension)?.change;

describe('migrate: output locations', () => {
  it('puts the ECA folders next to the connectedApps folder, else in the package directory', () => {
    expect(defaultBaseDir('force-app/main/default/connectedApps/X.connectedApp-meta.xml', 'force-app')).to.equal('force-app/main/default');
    expect(defaultBaseDir('pkg/connectedApps/X.connectedApp-meta.xml', 'pkg')).to.equal('pkg');
    expect(defaultBaseDir('pkg/apps/oauth/X.connectedApp-meta.xml', 'pkg')).to.equal('pkg');
    expect(defaultBaseDir('loose/X.connectedApp-meta.xml', undefined)).to.equal('loose');
    expect(defaultBaseDir('X.connectedApp-meta.xml', undefined)).to.equal('');
  });

  it('names the files by the Setup conventions and the Metadata API policies name', () => {
    expect(outputPath('out/', 'oauthPolicies', 'A_oauth_defaultPolicy')).to.equal('out/extlClntAppOauthPolicies/A_oauth_defaultPolicy.ecaOauthPlcy-meta.xml');
    expect(outputPath('', 'globalOauth', 'A_glbloauth')).to.equal('extlClntAppGlobalOauthSets/A_glbloauth.ecaGlblOauth-meta.xml');
    expect(outputPath('.', 'header', 'A')).to.equal('externalClientApps/A.eca-meta.xml');
  });
});

describe('migrate: policy comparison', () => {
  it('orders IP relaxation Enforce > Enforce_RelaxRefresh > Bypass_2factor > Bypass', () => {
    const order = ['Enforce', 'Enforce_RelaxRefresh', 'Bypass_2factor', 'Bypass'];
    for (let i = 0; i < order.length - 1; i++) {
      expect(change(policy({ ipRelaxation: order[i] }), policy({ ipRelaxation: order[i + 1] }), 'ip-relaxation')).to.equal('weaker');
      expect(change(policy({ ipRelaxation: order[i + 1] }), policy({ ipRelaxation: order[i] }), 'ip-relaxation')).to.equal('stronger');
    }
  });

  it('orders refresh tokens Zero < a lifetime < a period of inactivity < Infinite, then by length', () => {
    const zero = policy({ refresh: { type: 'Zero' } });
    const life4h = policy({ refresh: { type: 'SpecificLifetime', period: 4, unit: 'Hours' } });
    const life90d = policy({ refresh: { type: 'SpecificLifetime', period: 90, unit: 'Days' } });
    const idle1d = policy({ refresh: { type: 'SpecificInactivity', period: 1, unit: 'Days' } });
    const infinite = policy({ refresh: { type: 'Infinite' } });
    const chain = [zero, life4h, life90d, idle1d, infinite];
    for (let i = 0; i < chain.length - 1; i++) expect(change(chain[i]!, chain[i + 1]!, 'refresh-token'), String(i)).to.equal('weaker');
    expect(change(life90d, life90d, 'refresh-token')).to.equal('same');
  });

  it('flags more pre-authorized users as weaker, fewer as lost, and self-authorization as weaker', () => {
    expect(change(policy(), policy({ permissionSets: ['P', 'Q'] }), 'permitted-users')).to.equal('weaker');
    expect(change(policy({ profiles: ['Sales'] }), policy(), 'permitted-users')).to.equal('lost');
    expect(change(policy(), policy({ adminApproved: false }), 'permitted-users')).to.equal('weaker');
    expect(change(policy({ adminApproved: false }), policy({ adminApproved: false, permissionSets: [] }), 'permitted-users')).to.equal('same');
  });

  it('treats PKCE, secrets, rotation, scopes, ranges and flows by direction', () => {
    expect(change(policy(), policy({ pkce: false }), 'pkce')).to.equal('weaker');
    expect(change(policy(), policy({ secretOptional: true }), 'secret-web-server')).to.equal('weaker');
    expect(change(policy(), policy({ secretRefresh: false }), 'secret-refresh-token')).to.equal('weaker');
    expect(change(policy({ secretTokenExchange: true }), policy(), 'secret-token-exchange')).to.equal('weaker');
    expect(change(policy(), policy({ rotation: false }), 'refresh-token-rotation')).to.equal('weaker');
    expect(change(policy(), policy({ scopes: ['Api', 'Full'] }), 'scopes')).to.equal('weaker');
    expect(change(policy({ ranges: [['10.0.0.1', '10.0.0.9']] }), policy({ ranges: [['10.0.0.9', '10.0.0.1']] }), 'trusted-ip-ranges')).to.equal('same');
    expect(change(policy(), policy({ ranges: [['10.0.0.1', '10.0.0.9']] }), 'trusted-ip-ranges')).to.equal('weaker');
    expect(change(policy({ flows: ['authorization-code', 'jwt-bearer'] }), policy(), 'flows')).to.equal('lost');
  });

  it('never blocks on what --harden changed', () => {
    const ca = policy({ flows: ['authorization-code', 'token-exchange'] });
    const [flows] = comparePolicies(ca, ca, policy()).filter((p) => p.dimension === 'flows');
    expect(flows).to.include({ change: 'stronger', blocking: false, hardened: true });
  });
});

describe('migrate: inputs from anywhere (the --target-org seam)', () => {
  it('migrates XML whatever its origin, deterministically', () => {
    const text = '<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n    <contactEmail>a@example.com</contactEmail>\n    <label>Org App</label>\n</ConnectedApp>\n';
    const run = (): ReturnType<typeof migrateConnectedApp> =>
      migrateConnectedApp(
        { path: 'org:prod/connectedApps/Org_App.connectedApp', text },
        { apiVersion: 66, baseDir: 'force-app/main/default', harden: false, ruleContext: { apiVersion: 66, config: DEFAULT_CONFIG, packageDirs: [], today: '2026-06-01' } }
      );
    const a = run();
    expect(a.report.errors).to.deep.equal([]);
    expect(a.report.eca).to.equal('Org_App');
    expect(a.files.map((f) => f.path)).to.deep.equal([
      'force-app/main/default/externalClientApps/Org_App.eca-meta.xml',
      'force-app/main/default/extlClntAppPolicies/Org_App_plcy.ecaPlcy-meta.xml',
    ]);
    expect(run()).to.deep.equal(a);
  });
});
