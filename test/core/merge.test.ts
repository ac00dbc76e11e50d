/* What a retrieve merges into a local file: the org's values, never the org's credentials, and never losing local ones. */
import { expect } from 'chai';
import { buildInventory } from '../../src/core/project/inventory.js';
import { mergeEdits, withoutSecrets } from '../../src/core/sync/merge.js';
import { NS } from '../support/helpers.js';

const PUSH = 'force-app/main/default/extlClntAppPushSettings/App_push.ecaPush-meta.xml';
const push = (project: string, serviceAccount: string | undefined): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppPushSettings xmlns="${NS}">\n    <androidPushConfig>\n        <fcmProject>${project}</fcmProject>\n${
    serviceAccount === undefined ? '' : `        <serviceAccount>${serviceAccount}</serviceAccount>\n`
  }    </androidPushConfig>\n    <externalClientApplication>App</externalClientApplication>\n    <pushServiceType>Android</pushServiceType>\n</ExtlClntAppPushSettings>\n`;
const fileOf = (text: string) => buildInventory([{ path: PUSH, text }]).apps[0]!.files.push[0]!;

describe('retrieve merge and credentials', () => {
  it('writes the org\'s push settings without the org\'s credentials', () => {
    const { file, removed } = withoutSecrets(fileOf(push('org-project', 'ORG-CREDENTIAL')));
    expect(removed).to.deep.equal(['serviceAccount']);
    const edits = JSON.stringify(mergeEdits(fileOf(push('local-project', undefined)), file));
    expect(edits).to.include('org-project').and.not.include('ORG-CREDENTIAL');
  });

  it('keeps a credential committed locally when the org\'s block differs (only fix --remove-secrets removes it)', () => {
    const theirs = withoutSecrets(fileOf(push('org-project', 'ORG-CREDENTIAL'))).file;
    const edits = JSON.stringify(mergeEdits(fileOf(push('local-project', 'LOCAL-CREDENTIAL')), theirs));
    expect(edits).to.include('org-project').and.include('LOCAL-CREDENTIAL').and.not.include('ORG-CREDENTIAL');
  });

  it('changes nothing when only the credential differs', () => {
    const theirs = withoutSecrets(fileOf(push('same', 'ORG-CREDENTIAL'))).file;
    expect(mergeEdits(fileOf(push('same', 'LOCAL-CREDENTIAL')), theirs)).to.deep.equal([]);
  });
});
