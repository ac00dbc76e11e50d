/* A selection limits what is deployed and what may block it; .forceignore decides what is deployed, and says so. */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCliAsync, useEmulatorOrg } from '../support/emulator/index.js';
import { copyExample } from '../support/helpers.js';

describe('deploy scope (built CLI, emulator)', function () {
  this.timeout(60_000);
  const org = useEmulatorOrg();
  const sf = (args: string[], cwd: string): ReturnType<typeof runCliAsync> => runCliAsync(['eca', ...args, '--target-org', 'emu'], cwd, org.env, 45_000);

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
});
