/*
 * Nothing leaks: a project holding a committed consumer secret (also misplaced: prefixed, nested, in the
 * wrong file, in a Connected App), a consumer key and a private key, run through every local command in
 * every output format (human, --json, SARIF, JUnit, dry-run diffs, errors). None of the values appears.
 * The access token of an org is covered by test/org/safety.test.ts.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { copyExample, tempDir } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

const SECRET = 'S3cr3tValue0123456789ABCDEF';
const MISPLACED = 'M1splacedSecret987654321';
const KEY_BODY_MARK = 'MIIE'; // every RSA PKCS#8 private key body starts like this

describe('nothing leaks (in-process)', function () {
  this.timeout(300_000);

  it('no secret, key or private key in any output of any local command', async () => {
    const dir = copyExample();
    const base = join(dir, 'force-app/main/default');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const keyLines = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
    const glbl = join(base, 'extlClntAppGlobalOauthSets/Partner_Portal_glbloauth.ecaGlblOauth-meta.xml');
    let text = readFileSync(glbl, 'utf8').replace(/<consumerSecret>[^<]*<\/consumerSecret>/, `<consumerSecret>${SECRET}</consumerSecret>`);
    const consumerKey = /<consumerKey>([^<]+)</.exec(text)?.[1];
    text = text.replace('</ExtlClntAppGlobalOauthSettings>', `    <md:consumerSecret xmlns:md="urn:x">${MISPLACED}</md:consumerSecret>\n</ExtlClntAppGlobalOauthSettings>`);
    writeFileSync(glbl, text);
    const order = join(base, 'extlClntAppGlobalOauthSets/Order_Sync_glbloauth.ecaGlblOauth-meta.xml');
    writeFileSync(order, readFileSync(order, 'utf8').replace(/<certificate>([\s\S]*?)<\/certificate>/, (_m, cert: string) => `<certificate>${cert}\n${pem}</certificate>`));
    const oauth = join(base, 'extlClntAppOauthSettings/Order_Sync_oauth.ecaOauth-meta.xml');
    writeFileSync(oauth, readFileSync(oauth, 'utf8').replace('</ExtlClntAppOauthSettings>', `    <consumerSecret>${MISPLACED}</consumerSecret>\n</ExtlClntAppOauthSettings>`));
    // A secret that breaks the XML: a parse error must not echo it.
    const broken = join(base, 'extlClntAppGlobalOauthSets/Field_Service_Mobile_glbloauth.ecaGlblOauth-meta.xml');
    writeFileSync(broken, readFileSync(broken, 'utf8').replace('</ExtlClntAppGlobalOauthSettings>', `    <consumerSecret><${SECRET}</consumerSecret>\n</ExtlClntAppGlobalOauthSettings>`));
    const reports = tempDir('eca-reports-');
    const runs: string[][] = [
      ['eca', 'list'],
      ['eca', 'list', '--json'],
      ...['Partner_Portal', 'Order_Sync', 'Field_Service_Mobile', 'Legacy_Data_Loader'].flatMap((n) => [
        ['eca', 'show', '--name', n],
        ['eca', 'show', '--name', n, '--json'],
      ]),
      ['eca', 'check'],
      ['eca', 'check', '--json'],
      ['eca', 'check', '--format', 'sarif'],
      ['eca', 'check', '--format', 'junit'],
      ['eca', 'check', '--format', 'sarif', '--output-file', join(reports, 'r.sarif')],
      ['eca', 'check', '--format', 'junit', '--output-file', join(reports, 'r.xml')],
      ['eca', 'fix', '--dry-run'],
      ['eca', 'fix', '--dry-run', '--include-breaking', '--remove-secrets'],
      ['eca', 'fix', '--dry-run', '--include-breaking', '--remove-secrets', '--json'],
      ['eca', 'set', '--name', 'Partner_Portal', '--pkce', 'on', '--dry-run'],
      ['eca', 'set', '--name', 'Partner_Portal', '--pkce', 'on', '--dry-run', '--json'],
      ['eca', 'set', '--name', 'Order_Sync', '--refresh-token-rotation', 'on', '--dry-run', '--json'],
      ['eca', 'migrate', '--all', '--dry-run', '--accept-weaker'],
      ['eca', 'migrate', '--all', '--dry-run', '--accept-weaker', '--json'],
      ['eca', 'show', '--name', 'Nope'],
    ];
    const outputs: string[] = [];
    for (const args of runs) {
      const r = await runCommand(args, dir);
      outputs.push(`$ ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
    }
    outputs.push(readFileSync(join(reports, 'r.sarif'), 'utf8'), readFileSync(join(reports, 'r.xml'), 'utf8'));
    const all = outputs.join('\n');
    const leaks = [SECRET, MISPLACED, ...(consumerKey ? [consumerKey] : []), ...keyLines.slice(0, 3)].filter((v) => all.includes(v));
    expect(leaks, all.slice(0, 2000)).to.deep.equal([]);
    expect(all).not.to.include(`${KEY_BODY_MARK}${keyLines[0]?.slice(4, 20) ?? ''}`);
    // The checks still see them.
    expect(all).to.include('ECA-GLB-001');
    expect(all).to.include('ECA-PRJ-006');
  });
});
