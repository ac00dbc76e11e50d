/*
 * Reading the project from disk: decoding, bounded configuration files, package directories inside
 * the project, symbolic links, unreadable files, .forceignore (deploy, not check) and --source-dir
 * selection.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadInventory, NODE_FS, resolveProject, type ProjectContext } from '../../src/adapters/project.js';
import { decodeMetadataBytes } from '../../src/adapters/decode.js';
import { inSelection, UNREADABLE_CODES, type Inventory } from '../../src/core/project/inventory.js';
import { fileOf } from '../../src/core/project/inventory.js';
import { SFDX_PROJECT, tempDir, writeTree, xmlFile } from '../support/helpers.js';

const HEADER = 'force-app/main/default/externalClientApps/A.eca-meta.xml';
const GLOBAL = 'force-app/main/default/extlClntAppGlobalOauthSets/A_glbloauth.ecaGlblOauth-meta.xml';
const POLICIES = 'force-app/main/default/extlClntAppOauthPolicies/A_oauthPlcy.ecaOauthPlcy-meta.xml';
const header = (label: string): string => xmlFile('ExternalClientApplication', [['contactEmail', 'a@example.com'], ['label', label]]);
const globalOauth = (app: string): string =>
  xmlFile('ExtlClntAppGlobalOauthSettings', [
    ['consumerSecret', 'EXAMPLE0SECRET'],
    ['externalClientApplication', app],
  ]);
const policies = (app: string): string => xmlFile('ExtlClntAppOauthConfigurablePolicies', [['externalClientApplication', app]]);

const project = (extra: Record<string, string> = {}): string =>
  writeTree(tempDir(), { 'sfdx-project.json': SFDX_PROJECT, [HEADER]: header('A'), ...extra });

/** The SfError a promise or function rejects with. */
const sfError = async (f: () => unknown): Promise<{ name: string; message: string; exitCode: number; actions?: string[] }> => {
  try {
    await f();
  } catch (e) {
    return e as { name: string; message: string; exitCode: number; actions?: string[] };
  }
  return expect.fail('expected an error');
};

const problemOf = (inv: Inventory, path: string): { code: string; line?: number; col?: number; message: string } | undefined =>
  inv.problems.find((p) => p.path === path);

const load = async (dir: string, sourceDirs: string[] = []): Promise<{ ctx: ProjectContext; inv: Inventory }> => {
  const ctx = await resolveProject(dir, sourceDirs);
  return { ctx, inv: loadInventory(ctx) };
};

describe('reader: decoding', () => {
  it('reads UTF-8, with or without a BOM (kept as U+FEFF)', () => {
    expect(decodeMetadataBytes(Buffer.from('<a>é</a>'))).to.deep.equal({ text: '<a>é</a>' });
    expect(decodeMetadataBytes(Buffer.from('\ufeff<a>é</a>'))).to.deep.equal({ text: '\ufeff<a>é</a>' });
  });

  it('names the line and column of the first invalid UTF-8 byte', () => {
    const bytes = Buffer.concat([Buffer.from('<a>\n  <b>é'), Buffer.from([0xe9, 0x41]), Buffer.from('</b>\n</a>')]);
    const r = decodeMetadataBytes(bytes);
    expect(r).to.deep.include({ code: 'InvalidEncoding', line: 2, col: 7 });
    expect((r as { message: string }).message).to.include('UTF-8');
    // Overlong forms, encoded surrogates and truncated sequences are invalid too.
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
      expect(decodeMetadataBytes(Buffer.from([0x3c, ...bad, 0x3e])), JSON.stringify(bad)).to.deep.include({ code: 'InvalidEncoding', line: 1, col: 2 });
    }
    // The column after a BOM is counted without it, as the XML reader does.
    expect(decodeMetadataBytes(Buffer.from([0xef, 0xbb, 0xbf, 0x3c, 0xff]))).to.deep.include({ line: 1, col: 2 });
  });

  it('recognises UTF-16 by its BOM or its NULs, and says to save the file as UTF-8', () => {
    const text = '<?xml version="1.0"?><a/>';
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const [what, bytes] of [
      ['LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
      ['BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
      ['LE without BOM', le],
      ['BE without BOM', be],
    ] as const) {
      const r = decodeMetadataBytes(bytes) as { code: string; message: string };
      expect(r.code, what).to.equal('InvalidEncoding');
      expect(r.message, what).to.include('the file is UTF-16');
      expect(r.message, what).to.include('save it as UTF-8');
    }
  });

  it('turns an invalid UTF-8 file or a UTF-16 file into a problem, and lists the rest', async () => {
    const dir = project({ [POLICIES]: policies('A'), [GLOBAL]: '' });
    writeFileSync(join(dir, GLOBAL), Buffer.concat([Buffer.from(globalOauth('A').replace('EXAMPLE0SECRET', 'EXAMPLE')), Buffer.from([0xe9])]));
    const utf16 = 'force-app/main/default/extlClntAppOauthSettings/A_oauth.ecaOauth-meta.xml';
    writeTree(dir, { [utf16]: '' });
    writeFileSync(join(dir, utf16), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xmlFile('ExtlClntAppOauthSettings', [['externalClientApplication', 'A']]), 'utf16le')]));
    const { inv } = await load(dir);
    expect(inv.apps.map((a) => a.name)).to.deep.equal(['A']);
    expect(problemOf(inv, GLOBAL)).to.deep.include({ code: 'InvalidEncoding', line: 6, col: 1 });
    expect(problemOf(inv, utf16)?.message).to.include('UTF-16');
    expect(UNREADABLE_CODES.has('InvalidEncoding')).to.equal(true);
    expect(inv.fileCount).to.equal(4);
  });
});

describe('reader: .forceignore is bounded', () => {
  it('refuses a .forceignore over 1 MiB, naming it, exit code 2, quickly', async () => {
    const dir = project({ '.forceignore': `${'# a comment line\n'.repeat(70_000)}` });
    const t0 = Date.now();
    const e = await sfError(() => resolveProject(dir));
    expect(Date.now() - t0).to.be.below(5000);
    expect(e.exitCode).to.equal(2);
    expect(e.message).to.include('.forceignore');
    expect(e.message).to.include('1 MiB');
  });

  it('refuses a .forceignore line over 4 KiB, naming the file and the line', async () => {
    const dir = project({ '.forceignore': `**/*.dup\n${'a'.repeat(1_000_000)}\n` });
    const t0 = Date.now();
    const e = await sfError(() => resolveProject(dir));
    expect(Date.now() - t0).to.be.below(5000);
    expect(e.exitCode).to.equal(2);
    expect(e.message).to.include('.forceignore');
    expect(e.message).to.include('line 2');
  });

  it('refuses a .forceignore with more than 5,000 patterns; comments and blank lines do not count', async () => {
    const many = Array.from({ length: 5001 }, (_, i) => `docs${i}/`).join('\n');
    const e = await sfError(() => resolveProject(project({ '.forceignore': many })));
    expect(e.exitCode).to.equal(2);
    expect(e.message).to.include('5000 patterns');
    const comments = `${'# note\n\n'.repeat(6000)}**/*.dup\n`;
    expect((await resolveProject(project({ '.forceignore': comments }))).forceIgnore.denies('/x')).to.equal(false);
  });
});

describe('reader: sfdx-project.json', () => {
  const withJson = (json: unknown): string => writeTree(tempDir(), { 'sfdx-project.json': JSON.stringify(json), [HEADER]: header('A') });

  it('refuses a package directory outside the project, naming the entry, exit code 2', async () => {
    const dir = withJson({ packageDirectories: [{ path: 'force-app', default: true }, { path: '../../..' }] });
    const t0 = Date.now();
    const e = await sfError(() => resolveProject(dir));
    expect(Date.now() - t0).to.be.below(5000);
    expect(e.exitCode).to.equal(2);
    expect(e.message).to.include('packageDirectories[1]');
    expect(e.message).to.include('../../..');
  });

  it('refuses a package directory that is a link to a folder outside the project', async () => {
    const outside = writeTree(tempDir(), { [HEADER]: header('B') });
    const dir = withJson({ packageDirectories: [{ path: 'force-app', default: true }, { path: 'linked' }] });
    symlinkSync(outside, join(dir, 'linked'));
    const e = await sfError(() => resolveProject(dir));
    expect(e.exitCode).to.equal(2);
    expect(e.message).to.include('packageDirectories[1]');
  });

  it('accepts a --source-dir outside the project', async () => {
    const outside = writeTree(tempDir(), { 'x/B.eca-meta.xml': header('B') });
    const dir = project();
    const { inv } = await load(dir, [join(outside, 'x')]);
    expect(inv.apps.map((a) => a.name)).to.deep.equal(['A', 'B']);
  });

  for (const [what, json, key] of [
    ['packageDirectories an object', { packageDirectories: { path: 'force-app' } }, 'packageDirectories'],
    ['a null entry', { packageDirectories: [{ path: 'force-app', default: true }, null] }, 'packageDirectories[1]'],
    ['a numeric path', { packageDirectories: [{ path: 42, default: true }] }, 'packageDirectories[0].path'],
    ['a string entry', { packageDirectories: ['force-app'] }, 'packageDirectories[0]'],
    ['an empty path', { packageDirectories: [{ path: '', default: true }] }, 'packageDirectories[0].path'],
  ] as const) {
    it(`names the key when sfdx-project.json has ${what}, exit code 2`, async () => {
      const e = await sfError(() => resolveProject(withJson(json)));
      expect(e.name).not.to.equal('TypeError');
      expect(e.exitCode).to.equal(2);
      expect(e.message).to.include('sfdx-project.json');
      expect(e.message).to.include(key);
    });
  }
});

describe('reader: symbolic links and unreadable files', () => {
  it('follows a link to a file inside the project', async () => {
    const dir = project({ 'weak/A_oauthPlcy.ecaOauthPlcy-meta.xml': policies('A') });
    mkdirSync(join(dir, 'force-app/main/default/extlClntAppOauthPolicies'), { recursive: true });
    symlinkSync(join(dir, 'weak/A_oauthPlcy.ecaOauthPlcy-meta.xml'), join(dir, POLICIES));
    const { inv } = await load(dir);
    expect(inv.problems).to.deep.equal([]);
    expect(fileOf(inv.apps[0]!, 'oauthPolicies')?.path).to.equal(POLICIES);
  });

  it('follows a link to a folder inside the project, once', async () => {
    const dir = project({ 'shared/extlClntAppOauthPolicies/A_oauthPlcy.ecaOauthPlcy-meta.xml': policies('A') });
    symlinkSync(join(dir, 'shared/extlClntAppOauthPolicies'), join(dir, 'force-app/main/default/extlClntAppOauthPolicies'));
    symlinkSync(join(dir, 'force-app/main/default/extlClntAppOauthPolicies'), join(dir, 'force-app/main/default/again'));
    const { inv } = await load(dir);
    expect(inv.problems).to.deep.equal([]);
    expect(inv.fileCount).to.equal(2);
  });

  it('reports a link that leaves the project, and does not read it', async () => {
    const outside = writeTree(tempDir(), { 'A_oauthPlcy.ecaOauthPlcy-meta.xml': policies('A'), 'dir/B.eca-meta.xml': header('B') });
    const dir = project();
    mkdirSync(join(dir, 'force-app/main/default/extlClntAppOauthPolicies'));
    symlinkSync(join(outside, 'A_oauthPlcy.ecaOauthPlcy-meta.xml'), join(dir, POLICIES));
    symlinkSync(join(outside, 'dir'), join(dir, 'force-app/main/default/linked'));
    const { inv } = await load(dir);
    expect(inv.apps.map((a) => [a.name, fileOf(a, 'oauthPolicies')])).to.deep.equal([['A', undefined]]);
    expect(problemOf(inv, POLICIES)?.code).to.equal('SymlinkOutside');
    expect(problemOf(inv, 'force-app/main/default/linked')?.code).to.equal('SymlinkOutside');
    expect(UNREADABLE_CODES.has('SymlinkOutside')).to.equal(true);
  });

  it('bounds links by the scan root when there is no project', async () => {
    const dir = writeTree(tempDir(), { 'src/A.eca-meta.xml': header('A'), 'other/B.eca-meta.xml': header('B') });
    symlinkSync(join(dir, 'other/B.eca-meta.xml'), join(dir, 'src/B.eca-meta.xml'));
    const { inv } = await load(dir, ['src']);
    expect(inv.apps.map((a) => a.name)).to.deep.equal(['A']);
    expect(problemOf(inv, 'src/B.eca-meta.xml')?.code).to.equal('SymlinkOutside');
  });

  it('reports a link loop (a link to its own folder, or links to each other)', async () => {
    const dir = project();
    symlinkSync(join(dir, 'force-app/main'), join(dir, 'force-app/main/default/up'));
    symlinkSync(join(dir, 'force-app/b.eca-meta.xml'), join(dir, 'force-app/a.eca-meta.xml'));
    symlinkSync(join(dir, 'force-app/a.eca-meta.xml'), join(dir, 'force-app/b.eca-meta.xml'));
    const { inv } = await load(dir);
    expect(inv.apps.map((a) => a.name)).to.deep.equal(['A']);
    expect(problemOf(inv, 'force-app/main/default/up')?.code).to.equal('SymlinkLoop');
    expect(problemOf(inv, 'force-app/a.eca-meta.xml')?.code).to.equal('SymlinkLoop');
    expect(problemOf(inv, 'force-app/b.eca-meta.xml')?.code).to.equal('SymlinkLoop');
    expect(UNREADABLE_CODES.has('SymlinkLoop')).to.equal(true);
  });

  it('reports a metadata link whose target does not exist; skips other dangling links and dot-named links', async () => {
    const dir = project();
    symlinkSync(join(dir, 'nowhere/B.eca-meta.xml'), join(dir, 'force-app/B.eca-meta.xml'));
    symlinkSync(join(dir, 'nowhere/readme.md'), join(dir, 'force-app/readme.md'));
    symlinkSync(join(dir, 'force-app/.x.eca-meta.xml'), join(dir, 'force-app/.x.eca-meta.xml'));
    writeFileSync(join(dir, '.forceignore'), '**/*.dup\n');
    const { inv } = await load(dir);
    expect(inv.problems.map((p) => [p.path, p.code])).to.deep.equal([['force-app/B.eca-meta.xml', 'UnreadableFile']]);
  });

  // The tests run as root, for whom chmod 000 changes nothing: EACCES is simulated through the injected file system.
  it('reports an unreadable file or folder (EACCES) with its path, and reads the rest', async () => {
    const dir = project({ [GLOBAL]: globalOauth('A'), 'force-app/main/default/locked/B.eca-meta.xml': header('B') });
    const denied = (p: string): never => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
    };
    const fs = {
      ...NODE_FS,
      readFile: (p: string): Buffer => (p.endsWith('.ecaGlblOauth-meta.xml') ? denied(p) : NODE_FS.readFile(p)),
      readdir: (p: string) => (p.endsWith('locked') ? denied(p) : NODE_FS.readdir(p)),
    };
    const ctx = await resolveProject(dir);
    const inv = loadInventory(ctx, fs);
    expect(inv.apps.map((a) => a.name)).to.deep.equal(['A']);
    expect(problemOf(inv, GLOBAL)).to.deep.include({ code: 'UnreadableFile' });
    expect(problemOf(inv, GLOBAL)?.message).to.include('EACCES');
    expect(problemOf(inv, 'force-app/main/default/locked')?.code).to.equal('UnreadableFile');
    expect(UNREADABLE_CODES.has('UnreadableFile')).to.equal(true);
  });
});

describe('reader: .forceignore decides what is deployed, not what is checked', () => {
  it('reads files and folders denied by .forceignore and marks them ignored; dot folders stay unread', async () => {
    const dir = project({
      '.forceignore': '**/*.ecaGlblOauth-meta.xml\nforce-app/main/default/ignored/\n',
      [GLOBAL]: globalOauth('A'),
      'force-app/main/default/ignored/deep/B.eca-meta.xml': header('B'),
      'force-app/main/default/.hidden/C.eca-meta.xml': header('C'),
      'force-app/main/default/node_modules/D.eca-meta.xml': header('D'),
    });
    const { inv } = await load(dir);
    expect(inv.apps.map((a) => a.name)).to.deep.equal(['A', 'B']);
    const a = inv.apps[0]!;
    expect(fileOf(a, 'header')?.ignored).to.equal(false);
    expect(fileOf(a, 'globalOauth')?.ignored).to.equal(true);
    expect(fileOf(a, 'globalOauth')?.value('consumerSecret')).to.equal('EXAMPLE0SECRET');
    expect(fileOf(inv.apps[1]!, 'header')?.ignored).to.equal(true);
  });
});

describe('reader: --source-dir limits what is reported, never what is known', () => {
  const files = (): Record<string, string> => ({
    [POLICIES]: policies('A'),
    'pkg/main/default/externalClientApps/B.eca-meta.xml': header('B'),
    'sfdx-project.json': JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }, { path: 'pkg' }] }),
  });

  it('reads every package directory and records the selection (a folder)', async () => {
    const dir = project(files());
    const { ctx, inv } = await load(dir, ['force-app/main/default/extlClntAppOauthPolicies']);
    expect(ctx.selection).to.deep.equal([join(dir, 'force-app/main/default/extlClntAppOauthPolicies')]);
    expect(inv.apps.map((a) => [a.name, a.orphan])).to.deep.equal([
      ['A', false],
      ['B', false],
    ]);
    expect(inv.problems).to.deep.equal([]);
    expect([...(inv.selection ?? [])]).to.deep.equal([POLICIES]);
    expect(inSelection(inv, POLICIES)).to.equal(true);
    expect(inSelection(inv, HEADER)).to.equal(false);
    expect(fileOf(inv.apps[0]!, 'header')?.packageDir).to.equal(join(dir, 'force-app'));
  });

  it('a file as the selection, and unreadable files in it', async () => {
    const dir = project(files());
    writeFileSync(join(dir, POLICIES), Buffer.from([0x3c, 0xff]));
    const { inv } = await load(dir, [POLICIES]);
    expect([...(inv.selection ?? [])]).to.deep.equal([POLICIES]);
    expect(problemOf(inv, POLICIES)?.code).to.equal('InvalidEncoding');
  });

  it('without --source-dir there is no selection and everything is selected', async () => {
    const dir = project(files());
    const { ctx, inv } = await load(dir);
    expect(ctx.selection).to.equal(undefined);
    expect(inv.selection).to.equal(undefined);
    expect(inSelection(inv, HEADER)).to.equal(true);
  });

  it('without a project, --source-dir is what is read', async () => {
    const dir = writeTree(tempDir(), { 'a/A.eca-meta.xml': header('A'), 'b/B.eca-meta.xml': header('B') });
    const { ctx, inv } = await load(dir, ['a']);
    expect(ctx.scanRoots).to.deep.equal([join(dir, 'a')]);
    expect(inv.apps.map((a) => a.name)).to.deep.equal(['A']);
    expect([...(inv.selection ?? [])]).to.deep.equal(['a/A.eca-meta.xml']);
  });

  it('a --source-dir that holds the package directories reads each file once', async () => {
    const dir = project(files());
    const { ctx, inv } = await load(dir, ['.']);
    expect(ctx.scanRoots).to.deep.equal([dir]);
    expect(inv.fileCount).to.equal(3);
    expect(inv.selection?.size).to.equal(3);
    expect(readFileSync(join(dir, HEADER), 'utf8')).to.include('<label>A</label>');
  });
});
