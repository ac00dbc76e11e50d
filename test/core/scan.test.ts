/*
 * scanXml (the shallow scan the inventory validates files with) against parseXml: on every input the same
 * error with the same line and column, or the same root element and <externalClientApplication> text.
 * Inputs: every XML file under test/ and examples/, and seeded mutations of them (characters inserted and deleted,
 * line ends changed, a BOM added), so that most of them are malformed somewhere.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { isProblem, MetadataFile } from '../../src/core/model/file.js';
import { parseXml, scanXml, XmlSyntaxError } from '../../src/core/xml/parse.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const xmlFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.xml'))
    .map((e) => join(e.parentPath, e.name));

const KNOWN = new Set(['ExternalClientApplication', 'label', 'externalClientApplication', 'a']);
const PIECES = ['<', '>', '/', '&', ';', '&amp;', '&#x41;', '&#0;', '&foo;', '\r', '\r\n', '\n', ' ', '\u00a0', '\ud800', '\ud83d\ude00', '"', '=', '<!--', '-->', '<![CDATA[', ']]>', '<?', '<!DOCTYPE', 'a', '</label>', '<label>', '<a/>', 'x:y', '\u0001'];

type Outcome = { error: string } | { root: unknown; childText: string | undefined };
const outcome = (f: () => Outcome): Outcome => {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof XmlSyntaxError)) throw e;
    return { error: `${e.message} @${e.line}:${e.col}` };
  }
};

describe('scanXml validates as parseXml does, without the tree', () => {
  const sources = [...xmlFiles(join(ROOT, 'test')), ...xmlFiles(join(ROOT, 'examples'))].map((p) => readFileSync(p, 'utf8'));
  sources.push(
    '<r><a>x</a><a>y</a></r>',
    '<r><a/><a>y</a></r>',
    '<r><a><b/></a></r>',
    '<r><a><![CDATA[ z ]]>&amp;</a></r>',
    '<r>\n <b><a>deep</a></b>\n <a> &#65; </a></r>',
    '<r><a>x</b></r>',
    '<r><b><c>x</d></b></r>',
    '<r><a>x<b/></a></r>',
    '<r><x:a>1</x:a></r>',
    `<r>${'<a>1</a>'.repeat(1000)}</r>`
  );

  const same = (s: string): void => {
    for (const keep of ['externalClientApplication', 'label', 'a']) {
      const parsed = outcome(() => {
        const root = parseXml(s, { knownNames: KNOWN }).root;
        return { root: { name: root.name, line: root.line, col: root.col, attributes: root.attributes }, childText: root.children.find((c) => c.name === keep)?.text };
      });
      const scanned = outcome(() => {
        const r = scanXml(s, { knownNames: KNOWN, childText: keep });
        return { root: { name: r.rootName, line: r.line, col: r.col, attributes: r.attributes }, childText: r.childText };
      });
      expect(scanned, JSON.stringify(s.slice(0, 200))).to.deep.equal(parsed);
    }
  };

  it('on every XML file of the repository', () => {
    expect(sources.length).to.be.greaterThan(200);
    for (const s of sources) same(s);
  });

  it('on 5,000 seeded mutations of them', () => {
    let seed = 16;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    let parsed = 0;
    for (let i = 0; i < 5000; i++) {
      let s = sources[Math.floor(rnd() * sources.length)] as string;
      for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
        const at = Math.floor(rnd() * (s.length + 1));
        const op = rnd();
        if (op < 0.5) s = s.slice(0, at) + (PIECES[Math.floor(rnd() * PIECES.length)] as string) + s.slice(at);
        else if (op < 0.8) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 5));
        else s = s.replace(/\n/g, rnd() < 0.5 ? '\r\n' : '');
      }
      if (rnd() < 0.1) s = `\ufeff${s}`;
      same(s);
      try {
        parseXml(s);
        parsed++;
      } catch {
        // malformed: compared above all the same
      }
    }
    expect(parsed, 'the mutations should leave some inputs well-formed').to.be.greaterThan(100);
  });

  it('MetadataFile.scan gives what MetadataFile.read gives, the tree built only when read', () => {
    const corpus = join(ROOT, 'test', 'fixtures', 'corpus');
    const paths = readdirSync(corpus, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith('.xml'));
    expect(paths.length).to.be.greaterThan(10);
    for (const e of paths) {
      const path = join(e.parentPath, e.name);
      const text = readFileSync(path, 'utf8');
      for (const source of [text, text.replace('</', '<')]) {
        const read = MetadataFile.read(path, source);
        const scanned = MetadataFile.scan(path, source);
        if (isProblem(read) || isProblem(scanned)) {
          expect(scanned, path).to.deep.equal(read);
          continue;
        }
        expect([scanned.type.name, scanned.fullName, scanned.appName, scanned.source], path).to.deep.equal([read.type.name, read.fullName, read.appName, read.source]);
        expect(scanned.root.line).to.equal(read.root.line);
        expect(scanned.doc.root.children.length).to.equal(read.doc.root.children.length);
      }
    }
  });
});
