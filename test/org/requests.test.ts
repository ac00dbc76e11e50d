import { expect } from 'chai';
import { countOrgRequests, renderRequestTable } from '../../bench/org-requests.js';
import { runCommand } from '../support/run.js';

describe('requests each org command makes (1 and 50 apps, in-process)', function () {
  this.timeout(240_000);
  it('does not grow with the number of apps: one listMetadata per three types, one deploy, one retrieve', async () => {
    const rows = await countOrgRequests([1, 50], runCommand);
    process.stdout.write(`${renderRequestTable(rows)}\n`);
    for (const command of new Set(rows.map((r) => r.command))) {
      const [one, fifty] = rows.filter((r) => r.command === command);
      expect(fifty?.requests, command).to.deep.equal(one?.requests);
    }
    const byCommand = (c: string): Record<string, number> | undefined => rows.find((r) => r.command === c && r.apps === 50)?.requests;
    // deploy reads the apps first (names, fields a deploy would reset: nothing to retrieve in an empty org), then reads the deployed components back by name
    expect(byCommand('deploy')).to.deep.equal({ listMetadata: 4, deploy: 1, checkDeployStatus: 1, retrieve: 1, checkRetrieveStatus: 1 });
    expect(byCommand('deploy --dry-run')).to.deep.equal({ listMetadata: 4, deploy: 1, checkDeployStatus: 1 });
    // the emulator's org is at API 66: 12 ECA types (OAuth security and attestation arrive in 67), 4 calls; audit adds ConnectedApp
    expect(byCommand('retrieve')).to.deep.equal({ listMetadata: 4, retrieve: 1, checkRetrieveStatus: 1 });
    expect(byCommand('diff')).to.deep.equal({ listMetadata: 4, retrieve: 1, checkRetrieveStatus: 1 });
    expect(byCommand('audit')).to.deep.equal({ listMetadata: 5, retrieve: 1, checkRetrieveStatus: 1 });
    for (const r of rows) expect(r.code, `${r.command} ${r.apps}`).to.be.oneOf([0, 1]);
  });
});
