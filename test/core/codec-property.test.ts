/*
 * Property test of the lossless codec, with fast-xml-parser as the oracle: random edits on every
 * corpus file leave well-formed XML (FXP's validator agrees with our reader), the value FXP reads
 * back is the value set, and every line outside the edited element is byte-identical.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isProblem, MetadataFile } from '../../src/core/model/file.js';
import type { XmlElement } from '../../src/core/xml/parse.js';
import { CORPUS } from '../support/helpers.js';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
const prng = (seed: number) => () => {
  let t = (seed += 0x6d2b79f5);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const VALUES = ['true', 'false', 'Enforce', 'a & b', '<not a tag>', 'quote " and \' apostrophe', 'ünïcødé ✓', '  spaced  ', '1.5'];

const leaves = (el: XmlElement): XmlElement[] => (el.text !== undefined ? [el] : el.children.flatMap(leaves));
const lines = (s: string): string[] => s.split('\n');
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v as Record<string, unknown>).flatMap(strings) : [];

describe('codec property test (random edits on the corpus, fast-xml-parser as oracle)', () => {
  const dir = join(CORPUS, 'eca');
  const names = readdirSync(dir).filter((n) => n.endsWith('.xml'));

  it('every edit leaves well-formed XML and untouched lines byte-identical', () => {
    const fxp = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false });
    let edits = 0;
    names.forEach((name, n) => {
      const text = readFileSync(join(dir, name), 'utf8');
      const own = name.split('__').pop() as string;
      const loaded = MetadataFile.read(own, text);
      if (isProblem(loaded)) return;
      const random = prng(1000 + n);
      for (let i = 0; i < 25; i++) {
        const file = loaded.copy();
        const candidates = leaves(file.root).filter((l) => l.depth >= 1);
        if (candidates.length === 0) return;
        const el = candidates[Math.floor(random() * candidates.length)];
        if (!el) return;
        const op = random();
        const first = el.line;
        const last = lines(text.slice(0, el.end)).length;
        let expectedValue: string | undefined;
        if (op < 0.6) {
          expectedValue = VALUES[Math.floor(random() * VALUES.length)] ?? 'x';
          file.setElement(el, expectedValue);
        } else if (op < 0.8) {
          file.removeElement(el);
        } else {
          file.add({ name: 'zzAddedElement', value: 'added & kept' });
        }
        edits++;
        const after = file.source;
        const label = `${name} edit ${i} (op ${op.toFixed(2)} on <${el.name}> line ${first})`;
        expect(XMLValidator.validate(after), label).to.equal(true);
        expect(isProblem(MetadataFile.read(own, after)), label).to.equal(false);
        const a = lines(text);
        const b = lines(after);
        if (op < 0.8) {
          // Lines before the element and after it are untouched.
          expect(b.slice(0, first - 1), label).to.deep.equal(a.slice(0, first - 1));
          const tail = a.length - last;
          expect(b.slice(b.length - tail), label).to.deep.equal(a.slice(a.length - tail));
        } else {
          // An addition only adds lines: every original line survives, in order.
          let j = 0;
          for (const line of b) if (line === a[j]) j++;
          expect(j, label).to.equal(a.length);
        }
        if (expectedValue !== undefined) {
          // The oracle reads the value that was set.
          expect(strings(fxp.parse(after)), label).to.include(expectedValue);
        }
      }
    });
    expect(edits).to.be.greaterThan(500);
  });
});
