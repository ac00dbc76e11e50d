/*
 * An isolated sf state (HOME) with one org authorised by access token against an OrgEmulator.
 *
 * @salesforce/core keeps process-wide state, so in-process use must follow these rules (see README.md):
 *  - Global.SF_DIR / SFDX_DIR come from os.homedir() (HOME) on every call, but StateAggregator (aliases,
 *    org auth files) is cached per HOME and ConfigAggregator per project path: authorizeEmulatorOrg()
 *    clears both after switching HOME, and restore() clears them again.
 *  - The crypto key is cached per HOME (Cache key `${Global.DIR}:…`), so a new HOME gets a new key.
 *  - The root Logger is created once per process; if something used core before HOME was switched and
 *    SF_DISABLE_LOG_FILE was unset, it keeps logging to the old HOME. Set up auth before other core use
 *    (a mocha `before` hook) or set SF_DISABLE_LOG_FILE=true before mocha starts.
 *  - The `http:` instance URL makes core emit one "Using insecure protocol" warning per origin.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthInfo, ConfigAggregator, StateAggregator } from '@salesforce/core';
import { type OrgEmulator } from './server.js';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const NODE_BIN = join(PROJECT_ROOT, 'node_modules', '.bin');

/** The variables that isolate sf/core from the developer's own state and keep it quiet. */
export const isolationEnv = (home: string): Record<string, string> => ({
  HOME: home,
  USERPROFILE: home,
  SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  SF_DISABLE_LOG_FILE: 'true',
  SF_DISABLE_TELEMETRY: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_HIDE_RELEASE_NOTES: 'true',
  SF_DISABLE_DNS_CHECK: 'true',
});

export type EmulatorAuth = {
  /** The temporary HOME (holds .sfdx/<username>.json, key.json, alias.json). */
  home: string;
  username: string;
  alias: string;
  orgId: string;
  accessToken: string;
  instanceUrl: string;
  /**
   * The variables a child process needs to use this org (`bin/run.js eca … --target-org <alias>`):
   * HOME and the isolation variables. Merge them into an environment: `{...process.env, ...env}`
   * (helpers.runCli does that; testkit's execCmd does NOT merge, pitfall 1).
   */
  env: Record<string, string>;
  /** A complete child environment: the environment from before the call + `env` + node_modules/.bin first on PATH (Node 22). */
  childEnv: Record<string, string>;
  /** Puts process.env back as it was, drops core's cached state for the temp HOME, and (unless keepHome) deletes it. */
  restore(options?: { keepHome?: boolean }): Promise<void>;
};

export type AuthorizeOptions = {
  alias?: string;
  /** Use this HOME instead of a fresh mkdtemp one. */
  home?: string;
  /**
   * Save instanceApiVersion in the auth file so that Connection.create makes no GET /services/data.
   * Default true. Set false to see that discovery call in the request log.
   */
  cacheApiVersion?: boolean;
  /** Also sets HTTP_TIMEOUT (ms) in `env`/`childEnv`: jsforce's per-request timeout in a child process. */
  httpTimeoutMs?: number;
};

/**
 * Creates an isolated HOME, switches process.env to it (HOME + isolationEnv), and saves an
 * access-token authorization for the emulator's org under `alias`. With every discovery field supplied,
 * this makes zero HTTP calls. `Org.create({aliasOrUsername: alias})` then works in-process, and a child
 * process started with `childEnv` (or `{...process.env, ...env}`) sees the same org.
 */
export const authorizeEmulatorOrg = async (emu: OrgEmulator, options: AuthorizeOptions = {}): Promise<EmulatorAuth> => {
  if (!emu.url) throw new Error('authorizeEmulatorOrg: start() the emulator first');
  const alias = options.alias ?? 'eca-emulator';
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'eca-emu-home-'));
  const env = isolationEnv(home);
  if (options.httpTimeoutMs !== undefined) env.HTTP_TIMEOUT = String(options.httpTimeoutMs);

  const saved = new Map<string, string | undefined>();
  const baseEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (k === 'HTTP_TIMEOUT') continue; // in-process jsforce read it at load time; only children use it
    saved.set(k, process.env[k]);
    process.env[k] = v;
  }
  StateAggregator.clearInstance();
  await ConfigAggregator.clearInstance();

  const authInfo = await AuthInfo.create({
    username: emu.username,
    accessTokenOptions: {
      accessToken: emu.accessToken,
      instanceUrl: emu.url,
      loginUrl: emu.url,
      // supplying these skips userinfo, the User lookup, the Dev Hub probe and the Organization query
      username: emu.username,
      orgId: emu.orgId,
      userId: emu.userId,
      isDevHub: false,
      namespacePrefix: emu.namespacePrefix ?? '',
      orgEdition: emu.orgEdition,
      isSandbox: emu.isSandbox,
      name: emu.orgName,
    },
  });
  await authInfo.save(
    options.cacheApiVersion === false
      ? {}
      : { instanceApiVersion: emu.apiVersion, instanceApiVersionLastRetrieved: new Date().toLocaleString() }
  );
  await authInfo.setAlias(alias);

  const path = [NODE_BIN, baseEnv.PATH ?? ''].join(delimiter);
  const childEnv = Object.fromEntries(
    Object.entries({ ...baseEnv, ...env, PATH: path }).filter((e): e is [string, string] => e[1] !== undefined)
  );

  let restored = false;
  return {
    home,
    username: emu.username,
    alias,
    orgId: emu.orgId,
    accessToken: emu.accessToken,
    instanceUrl: emu.url,
    env,
    childEnv,
    restore: async ({ keepHome = false } = {}) => {
      if (restored) return;
      restored = true;
      StateAggregator.clearInstance(join(home, '.sfdx'));
      for (const [k, v] of saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      StateAggregator.clearInstance();
      await ConfigAggregator.clearInstance();
      if (!keepHome && !options.home) rmSync(home, { recursive: true, force: true });
    },
  };
};

/**
 * The no-auth-file variant: the access token itself is the target org and the URL comes from
 * SF_ORG_INSTANCE_URL. Core does not persist such an org; each command makes GET /services/data and the
 * Organization query.
 */
export const tokenTargetOrg = (emu: OrgEmulator): { targetOrg: string; env: Record<string, string> } => ({
  targetOrg: emu.accessToken,
  env: { SF_ORG_INSTANCE_URL: emu.url },
});
