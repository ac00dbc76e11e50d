/*
 * Do no harm where it takes processes of their own: two commands writing one project at once, and a
 * command killed in the middle of its write (the in-process tests are in test/commands/safety.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCliAsync, startCliAsync } from '../support/emulator/cli.js';
import { copyExample } from '../support/helpers.js';

const PARTNER_POLICIES = 'force-app/main/default/extlClntAppOauthPolicies/Partner_Portal_Settings_defaultPolicy.ecaOauthPlcy-meta.xml';
const ENV = { ...process.env, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true' };

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

describe('do no harm across processes (built CLI)', () => {
  it('set and fix at once on one project: a write that would lose the other\'s change is refused', async () => {
    for (let trial = 0; trial < 2; trial++) {
      const dir = copyExample();
      const [set, fix] = await Promise.all([
        runCliAsync(['eca', 'set', '--name', 'Partner_Portal', '--refresh-token', 'inactivity', '--refresh-token-validity', '30d'], dir, ENV),
        runCliAsync(['eca', 'fix', '--include-breaking', '--rule', 'ECA-POL-010', '--fail-on', 'never'], dir, ENV),
      ]);
      const text = readFileSync(join(dir, PARTNER_POLICIES), 'utf8');
      if (set.code === 0) expect(text, `trial ${trial}: set's change lost`).to.include('SpecificInactivity');
      if (fix.code === 0 && !fix.stdout.includes('Nothing to fix')) expect(text, `trial ${trial}: fix's change lost`).to.include('<ipRelaxationPolicyType>Enforce<');
      for (const r of [set, fix]) if (r.code !== 0) expect(r.stderr).to.match(/changed on disk|being written/);
    }
  });

  it('a SIGKILL during fix leaves no temporary file in the package directories', async () => {
    for (let trial = 0; trial < 4; trial++) {
      const dir = copyExample();
      const { child, done } = startCliAsync(['eca', 'fix', '--include-breaking'], dir, ENV);
      await new Promise((r) => setTimeout(r, 600 + trial * 250));
      child.kill('SIGKILL');
      await done;
      expect(walk(join(dir, 'force-app')).filter((p) => p.endsWith('.tmp'))).to.deep.equal([]);
    }
  });
});
