/*
 * Golden tests of the lossless XML codec, run through MetadataFile.
 *
 * Each folder under test/golden/xml/ is one case:
 *   input.<suffix>          a metadata file (suffix such as eca-meta.xml, ecaOauthPlcy-meta.xml)
 *   op.json                 one operation or a list of them (see Op below)
 *   expected.<suffix>       the exact bytes after the operations, or
 *   expected-error.json     {"code","line","col","messageIncludes"} for input that must be rejected
 *
 * Files are compared as bytes: a BOM, CRLF line ends and a missing final newline all count.
 * UPDATE_GOLDEN=1 rewrites the expected files from the current output (check every change by eye).
 *
 * Also here: a cross-check of accept/reject against fast-xml-parser's validator, and a round trip of
 * the corpus of real ECA and Connected App files vendored in test/fixtures/corpus/.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { XMLValidator } from 'fast-xml-parser';
import { isProblem, MetadataFile, type Problem } from '../../src/core/model/file.js';
import type { NewElement } from '../../src/core/xml/edit.js';
import { parseXml, type XmlElement } from '../../src/core/xml/parse.js';
import { CORPUS } from '../support/helpers.js';

type Op =
  | { readonly op: 'roundtrip' }
  | { readonly op: 'error' }
  /** Asserts the decoded value of a root child; changes nothing. */
  | { readonly op: 'text'; readonly name: string; readonly value: string }
  | { readonly op: 'set'; readonly name: string; readonly value: string }
  /** parent: a path of element names below the root (first match at each step); default the root. */
  | { readonly op: 'add'; readonly element: NewElement; readonly parent?: readonly string[] }
  /** By name: every root child with that name. By path: one element (index among same-named siblings at the last step). */
  | { readonly op: 'remove'; readonly name: string }
  | { readonly op: 'remove'; readonly path: readonly string[]; readonly index?: number };

type ExpectedError = { code: string; line: number; col: number; messageIncludes: string };

type GoldenCase = {
  readonly name: string;
  readonly dir: string;
  readonly suffix: string;
  readonly inputPath: string;
  readonly input: Buffer;
  readonly ops: readonly Op[];
};

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT = join(HERE, '..', '..');
const GOLDEN = join(PROJECT, 'test', 'golden', 'xml');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const SUFFIXES = ['eca-meta.xml', 'ecaGlblOauth-meta.xml', 'ecaOauth-meta.xml', 'ecaOauthPlcy-meta.xml', 'ecaPlcy-meta.xml', 'connectedApp-meta.xml'];

/**
 * Inputs we reject on purpose that fast-xml-parser's validator accepts: it does not refuse DOCTYPE or
 * entity declarations and does not check that an entity reference is declared.
 */
const REJECTED_BY_US_ONLY = new Set([
  '36-error-doctype',
  '37-error-entity-declaration',
  '38-error-external-entity',
  '39-error-undeclared-entity',
]);

const utf8 = (buf: Buffer, what: string): string => {
  const text = buf.toString('utf8');
  // Buffer#toString keeps a BOM as U+FEFF; this guards against invalid UTF-8 being silently replaced.
  if (!Buffer.from(text, 'utf8').equals(buf)) throw new Error(`${what} is not valid UTF-8`);
  return text;
};

const loadCases = (): GoldenCase[] =>
  readdirSync(GOLDEN)
    .filter((name) => statSync(join(GOLDEN, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(GOLDEN, name);
      const inputs = readdirSync(dir).filter((f) => f.startsWith('input.'));
      if (inputs.length !== 1) throw new Error(`${name}: expected exactly one input.* file, found ${inputs.length}`);
      const inputName = inputs[0] as string;
      const raw = JSON.parse(readFileSync(join(dir, 'op.json'), 'utf8')) as Op | Op[];
      return {
        name,
        dir,
        suffix: inputName.slice('input.'.length),
        inputPath: join(dir, inputName),
        input: readFileSync(join(dir, inputName)),
        ops: Array.isArray(raw) ? raw : [raw],
      };
    });

const isErrorCase = (c: GoldenCase): boolean => c.ops.some((o) => o.op === 'error');

const readFile = (path: string, text: string): MetadataFile => {
  const file = MetadataFile.read(path, text);
  if (isProblem(file)) throw new Error(`${path}: ${file.code} at ${file.line ?? '?'}:${file.col ?? '?'}: ${file.message}`);
  return file;
};

const findPath = (file: MetadataFile, path: readonly string[], lastIndex = 0): XmlElement => {
  let el: XmlElement = file.root;
  path.forEach((name, i) => {
    const matches = el.children.filter((c) => c.name === name);
    const next = matches[i === path.length - 1 ? lastIndex : 0];
    if (!next) throw new Error(`no element ${path.slice(0, i + 1).join('/')}${i === path.length - 1 ? `[${lastIndex}]` : ''}`);
    el = next;
  });
  return el;
};

const apply = (file: MetadataFile, op: Op): void => {
  switch (op.op) {
    case 'roundtrip':
      return;
    case 'text':
      expect(file.text(op.name), `decoded text of <${op.name}>`).to.equal(op.value);
      return;
    case 'set':
      file.set(op.name, op.value);
      return;
    case 'add':
      file.add(op.element, op.parent ? findPath(file, op.parent) : undefined);
      return;
    case 'remove':
      if ('name' in op) expect(file.remove(op.name), `elements named ${op.name} removed`).to.be.greaterThan(0);
      else file.removeElement(findPath(file, op.path, op.index ?? 0));
      return;
    case 'error':
      throw new Error('an error case has no operations to apply');
  }
};

/** Character data written in the input (text between tags, and after the root), at least 6 characters long. */
const textRuns = (source: string): string[] =>
  [...source.matchAll(/>([^<]+)(?=<|$)/g)].map((m) => (m[1] ?? '').trim()).filter((t) => t.length >= 6);

const cases = loadCases();

describe('golden XML files', () => {
  it('has at least 24 cases, numbered, each with the files its kind needs', () => {
    expect(cases.length).to.be.at.least(24);
    const numbers = new Set<string>();
    for (const c of cases) {
      expect(c.name, 'folder name').to.match(/^\d{2}-[a-z0-9-]+$/);
      numbers.add(c.name.slice(0, 2));
      expect(SUFFIXES, `${c.name}: input suffix`).to.include(c.suffix);
      const files = readdirSync(c.dir).sort();
      const expected = isErrorCase(c) ? ['expected-error.json', `input.${c.suffix}`, 'op.json'] : [`expected.${c.suffix}`, `input.${c.suffix}`, 'op.json'];
      expect(files, `${c.name}: files`).to.deep.equal(expected.sort());
      if (isErrorCase(c)) expect(c.ops, `${c.name}: an error case has only the error op`).to.have.length(1);
    }
    expect(numbers.size, 'case numbers are unique').to.equal(cases.length);
  });

  for (const c of cases) {
    if (isErrorCase(c)) {
      it(`${c.name}: rejected with the line and column of the fault`, () => {
        const errorPath = join(c.dir, 'expected-error.json');
        const expected = JSON.parse(readFileSync(errorPath, 'utf8')) as ExpectedError;
        const text = utf8(c.input, c.inputPath);
        const result = MetadataFile.read(c.inputPath, text);
        expect(isProblem(result), 'MetadataFile.read returns a Problem').to.equal(true);
        const problem = result as Problem;
        if (UPDATE) {
          const updated: ExpectedError = { code: problem.code, line: problem.line ?? 0, col: problem.col ?? 0, messageIncludes: expected.messageIncludes };
          writeFileSync(errorPath, `${JSON.stringify(updated, null, 2)}\n`);
          return;
        }
        expect({ code: problem.code, severity: problem.severity, path: problem.path, line: problem.line, col: problem.col }).to.deep.equal({
          code: expected.code,
          severity: 'error',
          path: c.inputPath,
          line: expected.line,
          col: expected.col,
        });
        expect(problem.message).to.include(expected.messageIncludes);
        for (const run of textRuns(text)) expect(problem.message, 'the message echoes no element text').not.to.include(run);
      });
      continue;
    }
    const onlyChecks = c.ops.every((o) => o.op === 'roundtrip' || o.op === 'text');
    it(`${c.name}: ${onlyChecks ? 'reads and writes back the same bytes' : 'gives the expected bytes'}`, () => {
      const expectedPath = join(c.dir, `expected.${c.suffix}`);
      const file = readFile(c.inputPath, utf8(c.input, c.inputPath));
      for (const op of c.ops) apply(file, op);
      const actual = Buffer.from(file.source, 'utf8');
      if (UPDATE) {
        writeFileSync(expectedPath, actual);
        return;
      }
      const expected = readFileSync(expectedPath);
      if (onlyChecks) expect(expected.equals(c.input), 'a round-trip case expects its input unchanged').to.equal(true);
      // The string comparison shows a readable diff; the Buffer comparison is the real test.
      expect(JSON.stringify(actual.toString('utf8')).split('\\n')).to.deep.equal(JSON.stringify(expected.toString('utf8')).split('\\n'));
      expect(actual.equals(expected), 'bytes are identical').to.equal(true);
      // The result is itself a file we read back unchanged.
      expect(readFile(c.inputPath, file.source).source).to.equal(file.source);
    });
  }
});

describe('golden XML files: cross-check with fast-xml-parser', () => {
  const ours = (text: string): boolean => {
    try {
      parseXml(text);
      return true;
    } catch {
      return false;
    }
  };
  const theirs = (text: string): boolean => XMLValidator.validate(text) === true;

  it('lists only cases that exist and are rejected', () => {
    for (const name of REJECTED_BY_US_ONLY) {
      const c = cases.find((x) => x.name === name);
      expect(c, name).to.not.equal(undefined);
      expect(isErrorCase(c as GoldenCase), name).to.equal(true);
    }
  });

  for (const c of cases) {
    it(`${c.name}: ${REJECTED_BY_US_ONLY.has(c.name) ? 'we reject on purpose what fast-xml-parser accepts' : 'both accept or both reject'}`, () => {
      const text = utf8(c.input, c.inputPath);
      if (REJECTED_BY_US_ONLY.has(c.name)) {
        expect(ours(text), 'our parser').to.equal(false);
        expect(theirs(text), 'fast-xml-parser').to.equal(true);
        return;
      }
      expect(ours(text), 'our parser').to.equal(!isErrorCase(c));
      expect(theirs(text), 'fast-xml-parser').to.equal(!isErrorCase(c));
      if (!isErrorCase(c)) {
        const expected = readFileSync(join(c.dir, `expected.${c.suffix}`), 'utf8');
        expect(ours(expected), 'our parser on the expected output').to.equal(true);
        expect(theirs(expected), 'fast-xml-parser on the expected output').to.equal(true);
      }
    });
  }
});

describe('corpus round trip (test/fixtures/corpus)', () => {
  const corpusFiles = (kind: string): string[] => {
    const dir = join(CORPUS, kind);
    if (!existsSync(dir)) throw new Error(`corpus folder missing: ${dir}`);
    return readdirSync(dir)
      .sort()
      .map((f) => join(dir, f))
      .filter((p) => statSync(p).isFile());
  };
  const eca = corpusFiles('eca');
  const connectedApp = corpusFiles('connectedApp');

  it('finds the corpus', () => {
    expect(eca.length, 'ECA files').to.be.greaterThan(0);
    expect(connectedApp.length, 'Connected App files').to.be.greaterThan(0);
  });

  for (const path of [...eca, ...connectedApp]) {
    const name = path.slice(CORPUS.length + 1);
    it(`${name}: parses and writes back the same bytes`, () => {
      const buf = readFileSync(path);
      const text = utf8(buf, path);
      expect(() => parseXml(text)).not.to.throw();
      expect(XMLValidator.validate(text), 'fast-xml-parser agrees').to.equal(true);
      const file = readFile(path, text);
      expect(file.source).to.equal(text);
      expect(Buffer.from(file.source, 'utf8').equals(buf)).to.equal(true);
    });
  }

  for (const path of eca) {
    const name = path.slice(CORPUS.length + 1);
    it(`${name}: setting label keeps every other byte`, () => {
      const text = utf8(readFileSync(path), path);
      const same = readFile(path, text);
      const label = same.text('label');
      expect(label, 'label').to.be.a('string');
      same.set('label', label as string);
      expect(same.source, 'label set to its own value').to.equal(text);

      const changed = readFile(path, text);
      changed.set('label', 'X');
      const before = text.split('\n');
      const after = changed.source.split('\n');
      expect(after.length, 'line count').to.equal(before.length);
      const differing = before.map((line, i) => (line === after[i] ? -1 : i)).filter((i) => i >= 0);
      expect(differing, 'changed lines').to.have.length(1);
      const i = differing[0] as number;
      expect(after[i]).to.equal((before[i] as string).replace(/<label>[^<]*<\/label>/, '<label>X</label>'));
      expect(changed.text('label')).to.equal('X');
    });
  }
});
