/* The helpers of src/cli/org.ts that other commands call: orgLabel, redactTokens, waitMsOf. */
import { expect } from 'chai';
import type { Org } from '@salesforce/core';
import { orgLabel, redactTokens, waitMsOf } from '../../src/cli/org.js';

const fakeOrg = (username: string | undefined, orgId = '00D000000000001EAA'): Org => ({ getUsername: () => username, getOrgId: () => orgId }) as unknown as Org;

describe('cli/org helpers', () => {
  it('orgLabel: the username, or the 15-character org id when the "username" is an access token', () => {
    expect(orgLabel(fakeOrg('admin@example.com'))).to.equal('admin@example.com');
    expect(orgLabel(fakeOrg('00D000000000001!AQ0EmulatorToken'))).to.equal('00D000000000001');
    expect(orgLabel(fakeOrg('00D5e000000AbCdEAA!AQ0x.y_z', '00D5e000000AbCd'))).to.equal('00D5e000000AbCd');
    expect(orgLabel(fakeOrg(undefined))).to.equal('00D000000000001');
  });

  it('redactTokens replaces access tokens in a text', () => {
    expect(redactTokens('to 00D000000000001!AQ0Emulator.Token_x failed')).to.equal('to <access token> failed');
    expect(redactTokens('admin@example.com 00D000000000001')).to.equal('admin@example.com 00D000000000001');
  });

  it('waitMsOf: ECA_WAIT_MS, else --wait <minutes>, else 10 minutes', () => {
    const saved = process.env.ECA_WAIT_MS;
    try {
      delete process.env.ECA_WAIT_MS;
      expect(waitMsOf(['--wait', '2'])).to.equal(120_000);
      expect(waitMsOf(['--name', 'X', '--wait=1'])).to.equal(60_000);
      expect(waitMsOf([])).to.equal(600_000);
      expect(waitMsOf(['--wait', 'soon'])).to.equal(600_000);
      process.env.ECA_WAIT_MS = '1500';
      expect(waitMsOf(['--wait', '2'])).to.equal(1500);
    } finally {
      if (saved === undefined) delete process.env.ECA_WAIT_MS;
      else process.env.ECA_WAIT_MS = saved;
    }
  });
});
