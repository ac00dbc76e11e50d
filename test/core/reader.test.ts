/*
 * The reader (parseXml) refuses what XML 1.0 forbids, never echoes character data in its errors, and
 * takes time linear in the size of the file.
 */
import { expect } from 'chai';
import { isProblem, MetadataFile, type Problem } from '../../src/core/model/file.js';
import { summarizeApp } from '../../src/core/model/summary.js';
import { buildInventory, fileOf, inSelection, UNREADABLE_CODES } from '../../src/core/project/inventory.js';
import { parseXml, XmlSyntaxError } from '../../src/core/xml/parse.js';
import { NS } from '../support/helpers.js';

const PATH = 'force-app/main/default/extlClntAppGlobalOauthSets/A_glbloauth.ecaGlblOauth-meta.xml';

/** A global OAuth settings file whose consumer secret (line 3, column 21) is `secret`, written as is. */
const withSecret = (secret: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppGlobalOauthSettings xmlns="${NS}">\n    <consumerSecret>${secret}</consumerSecret>\n    <externalClientApplication>A</externalClientApplication>\n</ExtlClntAppGlobalOauthSettings>\n`;

const syntaxError = (source: string, knownNames?: ReadonlySet<string>): XmlSyntaxError => {
  try {
    parseXml(source, knownNames ? { knownNames } : undefined);
  } catch (e) {
    if (e instanceof XmlSyntaxError) return e;
    throw e;
  }
  expect.fail('expected an XmlSyntaxError');
};

const readProblem = (source: string): Problem => {
  const result = MetadataFile.read(PATH, source);
  expect(isProblem(result), 'MetadataFile.read returns a Problem').to.equal(true);
  return result as Problem;
};

/** Every substring of `secret` of at least `n` characters. */
const fragments = (secret: string, n = 3): string[] => {
  const out: string[] = [];
  for (let i = 0; i + n <= secret.length; i++) out.push(secret.slice(i, i + n));
  return out;
};

describe('parseXml: characters XML 1.0 forbids', () => {
  const literal: Array<[string, string]> = [
    ['NUL', '\u0000'],
    ['U+0001', '\u0001'],
    ['U+0008', '\u0008'],
    ['vertical tab', '\u000b'],
    ['form feed', '\u000c'],
    ['U+001F', '\u001f'],
    ['U+FFFE', '\ufffe'],
    ['U+FFFF', '\uffff'],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', '\udc00'],
  ];
  for (const [what, ch] of literal) {
    it(`refuses ${what} written as is, with its line and column`, () => {
      const e = syntaxError(withSecret(`ab${ch}cd`));
      expect([e.line, e.col]).to.deep.equal([3, 23]);
      expect(e.message).to.include('not allowed');
    });
  }

  for (const ref of ['&#0;', '&#x0;', '&#1;', '&#x1F;', '&#xD800;', '&#xDFFF;', '&#xFFFE;', '&#xFFFF;', '&#65534;', '&#x110000;']) {
    it(`refuses the character reference ${ref}, with its line and column`, () => {
      const e = syntaxError(withSecret(`ab${ref}`));
      expect([e.line, e.col]).to.deep.equal([3, 23]);
      expect(e.message).to.include('character reference');
    });
  }

  it('refuses a forbidden character in an attribute value, a comment or before the root', () => {
    expect(syntaxError(`<a b="x\u0001"/>`).col).to.equal(8);
    expect(syntaxError(`<a b="&#2;"/>`).col).to.equal(7);
    expect(syntaxError(`<a><!-- \u0002 --></a>`).col).to.equal(9);
    expect(syntaxError(`<?xml version="1.0"?>\n\u0003<a/>`).line).to.equal(2);
  });

  it('accepts tab, LF, CR, a surrogate pair, U+FFFD, a BOM and their references', () => {
    const doc = parseXml(`\ufeff<a>\t\r\n\ud83d\ude00\ufffd&#9;&#xA;&#xD;&#x1F600;&#xFFFD;&#x10FFFF;</a>`);
    expect(doc.root.text).to.equal('\t\n\ud83d\ude00\ufffd\t\n\r\ud83d\ude00\ufffd\u{10ffff}');
  });

  it('gives the column of a forbidden character after a BOM as the column without the BOM', () => {
    expect(syntaxError(`\ufeff<a>\u0001</a>`).col).to.equal(4);
  });

  it('reports a forbidden character as a MalformedXml problem with line and column', () => {
    const p = readProblem(withSecret('ab\u0001cd'));
    expect(p).to.include({ code: 'MalformedXml', line: 3, col: 23 });
  });
});

describe('parseXml: errors never echo character data', () => {
  const secret = 'Q7zK<vW9pj</xR4m<abc';
  it('a consumer secret holding <abc and </x fragments is not named in the error', () => {
    const p = readProblem(withSecret(secret));
    expect(p.code).to.equal('MalformedXml');
    for (const f of fragments(secret)) expect(p.message, `fragment ${JSON.stringify(f)}`).not.to.include(f);
    expect(p.message).to.include('an element');
  });

  for (const s of ['ab</xyz9>', 'ab<vW9pj>', 'ab<vW9pj a="1" a="2">', 'ab<vW9pj a=1>', 'ab<vW9pj/>cd<e', 'ab<Xy7Kq', 'ab<Xy7Kq ', 'ab<Xy7Kq ttt']) {
    it(`says "an element" or "an unexpected name" for ${JSON.stringify(s)}`, () => {
      const p = readProblem(withSecret(s));
      expect(p.code).to.equal('MalformedXml');
      for (const f of fragments(s.replace(/[<>/ ="]/g, ''))) expect(p.message, `fragment ${JSON.stringify(f)}`).not.to.include(f);
    });
  }

  it('names known elements: a mismatched end tag of a schema field', () => {
    const p = readProblem(withSecret('x</consumerSecretX>'));
    expect(p.message).to.include('expected </consumerSecret>');
    expect(p.message).to.include('an unexpected name');
    expect(p.message).not.to.include('consumerSecretX');
  });

  it('without known names, names no element at all', () => {
    const e = syntaxError('<a><b></c></a>');
    expect(e.message).not.to.match(/<\/?[abc]>/);
    expect(e.message).to.include('an unexpected name');
    const known = syntaxError('<a><b></c></a>', new Set(['a', 'b']));
    expect(known.message).to.include('expected </b>');
    expect(known.message).not.to.include('</c>');
  });

  it('names no attribute it does not know', () => {
    const e = syntaxError('<a secretAttr=1/>', new Set(['a']));
    expect(e.message).not.to.include('secretAttr');
    expect(e.message).to.include('an attribute');
    expect(syntaxError('<a xmlns=1/>', new Set(['a'])).message).to.include("'xmlns'");
  });
});

describe('parseXml: time is linear in the size of the file', () => {
  const big = (n: number, sep = ''): string =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<ExternalClientApplication xmlns="${NS}">${`<a>1</a>${sep}`.repeat(n)}<label>Big</label></ExternalClientApplication>\n`;
  const time = (f: () => void): number => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };

  it('parses 600,000 sibling elements (4.8 MB) about ten times slower than 60,000', function () {
    this.timeout(60_000);
    const small = big(60_000);
    const large = big(600_000);
    expect(large.length).to.be.below(5 * 1024 * 1024);
    parseXml(small); // warm up
    const tSmall = Math.max(time(() => parseXml(small)), 5);
    const tLarge = time(() => {
      const doc = parseXml(large);
      expect(doc.root.children).to.have.length(600_001);
    });
    // Linear: 10x the input, ~10x the time; quadratic would be ~100x. A loose bound against noise.
    expect(tLarge, `60k: ${tSmall.toFixed(0)} ms, 600k: ${tLarge.toFixed(0)} ms`).to.be.below(tSmall * 40);
    expect(tLarge).to.be.below(20_000);
  });

  it('parses 600,000 siblings separated by whitespace, and a value of 500,000 references, in linear time', function () {
    this.timeout(60_000);
    const spaced = big(600_000, '\n').replace(/<a>1<\/a>/g, '<a/>');
    expect(spaced.length).to.be.below(5 * 1024 * 1024);
    expect(time(() => parseXml(spaced))).to.be.below(20_000);
    const refs = `<a>${'&amp;'.repeat(500_000)}</a>`;
    expect(time(() => expect(parseXml(refs).root.text).to.have.length(500_000))).to.be.below(20_000);
  });

  it('lists an app whose header has 600,000 siblings (read, grouped, summarised) in seconds', function () {
    this.timeout(60_000);
    const text = big(600_000);
    const t = time(() => {
      const inv = buildInventory([{ path: 'force-app/main/default/externalClientApps/Big.eca-meta.xml', text }]);
      expect(inv.problems).to.deep.equal([]);
      expect(summarizeApp(inv.apps[0]!).label).to.equal('Big');
    });
    expect(t).to.be.below(20_000);
  });
});

describe('buildInventory: sources that could not be read, ignored files, the selection', () => {
  const header = (name: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<ExternalClientApplication xmlns="${NS}">\n    <label>${name}</label>\n</ExternalClientApplication>\n`;
  it('turns an unreadable source into an error problem with its position, marks ignored files, keeps the selection', () => {
    const inv = buildInventory(
      [
        { path: 'a/A.eca-meta.xml', text: header('A') },
        { path: 'a/B.eca-meta.xml', text: header('B'), ignored: true },
        { path: 'a/C.eca-meta.xml', text: '', unreadable: { code: 'InvalidEncoding', message: 'the file is not valid UTF-8', line: 2, col: 3 } },
      ],
      { selection: new Set(['a/B.eca-meta.xml', 'a/C.eca-meta.xml']) }
    );
    expect(inv.apps.map((a) => [a.name, fileOf(a, 'header')?.ignored])).to.deep.equal([
      ['A', false],
      ['B', true],
    ]);
    expect(inv.problems).to.deep.equal([
      { code: 'InvalidEncoding', message: 'the file is not valid UTF-8', line: 2, col: 3, severity: 'error', path: 'a/C.eca-meta.xml' },
    ]);
    expect(inv.fileCount).to.equal(3);
    expect([inSelection(inv, 'a/A.eca-meta.xml'), inSelection(inv, 'a/B.eca-meta.xml'), inSelection(inv, 'a/C.eca-meta.xml')]).to.deep.equal([false, true, true]);
    expect(inSelection(buildInventory([]), 'anything')).to.equal(true);
    expect([...UNREADABLE_CODES].sort()).to.deep.equal(
      ['ForeignXml', 'InvalidEncoding', 'MalformedXml', 'MissingAppReference', 'SymlinkLoop', 'SymlinkOutside', 'UnknownFileType', 'UnreadableFile'].sort()
    );
  });
});
