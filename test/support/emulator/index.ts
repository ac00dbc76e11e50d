import { OrgEmulator, type OrgEmulatorOptions } from './server.js';
import { authorizeEmulatorOrg, type EmulatorAuth } from './auth.js';

export * from './server.js';
export * from './auth.js';
export * from './cli.js';
export { DEFAULT_LIFECYCLE, DEFAULT_POLICY_FIELDS, ECA_TYPE_SINCE, type EcaLifecycle } from './eca.js';
export { metadataFile, MD_NS } from './xml.js';
export { mdapiPath } from './metadata.js';
export * from './samples.js';

/** Rejects with a TimeoutError after `ms` unless `p` settles first (a client-side timeout for calls that may hang). */
export const withTimeout = <T>(p: Promise<T>, ms: number, what = 'operation'): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new Error(`${what} timed out after ${ms} ms`);
      e.name = 'TimeoutError';
      reject(e);
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
};

/**
 * Mocha hooks for a suite that talks to one emulator: started before, reset before each test, stopped
 * after; the org is authorized under the alias `emu`. Read the fields inside tests (they are set by `before`).
 */
export const useEmulatorOrg = (options: OrgEmulatorOptions = {}): { emu: OrgEmulator; env: Record<string, string> } => {
  const suite = {} as { emu: OrgEmulator; env: Record<string, string>; auth: EmulatorAuth };
  before(async () => {
    suite.emu = new OrgEmulator(options);
    await suite.emu.start();
    suite.auth = await authorizeEmulatorOrg(suite.emu, { alias: 'emu' });
    // Wide enough that a table row stays on one line; the width tests set COLUMNS themselves.
    suite.env = { ...suite.auth.childEnv, ECA_POLL_INTERVAL_MS: '10', COLUMNS: '400' };
  });
  after(async () => {
    await suite.auth.restore();
    await suite.emu.stop();
  });
  beforeEach(() => suite.emu.reset());
  return suite;
};
