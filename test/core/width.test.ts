import { expect } from 'chai';
import type { AppSummary } from '../../src/core/model/summary.js';
import type { Finding } from '../../src/core/rules/types.js';
import { renderList } from '../../src/render/list.js';
import { renderHuman } from '../../src/render/report.js';
import { PLAIN, renderTable, type Style, visibleLength, wrap } from '../../src/render/style.js';

const WIDTHS = [60, 80, 100, 200];
const strip = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');
const longest = (text: string): number => Math.max(...text.split('\n').map((l) => visibleLength(l)));
/** Every whitespace-separated word of the text, a path broken after a folder joined again. */
const words = (text: string): Set<string> => new Set(strip(text).replace(/\/\n\s*/g, '/').split(/\s+/));

const HEADERS = ['App', 'Label', 'Flows'];
const ROWS = [
  ['Order_Sync', 'Order Sync for the warehouse and the shops', 'authorization code, JWT bearer, client credentials, device, token exchange'],
  ['Partner_Portal', 'Partner Portal', 'authorization code'],
  ['A_Very_Long_Application_Name_Indeed', 'x', 'web server'],
];

describe('output fits the width', () => {
  describe('renderTable', () => {
    for (const width of WIDTHS) {
      it(`fits in ${width} columns, words whole, every cell present`, () => {
        const text = renderTable(HEADERS, ROWS, PLAIN, { width });
        expect(longest(text)).to.be.at.most(width);
        const all = words(text);
        for (const cell of ROWS.flat()) for (const w of cell.split(' ')) expect(all, w).to.include(w);
      });
    }

    it('is unchanged when it fits', () => {
      const text = renderTable(HEADERS, ROWS, PLAIN, { width: 200 });
      expect(text).to.equal(renderTable(HEADERS, ROWS));
      expect(text.split('\n')).to.have.length(2 + ROWS.length);
    });

    it('wraps a shrinkable column, continuation lines in their column; the fixed column keeps its width', () => {
      const text = renderTable(HEADERS, ROWS, PLAIN, { width: 80, shrink: [2, 1] });
      const lines = text.split('\n');
      expect(lines.length).to.be.above(2 + ROWS.length);
      const flowsAt = lines[0]!.indexOf('Flows');
      const labelAt = lines[0]!.indexOf('Label');
      expect(labelAt).to.equal('A_Very_Long_Application_Name_Indeed'.length + 2);
      // the rows after the first line of "Order_Sync": blank under App, text starting at a column's start
      const start = lines.findIndex((l) => l.startsWith('Order_Sync'));
      const next = lines[start + 1]!;
      expect(next.slice(0, labelAt).trim()).to.equal('');
      const firstText = next.search(/\S/);
      expect([labelAt, flowsAt]).to.include(firstText);
    });

    it('becomes one block per row when even the narrowest columns do not fit', () => {
      const text = renderTable(HEADERS, ROWS, PLAIN, { width: 30 });
      expect(text).to.include('App: Order_Sync\n  Label: Order Sync for the');
      expect(text).to.include('App: Partner_Portal\n  Label: Partner Portal\n  Flows: authorization code');
      expect(longest(text)).to.be.at.most(30);
    });

    it('breaks a word only when it is longer than the line, after a "/" when it can', () => {
      const lines = wrap('see force-app/main/default/externalClientApps/A.eca-meta.xml now', 30);
      expect(lines[0]).to.equal('see force-app/main/default/');
      expect(lines.join('')).to.equal('see force-app/main/default/externalClientApps/A.eca-meta.xml now');
      for (const l of lines) expect(l.length).to.be.at.most(30);
      expect(wrap('abcdefghijklmnopqrstuvwxyz', 10)).to.deep.equal(['abcdefghij', 'klmnopqrst', 'uvwxyz']);
      expect(wrap('one two three four', 9, 2)).to.deep.equal(['one two', '  three', '  four']);
    });

    it('carries colours over a line break and closes them at its end', () => {
      const red = (s: string): string => `\u001b[31m${s}\u001b[39m`;
      const lines = wrap(`x ${red('all users may self-authorize')} y`, 14);
      expect(lines.map(strip)).to.deep.equal(['x all users', 'may', 'self-authorize', 'y']);
      expect(lines[0]).to.equal('x \u001b[31mall users\u001b[0m');
      expect(lines[1]).to.equal('\u001b[31mmay\u001b[0m');
      expect(lines[2]).to.equal('\u001b[31mself-authorize\u001b[39m');
      expect(lines[3]).to.equal('y');
    });
  });

  describe('renderList', () => {
    const app = (name: string, label: string): AppSummary =>
      ({
        kind: 'ExternalClientApp',
        name,
        label,
        distributionState: 'Local',
        files: { header: `${name}.eca-meta.xml`, globalOauth: 'g', oauth: 'o', oauthPolicies: 'p' },
        permittedUsers: 'AdminApprovedPreAuthorized',
        ipRelaxation: 'ENFORCE',
        refreshToken: 'expire after 30 days unused',
        flows: ['authorizationCode'],
      }) as unknown as AppSummary;
    const apps = [app('Desktop_CLI', 'Desktop CLI'), app('Field_Service_Mobile', 'Field Service Mobile')];
    for (const width of WIDTHS) {
      it(`fits in ${width} columns with every app`, () => {
        const text = renderList(apps, PLAIN, width);
        expect(longest(text)).to.be.at.most(width);
        for (const a of apps) expect(words(text)).to.include(a.name);
        expect(text).to.include('2 External Client Apps, 0 Connected Apps.');
      });
    }
    it('is a table at 200 columns, a block per app at 60', () => {
      expect(renderList(apps, PLAIN, 200).split('\n')[0]).to.match(/^App\s+Kind\s+Client\s+Label/);
      expect(renderList(apps, PLAIN, 60)).to.include('App: Desktop_CLI\n  Kind: ECA\n');
    });
  });

  describe('renderHuman', () => {
    const path = 'force-app/main/default/extlClntAppOauthPolicies/Partner_Portal_Settings_defaultPolicy.ecaOauthPlcy-meta.xml';
    const f = (line: number, message: string): Finding => ({
        ruleId: 'ECA-POL-010',
        rule: 'ip-relaxation-enforce',
        severity: 'error',
        category: 'policies',
        app: 'Partner_Portal',
        path,
        line,
        col: 5,
        message,
        fix: { path, edits: [], description: 'set ipRelaxationPolicyType to Enforce, which every client then needs to be ready for', class: 'breaking' },
        action: 'Tell the owners of every client of the app, then deploy the change when they are ready for it.',
      });
    const findings = [f(4, 'ipRelaxationPolicyType is Bypass: tokens work from any address, also from networks nobody trusts'), f(9, 'short')];
    for (const width of WIDTHS) {
      it(`fits in ${width} columns, the path once, each finding from line:col`, () => {
        const text = renderHuman(findings, 1, PLAIN, width);
        expect(longest(text)).to.be.at.most(width);
        expect(strip(text).replace(/\/\n\s*/g, '/').split(path)).to.have.length(2);
        expect(text).to.match(/^ {2}4:5 {2}error {2}ECA-POL-010/m);
        expect(text).to.match(/^ {2}9:5 {2}error {2}ECA-POL-010/m);
        const all = words(text);
        for (const x of findings) for (const w of `${x.message} ${x.fix?.description ?? ''} ${x.action ?? ''}`.split(' ')) expect(all, w).to.include(w);
      });
    }
    it('indents what wraps under the finding', () => {
      const lines = renderHuman(findings, 1, PLAIN, 60).split('\n');
      const i = lines.findIndex((l) => l.startsWith('  4:5'));
      expect(lines[i + 1]).to.match(/^ {6}\S/);
      const fix = lines.findIndex((l) => l.startsWith('      fix:'));
      expect(lines[fix + 1]).to.match(/^ {8}\S/);
    });
    it('keeps every line whole without a width (an output file)', () => {
      const style: Style = PLAIN;
      expect(renderHuman(findings, 1, style)).to.include('  4:5  error  ECA-POL-010 ip-relaxation-enforce  ipRelaxationPolicyType is Bypass: tokens work from any address, also from networks nobody trusts');
    });
  });
});
