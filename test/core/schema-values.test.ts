/* Enum values that are valid but not for source (internal), and values known only from @salesforce/types (unconfirmed). */
import { expect } from 'chai';
import { buildInventory } from '../../src/core/project/inventory.js';
import { DEFAULT_CONFIG } from '../../src/core/rules/config.js';
import { runCheck } from '../../src/core/rules/engine.js';
import { NS } from '../support/helpers.js';

const BASE = 'force-app/main/default';
const xml = (root: string, fields: Record<string, string>): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${Object.entries(fields)
    .map(([k, v]) => `    <${k}>${v}</${k}>\n`)
    .join('')}</${root}>\n`;

const findings = (header: Record<string, string>, policies: Record<string, string> = {}, plugins: Record<string, string> = {}): Array<[string, string, string]> =>
  runCheck(
    buildInventory([
      { path: `${BASE}/externalClientApps/App.eca-meta.xml`, text: xml('ExternalClientApplication', { contactEmail: 'o@example.com', distributionState: 'Local', isProtected: 'false', label: 'App', ...header }) },
      {
        path: `${BASE}/extlClntAppOauthPolicies/App_oauthPlcy.ecaOauthPlcy-meta.xml`,
        text: xml('ExtlClntAppOauthConfigurablePolicies', {
          commaSeparatedPermissionSet: 'App_Users',
          externalClientApplication: 'App',
          ipRelaxationPolicyType: 'Enforce',
          label: 'App_oauthPlcy',
          permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
          ...policies,
          refreshTokenPolicyType: 'Zero',
          requiredSessionLevel: 'HIGH_ASSURANCE',
        }),
      },
      { path: `${BASE}/extlClntAppPolicies/App_plcy.ecaPlcy-meta.xml`, text: xml('ExtlClntAppConfigurablePolicies', { externalClientApplication: 'App', isEnabled: 'true', isOauthPluginEnabled: 'true', label: 'App_plcy', ...plugins }) },
    ]),
    { apiVersion: 68, config: DEFAULT_CONFIG, packageDirs: [], today: '2026-12-01' }
  ).findings.filter((f) => f.ruleId.startsWith('ECA-SCH-')).map((f) => [f.ruleId, f.severity, f.message]);

describe('enum values: internal and unconfirmed', () => {
  it('distributionState Managed or AutoInstalled (API 68, internal) is a warning, not an invalid value', () => {
    for (const value of ['Managed', 'AutoInstalled']) {
      expect(findings({ distributionState: value })).to.deep.equal([
        ['ECA-SCH-008', 'warning', `distributionState ${value} is for Salesforce's internal use; source sets Local or Packaged`],
      ]);
    }
    expect(findings({ distributionState: 'Packaged' })).to.deep.equal([]);
    expect(findings({ distributionState: 'Shared' })[0]?.[2]).to.equal('distributionState is "Shared", not one of Local, Packaged');
  });

  it('policyAction StepUpMFA and startPage SAML, known only from @salesforce/types, are an info, never an error', () => {
    expect(findings({}, { policyAction: 'StepUpMFA' })).to.deep.equal([
      ['ECA-SCH-002', 'info', 'policyAction StepUpMFA is known only from @salesforce/types: the Metadata API page does not list it; check that the org accepts it'],
    ]);
    expect(findings({}, { policyAction: 'RaiseSessionLevel' })).to.deep.equal([]);
    expect(findings({}, {}, { startPage: 'SAML' }).map(([id, severity]) => [id, severity])).to.deep.equal([['ECA-SCH-002', 'info']]);
  });
});
