/* Rules on the global OAuth settings, the OAuth settings (scopes, trusted IP ranges) and the plugin policies. */
import type { MetadataFile } from '../../model/file.js';
import { type EcaFileKind, fileOf } from '../../project/inventory.js';
import type { XmlElement } from '../../xml/parse.js';
import type { EcaConfig } from '../config.js';
import { cidrContains, type IpAddress, parseIp, rangeSize } from '../ip.js';
import type { Report, Rule, RuleContext, Unit } from '../types.js';
import { clientProfile } from '../profile.js';
import { at, closest, DOCS, grantsRefreshTokens, isRemoteHttpUrl, scopesOf, splitLines } from '../util.js';

/**
 * OAuth scope tokens of ExtlClntAppOauthSettings (Metadata API docs) and tokens a v67 server validation error lists
 * as accepted. A2A, CmdbDiscovery and SemanticLayer are Connected-App-only (in @salesforce/types' ConnectedApp enum,
 * absent from that list): an ECA with them fails to deploy, so they are not known here.
 */
export const KNOWN_SCOPES = [
  'Basic', 'Api', 'Web', 'Full', 'Chatter', 'CustomApplications', 'RefreshToken', 'OpenID', 'Profile', 'Email',
  'Address', 'Phone', 'OfflineAccess', 'CustomPermissions', 'Wave', 'Eclair', 'Pardot', 'Lightning', 'Content',
  'CDPIngest', 'CDPProfile', 'CDPQuery', 'Chatbot', 'CDPSegment', 'CDPIdentityResolution', 'CDPCalculatedInsight',
  'SFApiPlatform', 'Interaction', 'EinsteinGPT', 'PwdlessLogin', 'ForgotPassword', 'UserRegistration', 'MCP', 'SCRT',
  'CDP', 'DataCloudUserClaims',
];

const eca = (r: Omit<Rule, 'appliesTo'>): Rule => ({ ...r, appliesTo: 'eca' });

/** Each plugin flag and the files that say the app uses the plugin. */
export const PLUGIN_FILES: ReadonlyArray<readonly [string, readonly EcaFileKind[]]> = [
  ['isMobilePluginEnabled', ['mobile', 'mobilePolicies']],
  ['isPushPluginEnabled', ['push', 'pushPolicies']],
  ['isNotificationPluginEnabled', ['notifications']],
  ['isCanvasPluginEnabled', ['canvas']],
  ['isSamlPluginEnabled', ['samlPolicies']],
];

/** A boolean of the global settings that should hold `good`; the fix sets it. */
const globalFlag = (o: {
  id: string;
  name: string;
  element: string;
  good: boolean;
  /** Value assumed when the element is absent (the documented default); undefined: absence is a finding. */
  absent?: boolean;
  severity: Rule['severity'];
  summary: string;
  rationale: string;
  helpUri: string;
  message: string;
  /** Packaged apps get the rule whatever their kind (see Rule.alsoPackaged). */
  alsoPackaged?: boolean;
  applies?: (unit: Extract<Unit, { kind: 'eca' }>, ctx: RuleContext) => boolean;
  /** The client kinds the rule applies to (every kind when absent); see Rule.clients. */
  clients?: Rule['clients'];
  /** A severity other than the rule's for some apps (packaged apps: AppExchange requirements). */
  severityFor?: (unit: Extract<Unit, { kind: 'eca' }>, ctx: RuleContext) => Rule['severity'] | undefined;
  /** What the finding adds for such apps. */
  why?: (unit: Extract<Unit, { kind: 'eca' }>, ctx: RuleContext) => string | undefined;
}): Rule =>
  eca({
    id: o.id,
    name: o.name,
    severity: o.severity,
    ...(o.clients ? { clients: o.clients } : {}),
    ...(o.alsoPackaged ? { alsoPackaged: true } : {}),
    category: 'global-settings',
    summary: o.summary,
    rationale: o.rationale,
    helpUri: o.helpUri,
    fixable: true,
    fixClass: 'breaking',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'eca' || (o.applies && !o.applies(unit, ctx))) return;
      const g = fileOf(unit.app, 'globalOauth');
      if (!g) return;
      const v = g.flag(o.element) ?? o.absent;
      if (v === o.good || (v === undefined && g.value(o.element) !== undefined)) return; // not a boolean: the type rule reports it
      const severity = o.severityFor?.(unit, ctx);
      const why = o.why?.(unit, ctx);
      report({
        file: g,
        at: at(g.element(o.element)),
        ...(severity ? { severity } : {}),
        message: `${v === undefined ? `${o.element} is not set: ${o.message}` : o.message}${why ? ` (${why})` : ''}`,
        actual: v === undefined ? undefined : String(v),
        expected: String(o.good),
        fix: { path: g.path, edits: [{ op: 'set', element: o.element, value: String(o.good) }], description: `set ${o.element} to ${String(o.good)}`, class: 'breaking' },
      });
    },
  });

/** Packaged apps: AppExchange requires PKCE and refresh token rotation of them (since 11 May 2026). */
const packaged = (unit: Extract<Unit, { kind: 'eca' }>, ctx: RuleContext): boolean => clientProfile(unit.app, ctx.config).packaged;
const APPEXCHANGE = 'AppExchange requires it of packaged apps';

const hasRefreshTokens = (unit: Extract<Unit, { kind: 'eca' }>): boolean => {
  const scopes = scopesOf(unit.app);
  const p = fileOf(unit.app, 'oauthPolicies');
  return grantsRefreshTokens(scopes) || (p !== undefined && p.value('refreshTokenPolicyType') !== 'Zero' && scopes.length === 0);
};

/** What an IP rule says of a range or a list of ranges; `set` refuses the same (src/core/authoring/set.ts). */
export type IpRangeIssue = {
  readonly ruleId: 'ECA-IP-002' | 'ECA-IP-003' | 'ECA-IP-004';
  readonly finding: { readonly message: string; readonly actual?: string; readonly expected?: string; readonly action?: string };
};

/** Salesforce accepts at most this many trusted IP ranges per app. */
export const MAX_IP_RANGES = 128;

/** ECA-IP-002 (size) and ECA-IP-003 (approved) on one valid range (one family, start ≤ end). */
export const ipRangeIssues = (label: string, start: IpAddress, end: IpAddress, config: EcaConfig, only?: 'size' | 'approved'): IpRangeIssue[] => {
  const issues: IpRangeIssue[] = [];
  if (only !== 'approved') {
    const size = rangeSize(start, end);
    const everything = start.family === 4 ? 1n << 32n : 1n << 128n;
    if (size >= everything / 2n) {
      issues.push({
        ruleId: 'ECA-IP-002',
        finding: {
          message: `${label} covers ${size === everything ? 'every' : 'half of all'} ${start.family === 4 ? 'IPv4' : 'IPv6'} address${size === everything ? '' : 'es'}`,
          actual: `${size} addresses`,
          expected: `at most ${config.maxIpRangeSize}`,
        },
      });
    } else if (size > BigInt(config.maxIpRangeSize)) {
      issues.push({
        ruleId: 'ECA-IP-002',
        finding: {
          message: `${label} holds ${size} addresses, more than the maximum of ${config.maxIpRangeSize}`,
          actual: `${size} addresses`,
          expected: `at most ${config.maxIpRangeSize} ("maxIpRangeSize")`,
          action: 'Narrow the range to the integration\'s egress addresses, or raise "maxIpRangeSize" in the configuration.',
        },
      });
    }
  }
  if (only !== 'size' && config.approvedIpRanges.length > 0 && !config.approvedIpRanges.some((c) => cidrContains(c, start, end))) {
    issues.push({
      ruleId: 'ECA-IP-003',
      finding: {
        message: `${label} is not inside the organisation's approved ranges`,
        expected: config.approvedIpRanges.map((c) => c.text).join(', '),
        action: 'Use addresses inside "approvedIpRanges", or have the range approved and added to the configuration.',
      },
    });
  }
  return issues;
};

/** ECA-IP-004 on the number of ranges of one element. */
export const ipRangeCountIssue = (count: number, element: string): IpRangeIssue | undefined =>
  count > MAX_IP_RANGES
    ? { ruleId: 'ECA-IP-004', finding: { message: `${count} ${element}: at most ${MAX_IP_RANGES} are allowed`, actual: String(count), expected: `at most ${MAX_IP_RANGES}` } }
    : undefined;

const checkRanges = (file: MetadataFile, element: string, ctx: RuleContext, report: Report, kind: 'size' | 'approved' | 'valid' | 'count'): void => {
  const ranges = file.elements(element);
  if (kind === 'count') {
    const issue = ipRangeCountIssue(ranges.length, element);
    if (issue) report({ file, at: at(ranges[MAX_IP_RANGES]), ...issue.finding });
    return;
  }
  ranges.forEach((range: XmlElement, index) => {
    const get = (n: string): XmlElement | undefined => range.children.find((c) => c.name === n);
    const startEl = get('startIpAddress');
    const endEl = get('endIpAddress');
    const startText = startEl?.text?.trim();
    const endText = endEl?.text?.trim();
    const start = startText ? parseIp(startText) : undefined;
    const end = endText ? parseIp(endText) : undefined;
    const label = `${element} ${startText ?? '?'}–${endText ?? '?'}`;
    if (kind === 'valid') {
      for (const [el, text, ip] of [
        [startEl, startText, start],
        [endEl, endText, end],
      ] as const) {
        if (text !== undefined && !ip) report({ file, at: at(el), message: `"${text}" is not an IPv4 or IPv6 address`, actual: text });
      }
      if (start && end && start.family !== end.family) {
        report({ file, at: at(range), message: `${label} mixes IPv4 and IPv6` });
      } else if (start && end && start.value > end.value) {
        report({
          file,
          at: at(range),
          message: `${label} starts after it ends`,
          fix: {
            path: file.path,
            edits: [
              { op: 'set', element, index, child: 'startIpAddress', value: endText as string },
              { op: 'set', element, index, child: 'endIpAddress', value: startText as string },
            ],
            description: `swap the start and end of ${label}`,
            class: 'breaking',
          },
        });
      }
      return;
    }
    if (!start || !end || start.family !== end.family || start.value > end.value) return;
    for (const issue of ipRangeIssues(label, start, end, ctx.config, kind)) report({ file, at: at(range), ...issue.finding });
  });
};

const ipRule = (id: string, name: string, kind: 'size' | 'approved' | 'valid' | 'count', summary: string, rationale: string, fixable = false): Rule =>
  eca({
    id,
    name,
    severity: 'error',
    category: 'ip-ranges',
    summary,
    rationale,
    helpUri: DOCS.oauth,
    fixable,
    fixClass: fixable ? 'breaking' : 'manual',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'eca') return;
      const oauth = fileOf(unit.app, 'oauth');
      if (oauth) checkRanges(oauth, 'trustedIpRanges', ctx, report, kind);
      const sec = fileOf(unit.app, 'oauthSecurity');
      if (sec) checkRanges(sec, 'tokenIpRanges', ctx, report, kind);
    },
  });

export const settingsRules: readonly Rule[] = [
  eca({
    id: 'ECA-GLB-001',
    name: 'no-committed-secret',
    severity: 'error',
    category: 'global-settings',
    summary: 'No consumer secret is committed in the global OAuth settings.',
    rationale: 'A consumer secret in source control is readable by everyone with the repository; with it, anyone can mint tokens for the app. Salesforce says the global settings must not be added to source control.',
    helpUri: DOCS.secrets,
    fixable: true,
    fixClass: 'breaking',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const g = fileOf(unit.app, 'globalOauth');
      if (!g?.value('consumerSecret')) return;
      report({
        file: g,
        at: at(g.element('consumerSecret')),
        message: 'a consumer secret is committed (its value is not shown)',
        expected: 'no consumerSecret element',
        action: 'Rotate the secret in the org (it must be considered leaked), remove it from the file and from the repository history, and add **/*.ecaGlblOauth-meta.xml to .forceignore and .gitignore.',
        fix: { path: g.path, edits: [{ op: 'remove', element: 'consumerSecret' }], description: 'remove the committed consumer secret', class: 'breaking', requires: 'remove-secrets' },
      });
    },
  }),
  eca({
    id: 'ECA-GLB-002',
    name: 'no-committed-consumer-key',
    severity: 'info',
    category: 'global-settings',
    summary: 'The consumer key is not committed in the global OAuth settings.',
    rationale: 'The org generates the consumer key on deploy; a committed key is org-specific, and deploys that supply one have been reported rejected.',
    helpUri: DOCS.global,
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const g = fileOf(unit.app, 'globalOauth');
      if (!g?.value('consumerKey')) return;
      report({
        file: g,
        at: at(g.element('consumerKey')),
        message: 'a consumer key is committed (its value is not shown)',
        action: 'Keep the global settings file out of source control, or remove consumerKey and let the org generate it.',
      });
    },
  }),
  globalFlag({
    id: 'ECA-GLB-010',
    name: 'pkce-required',
    element: 'isPkceRequired',
    good: true,
    absent: true,
    severity: 'error',
    summary: 'PKCE is required (isPkceRequired true).',
    rationale: 'PKCE stops stolen authorization codes from being exchanged for tokens; Salesforce requires it of partner apps and it cannot be turned off afterwards.',
    helpUri: DOCS.pkce,
    message: 'PKCE is not required: a stolen authorization code can be exchanged for tokens',
    // Server-to-server apps have no authorization code to protect, unless they are packaged (AppExchange asks it of every ECA).
    clients: ['public', 'confidential'],
    alsoPackaged: true,
    why: (unit, ctx) => (packaged(unit, ctx) ? APPEXCHANGE : undefined),
  }),
  globalFlag({
    id: 'ECA-GLB-011',
    name: 'refresh-token-rotation',
    element: 'isRefreshTokenRotationEnabled',
    good: true,
    severity: 'warning',
    summary: 'Refresh tokens are rotated on use (isRefreshTokenRotationEnabled true) when the app gets refresh tokens.',
    rationale: 'Rotation invalidates a refresh token once used, so a stolen one stops working when the real client refreshes.',
    helpUri: DOCS.rotation,
    message: 'refresh tokens are not rotated',
    applies: (unit, ctx) => hasRefreshTokens(unit) || packaged(unit, ctx),
    severityFor: (unit, ctx) => (packaged(unit, ctx) ? 'error' : undefined),
    why: (unit, ctx) => (packaged(unit, ctx) ? APPEXCHANGE : undefined),
  }),
  globalFlag({
    id: 'ECA-GLB-012',
    name: 'secret-required-for-refresh',
    element: 'isSecretRequiredForRefreshToken',
    good: true,
    absent: true,
    severity: 'warning',
    summary: 'A confidential client needs its secret to refresh a token.',
    rationale: 'Without it a stolen refresh token alone is enough to get new access tokens. Public clients (PKCE required, secret optional) cannot keep a secret; rotation protects them instead.',
    helpUri: DOCS.secretRefresh,
    message: 'tokens can be refreshed without the client secret',
    // Public clients cannot keep a secret; an app that never gets refresh tokens has nothing to refresh.
    clients: ['confidential'],
    applies: hasRefreshTokens,
  }),
  globalFlag({
    id: 'ECA-GLB-013',
    name: 'secret-required-for-web-server-flow',
    element: 'isConsumerSecretOptional',
    good: false,
    absent: false,
    severity: 'warning',
    summary: 'The client secret is required in the web server flow (isConsumerSecretOptional false); an app that requires PKCE is exempted as a public client (a heuristic).',
    rationale: 'An optional secret lets anyone who knows the consumer key run the web server flow; with PKCE required, the optional secret is the public-client pattern and PKCE protects the exchange.',
    helpUri: DOCS.secretWebServer,
    message: 'the web server flow works without the client secret, and PKCE is not required',
    applies: (unit) => fileOf(unit.app, 'globalOauth')?.flag('isPkceRequired') === false,
  }),
  globalFlag({
    id: 'ECA-GLB-014',
    name: 'device-flow-off',
    element: 'isDeviceFlowEnabled',
    good: false,
    absent: false,
    severity: 'error',
    summary: 'The device flow is off.',
    rationale: 'The device flow was abused in the 2025 vishing campaign; Salesforce blocks uninstalled apps that use it.',
    helpUri: DOCS.deviceFlow,
    message: 'the device flow is on',
  }),
  globalFlag({
    id: 'ECA-GLB-015',
    name: 'introspect-own-tokens',
    element: 'isIntrospectAllTokens',
    good: false,
    absent: false,
    severity: 'warning',
    summary: 'The app may introspect only its own tokens.',
    rationale: 'isIntrospectAllTokens lets the app inspect every token of the org.',
    helpUri: DOCS.global,
    message: 'the app may introspect every token of the org',
  }),
  eca({
    id: 'ECA-GLB-016',
    name: 'https-callback',
    severity: 'error',
    category: 'global-settings',
    summary: 'Callback URLs use https:// (http://localhost and custom schemes of native apps are allowed).',
    rationale: 'Authorization codes sent over plain HTTP can be read on the way.',
    helpUri: DOCS.callback,
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const g = fileOf(unit.app, 'globalOauth');
      for (const url of splitLines(g?.value('callbackUrl'))) {
        // A wildcard port on localhost is ECA-GLB-017's finding, not an http one.
        if (!g || !isRemoteHttpUrl(url)) continue;
        report({
          file: g,
          at: at(g.element('callbackUrl')),
          message: `callback URL ${url} uses http://`,
          actual: url,
          expected: url.replace(/^http:/i, 'https:'),
          action: 'Serve the callback over HTTPS and change the URL.',
        });
      }
    },
  }),
  eca({
    id: 'ECA-GLB-017',
    name: 'no-wildcard-callback',
    severity: 'error',
    category: 'global-settings',
    summary: 'Callback URLs name exact hosts: no wildcards.',
    rationale: 'A wildcard callback lets an attacker-controlled host receive authorization codes.',
    helpUri: DOCS.callback,
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const g = fileOf(unit.app, 'globalOauth');
      for (const url of splitLines(g?.value('callbackUrl'))) {
        if (!g || !url.includes('*')) continue;
        report({ file: g, at: at(g.element('callbackUrl')), message: `callback URL ${url} contains a wildcard`, actual: url, action: 'List each exact callback URL, one per line.' });
      }
    },
  }),
  eca({
    id: 'ECA-GLB-018',
    name: 'no-rotation-on-deploy',
    severity: 'error',
    category: 'global-settings',
    summary: 'shouldRotateConsumerKey and shouldRotateConsumerSecret are not committed as true.',
    rationale: 'When true, every deploy of the file replaces the key or secret, breaking every client at once.',
    helpUri: DOCS.global,
    fixable: true,
    fixClass: 'breaking',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const g = fileOf(unit.app, 'globalOauth');
      for (const el of ['shouldRotateConsumerKey', 'shouldRotateConsumerSecret']) {
        if (!g || g.flag(el) !== true) continue;
        report({
          file: g,
          at: at(g.element(el)),
          message: `${el} is true: every deploy of this file replaces the ${el.endsWith('Key') ? 'consumer key' : 'consumer secret'}`,
          actual: 'true',
          expected: 'false',
          fix: { path: g.path, edits: [{ op: 'set', element: el, value: 'false' }], description: `set ${el} to false`, class: 'breaking' },
        });
      }
    },
  }),
  eca({
    id: 'ECA-GLB-019',
    name: 'certificate-current',
    severity: 'error',
    category: 'global-settings',
    summary: 'The JWT bearer certificate has not expired and does not expire within 30 days.',
    rationale: 'An expired certificate stops the integration, and rotation takes planning.',
    helpUri: DOCS.global,
    fixable: false,
    fixClass: 'manual',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'eca' || !ctx.certificates) return;
      const g = fileOf(unit.app, 'globalOauth');
      const pem = g?.value('certificate');
      if (!g || !pem) return;
      const cert = ctx.certificates(pem);
      const where = at(g.element('certificate'));
      if (!cert) {
        report({ file: g, at: where, severity: 'info', message: 'the certificate could not be read as an X.509 certificate (PEM or base64 DER): its expiry is unknown' });
        return;
      }
      const days = Math.floor((Date.parse(cert.notAfter) - Date.parse(`${ctx.today}T00:00:00Z`)) / 86_400_000);
      if (days >= 30) return;
      report({
        file: g,
        at: where,
        severity: days < 0 ? 'error' : 'warning',
        message: days < 0 ? `the certificate (${cert.subject}) expired on ${cert.notAfter.slice(0, 10)}` : `the certificate (${cert.subject}) expires on ${cert.notAfter.slice(0, 10)}, in ${days} day${days === 1 ? '' : 's'}`,
        actual: cert.notAfter.slice(0, 10),
        action: 'Create a new key pair and certificate, give the client the new key, and deploy the new certificate with "sf eca deploy --include-global-settings".',
      });
    },
  }),
  eca({
    id: 'ECA-SET-001',
    name: 'no-full-scope',
    severity: 'error',
    category: 'oauth-settings',
    summary: 'The app does not request the Full scope.',
    rationale: 'Full grants everything the user can do, through every API: least privilege asks for Api, or narrower scopes.',
    helpUri: DOCS.scopes,
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const o = fileOf(unit.app, 'oauth');
      if (!o || !scopesOf(unit.app).includes('Full')) return;
      report({
        file: o,
        at: at(o.element('commaSeparatedOauthScopes')),
        message: 'the app requests the Full scope',
        actual: o.value('commaSeparatedOauthScopes'),
        action: 'Replace Full with the scopes the integration needs (usually Api, plus RefreshToken for interactive apps).',
      });
    },
  }),
  eca({
    id: 'ECA-SET-002',
    name: 'no-refresh-scope-server-to-server',
    severity: 'warning',
    category: 'oauth-settings',
    summary: 'Server-to-server apps (JWT bearer, client credentials) do not request RefreshToken or OfflineAccess.',
    rationale: 'These flows get a new access token whenever they need one; a refresh token is only an extra credential to steal.',
    helpUri: DOCS.scopes,
    fixable: true,
    fixClass: 'breaking',
    clients: ['jwt-bearer', 'client-credentials'],
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const o = fileOf(unit.app, 'oauth');
      const scopes = scopesOf(unit.app);
      const extra: string[] = scopes.filter((s) => s === 'RefreshToken' || s === 'OfflineAccess');
      if (!o || extra.length === 0) return;
      const kept = scopes.filter((s) => !extra.includes(s));
      report({
        file: o,
        at: at(o.element('commaSeparatedOauthScopes')),
        message: `a server-to-server app requests ${extra.join(' and ')}`,
        actual: scopes.join(', '),
        expected: kept.join(', '),
        ...(kept.length > 0
          ? { fix: { path: o.path, edits: [{ op: 'set', element: 'commaSeparatedOauthScopes', value: kept.join(', ') }], description: `drop ${extra.join(' and ')} from the scopes`, class: 'breaking' } }
          : { action: 'Request the scopes the integration needs (e.g. Api) instead.' }),
      });
    },
  }),
  eca({
    id: 'ECA-SET-003',
    name: 'scopes-allowed',
    severity: 'error',
    category: 'oauth-settings',
    summary: 'Every scope is in the configured allow-list ("allowedScopes").',
    rationale: 'An organisation-wide list of scopes keeps integrations to least privilege.',
    helpUri: DOCS.scopes,
    fixable: false,
    fixClass: 'manual',
    check: (unit, ctx, report) => {
      const allowed = ctx.config.allowedScopes;
      if (unit.kind !== 'eca' || !allowed) return;
      const o = fileOf(unit.app, 'oauth');
      const bad = scopesOf(unit.app).filter((s) => !allowed.includes(s));
      if (!o || bad.length === 0) return;
      report({
        file: o,
        at: at(o.element('commaSeparatedOauthScopes')),
        message: `scope${bad.length > 1 ? 's' : ''} ${bad.join(', ')} not in "allowedScopes"`,
        actual: bad.join(', '),
        expected: allowed.join(', '),
        action: 'Remove the scope, or have it approved and added to "allowedScopes".',
      });
    },
  }),
  eca({
    id: 'ECA-SET-004',
    name: 'known-scopes',
    severity: 'warning',
    category: 'oauth-settings',
    summary: 'Every scope is a scope Salesforce documents.',
    rationale: 'An unknown scope token is usually a typo (api instead of Api); the deploy fails or the scope is missing at run time.',
    helpUri: DOCS.oauth,
    fixable: true,
    fixClass: 'safe',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const o = fileOf(unit.app, 'oauth');
      if (!o) return;
      const scopes = scopesOf(unit.app);
      for (const s of scopes) {
        if (KNOWN_SCOPES.includes(s)) continue;
        const suggestion = closest(s, KNOWN_SCOPES);
        report({
          file: o,
          at: at(o.element('commaSeparatedOauthScopes')),
          message: `unknown scope ${s}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
          actual: s,
          expected: suggestion,
          ...(suggestion && suggestion.toLowerCase() === s.toLowerCase()
            ? {
                fix: {
                  path: o.path,
                  edits: [{ op: 'set', element: 'commaSeparatedOauthScopes', value: scopes.map((x) => (x === s ? suggestion : x)).join(', ') }],
                  description: `write scope ${s} as ${suggestion}`,
                  class: 'safe',
                },
              }
            : {}),
        });
      }
    },
  }),
  eca({
    id: 'ECA-SET-005',
    name: 'org-specific-ids',
    severity: 'warning',
    category: 'oauth-settings',
    summary: 'oauthLink and orgScopedExternalApp, which name one org, are not committed for deploys to other orgs.',
    rationale: 'Deploying an oauthLink of another org fails; Salesforce recommends removing it before deploying to a new org that should get its own consumer.',
    helpUri: DOCS.newGlobal,
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const o = fileOf(unit.app, 'oauth');
      const link = o?.value('oauthLink');
      if (o && link) {
        report({
          file: o,
          at: at(o.element('oauthLink')),
          message: `oauthLink names the org ${link.split(':')[0] ?? link}: a deploy to any other org fails unless it should share that org's consumer`,
          actual: link,
          action: 'Remove oauthLink unless the target orgs should share this consumer (sf eca deploy warns when it names another org).',
        });
      }
      const h = fileOf(unit.app, 'header');
      const scoped = h?.value('orgScopedExternalApp');
      if (h && scoped) {
        report({
          file: h,
          at: at(h.element('orgScopedExternalApp')),
          severity: 'info',
          message: `orgScopedExternalApp names the org ${scoped.split(':')[0] ?? scoped}`,
          actual: scoped,
          action: 'The org fills it on the first deploy; remove it from source deployed to several orgs.',
        });
      }
    },
  }),
  ipRule('ECA-IP-001', 'ip-range-valid', 'valid', 'Trusted IP ranges hold valid addresses of one family, start ≤ end.', 'An invalid range fails the deploy; a reversed one is almost certainly swapped.', true),
  ipRule(
    'ECA-IP-002',
    'ip-range-size',
    'size',
    'No trusted IP range is wider than the configured maximum ("maxIpRangeSize", 256 addresses by default); never all addresses.',
    'Users from trusted ranges skip the app-level verification; 0.0.0.0–255.255.255.255 trusts the whole internet.'
  ),
  ipRule(
    'ECA-IP-003',
    'ip-range-approved',
    'approved',
    'Every trusted IP range lies inside the organisation\'s approved ranges ("approvedIpRanges").',
    'Trusted ranges should be the organisation\'s own egress addresses, not ranges someone found convenient.'
  ),
  ipRule('ECA-IP-004', 'ip-range-count', 'count', 'An app has at most 128 trusted IP ranges.', 'Salesforce accepts at most 128 ranges per app.'),
  eca({
    id: 'ECA-APP-001',
    name: 'unused-plugins-off',
    severity: 'info',
    category: 'plugin-policies',
    summary: 'Plugins the app does not use (mobile, push, notifications, canvas, SAML) are off; a plugin whose settings or policies file is in the project is in use.',
    rationale: 'Each enabled plugin is a surface to configure and review; the defaults enable them. A plugin with its own file (SAML policies, push, mobile, notification or canvas settings) is used: turning it off breaks SSO or the mobile app.',
    helpUri: DOCS.plugins,
    fixable: true,
    fixClass: 'breaking',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const pl = fileOf(unit.app, 'policies');
      if (!pl) return;
      for (const [el, kinds] of PLUGIN_FILES) {
        if (pl.flag(el) !== true || kinds.some((k) => fileOf(unit.app, k) !== undefined)) continue;
        report({
          file: pl,
          at: at(pl.element(el)),
          message: `${el} is true: is the plugin used?`,
          fix: { path: pl.path, edits: [{ op: 'set', element: el, value: 'false' }], description: `turn ${el.replace(/^is|Enabled$/g, '')} off`, class: 'breaking' },
        });
      }
    },
  }),
  eca({
    id: 'ECA-APP-003',
    name: 'plugin-with-file-on',
    severity: 'warning',
    category: 'plugin-policies',
    summary: 'A plugin whose settings or policies file is in the project (SAML, push, mobile, notifications, canvas) is not turned off.',
    rationale: 'The file configures a plugin the app uses; with the plugin off it does nothing (Salesforce: an app with SAML policies must have isSamlPluginEnabled true), so SSO or the mobile app stops working.',
    helpUri: DOCS.plugins,
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const pl = fileOf(unit.app, 'policies');
      if (!pl) return;
      for (const [el, kinds] of PLUGIN_FILES) {
        const used = kinds.map((k) => fileOf(unit.app, k)).find((f) => f !== undefined);
        if (!used || pl.flag(el) !== false) continue;
        report({
          file: pl,
          at: at(pl.element(el)),
          message: `${el} is false, but the project holds the app's ${used.type.title} (${used.fullName}): the plugin is used`,
          actual: 'false',
          expected: 'true',
          action: `Set ${el} to true if the app should use its ${used.type.title}, or delete that file.`,
        });
      }
    },
  }),
  eca({
    id: 'ECA-APP-002',
    name: 'oauth-plugin-on',
    severity: 'warning',
    category: 'plugin-policies',
    summary: 'An app with OAuth settings has the app and its OAuth plugin enabled.',
    rationale: 'isEnabled or isOauthPluginEnabled false silently turns the integration off.',
    helpUri: DOCS.plugins,
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const pl = fileOf(unit.app, 'policies');
      if (!pl || (!fileOf(unit.app, 'oauth') && !fileOf(unit.app, 'globalOauth'))) return;
      for (const el of ['isEnabled', 'isOauthPluginEnabled']) {
        if (pl.flag(el) !== false) continue;
        report({ file: pl, at: at(pl.element(el)), message: `${el} is false: the app's OAuth flows are off`, action: `Set ${el} to true if the integration should work.` });
      }
    },
  }),
  eca({
    id: 'ECA-PKG-001',
    name: 'packaged-no-saml',
    severity: 'error',
    category: 'plugin-policies',
    summary: 'A packaged app (distributionState Packaged) uses no SAML: a SAML External Client App must be Local.',
    rationale: 'The Metadata API page of the SAML policies says a SAML External Client App must have distributionState Local; a packaged one with SAML does not deploy or install.',
    helpUri: 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappsamlconfigurablepolicies.htm',
    fixable: false,
    fixClass: 'manual',
    clients: [],
    alsoPackaged: true,
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      const saml = fileOf(unit.app, 'samlPolicies');
      const pl = fileOf(unit.app, 'policies');
      if (saml) {
        report({
          file: saml,
          message: `the app is packaged, but the project holds its SAML policies (${saml.fullName}): a SAML app must be Local`,
          action: 'Keep SAML in a Local app of its own, or make this app Local (distributionState Local) and leave it out of the package.',
        });
      } else if (pl?.flag('isSamlPluginEnabled') === true) {
        report({
          file: pl,
          at: at(pl.element('isSamlPluginEnabled')),
          message: 'the app is packaged, but its SAML plugin is on: a SAML app must be Local',
          actual: 'true',
          expected: 'false',
          action: 'Turn the SAML plugin off in the packaged app, and give SSO a Local app of its own.',
        });
      }
    },
  }),
];

