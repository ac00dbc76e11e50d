/*
 * A positional, validating XML scanner for Salesforce metadata files.
 *
 * It keeps the source text untouched and records where every element starts and ends, so that
 * edits can splice the text (see edit.ts) and a read/write round trip is byte-identical.
 * It refuses DOCTYPE and entity declarations (no entity expansion, no external entities) and the
 * characters XML 1.0 forbids, and reports malformed input with the line and column of the fault.
 * Its messages never echo character data (a secret could be in it): they name an element or an
 * attribute only when the caller says the name is known (a schema name), and otherwise say
 * "an element" or "an unexpected name".
 *
 * Time is linear in the size of the text: every search for a delimiter starts where the previous
 * one ended or is bounded by the run being decoded.
 */

export type XmlElement = {
  /** Qualified element name as written. */
  readonly name: string;
  /** Offset of the '<' of the start tag. */
  readonly start: number;
  /** Offset just past the '>' of the start tag. */
  readonly openEnd: number;
  /** Offset of the '</' of the end tag (equals openEnd for a self-closing element). */
  readonly closeStart: number;
  /** Offset just past the element. */
  readonly end: number;
  readonly selfClosing: boolean;
  /** 1-based line and column of the '<'. */
  readonly line: number;
  readonly col: number;
  /** Nesting depth: the root element is 0. */
  readonly depth: number;
  readonly children: readonly XmlElement[];
  /** Decoded character data (text and CDATA, comments skipped); undefined when the element has child elements. */
  readonly text: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
};

export type XmlDocument = {
  /** The whole source, byte for byte (a UTF-8 BOM is kept as U+FEFF). */
  readonly source: string;
  readonly root: XmlElement;
  readonly bom: boolean;
  readonly eol: '\n' | '\r\n';
  /** One level of indentation as the file writes it (4 spaces when the file gives no example). */
  readonly indentUnit: string;
};

export class XmlSyntaxError extends Error {
  public constructor(message: string, public readonly line: number, public readonly col: number) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

/** Largest file the scanner accepts; ECA files are a few kilobytes. */
export const MAX_XML_CHARS = 5 * 1024 * 1024;
/** Deepest element nesting accepted; ECA metadata is at most three levels deep. */
export const MAX_XML_DEPTH = 64;

export type ParseOptions = {
  /**
   * Element names that may appear in error messages (the schema's field and type names). Any other
   * name read from the text may be character data (a secret holding '<') and is never echoed.
   */
  readonly knownNames?: ReadonlySet<string>;
};

/** Attribute names that may appear in error messages. */
const KNOWN_ATTRIBUTES: ReadonlySet<string> = new Set(['xmlns', 'xmlns:xsi', 'xsi:type', 'xsi:nil']);
const NOTHING_KNOWN: ReadonlySet<string> = new Set();

/**
 * Each known name as the caller's own string (the schema's literals): an element's name is that very string, not a
 * copy cut from the text, so the rules' lookups and comparisons by name compare one pointer, not characters.
 */
const CANONICAL_NAMES = new WeakMap<ReadonlySet<string>, ReadonlyMap<string, string>>();
const canonicalNames = (known: ReadonlySet<string>): ReadonlyMap<string, string> => {
  let names = CANONICAL_NAMES.get(known);
  if (!names) {
    const map = new Map<string, string>();
    for (const n of known) map.set(n, n);
    CANONICAL_NAMES.set(known, map);
    names = map;
  }
  return names;
};

/**
 * Characters XML 1.0 §2.2 forbids: C0 controls other than tab, LF and CR; U+FFFE and U+FFFF; a
 * surrogate that is not part of a pair (the text is UTF-16, so a pair is a legal supplementary character).
 */
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Every character FORBIDDEN_CHAR can match, surrogates included: a one-class test that rules most files out at once. */
const MAYBE_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

/** True for a code point XML 1.0 allows (Char production). */
const isXmlChar = (c: number): boolean =>
  c === 9 || c === 10 || c === 13 || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

const hex = (c: number): string => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** Names a forbidden character by its code point only (a control character is no secret's content). */
const describeChar = (c: number): string =>
  c >= 0xd800 && c <= 0xdfff
    ? `a lone surrogate (${hex(c)}, half of a UTF-16 pair)`
    : c === 0
      ? 'the NUL character (U+0000)'
      : c < 0x20
        ? `the control character ${hex(c)}`
        : `the non-character ${hex(c)}`;

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const isNameStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c > 127;
/** NAME_CHAR[c] is 1 for an ASCII name character (letters, digits, '_', ':', '-', '.'); every non-ASCII one is a name character. */
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) NAME_CHAR[c] = isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46 ? 1 : 0;
/** Also false past the end of the text (charCodeAt gives NaN there). */
const isNameChar = (c: number): boolean => (c < 128 ? NAME_CHAR[c] === 1 : c > 127);
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
/** Line ends in character data read as LF, as XML 1.0 §2.11 requires (the source text keeps them). */
const normalizeEol = (t: string): string => (t.includes('\r') ? t.replace(/\r\n?/g, '\n') : t);

// Leaves and attribute-less elements share these (a file has thousands of leaves: memory matters at 10,000 apps).
const NO_CHILDREN: MutableElement[] = Object.freeze([]) as unknown as MutableElement[];
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({});

type MutableElement = {
  name: string;
  start: number;
  openEnd: number;
  closeStart: number;
  end: number;
  selfClosing: boolean;
  line: number;
  col: number;
  depth: number;
  children: MutableElement[];
  text: string | undefined;
  attributes: Record<string, string>;
};

/** What a shallow scan returns for every element below the root (nothing of it is kept). */
const SHALLOW: MutableElement = Object.freeze({
  name: '', start: 0, openEnd: 0, closeStart: 0, end: 0, selfClosing: false,
  line: 0, col: 0, depth: 0, children: NO_CHILDREN, text: undefined, attributes: NO_ATTRIBUTES,
});

class Scanner {
  private pos = 0;
  private lineStarts: number[] | undefined;
  /** The line of `lineAt` (1-based) and where that line starts: element positions are counted forward from there. */
  private line = 1;
  private lineStart = 0;
  private lineAt = 0;
  private nextNl = -1;
  /** The text has a carriage return somewhere (else no run needs its line ends normalised). */
  private readonly hasCr: boolean;
  private readonly names: ReadonlyMap<string, string>;
  /** The text of the first top-level element of this name, in a shallow scan (undefined while none was closed). */
  public kept: { text: string | undefined } | undefined;
  /** Offset of the next '&' at or after the last search (s.length when there is none): searched once per file. */
  private nextAmp = -1;

  /**
   * `shallow`: validate only, building no element below the root (no children, no text, no position), except the text
   * of the first top-level element named `keep`. Every check and every error is the same as in a full parse.
   */
  public constructor(
    private readonly s: string,
    private readonly base: number,
    private readonly known: ReadonlySet<string>,
    private readonly shallow = false,
    private readonly keep?: string
  ) {
    this.pos = base;
    this.lineStart = base;
    this.lineAt = base;
    this.hasCr = s.includes('\r');
    this.names = canonicalNames(known);
  }

  /** Line ends in character data read as LF, as XML 1.0 §2.11 requires (the source text keeps them). */
  private eol(t: string): string {
    return this.hasCr ? normalizeEol(t) : t;
  }

  /** `<name>` when the name is known, otherwise "an element". */
  private el(name: string): string {
    return this.known.has(name) ? `<${name}>` : 'an element';
  }

  /** `'name'` when the attribute name is known, otherwise "an attribute". */
  private attr(name: string): string {
    return KNOWN_ATTRIBUTES.has(name) ? `the attribute '${name}'` : 'an attribute';
  }

  /** The first '&' in [from, to), or -1. */
  private ampersand(from: number, to: number): number {
    if (this.nextAmp < from) {
      const i = this.s.indexOf('&', from);
      this.nextAmp = i < 0 ? this.s.length : i;
    }
    return this.nextAmp < to ? this.nextAmp : -1;
  }

  public parse(): XmlElement {
    const bad = MAYBE_FORBIDDEN.test(this.s) ? FORBIDDEN_CHAR.exec(this.s) : null;
    if (bad) this.fail(`${describeChar(this.s.charCodeAt(bad.index))} is not allowed in XML`, bad.index);
    this.misc(true);
    if (this.pos >= this.s.length) this.fail('the file has no root element', this.pos);
    if (this.s.charCodeAt(this.pos) !== 60) this.fail('text is not allowed before the root element', this.pos);
    const root = this.element(0);
    this.misc(false);
    if (this.pos < this.s.length) {
      this.fail(
        this.s.charCodeAt(this.pos) === 60 ? 'only one root element is allowed' : 'text is not allowed after the root element',
        this.pos
      );
    }
    return root;
  }

  /**
   * The line and column of an offset at or after the last one asked for (element starts come in document order):
   * the lines between are counted with indexOf, never looked at character by character again.
   */
  private forward(offset: number): { line: number; col: number } {
    if (offset < this.lineAt) return this.position(offset);
    const s = this.s;
    // The next line feed at or after lineAt is remembered (s.length when there is none), so that a file of one long
    // line is not searched to its end again for every element.
    if (this.nextNl < this.lineAt) {
      const i = s.indexOf('\n', this.lineAt);
      this.nextNl = i < 0 ? s.length : i;
    }
    while (this.nextNl < offset) {
      this.line++;
      this.lineStart = this.nextNl + 1;
      const i = s.indexOf('\n', this.lineStart);
      this.nextNl = i < 0 ? s.length : i;
    }
    this.lineAt = offset;
    return { line: this.line, col: offset - this.lineStart + 1 };
  }

  public position(offset: number): { line: number; col: number } {
    if (!this.lineStarts) {
      const starts = [this.base];
      for (let i = this.s.indexOf('\n', this.base); i >= 0; i = this.s.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - (starts[lo] as number) + 1 };
  }

  private fail(message: string, offset: number): never {
    const { line, col } = this.position(Math.min(offset, this.s.length));
    throw new XmlSyntaxError(message, line, col);
  }

  /** Whitespace, comments and processing instructions outside the root element. */
  private misc(prolog: boolean): void {
    const s = this.s;
    for (;;) {
      while (this.pos < s.length && isSpace(s.charCodeAt(this.pos))) this.pos++;
      if (s.startsWith('<?', this.pos)) {
        const isDecl = s.startsWith('<?xml', this.pos) && isSpace(s.charCodeAt(this.pos + 5));
        if (isDecl && (!prolog || this.pos !== this.base)) {
          this.fail('the XML declaration must be at the very start of the file', this.pos);
        }
        this.pi();
      } else if (s.startsWith('<!--', this.pos)) {
        this.comment();
      } else if (s.startsWith('<!', this.pos)) {
        this.fail(
          s.startsWith('<!DOCTYPE', this.pos) || s.startsWith('<!ENTITY', this.pos)
            ? 'DOCTYPE and entity declarations are not allowed in metadata files'
            : 'unexpected markup',
          this.pos
        );
      } else {
        return;
      }
    }
  }

  private pi(): void {
    const start = this.pos;
    const end = this.s.indexOf('?>', start + 2);
    if (end < 0) this.fail('unterminated processing instruction', start);
    if (!isNameStart(this.s.charCodeAt(start + 2))) this.fail('invalid processing instruction', start);
    this.pos = end + 2;
  }

  private comment(): void {
    const start = this.pos;
    const end = this.s.indexOf('-->', start + 4);
    if (end < 0) this.fail('unterminated comment', start);
    const dashes = this.s.indexOf('--', start + 4);
    if (dashes < end) this.fail("'--' is not allowed inside a comment", dashes);
    this.pos = end + 3;
  }

  private name(): string {
    const s = this.s;
    const start = this.pos;
    if (!isNameStart(s.charCodeAt(this.pos))) this.fail('expected a name', this.pos);
    this.pos++;
    while (this.pos < s.length && isNameChar(s.charCodeAt(this.pos))) this.pos++;
    return s.slice(start, this.pos);
  }

  /** Whether s[from, to) is blank as String.prototype.trim sees it (it is asked only of text without references). */
  private blank(from: number, to: number): boolean {
    const s = this.s;
    for (let i = from; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 9 || c === 13) continue;
      // Other characters trim removes are rare (no-break space, U+2028, ...): ask trim itself.
      return c < 128 ? false : s.slice(i, to).trim() === '';
    }
    return true;
  }

  /** The name of `length` characters at `at` is written again at `again`, and no name character follows it there. */
  private sameName(at: number, again: number, length: number): boolean {
    const s = this.s;
    for (let k = 0; k < length; k++) if (s.charCodeAt(at + k) !== s.charCodeAt(again + k)) return false;
    return !isNameChar(s.charCodeAt(again + length));
  }

  private skipSpace(): boolean {
    const before = this.pos;
    while (this.pos < this.s.length && isSpace(this.s.charCodeAt(this.pos))) this.pos++;
    return this.pos > before;
  }

  /** Decodes the character references of a text run; rejects '<' and undeclared entities. */
  private decode(from: number, to: number, inAttribute: boolean): string {
    const s = this.s;
    // A literal '<' is the fault; '&lt;' is a legal way to write one.
    if (inAttribute) {
      const lt = s.slice(from, to).indexOf('<');
      if (lt >= 0) this.fail("'<' is not allowed in an attribute value", from + lt);
    }
    const amp = this.ampersand(from, to);
    if (amp < 0) return this.eol(s.slice(from, to));
    let out = '';
    let i = from;
    while (i < to) {
      const j = this.ampersand(i, to);
      if (j < 0) {
        out += this.eol(s.slice(i, to));
        break;
      }
      out += this.eol(s.slice(i, j));
      let semi = -1;
      for (let k = j + 1; k < to && k <= j + 12; k++) {
        if (s.charCodeAt(k) === 59) {
          semi = k;
          break;
        }
      }
      if (semi < 0) this.fail("'&' must start a character reference such as &amp;", j);
      const ref = s.slice(j + 1, semi);
      if (ref.startsWith('#')) {
        const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
        const digits = ref[1] === 'x' ? /^#x[0-9a-fA-F]+$/ : /^#[0-9]+$/;
        if (!digits.test(ref) || !Number.isFinite(code)) this.fail('invalid character reference', j);
        if (!isXmlChar(code)) {
          this.fail(
            code > 0x10ffff
              ? 'invalid character reference (beyond U+10FFFF)'
              : `invalid character reference: ${describeChar(code)} is not allowed in XML`,
            j
          );
        }
        out += String.fromCodePoint(code);
      } else {
        const ch = PREDEFINED[ref];
        if (ch === undefined) {
          this.fail('undeclared entity reference (only &amp; &lt; &gt; &quot; &apos; and character references are allowed)', j);
        }
        out += ch;
      }
      i = semi + 1;
    }
    return out;
  }

  private element(depth: number): MutableElement {
    const s = this.s;
    if (depth > MAX_XML_DEPTH) this.fail(`elements are nested deeper than ${MAX_XML_DEPTH} levels`, this.pos);
    const start = this.pos;
    this.pos++; // '<'
    const written = this.name();
    const name = this.names.get(written) ?? written;
    let attributes = NO_ATTRIBUTES;
    for (;;) {
      const spaced = this.skipSpace();
      const c = s.charCodeAt(this.pos);
      if (c === 62 || (c === 47 && s.charCodeAt(this.pos + 1) === 62)) break;
      if (this.pos >= s.length) this.fail(`unterminated start tag of ${this.el(name)}`, start);
      if (!spaced) this.fail(`expected whitespace, '>' or '/>' in the start tag of ${this.el(name)}`, this.pos);
      const attrAt = this.pos;
      const attr = this.name();
      this.skipSpace();
      if (s.charCodeAt(this.pos) !== 61) this.fail(`expected '=' after ${this.attr(attr)} in ${this.el(name)}`, this.pos);
      this.pos++;
      this.skipSpace();
      const q = s.charCodeAt(this.pos);
      if (q !== 34 && q !== 39) this.fail(`the value of ${this.attr(attr)} in ${this.el(name)} must be quoted`, this.pos);
      const close = s.indexOf(q === 34 ? '"' : "'", this.pos + 1);
      if (close < 0) this.fail(`unterminated value of ${this.attr(attr)} in ${this.el(name)}`, this.pos);
      if (Object.hasOwn(attributes, attr)) this.fail(`duplicate attribute${KNOWN_ATTRIBUTES.has(attr) ? ` '${attr}'` : ''} in ${this.el(name)}`, attrAt);
      if (attributes === NO_ATTRIBUTES) attributes = {};
      attributes[attr] = this.decode(this.pos + 1, close, true);
      this.pos = close + 1;
    }
    // A shallow scan builds the root only: below it, nothing is kept but the text asked for.
    const build = !this.shallow || depth === 0;
    const keepText = this.shallow && depth === 1 && this.kept === undefined && name === this.keep;
    let line = 0;
    let col = 0;
    if (build) ({ line, col } = this.forward(start));
    if (s.charCodeAt(this.pos) === 47) {
      this.pos += 2;
      if (!build) {
        if (keepText) this.kept = { text: '' };
        return SHALLOW;
      }
      return {
        name, start, openEnd: this.pos, closeStart: this.pos, end: this.pos, selfClosing: true,
        line, col, depth, children: NO_CHILDREN, text: '', attributes,
      };
    }
    this.pos++; // '>'
    const openEnd = this.pos;
    let children = NO_CHILDREN;
    let childCount = 0;
    let text = '';
    const wantText = build || keepText;
    let hasCharData = false;
    for (;;) {
      const lt = s.indexOf('<', this.pos);
      if (lt < 0) this.fail(`${this.known.has(name) ? `element <${name}>` : 'an element'} is not closed`, start);
      if (lt > this.pos) {
        if (this.ampersand(this.pos, lt) < 0) {
          // No reference to decode: the run is the source text (line ends aside, which are blank either way).
          if (childCount === 0 && wantText) text += this.eol(s.slice(this.pos, lt));
          // Text between child elements is only whitespace (or a fault); it is not kept.
          if (!hasCharData && !this.blank(this.pos, lt)) hasCharData = true;
        } else {
          const run = this.decode(this.pos, lt, false);
          if (childCount === 0 && wantText) text += run;
          if (!hasCharData && run.trim() !== '') hasCharData = true;
        }
      }
      this.pos = lt;
      const next = s.charCodeAt(lt + 1);
      if (next === 47) {
        this.pos = lt + 2;
        // The end tag names this element (the common case) when the name follows and no name character after it.
        const same = this.sameName(start + 1, lt + 2, name.length);
        const closing = same ? name : this.name();
        if (same) this.pos = lt + 2 + name.length;
        if (closing !== name) {
          if (!build) ({ line, col } = this.position(start));
          const expected = this.known.has(name) ? `</${name}>` : 'the end tag of an element';
          const found = this.known.has(closing) ? `</${closing}>` : 'an unexpected name';
          this.fail(`expected ${expected} (opened at line ${line}, column ${col}) but found ${found}`, lt);
        }
        this.skipSpace();
        if (s.charCodeAt(this.pos) !== 62) this.fail(`expected '>' to end the end tag of ${this.el(name)}`, this.pos);
        this.pos++;
        if (childCount > 0 && hasCharData) {
          this.fail(`${this.known.has(name) ? `element <${name}>` : 'an element'} mixes text with child elements`, openEnd);
        }
        if (!build) {
          if (keepText) this.kept = { text: childCount > 0 ? undefined : text };
          return SHALLOW;
        }
        return {
          name, start, openEnd, closeStart: lt, end: this.pos, selfClosing: false,
          line, col, depth, children, text: children.length > 0 ? undefined : text, attributes,
        };
      }
      if (next === 33 && s.startsWith('<!--', lt)) {
        this.comment();
      } else if (next === 33 && s.startsWith('<![CDATA[', lt)) {
        const end = s.indexOf(']]>', lt + 9);
        if (end < 0) this.fail('unterminated CDATA section', lt);
        if (wantText) text += this.eol(s.slice(lt + 9, end));
        hasCharData = true;
        this.pos = end + 3;
      } else if (next === 63) {
        if (s.startsWith('<?xml', lt) && isSpace(s.charCodeAt(lt + 5))) {
          this.fail('the XML declaration must be at the very start of the file', lt);
        }
        this.pi();
      } else if (next === 33) {
        this.fail(
          s.startsWith('<!DOCTYPE', lt) || s.startsWith('<!ENTITY', lt)
            ? 'DOCTYPE and entity declarations are not allowed in metadata files'
            : 'unexpected markup',
          lt
        );
      } else {
        childCount++;
        const child = this.element(depth + 1);
        if (!this.shallow) {
          if (children === NO_CHILDREN) children = [];
          children.push(child);
        }
      }
    }
  }
}

const detectEol = (s: string): '\n' | '\r\n' => {
  const nl = s.indexOf('\n');
  return nl > 0 && s.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
};

const detectIndent = (s: string, root: XmlElement): string => {
  const first = root.children[0];
  if (first) {
    let i = first.start;
    while (i > 0 && (s.charCodeAt(i - 1) === 32 || s.charCodeAt(i - 1) === 9)) i--;
    if (i < first.start && (i === 0 || s.charCodeAt(i - 1) === 10)) return s.slice(i, first.start);
  }
  return '    ';
};

/** Parses XML text; throws XmlSyntaxError with the line and column of the first fault. */
export const parseXml = (source: string, options?: ParseOptions): XmlDocument => {
  if (source.length > MAX_XML_CHARS) {
    throw new XmlSyntaxError(`the file is larger than ${MAX_XML_CHARS / 1024 / 1024} MiB`, 1, 1);
  }
  const bom = source.charCodeAt(0) === 0xfeff;
  const root = new Scanner(source, bom ? 1 : 0, options?.knownNames ?? NOTHING_KNOWN).parse();
  return { source, root, bom, eol: detectEol(source), indentUnit: detectIndent(source, root) };
};

/** What a shallow scan tells of a valid document: its root element, and the text of one top-level element. */
export type XmlScan = {
  readonly rootName: string;
  readonly line: number;
  readonly col: number;
  readonly attributes: Readonly<Record<string, string>>;
  /**
   * The character data of the first top-level element named `childText` (as XmlElement.text: undefined when it has
   * child elements), undefined when there is none.
   */
  readonly childText: string | undefined;
};

/**
 * Validates XML text exactly as parseXml does (the same checks, the same errors with line and column) without building
 * the tree: what a project needs to group its files, at a fraction of the allocation of a parse.
 */
export const scanXml = (source: string, options?: ParseOptions & { readonly childText?: string }): XmlScan => {
  if (source.length > MAX_XML_CHARS) {
    throw new XmlSyntaxError(`the file is larger than ${MAX_XML_CHARS / 1024 / 1024} MiB`, 1, 1);
  }
  const bom = source.charCodeAt(0) === 0xfeff;
  const scanner = new Scanner(source, bom ? 1 : 0, options?.knownNames ?? NOTHING_KNOWN, true, options?.childText);
  const root = scanner.parse();
  return { rootName: root.name, line: root.line, col: root.col, attributes: root.attributes, childText: scanner.kept?.text };
};

/** Child elements with the given name, in document order. */
export const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);

/** The first child element with the given name. */
export const firstChild = (el: XmlElement, name: string): XmlElement | undefined =>
  el.children.find((c) => c.name === name);

/** Escapes character data the way Salesforce writes it. */
export const escapeXmlText = (value: string): string =>
  value.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'
  );
