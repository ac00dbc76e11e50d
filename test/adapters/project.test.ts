import { join } from 'node:path';
import { expect } from 'chai';
import { ForceIgnore as SdrForceIgnore } from '@salesforce/source-deploy-retrieve';
import { findMetadataFiles, ForceIgnore, loadInventory, resolveProject } from '../../src/adapters/project.js';
import { EXAMPLE_PROJECT, SFDX_PROJECT, tempDir, writeTree, xmlFile } from '../support/helpers.js';

const header = (label: string): string => xmlFile('ExternalClientApplication', [['contactEmail', 'a@example.com'], ['label', label]]);

describe('project adapter', () => {
  it('refuses to run outside a project without --source-dir, with the action to take', async () => {
    const dir = tempDir();
    try {
      await resolveProject(dir);
      expect.fail('expected an error');
    } catch (e) {
      const err = e as { name: string; message: string; actions?: string[] };
      expect(err.name).to.equal('NoProjectError');
      expect(err.message).to.include('sfdx-project.json');
      expect(err.actions?.join(' ')).to.include('--source-dir');
    }
  });

  it('reads package directories, sourceApiVersion and the plugins.eca section', async () => {
    const dir = writeTree(tempDir(), {
      'sfdx-project.json': JSON.stringify({
        packageDirectories: [
          { path: 'force-app', default: true },
          { path: 'pkg', package: 'Pkg', versionNumber: '1.0.0.NEXT' },
        ],
        sourceApiVersion: '64.0',
        plugins: { eca: { failOn: 'warning' } },
      }),
      'force-app/main/default/externalClientApps/A.eca-meta.xml': header('A'),
      'pkg/main/default/externalClientApps/B.eca-meta.xml': header('B'),
    });
    const ctx = await resolveProject(dir);
    expect(ctx.sourceApiVersion).to.equal('64.0');
    expect(ctx.pluginConfig).to.deep.equal({ failOn: 'warning' });
    expect(ctx.packageDirs.map((p) => [p.path, p.default, p.packaged])).to.deep.equal([
      ['force-app', true, false],
      ['pkg', false, true],
    ]);
    const inv = loadInventory(ctx);
    expect(inv.apps.map((a) => [a.name, a.packageDir])).to.deep.equal([
      ['A', join(dir, 'force-app')],
      ['B', join(dir, 'pkg')],
    ]);
  });

  it('scans --source-dir folders, and finds the project that holds them', async () => {
    const ctx = await resolveProject(tempDir(), [join(EXAMPLE_PROJECT, 'force-app')]);
    expect(ctx.root).to.equal(EXAMPLE_PROJECT);
    expect(ctx.sourceApiVersion).to.equal('66.0');
    expect(findMetadataFiles(ctx).length).to.be.greaterThan(10);
  });

  it('names a missing --source-dir', async () => {
    try {
      await resolveProject(tempDir(), ['nope']);
      expect.fail('expected an error');
    } catch (e) {
      expect((e as Error).name).to.equal('SourceDirNotFoundError');
      expect((e as Error).message).to.include('nope');
    }
  });

  it('respects .forceignore', async () => {
    const dir = writeTree(tempDir(), {
      'sfdx-project.json': SFDX_PROJECT,
      '.forceignore': '**/*.ecaGlblOauth-meta.xml\nforce-app/main/default/ignored/\n',
      'force-app/main/default/externalClientApps/A.eca-meta.xml': header('A'),
      'force-app/main/default/extlClntAppGlobalOauthSets/A_glbloauth.ecaGlblOauth-meta.xml': xmlFile('ExtlClntAppGlobalOauthSettings', [
        ['externalClientApplication', 'A'],
      ]),
      'force-app/main/default/ignored/B.eca-meta.xml': header('B'),
      'force-app/main/default/.hidden/C.eca-meta.xml': header('C'),
    });
    const files = findMetadataFiles(await resolveProject(dir)).map((f) => f.slice(dir.length + 1));
    expect(files).to.deep.equal(['force-app/main/default/externalClientApps/A.eca-meta.xml']);
  });

  it('decides like SDR ForceIgnore', () => {
    const dir = writeTree(tempDir(), {
      '.forceignore': [
        '# comment',
        '**/*.ecaGlblOauth-meta.xml',
        'force-app/main/default/extlClntAppOauthPolicies/Draft*',
        '!force-app/main/default/extlClntAppOauthPolicies/Draft_keep*',
        '**/jsconfig.json',
        'docs/',
        '*.dup',
      ].join('\n'),
    });
    const ours = ForceIgnore.find(dir);
    const sdr = new SdrForceIgnore(join(dir, '.forceignore'));
    const paths = [
      'force-app/main/default/externalClientApps/A.eca-meta.xml',
      'force-app/main/default/extlClntAppGlobalOauthSets/A_glbloauth.ecaGlblOauth-meta.xml',
      'force-app/main/default/extlClntAppOauthPolicies/Draft_oauthPlcy.ecaOauthPlcy-meta.xml',
      'force-app/main/default/extlClntAppOauthPolicies/Draft_keep_oauthPlcy.ecaOauthPlcy-meta.xml',
      'force-app/main/default/extlClntAppOauthPolicies/Real_oauthPlcy.ecaOauthPlcy-meta.xml',
      'force-app/lwc/jsconfig.json',
      'docs/A.eca-meta.xml',
      'force-app/.hidden/A.eca-meta.xml',
      'force-app/x.dup',
      '.sf/orgs/x/remoteMetadata/a.json',
    ];
    for (const p of paths) {
      expect(ours.denies(join(dir, p)), p).to.equal(sdr.denies(join(dir, p)));
    }
  });
});

describe('certificate adapter', () => {
  it('reads the expiry and subject of a PEM certificate, and nothing from anything else', async () => {
    const { readCertificate } = await import('../../src/adapters/certificate.js');
    const { readFileSync } = await import('node:fs');
    const { PROJECT_ROOT } = await import('../support/helpers.js');
    const info = readCertificate(readFileSync(join(PROJECT_ROOT, 'test/fixtures/certificate.pem'), 'utf8'));
    expect(info?.notAfter).to.equal('2036-11-26T15:31:26.000Z');
    expect(info?.subject).to.include('CN=order-sync.example.com');
    expect(readCertificate('-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----')).to.equal(undefined);
  });
});
