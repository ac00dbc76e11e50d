import { expect } from 'chai';
import { buildInventory } from '../../src/core/project/inventory.js';
import { keptFromOrg, droppedLists, nameMismatches, namespaceOf, readBack, withoutNamespace } from '../../src/core/sync/records.js';
import { MetadataFile } from '../../src/core/model/file.js';

const policies = (name: string, app: string, body = ''): { path: string; text: string } => ({
  path: `force-app/main/default/extlClntAppOauthPolicies/${name}.ecaOauthPlcy-meta.xml`,
  text: `<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppOauthConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata">\n    <externalClientApplication>${app}</externalClientApplication>\n${body}    <label>${name}</label>\n</ExtlClntAppOauthConfigurablePolicies>\n`,
});
const header = (app: string): { path: string; text: string } => ({
  path: `force-app/main/default/externalClientApps/${app}.eca-meta.xml`,
  text: `<?xml version="1.0" encoding="UTF-8"?>\n<ExternalClientApplication xmlns="http://soap.sforce.com/2006/04/metadata">\n    <contactEmail>a@example.com</contactEmail>\n    <distributionState>Packaged</distributionState>\n    <label>${app}</label>\n</ExternalClientApplication>\n`,
});
const file = (s: { path: string; text: string }): MetadataFile => MetadataFile.read(s.path, s.text) as MetadataFile;

describe('the org\'s records (core/sync/records)', () => {
  it('namespaces: a subscriber org\'s policies carry none', () => {
    expect(namespaceOf('acme__Partner')).to.equal('acme');
    expect(namespaceOf('Partner_App')).to.equal(undefined);
    expect(withoutNamespace('acme__Partner_oauth_defaultPolicy')).to.equal('Partner_oauth_defaultPolicy');
  });

  it('names a local file whose name is not the org\'s record of the same app, matching a namespaced app to its unnamespaced record', () => {
    const local = buildInventory([header('acme__Partner'), policies('acme__Partner_oauth_defaultPolicy', 'acme__Partner')]);
    const out = nameMismatches(local.apps, [{ app: 'Partner', kind: 'oauthPolicies', fullName: 'Partner_oauth_defaultPolicy' }]);
    expect(out).to.deep.equal([
      {
        app: 'acme__Partner',
        kind: 'oauthPolicies',
        path: 'force-app/main/default/extlClntAppOauthPolicies/acme__Partner_oauth_defaultPolicy.ecaOauthPlcy-meta.xml',
        localName: 'acme__Partner_oauth_defaultPolicy',
        orgName: 'Partner_oauth_defaultPolicy',
        renameTo: 'force-app/main/default/extlClntAppOauthPolicies/Partner_oauth_defaultPolicy.ecaOauthPlcy-meta.xml',
      },
    ]);
    expect(nameMismatches(local.apps, [{ app: 'acme__Partner', kind: 'oauthPolicies', fullName: 'acme__Partner_oauth_defaultPolicy' }])).to.deep.equal([]);
    expect(nameMismatches(local.apps, [])).to.deep.equal([]);
  });

  it('carries the org\'s single-valued fields the file leaves out, never a list, a secret or an org id', () => {
    const mine = file(policies('P', 'A', '    <permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType>\n'));
    const theirs = file(
      policies('P', 'A', '    <ipRelaxationPolicyType>Bypass</ipRelaxationPolicyType>\n    <permittedUsersPolicyType>AllSelfAuthorized</permittedUsersPolicyType>\n    <trustedIpRanges>\n        <endIpAddress>10.0.0.9</endIpAddress>\n        <startIpAddress>10.0.0.1</startIpAddress>\n    </trustedIpRanges>\n')
    );
    expect(keptFromOrg(mine, theirs)).to.deep.equal([{ op: 'add', node: { name: 'ipRelaxationPolicyType', value: 'Bypass' } }]);
    expect(droppedLists(mine, theirs)).to.deep.equal(['trustedIpRanges']);
  });

  it('reads back: a sent field the org holds otherwise, or a record the org does not hold, is a difference; a field the org adds is not', () => {
    const sent = file(policies('P', 'A', '    <ipRelaxationPolicyType>Enforce</ipRelaxationPolicyType>\n'));
    const org = file(policies('P', 'A', '    <ipRelaxationPolicyType>Bypass</ipRelaxationPolicyType>\n    <isTokenExchangeFlowEnabled>false</isTokenExchangeFlowEnabled>\n'));
    expect(readBack([{ app: 'A', path: sent.path, file: sent }], [org]).differences).to.deep.equal([{ app: 'A', path: sent.path, element: 'ipRelaxationPolicyType', sent: 'Enforce', org: 'Bypass' }]);
    expect(readBack([{ app: 'A', path: sent.path, file: sent }], []).differences).to.deep.equal([{ app: 'A', path: sent.path, element: '(file)', sent: 'sent' }]);
  });
});
