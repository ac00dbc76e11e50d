/*
 * Connected App rules that mirror the ECA global-settings controls (PKCE, rotation, device flow, secrets,
 * introspection, callbacks, client credentials): the CIS/SSPM basics. A Connected App that fails one
 * carries the weakness into the External Client App migrated from it. Once an ECA of the same name is
 * in the project, the ECA is checked instead.
 */
import type { MetadataFile } from '../../model/file.js';
import type { XmlElement } from '../../xml/parse.js';
import type { NewFinding, Rule, RuleContext, Unit } from '../types.js';
import { at, childOf, DOCS, grantsRefreshTokens, isRemoteHttpUrl, splitLines } from '../util.js';


/** A boolean child of oauthConfig: true, false, or undefined when absent or not a boolean. */
const flagOf = (cfg: XmlElement, name: string): boolean | undefined => {
  const v = childOf(cfg, name)?.text?.trim().toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
};

const scopesOf = (cfg: XmlElement): string[] => cfg.children.filter((c) => c.name === 'scopes').map((c) => c.text?.trim() ?? '');

/** What a parity rule sees: the Connected App file and its oauthConfig. */
type CaOauth = { readonly file: MetadataFile; readonly cfg: XmlElement; readonly name: string; readonly ctx: RuleContext };

const MIGRATION = 'Migrating the Connected App carries the weakness over to the External Client App';

/** A Connected App rule on oauthConfig; silent for Connected Apps without OAuth or whose ECA is in the project. */
const parityRule = (
  r: Pick<Rule, 'id' | 'name' | 'summary' | 'helpUri'> & {
    /** The ECA rule the Connected App rule mirrors, and why that control matters. */
    readonly mirrors: string;
    readonly why: string;
    readonly check: (app: CaOauth, report: (f: Omit<NewFinding, 'file'>) => void) => void;
  }
): Rule => ({
  id: r.id,
  name: r.name,
  severity: 'warning',
  category: 'connected-app',
  summary: r.summary,
  rationale: `The same control as ${r.mirrors}: ${r.why} ${MIGRATION}.`,
  helpUri: r.helpUri,
  appliesTo: 'connectedApp',
  fixable: false,
  fixClass: 'manual',
  check: (unit: Unit, ctx: RuleContext, report) => {
    if (unit.kind !== 'connectedApp' || ctx.ecaAppNames?.has(unit.name)) return; // its ECA is checked instead
    const file = unit.entry.file;
    const cfg = file.element('oauthConfig');
    if (!cfg) return;
    r.check({ file, cfg, name: unit.name, ctx }, (f) => report({ ...f, file }));
  },
});

const migrateHint = (name: string, element: string): string => `Set oauthConfig/${element} before migrating, or migrate with "sf eca migrate --name ${name} --harden".`;

/** Reports an oauthConfig boolean that is not true (absent or false): the Connected App `does` not do what the control asks. */
const requireTrue = ({ cfg, name }: CaOauth, element: string, does: string, report: (f: Omit<NewFinding, 'file'>) => void): void => {
  if (flagOf(cfg, element) === true) return;
  const el = childOf(cfg, element);
  report({
    at: at(el ?? cfg),
    message: el ? `the Connected App ${does}` : `no ${element}: the Connected App ${does}`,
    actual: el?.text?.trim(),
    expected: `${element} true`,
    action: migrateHint(name, element),
  });
};

export const connectedAppParityRules: readonly Rule[] = [
  parityRule({
    id: 'ECA-CA-010',
    name: 'connected-app-pkce-required',
    summary: 'A Connected App requires PKCE (oauthConfig/isPkceRequired true).',
    mirrors: 'ECA-GLB-010',
    why: 'PKCE stops stolen authorization codes from being exchanged for tokens; a Connected App without isPkceRequired does not require it.',
    helpUri: DOCS.pkce,
    check: (app, report) => requireTrue(app, 'isPkceRequired', 'does not require PKCE', report),
  }),
  parityRule({
    id: 'ECA-CA-011',
    name: 'connected-app-refresh-token-rotation',
    summary: 'A Connected App that issues refresh tokens (RefreshToken or OfflineAccess scope) rotates them (oauthConfig/isRefreshTokenRotationEnabled true).',
    mirrors: 'ECA-GLB-011',
    why: 'rotation invalidates a refresh token once used, so a stolen one stops working when the real client refreshes.',
    helpUri: DOCS.rotation,
    check: (app, report) => {
      const scopes = scopesOf(app.cfg);
      if (grantsRefreshTokens(scopes)) requireTrue(app, 'isRefreshTokenRotationEnabled', 'does not rotate refresh tokens', report);
    },
  }),
  parityRule({
    id: 'ECA-CA-012',
    name: 'connected-app-device-flow-off',
    summary: 'A Connected App has the device flow off (oauthConfig/isDeviceFlowEnabled not true).',
    mirrors: 'ECA-GLB-014',
    why: 'the device flow was abused in the 2025 vishing campaign, and Salesforce blocks it for uninstalled apps.',
    helpUri: DOCS.deviceFlow,
    check: ({ cfg }, report) => {
      if (flagOf(cfg, 'isDeviceFlowEnabled') !== true) return;
      report({ at: at(childOf(cfg, 'isDeviceFlowEnabled')), message: 'the device flow is on', actual: 'true', expected: 'false', action: 'Turn the device flow off unless a device without a browser needs it.' });
    },
  }),
  parityRule({
    id: 'ECA-CA-013',
    name: 'connected-app-secret-required',
    summary:
      'A confidential Connected App requires its secret: in the web server flow (oauthConfig/isConsumerSecretOptional not true, unless PKCE is required) and to refresh tokens (oauthConfig/isSecretRequiredForRefreshToken not false).',
    mirrors: 'ECA-GLB-012 and ECA-GLB-013',
    why: 'an optional secret lets anyone who knows the consumer key run the web server flow, and a stolen refresh token alone gets new access tokens. A public client (PKCE required, secret optional) cannot keep a secret; PKCE and rotation protect it instead.',
    helpUri: DOCS.secretWebServer,
    check: ({ cfg }, report) => {
      const pkce = flagOf(cfg, 'isPkceRequired') === true;
      const optional = flagOf(cfg, 'isConsumerSecretOptional') === true;
      if (optional && !pkce) {
        report({
          at: at(childOf(cfg, 'isConsumerSecretOptional')),
          message: 'the web server flow works without the client secret, and PKCE is not required',
          actual: 'true',
          expected: 'false',
          action: 'Set isConsumerSecretOptional to false, or require PKCE if the client is a public one (mobile or single-page app).',
        });
      }
      const scopes = scopesOf(cfg);
      const refresh = grantsRefreshTokens(scopes);
      if (refresh && !(optional && pkce) && flagOf(cfg, 'isSecretRequiredForRefreshToken') === false) {
        report({
          at: at(childOf(cfg, 'isSecretRequiredForRefreshToken')),
          message: 'tokens can be refreshed without the client secret',
          actual: 'false',
          expected: 'true',
          action: 'Set isSecretRequiredForRefreshToken to true once the client sends its secret when it refreshes.',
        });
      }
    },
  }),
  parityRule({
    id: 'ECA-CA-014',
    name: 'connected-app-introspect-own-tokens',
    summary: 'A Connected App may introspect only its own tokens (oauthConfig/isIntrospectAllTokens not true).',
    mirrors: 'ECA-GLB-015',
    why: 'isIntrospectAllTokens lets the app inspect every token of the org.',
    helpUri: DOCS.connectedApp,
    check: ({ cfg }, report) => {
      if (flagOf(cfg, 'isIntrospectAllTokens') !== true) return;
      report({ at: at(childOf(cfg, 'isIntrospectAllTokens')), message: 'the Connected App may introspect every token of the org', actual: 'true', expected: 'false' });
    },
  }),
  parityRule({
    id: 'ECA-CA-015',
    name: 'connected-app-callback-https-exact',
    summary: 'A Connected App\'s callback URLs use https:// (or a loopback address or custom scheme) and name exact hosts: no wildcards.',
    mirrors: 'ECA-GLB-016 and ECA-GLB-017',
    why: 'an http:// callback sends authorization codes in clear text, and a wildcard lets an attacker-controlled host receive them.',
    helpUri: DOCS.callback,
    check: ({ cfg }, report) => {
      const el = childOf(cfg, 'callbackUrl');
      for (const url of splitLines(el?.text)) {
        if (url.includes('*')) {
          report({ at: at(el), message: `callback URL ${url} contains a wildcard`, actual: url, action: 'List each exact callback URL, one per line.' });
        } else if (isRemoteHttpUrl(url)) {
          report({ at: at(el), message: `callback URL ${url} uses http://`, actual: url, expected: url.replace(/^http:/i, 'https:'), action: 'Serve the callback over HTTPS and change the URL.' });
        }
      }
    },
  }),
  parityRule({
    id: 'ECA-CA-016',
    name: 'connected-app-client-credentials-off',
    summary: 'A Connected App has the client credentials flow off (oauthConfig/isClientCredentialEnabled not true), unless the configuration\'s "allowClientCredentials" lists it.',
    mirrors: 'ECA-POL-041',
    why: 'Salesforce recommends disabling the client credentials flow unless needed: its tokens need no user, so a leaked secret is enough.',
    helpUri: DOCS.clientCredentials,
    check: ({ cfg, name, ctx }, report) => {
      if (flagOf(cfg, 'isClientCredentialEnabled') !== true || ctx.config.allowClientCredentials?.includes(name)) return;
      report({
        at: at(childOf(cfg, 'isClientCredentialEnabled')),
        message: 'the client credentials flow is on',
        actual: 'true',
        expected: 'false',
        action: 'Turn the flow off unless the integration needs it; if it does, add the app to "allowClientCredentials" and give the run-as user (oauthClientCredentialUser) only the API access it needs.',
      });
    },
  }),
];
