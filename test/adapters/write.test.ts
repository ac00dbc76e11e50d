/* The change pipeline's commit: whole or nothing, refusing lost updates, unreadable results and overwrites. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { commitChanges } from '../../src/adapters/write.js';
import type { ChangeSet } from '../../src/core/change/plan.js';
import { tempDir, xmlFile } from '../support/helpers.js';

const PATH = 'force-app/main/default/extlClntAppOauthPolicies/A_oauthPlcy.ecaOauthPlcy-meta.xml';
const before = xmlFile('ExtlClntAppOauthConfigurablePolicies', [['externalClientApplication', 'A'], ['ipRelaxationPolicyType', 'Bypass']]);
const after = before.replace('Bypass', 'Enforce');

const project = (): string => {
  const dir = tempDir();
  mkdirSync(join(dir, 'force-app/main/default/extlClntAppOauthPolicies'), { recursive: true });
  writeFileSync(join(dir, PATH), before);
  return dir;
};
const edit = (a = after): ChangeSet => ({ changes: [{ path: PATH, before, after: a, applied: [] }], deferred: [] });

describe('commitChanges', () => {
  it('writes the change; temporaries stay outside the package directories and are gone', () => {
    const dir = project();
    commitChanges(edit(), { cwd: dir, root: dir });
    expect(readFileSync(join(dir, PATH), 'utf8')).to.equal(after);
    expect(readdirSync(join(dir, 'force-app/main/default/extlClntAppOauthPolicies'))).to.deep.equal(['A_oauthPlcy.ecaOauthPlcy-meta.xml']);
    expect(readdirSync(join(dir, '.sf', 'eca-tmp'))).to.deep.equal([]);
  });

  it('refuses, writing nothing, when the file changed since it was read (a lost update)', () => {
    const dir = project();
    const other = before.replace('Bypass', 'Bypass_2factor');
    writeFileSync(join(dir, PATH), other);
    expect(() => commitChanges(edit(), { cwd: dir, root: dir })).to.throw(/changed on disk since it was read/);
    expect(readFileSync(join(dir, PATH), 'utf8')).to.equal(other);
  });

  it('refuses a result the reader would refuse (never writes malformed metadata)', () => {
    const dir = project();
    expect(() => commitChanges(edit(after.replace('</ExtlClntAppOauthConfigurablePolicies>', '')), { cwd: dir, root: dir })).to.throw(/would not be readable metadata/);
    expect(readFileSync(join(dir, PATH), 'utf8')).to.equal(before);
  });

  it('refuses to overwrite an existing file with a new one unless asked', () => {
    const dir = project();
    const create: ChangeSet = { changes: [{ path: PATH, before: undefined, after, applied: [] }], deferred: [] };
    expect(() => commitChanges(create, { cwd: dir, root: dir })).to.throw(/exists already/);
    commitChanges(create, { cwd: dir, root: dir, overwrite: true });
    expect(readFileSync(join(dir, PATH), 'utf8')).to.equal(after);
  });

  it('refuses a write outside the project', () => {
    const dir = project();
    const set: ChangeSet = { changes: [{ path: '../elsewhere.ecaOauthPlcy-meta.xml', before: undefined, after, applied: [] }], deferred: [] };
    expect(() => commitChanges(set, { cwd: dir, root: dir })).to.throw(/outside the project/);
  });

  it('waits for, then refuses, a file another live run is writing; takes over a dead run\'s lock', () => {
    const dir = project();
    const abs = join(dir, PATH);
    const lockDir = join(tmpdir(), 'eca-plugin-locks');
    mkdirSync(lockDir, { recursive: true });
    const lock = join(lockDir, `${createHash('sha256').update(abs).digest('hex').slice(0, 32)}.lock`);
    writeFileSync(lock, String(process.pid));
    expect(() => commitChanges(edit(), { cwd: dir, root: dir, lockWaitMs: 100 })).to.throw(/being written by another run/);
    writeFileSync(lock, '999999999');
    commitChanges(edit(), { cwd: dir, root: dir, lockWaitMs: 100 });
    expect(readFileSync(abs, 'utf8')).to.equal(after);
    expect(existsSync(lock)).to.equal(false);
  });
});
