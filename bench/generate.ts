/*
 * Deterministic synthetic sfdx projects with N External Client Apps (five files each, realistic
 * contents, some planted weaknesses), for the benchmark. Usage: tsx bench/generate.ts <n> <dir> [seed]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const NS = 'http://soap.sforce.com/2006/04/metadata';

/** mulberry32: a small seeded PRNG, so the same seed gives the same project. */
const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const file = (root: string, fields: Array<[string, string]>): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${fields
    .map(([k, v]) => (v.startsWith('\n') ? `    <${k}>${v}\n    </${k}>\n` : `    <${k}>${v}</${k}>\n`))
    .join('')}</${root}>\n`;

const range = (i: number, j: number): string =>
  `\n        <description>Egress ${j} of app ${i}</description>\n        <endIpAddress>10.${(i >> 8) & 255}.${i & 255}.${j * 16 + 15}</endIpAddress>\n        <startIpAddress>10.${(i >> 8) & 255}.${i & 255}.${j * 16}</startIpAddress>`;

export const generateProject = (n: number, dir: string, seed = 42): { files: number } => {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  rmSync(dir, { recursive: true, force: true });
  const base = join(dir, 'force-app', 'main', 'default');
  const folders = ['externalClientApps', 'extlClntAppGlobalOauthSets', 'extlClntAppOauthSettings', 'extlClntAppOauthPolicies', 'extlClntAppPolicies'];
  for (const f of folders) mkdirSync(join(base, f), { recursive: true });
  writeFileSync(join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }, null, 2));
  let files = 0;
  for (let i = 0; i < n; i++) {
    const name = `Integration_${String(i).padStart(5, '0')}`;
    const weak = rnd() < 0.15;
    const serverToServer = rnd() < 0.5;
    const w = (p: string, text: string): void => {
      writeFileSync(join(base, p), text);
      files++;
    };
    w(`externalClientApps/${name}.eca-meta.xml`, file('ExternalClientApplication', [
      ['contactEmail', `owner${i}@example.com`],
      ['description', `Synthetic integration ${i} (${serverToServer ? 'server-to-server' : 'web application'})`],
      ['distributionState', 'Local'],
      ['isProtected', 'false'],
      ['label', `Integration ${i}`],
    ]));
    w(`extlClntAppGlobalOauthSets/${name}_glbloauth.ecaGlblOauth-meta.xml`, file('ExtlClntAppGlobalOauthSettings', [
      ['callbackUrl', serverToServer ? 'https://login.salesforce.com/services/oauth2/success' : `https://app${i}.example.com/oauth/callback?tenant=${i}&amp;mode=web`],
      ...(serverToServer ? ([['certificate', '-----BEGIN CERTIFICATE-----\nMIIBSYNTHETIC\n-----END CERTIFICATE-----']] as Array<[string, string]>) : []),
      ['externalClientApplication', name],
      ['isClientCredentialsFlowEnabled', 'false'],
      ['isCodeCredFlowEnabled', 'false'],
      ['isConsumerSecretOptional', 'false'],
      ['isDeviceFlowEnabled', weak && rnd() < 0.3 ? 'true' : 'false'],
      ['isIntrospectAllTokens', 'false'],
      ['isPkceRequired', weak && rnd() < 0.5 ? 'false' : 'true'],
      ['isRefreshTokenRotationEnabled', 'true'],
      ['isSecretRequiredForRefreshToken', 'true'],
      ['isSecretRequiredForTokenExchange', 'true'],
      ['isTokenExchangeEnabled', 'false'],
      ['label', `Integration ${i} global OAuth`],
      ['shouldRotateConsumerKey', 'false'],
      ['shouldRotateConsumerSecret', 'false'],
    ]));
    w(`extlClntAppOauthSettings/${name}_oauth.ecaOauth-meta.xml`, file('ExtlClntAppOauthSettings', [
      ['commaSeparatedOauthScopes', serverToServer ? 'Api' : weak ? pick(['Full, RefreshToken', 'Api, RefreshToken']) : 'Api, RefreshToken'],
      ['externalClientApplication', name],
      ['label', `${name}_oauth`],
      ['trustedIpRanges', range(i, 0)],
      ['trustedIpRanges', range(i, 1)],
    ]));
    w(`extlClntAppOauthPolicies/${name}_oauth_defaultPolicy.ecaOauthPlcy-meta.xml`, file('ExtlClntAppOauthConfigurablePolicies', [
      ['commaSeparatedPermissionSet', `${name}_Users`],
      ['externalClientApplication', name],
      ['ipRelaxationPolicyType', weak ? pick(['Bypass', 'Enforce_RelaxRefresh', 'Enforce']) : 'Enforce'],
      ['isClientCredentialsFlowEnabled', 'false'],
      ['isGuestCodeCredFlowEnabled', 'false'],
      ['isTokenExchangeFlowEnabled', 'false'],
      ['label', `${name}_oauth_defaultPolicy`],
      ['permittedUsersPolicyType', weak && rnd() < 0.5 ? 'AllSelfAuthorized' : 'AdminApprovedPreAuthorized'],
      ...((serverToServer
        ? [['refreshTokenPolicyType', 'Zero']]
        : weak && rnd() < 0.5
          ? [['refreshTokenPolicyType', 'Infinite']]
          : [
              ['refreshTokenPolicyType', 'SpecificInactivity'],
              ['refreshTokenValidityPeriod', String(pick([7, 14, 30]))],
              ['refreshTokenValidityUnit', 'Days'],
            ]) as Array<[string, string]>),
      ['requiredSessionLevel', 'STANDARD'],
    ]));
    w(`extlClntAppPolicies/${name}_plcy.ecaPlcy-meta.xml`, file('ExtlClntAppConfigurablePolicies', [
      ['externalClientApplication', name],
      ['isEnabled', 'true'],
      ['isOauthPluginEnabled', 'true'],
      ['label', `${name}_plcy`],
    ]));
  }
  return { files };
};

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const [n, dir, seed] = process.argv.slice(2);
  const { files } = generateProject(Number(n), dir ?? `bench/out/p${n}`, Number(seed ?? 42));
  process.stdout.write(`${files} files\n`);
}
