/*
 * One metadata file: its type (from the file name, confirmed by the root element), its parsed
 * XML, and typed reads and minimal-diff writes of its elements.
 */
import { alphabeticalOrder, applySplice, insertChild, removeElement, setText, type NewElement } from '../xml/edit.js';
import { childrenNamed, firstChild, parseXml, scanXml, XmlSyntaxError, type XmlDocument, type XmlElement } from '../xml/parse.js';
import { FILE_TYPES, fieldOf, type FieldDef, type TypeDef, typeByName } from './schema.js';

export type Severity = 'error' | 'warning' | 'info';

/** A problem found while reading the project: always names a file, and a line where there is one. */
export type Problem = {
  readonly code: string;
  readonly severity: Severity;
  readonly path: string;
  readonly line?: number;
  readonly col?: number;
  readonly message: string;
};

const SUFFIX_PATTERN = new RegExp(
  `^(.+)\\.(${[...new Set(FILE_TYPES.map((t) => t.suffix))].sort((a, b) => b.length - a.length).join('|')})(-meta\\.xml)?$`
);

/** The type a file name claims (source format `Name.suffix-meta.xml` or metadata format `Name.suffix`); org settings by their whole name. */
export const classifyFileName = (fileName: string): { type: TypeDef; fullName: string; sourceFormat: boolean } | undefined => {
  const m = SUFFIX_PATTERN.exec(fileName);
  if (!m) return undefined;
  // A settings type has one file name (ExternalClientApp.settings); other org settings are not ours.
  const type = FILE_TYPES.find((t) => t.suffix === m[2] && (t.fileName === undefined || t.fileName === m[1]));
  return type ? { type, fullName: m[1] as string, sourceFormat: m[3] !== undefined } : undefined;
};

/** Names the reader may echo in an error: every type's root element and every schema field, at any depth. */
const knownNamesOf = (types: readonly TypeDef[]): ReadonlySet<string> => {
  const names = new Set<string>();
  const add = (fields: readonly FieldDef[] | undefined): void => {
    for (const f of fields ?? []) {
      names.add(f.name);
      add(f.children);
    }
  };
  for (const t of types) {
    names.add(t.name);
    add(t.fields);
  }
  return names;
};
const PARSE_OPTIONS = { knownNames: knownNamesOf(FILE_TYPES) };

const baseName = (path: string): string => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

/** The element that names a child file's app. */
const APP_REFERENCE = 'externalClientApplication';
const SCAN_OPTIONS = { ...PARSE_OPTIONS, childText: APP_REFERENCE };

/** A header's (or Connected App's) own name, else the trimmed text of its <externalClientApplication>; '' is none. */
const appNameOf = (type: TypeDef, fullName: string, reference: () => string | undefined): string | undefined => {
  const app = type.kind === 'header' || type.kind === 'connectedApp' ? fullName : reference()?.trim();
  return app === '' ? undefined : app;
};

type Claimed = NonNullable<ReturnType<typeof classifyFileName>>;

const unknownType = (path: string): Problem => ({ code: 'UnknownFileType', severity: 'error', path, message: 'the file name does not end with a known ECA or Connected App suffix' });

const malformed = (path: string, e: XmlSyntaxError): Problem => ({ code: 'MalformedXml', severity: 'error', path, line: e.line, col: e.col, message: `malformed XML: ${e.message}` });

/** A problem when the root element is not the type the file name claims. */
const foreignRoot = (path: string, claimed: Claimed, root: { readonly name: string; readonly line: number; readonly col: number }): Problem | undefined => {
  const rootName = root.name.includes(':') ? root.name.slice(root.name.indexOf(':') + 1) : root.name;
  if (rootName === claimed.type.name) return undefined;
  const other = typeByName(rootName);
  return {
    code: 'ForeignXml',
    severity: 'error',
    path,
    line: root.line,
    col: root.col,
    message: other
      ? `the file is named as ${claimed.type.name} (.${claimed.type.suffix}) but holds <${rootName}>: rename it to .${other.suffix}${claimed.sourceFormat ? '-meta.xml' : ''}`
      : `expected the root element <${claimed.type.name}> but found <${root.name}>`,
  };
};

export class MetadataFile {
  /** The package directory the file was found in (absolute), when known. */
  public packageDir: string | undefined;
  /** The file is denied by .forceignore: it is checked, but a deploy does not send it. Set by the inventory. */
  public ignored = false;
  /** The text, byte for byte; the parsed tree is kept only while it is used (see release). */
  private text_: string;
  private tree: XmlDocument | undefined;
  /** The app this file belongs to: its externalClientApplication element, or its own name for a header. */
  public readonly appName: string | undefined;

  private constructor(
    public readonly path: string,
    public readonly type: TypeDef,
    public readonly fullName: string,
    text: string,
    tree: XmlDocument | undefined,
    appName: string | undefined
  ) {
    this.text_ = text;
    this.tree = tree;
    this.appName = appName;
  }

  private static of(path: string, type: TypeDef, fullName: string, doc: XmlDocument): MetadataFile {
    return new MetadataFile(path, type, fullName, doc.source, doc, appNameOf(type, fullName, () => firstChild(doc.root, APP_REFERENCE)?.text));
  }

  /** The original or edited text, byte for byte. */
  public get source(): string {
    return this.text_;
  }

  /** The parsed tree (parsed again on demand after release). */
  public get doc(): XmlDocument {
    return (this.tree ??= parseXml(this.text_, PARSE_OPTIONS));
  }

  private get current(): XmlDocument {
    return this.doc;
  }

  public get root(): XmlElement {
    return this.doc.root;
  }

  /**
   * Drops the parsed tree to save memory (a large project holds thousands of files); the next read
   * parses the text again. The text itself, edited or not, is kept.
   */
  public release(): void {
    this.tree = undefined;
  }

  /**
   * Parses a file. Returns a problem instead when the XML is malformed or the root element is not
   * the type the file name claims.
   */
  public static read(path: string, source: string): MetadataFile | Problem {
    const claimed = classifyFileName(baseName(path));
    if (!claimed) return unknownType(path);
    let doc: XmlDocument;
    try {
      doc = parseXml(source, PARSE_OPTIONS);
    } catch (e) {
      if (e instanceof XmlSyntaxError) return malformed(path, e);
      throw e;
    }
    return foreignRoot(path, claimed, doc.root) ?? MetadataFile.of(path, claimed.type, claimed.fullName, doc);
  }

  /**
   * As read, but the file is only validated (scanXml: the same checks and problems) and its tree is left unbuilt
   * until something reads it: what a project needs to group its files, at a fraction of a parse's allocation.
   */
  public static scan(path: string, source: string): MetadataFile | Problem {
    const claimed = classifyFileName(baseName(path));
    if (!claimed) return unknownType(path);
    let scan;
    try {
      scan = scanXml(source, SCAN_OPTIONS);
    } catch (e) {
      if (e instanceof XmlSyntaxError) return malformed(path, e);
      throw e;
    }
    const childText = scan.childText;
    return (
      foreignRoot(path, claimed, { name: scan.rootName, line: scan.line, col: scan.col }) ??
      new MetadataFile(path, claimed.type, claimed.fullName, source, undefined, appNameOf(claimed.type, claimed.fullName, () => childText))
    );
  }

  public element(name: string): XmlElement | undefined {
    return firstChild(this.current.root, name);
  }

  public elements(name: string): XmlElement[] {
    return childrenNamed(this.current.root, name);
  }

  /**
   * A working copy with the same text: plans edit copies, never the files they were loaded from.
   */
  public copy(): MetadataFile {
    const copy = MetadataFile.of(this.path, this.type, this.fullName, parseXml(this.text_));
    copy.packageDir = this.packageDir;
    copy.ignored = this.ignored;
    return copy;
  }

  /** Character data of the first element with this name (undefined when absent or not a leaf). */
  public text(name: string): string | undefined {
    return this.element(name)?.text;
  }

  /** Trimmed value of a leaf element, undefined when absent or empty. */
  public value(name: string): string | undefined {
    const t = this.text(name)?.trim();
    return t === undefined || t === '' ? undefined : t;
  }

  /** A boolean element: true, false, or undefined when absent or not a boolean. */
  public flag(name: string): boolean | undefined {
    const v = this.value(name)?.toLowerCase();
    return v === 'true' ? true : v === 'false' ? false : undefined;
  }

  public field(name: string): FieldDef | undefined {
    return fieldOf(this.type, name);
  }

  /** Sets a leaf element's value, adding the element in Salesforce's order when it is missing. */
  public set(name: string, value: string): void {
    const el = this.element(name);
    if (el) this.splice(setText(this.current, el, value));
    else this.splice(insertChild(this.current, this.current.root, { name, value }, alphabeticalOrder));
  }

  /** Sets the value of one leaf element (for example a child of a repeated element). */
  public setElement(el: XmlElement, value: string): void {
    this.splice(setText(this.current, el, value));
  }

  /** Adds an element (leaf or nested) after its last sibling of the same or an earlier name. */
  public add(el: NewElement, parent: XmlElement = this.current.root): void {
    this.splice(insertChild(this.current, parent, el, alphabeticalOrder));
  }

  /** Removes every element with this name; returns how many were removed. */
  public remove(name: string): number {
    let n = 0;
    for (let el = this.element(name); el; el = this.element(name)) {
      this.splice(removeElement(this.current, el));
      n++;
    }
    return n;
  }

  /** Removes one element. */
  public removeElement(el: XmlElement): void {
    this.splice(removeElement(this.current, el));
  }

  private splice(splice: { start: number; end: number; text: string }): void {
    this.tree = parseXml(applySplice(this.current.source, splice), PARSE_OPTIONS);
    this.text_ = this.tree.source;
  }
}

export const isProblem = (x: MetadataFile | Problem): x is Problem => !(x instanceof MetadataFile);
