import { expect } from 'chai';
import { ALL_RULES } from '../../src/core/rules/engine.js';
import { flowRules } from '../../src/core/rules/catalog/flows.js';
import type { Finding, RuleContext } from '../../src/core/rules/types.js';
import { check, type Fields, file, type Files, G, global, H, header, L, O, oauth, P, patch, plugins, policies } from '../support/eca-app.js';

type Changes = Record<string, string | undefined>;
type Patch = { g?: Changes; o?: Changes; p?: Changes; drop?: string[] };

const app = (c: Patch = {}): Files => {
  const files: Files = {
    [H]: file('ExternalClientApplication', header),
    [G]: file('ExtlClntAppGlobalOauthSettings', patch(global, c.g ?? {})),
    [O]: file('ExtlClntAppOauthSettings', patch(oauth, c.o ?? {})),
    [P]: file('ExtlClntAppOauthConfigurablePolicies', patch(policies, c.p ?? {})),
    [L]: file('ExtlClntAppConfigurablePolicies', plugins),
  };
  for (const d of c.drop ?? []) delete files[d];
  return files;
};

const of = (files: Files, rule: string, context?: RuleContext): Finding[] => check(files, context).filter((f) => f.ruleId === rule);

const idToken = (children: Fields): string => children.map(([k, v]) => `        <${k}>${v}</${k}>`).join('\n');
const OPENID = { commaSeparatedOauthScopes: 'Api, OpenID, RefreshToken' };

describe('flow rules (src/core/rules/catalog/flows.ts)', () => {
  it('are registered, manual, with ids new to the catalog, a source and a help link', () => {
    const ids = flowRules.map((r) => r.id);
    expect(ids).to.deep.equal(['ECA-GLB-020', 'ECA-GLB-021', 'ECA-GLB-022', 'ECA-GLB-023', 'ECA-GLB-024', 'ECA-POL-045', 'ECA-POL-046']);
    for (const r of flowRules) {
      expect(ALL_RULES.filter((x) => x.id === r.id), r.id).to.have.length(1);
      expect(r.appliesTo).to.equal('eca');
      expect(r.fixClass).to.equal('manual');
      expect(r.fixable).to.equal(false);
      expect(r.helpUri).to.match(/^https:\/\//);
      expect(r.rationale.length, r.id).to.be.greaterThan(40);
    }
  });

  it('say nothing of the hardened app', () => {
    const mine = new Set(flowRules.map((r) => r.id));
    expect(check(app()).filter((f) => mine.has(f.ruleId))).to.deep.equal([]);
  });

  describe('ECA-GLB-020 ID token lifetime and audience', () => {
    it('fires on a lifetime above 2 minutes (warning)', () => {
      const files = app({ o: OPENID, g: { idTokenConfig: idToken([['idTokenAudience', 'https://api.example.com'], ['idTokenValidityInMinutes', '5']]) } });
      const f = of(files, 'ECA-GLB-020');
      expect(f.map((x) => [x.severity, x.actual, x.expected])).to.deep.equal([['warning', '5', '2']]);
      expect(f[0]?.line).to.be.greaterThan(4);
    });

    it('fires on ID tokens with no audience', () => {
      const f = of(app({ o: OPENID, g: { idTokenConfig: idToken([['idTokenValidityInMinutes', '2']]) } }), 'ECA-GLB-020');
      expect(f.map((x) => x.message)).to.deep.equal(['ID tokens are issued with no idTokenAudience: any application they reach may accept them']);
    });

    it('does not fire on 2 minutes with an audience, or when no ID token is issued (no OpenID scope)', () => {
      expect(of(app({ o: OPENID, g: { idTokenConfig: idToken([['idTokenAudience', 'https://api.example.com'], ['idTokenValidityInMinutes', '2']]) } }), 'ECA-GLB-020')).to.deep.equal([]);
      expect(of(app({ g: { idTokenConfig: idToken([['idTokenValidityInMinutes', '30']]) } }), 'ECA-GLB-020')).to.deep.equal([]);
    });

    it('leaves 0 (the official sample) to ECA-SCH-003, as a warning, not an error', () => {
      const files = app({ o: OPENID, g: { idTokenConfig: idToken([['idTokenAudience', 'https://api.example.com'], ['idTokenValidityInMinutes', '0']]) } });
      const findings = check(files);
      expect(findings.filter((f) => f.ruleId === 'ECA-GLB-020')).to.deep.equal([]);
      const sch = findings.filter((f) => f.ruleId === 'ECA-SCH-003');
      expect(sch.map((f) => [f.severity, f.actual])).to.deep.equal([['warning', '0']]);
      expect(sch[0]?.message).to.include('taken as unset');
      // Other values outside 1–720 are still errors.
      const over = check(app({ g: { idTokenConfig: idToken([['idTokenValidityInMinutes', '721']]) } })).filter((f) => f.ruleId === 'ECA-SCH-003');
      expect(over.map((f) => f.severity)).to.deep.equal(['error']);
      const negative = check(app({ g: { idTokenConfig: idToken([['idTokenValidityInMinutes', '-1']]) } })).filter((f) => f.ruleId === 'ECA-SCH-003');
      expect(negative.map((f) => f.severity)).to.deep.equal(['error']);
    });
  });

  describe('ECA-GLB-021 code-and-credentials flow POST only', () => {
    it('fires when the flow is on and isCodeCredPostOnly is false or absent', () => {
      expect(of(app({ g: { isCodeCredFlowEnabled: 'true', isCodeCredPostOnly: 'false' } }), 'ECA-GLB-021').map((f) => [f.severity, f.actual])).to.deep.equal([['warning', 'false']]);
      expect(of(app({ g: { isCodeCredFlowEnabled: 'true' } }), 'ECA-GLB-021')[0]?.message).to.include('isCodeCredPostOnly is not set');
    });

    it('does not fire with POST only, or with the flow off', () => {
      expect(of(app({ g: { isCodeCredFlowEnabled: 'true', isCodeCredPostOnly: 'true' } }), 'ECA-GLB-021')).to.deep.equal([]);
      expect(of(app({ g: { isCodeCredFlowEnabled: 'false', isCodeCredPostOnly: 'false' } }), 'ECA-GLB-021')).to.deep.equal([]);
    });
  });

  describe('ECA-GLB-022 single logout over https', () => {
    it('fires on an http or relative singleLogoutUrl, in the OAuth settings and the policies (error)', () => {
      const f = of(app({ o: { singleLogoutUrl: 'http://app.example.com/logout' }, p: { singleLogoutUrl: '/logout' } }), 'ECA-GLB-022');
      expect(f.map((x) => [x.severity, x.path, x.actual, x.expected])).to.deep.equal([
        ['error', P, '/logout', 'https://…'],
        ['error', O, 'http://app.example.com/logout', 'https://app.example.com/logout'],
      ]);
    });

    it('does not fire on an absolute https URL', () => {
      expect(of(app({ o: { singleLogoutUrl: 'https://app.example.com/logout' }, p: { singleLogoutUrl: 'https://app.example.com/logout' } }), 'ECA-GLB-022')).to.deep.equal([]);
    });
  });

  describe('ECA-GLB-023 first-party apps', () => {
    it('fires once per missing item (error)', () => {
      const files = app({ o: { isFirstPartyAppEnabled: 'true' }, g: { isConsumerSecretOptional: 'true', isPkceRequired: 'false' }, p: { permittedUsersPolicyType: 'AllSelfAuthorized' } });
      const f = of(files, 'ECA-GLB-023');
      expect(f.map((x) => [x.severity, x.path, x.expected])).to.deep.equal([
        ['error', G, 'false'],
        ['error', G, 'true'],
        ['error', P, 'AdminApprovedPreAuthorized'],
        ['error', O, 'clientAssertionCertificate'],
      ]);
      expect(f[3]?.message).to.equal('first-party app: no clientAssertionCertificate');
    });

    it('does not fire on a hardened first-party app (defaults count), or when the app is not first-party', () => {
      const cert = { isFirstPartyAppEnabled: 'true', clientAssertionCertificate: 'CN=client' };
      expect(of(app({ o: cert, g: { isConsumerSecretOptional: undefined, isPkceRequired: undefined } }), 'ECA-GLB-023')).to.deep.equal([]);
      expect(of(app({ o: { isFirstPartyAppEnabled: 'false' }, g: { isPkceRequired: 'false' } }), 'ECA-GLB-023')).to.deep.equal([]);
    });
  });

  describe('ECA-GLB-024 token exchange', () => {
    it('fires without the secret and without a handler (warning, one finding each)', () => {
      const f = of(app({ g: { isTokenExchangeEnabled: 'true', isSecretRequiredForTokenExchange: 'false' }, p: { isTokenExchangeFlowEnabled: 'true' } }), 'ECA-GLB-024');
      expect(f.map((x) => [x.severity, x.path])).to.deep.equal([
        ['warning', G],
        ['warning', P],
      ]);
      expect(f[1]?.message).to.equal('token exchange is on, but the OAuth policies have no apexHandler and no executeHandlerAs');
    });

    it('names only what is missing of the handler', () => {
      const f = of(app({ g: { isTokenExchangeEnabled: 'true', isSecretRequiredForTokenExchange: 'true' }, p: { apexHandler: 'PartnerTokenHandler' } }), 'ECA-GLB-024');
      expect(f.map((x) => x.expected)).to.deep.equal(['executeHandlerAs']);
    });

    it('does not fire with the secret and a handler, with token exchange off, or on a public client\'s secret', () => {
      const handler = { apexHandler: 'PartnerTokenHandler', executeHandlerAs: 'integration@example.com', isTokenExchangeFlowEnabled: 'true' };
      expect(of(app({ g: { isTokenExchangeEnabled: 'true', isSecretRequiredForTokenExchange: 'true' }, p: handler }), 'ECA-GLB-024')).to.deep.equal([]);
      expect(of(app({ g: { isTokenExchangeEnabled: 'false', isSecretRequiredForTokenExchange: 'false' } }), 'ECA-GLB-024')).to.deep.equal([]);
      expect(of(app({ g: { isTokenExchangeEnabled: 'true', isConsumerSecretOptional: 'true', isSecretRequiredForTokenExchange: 'false' }, p: handler }), 'ECA-GLB-024')).to.deep.equal([]);
    });
  });

  describe('ECA-POL-045 JWT session settings need named-user JWT', () => {
    it('fires when the policies set JWT session fields and isNamedUserJwtEnabled is off or absent (error, the deploy error quoted)', () => {
      const f = of(app({ p: { namedUserJwtSessionTimeoutType: 'Custom', namedUserJwtTimeout: '60' } }), 'ECA-POL-045');
      expect(f.map((x) => [x.severity, x.actual])).to.deep.equal([['error', 'namedUserJwtSessionTimeoutType, namedUserJwtTimeout']]);
      expect(f[0]?.message).to.include('"Invalid plugin settings"');
      expect(of(app({ g: { isNamedUserJwtEnabled: 'false' }, p: { guestJwtSessionTimeoutType: 'UserSession' } }), 'ECA-POL-045')).to.have.length(1);
      expect(flowRules.find((r) => r.id === 'ECA-POL-045')?.rationale).to.include('"Invalid plugin settings"');
    });

    it('does not fire with isNamedUserJwtEnabled true, without JWT fields, or without the global settings', () => {
      expect(of(app({ g: { isNamedUserJwtEnabled: 'true' }, p: { namedUserJwtSessionTimeoutType: 'Custom', namedUserJwtTimeout: '60' } }), 'ECA-POL-045')).to.deep.equal([]);
      expect(of(app({ g: { isNamedUserJwtEnabled: 'false' } }), 'ECA-POL-045')).to.deep.equal([]);
      expect(of(app({ p: { namedUserJwtSessionTimeoutType: 'Custom' }, drop: [G] }), 'ECA-POL-045')).to.deep.equal([]);
    });
  });

  describe('ECA-POL-046 permission sets by name', () => {
    it('fires on each 15- or 18-character permission-set id (error, the deploy error quoted)', () => {
      const f = of(app({ p: { commaSeparatedPermissionSet: 'App_Users, 0PS5g000004ABCD, 0PS5g000004ABCDEAZ' } }), 'ECA-POL-046');
      expect(f.map((x) => [x.severity, x.actual])).to.deep.equal([
        ['error', '0PS5g000004ABCD'],
        ['error', '0PS5g000004ABCDEAZ'],
      ]);
      expect(f[0]?.message).to.include('We couldn\'t find permission sets called 0PS5g000004ABCD');
    });

    it('does not fire on API names, even ones that start with 0PS', () => {
      expect(of(app({ p: { commaSeparatedPermissionSet: 'App_Users, 0PS_Integration, OPS5g000004ABCD' } }), 'ECA-POL-046')).to.deep.equal([]);
    });
  });
});
