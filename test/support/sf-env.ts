/*
 * The environment of a child process that runs the real `sf` (test/sf and bench/sf.ts): the Node 22 running us
 * first on PATH (child npm and `#!/usr/bin/env node` scripts then run on it, not on an older system node), none of
 * the variables that would make a child behave differently from a plain shell (the npm run-script variables of our
 * own `npm run …`, inherited sf/oclif settings, NODE_OPTIONS, DEBUG, the benchmark's BENCH_*), and, for sf itself,
 * a throw-away HOME (and XDG dirs under it) so that sf reads and writes no user config, auth file, log or plugin
 * list, and nothing that talks to the network or waits:
 *
 * - SF_USE_GENERIC_UNIX_KEYCHAIN: file-based "keychain" under HOME, never the OS keychain.
 * - SF_DISABLE_TELEMETRY: no telemetry upload.
 * - SF_DISABLE_AUTOUPDATE *and* SF_AUTOUPDATE_DISABLE: sf 2.150.x only maps its own SF_AUTOUPDATE_DISABLE to the
 *   oclif one (SF_DISABLE_AUTOUPDATE, read by @oclif/plugin-update's init hook) for installer builds. For an npm
 *   install with only SF_AUTOUPDATE_DISABLE=true, the hook still spawns `sf update --autoupdate` in the background.
 * - SF_SKIP_NEW_VERSION_CHECK: no registry request from @oclif/plugin-warn-if-update-available.
 * - SFDX_DISABLE_DNS_CHECK / SF_DISABLE_DNS_CHECK: no DNS lookups of org domains.
 * - NODE_ENV=production: what a user has; with "test"/"development" oclif would also try to load sf's devPlugins,
 *   and for a user-installed plugin it keeps oclif from looking for TypeScript sources.
 * - FORCE_COLOR=0: plain text.
 */
import { delimiter, dirname, join } from 'node:path';

export const baseEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_(lifecycle_|package_)|npm_command$|npm_execpath$|npm_node_execpath$|npm_config_local_prefix$|INIT_CWD$)/i.test(key)) continue;
    if (/^(SF_|SFDX_|OCLIF_|NODE_OPTIONS$|NODE_ENV$|DEBUG$|FORCE_COLOR$|BENCH_)/i.test(key)) continue;
    env[key] = value;
  }
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  env[pathKey] = [dirname(process.execPath), env[pathKey]].filter(Boolean).join(delimiter);
  env.NODE = process.execPath;
  return env;
};

export const sfEnv = (home: string): NodeJS.ProcessEnv => ({
  ...baseEnv(),
  HOME: home,
  USERPROFILE: home,
  XDG_CONFIG_HOME: join(home, '.config'),
  XDG_DATA_HOME: join(home, '.local', 'share'),
  XDG_CACHE_HOME: join(home, '.cache'),
  XDG_STATE_HOME: join(home, '.local', 'state'),
  NODE_ENV: 'production',
  SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  SFDX_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  SF_DISABLE_TELEMETRY: 'true',
  SFDX_DISABLE_TELEMETRY: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
  SFDX_DISABLE_DNS_CHECK: 'true',
  SF_DISABLE_DNS_CHECK: 'true',
  FORCE_COLOR: '0',
});
