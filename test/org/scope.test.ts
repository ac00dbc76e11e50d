/* A selection limits what is deployed and what may block it; .forceignore decides what is deployed, and says so. */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { useEmulatorOrg } from '../support/emulator/index.js';
import { copyExample, type RunResult } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

describe('deploy scope (in-process, emulator)', function () {
  this.timeout(60_000);
  const org = useEmulatorOrg();
  const sf = (args: string[], cwd: string): Promise<RunResult> => runCommand(['eca', ...args, '--target-org', 'emu'], cwd, org.env);

  it('deploy --name A is not blocked by app B\'s malformed file; deploying everything is', async () => {
    const dir = copyExample();
    writeFileSync(join(dir, 'force-app/main/default/extlClntAppOauthPolicies/Partner_Portal_Settings_defaultPolicy.ecaOauthPlcy-meta.xml'), '<ExtlClntAppOauthConfigurablePolicies><x></ExtlClntAppOauthConfigurablePolicies>');
    const one = await sf(['deploy', '--name', 'Order_Sync', '--dry-run'], dir);
    expect(one.code, one.stdout + one.stderr).to.equal(0);
    const all = await sf(['deploy', '--dry-run'], dir);
    expect(all.code).to.equal(1);
    expect(all.stderr + all.stdout).to.include('ECA-PRJ-004');
  });

  it('global settings matched by .forceignore are not deployed, and the deploy says so', async () => {
    const dir = copyExample();
    appendFileSync(join(dir, '.forceignore'), '\n**/*.ecaGlblOauth-meta.xml\n');
    const r = await sf(['deploy', '--name', 'Order_Sync', '--include-global-settings', '--dry-run'], dir);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stderr).to.include('Order_Sync_glbloauth.ecaGlblOauth-meta.xml is matched by .forceignore, so it is not deployed');
    expect(org.emu.lastDeploy()?.entries.some((e) => e.includes('ecaGlblOauth'))).to.equal(false);
  });

  it('with the emulator as the default org (SF_TARGET_ORG), set and migrate stay local: the org hears nothing', async () => {
    const dir = copyExample();
    const local = (args: string[]): Promise<RunResult> => runCommand(['eca', ...args], dir, { ...org.env, SF_TARGET_ORG: 'emu' });
    const set = await local(['set', '--name', 'Order_Sync', '--ip-relaxation', 'bypass-with-2fa']);
    expect(set.code, set.stdout + set.stderr).to.equal(0);
    expect(readFileSync(join(dir, 'force-app/main/default/extlClntAppOauthPolicies/Order_Sync_oauthPlcy.ecaOauthPlcy-meta.xml'), 'utf8')).to.include('Bypass_2factor');
    const migrate = await local(['migrate', '--name', 'Legacy_Data_Loader', '--dry-run', '--accept-weaker']);
    expect(migrate.code, migrate.stderr).to.equal(0);
    expect(org.emu.ops()).to.deep.equal([]);
    // The same default org is used by the commands that always talk to an org, when they are asked to.
    const deploy = await runCommand(['eca', 'deploy', '--name', 'Order_Sync', '--dry-run'], copyExample(), { ...org.env, SF_TARGET_ORG: 'emu' });
    expect(deploy.code, deploy.stderr).to.equal(0);
    expect(org.emu.ops()).to.include('deploy');
  });
});
