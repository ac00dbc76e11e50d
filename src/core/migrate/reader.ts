/*
 * Reads a Connected App element by element, validating each value the migration uses: a value
 * that cannot be mapped is an error naming the file, the element and its line. Every element read
 * is marked, so that what is left over can be reported as not migrated.
 */
import type { MetadataFile } from '../model/file.js';
import type { XmlElement } from '../xml/parse.js';
import type { MigrationError } from './types.js';

/** A leaf value with where it was read. */
export type Leaf = {
  readonly value: string;
  /** Element path, e.g. oauthConfig/isAdminApproved. */
  readonly path: string;
  readonly line: number;
  readonly col: number;
};

export type BoolLeaf = Leaf & { readonly bool: boolean };
export type IntLeaf = Leaf & { readonly int: number };

/** Elements of a Connected App that repeat. */
const REPEATED = new Set(['attributes', 'ipRanges', 'permissionSetName', 'profileName', 'scopes', 'locations', 'options']);

export class ConnectedAppReader {
  public readonly errors: MigrationError[] = [];
  private readonly handled = new Set<XmlElement>();
  private readonly parents = new Map<XmlElement, string>();
  /** The tree, held for the reader's lifetime: elements are tracked by identity (MetadataFile may release and re-parse its tree). */
  public readonly root: XmlElement;

  public constructor(public readonly file: MetadataFile) {
    this.root = file.root;
  }

  /** A structure (oauthConfig, samlConfig, …); its children are read one by one. */
  public group(name: string, parent: XmlElement = this.root): XmlElement | undefined {
    const els = parent.children.filter((c) => c.name === name);
    const el = els[0];
    if (!el) return undefined;
    this.handled.add(el);
    this.parents.set(el, this.pathOf(parent, name));
    if (els.length > 1) this.fail(els[1] as XmlElement, this.pathOf(parent, name), `${this.pathOf(parent, name)} appears ${els.length} times; it takes one value`);
    if (el.text !== undefined && el.text.trim() !== '') {
      this.fail(el, this.pathOf(parent, name), `${this.pathOf(parent, name)} holds text, but it is a structure of elements`);
      return undefined;
    }
    return el;
  }

  /** Every element of a repeated structure (ipRanges, attributes). */
  public groups(name: string, parent: XmlElement = this.root): XmlElement[] {
    const els = parent.children.filter((c) => c.name === name);
    for (const el of els) {
      this.handled.add(el);
      this.parents.set(el, this.pathOf(parent, name));
    }
    return els;
  }

  /** A single text value; undefined when absent or empty. */
  public leaf(name: string, parent: XmlElement = this.root): Leaf | undefined {
    const els = parent.children.filter((c) => c.name === name);
    const path = this.pathOf(parent, name);
    for (const el of els) this.handled.add(el);
    const el = els[0];
    if (!el) return undefined;
    if (els.length > 1 && !REPEATED.has(name)) {
      this.fail(els[1] as XmlElement, path, `${path} appears ${els.length} times; it takes one value`);
    }
    if (el.text === undefined) {
      this.fail(el, path, `${path} holds elements, but it takes a single value`);
      return undefined;
    }
    const value = el.text.trim();
    return value === '' ? undefined : { value, path, line: el.line, col: el.col };
  }

  /** Every value of a repeated leaf (scopes, profileName, …), empty ones skipped. */
  public list(name: string, parent: XmlElement = this.root): Leaf[] {
    const path = this.pathOf(parent, name);
    const out: Leaf[] = [];
    for (const el of parent.children.filter((c) => c.name === name)) {
      this.handled.add(el);
      if (el.text === undefined) {
        this.fail(el, path, `${path} holds elements, but it takes a single value`);
        continue;
      }
      const value = el.text.trim();
      if (value !== '') out.push({ value, path, line: el.line, col: el.col });
    }
    return out;
  }

  public bool(name: string, parent: XmlElement = this.root): BoolLeaf | undefined {
    const leaf = this.leaf(name, parent);
    if (!leaf) return undefined;
    const v = leaf.value.toLowerCase();
    if (v !== 'true' && v !== 'false') {
      this.failAt(leaf, `${leaf.path} is "${leaf.value}", not a boolean (true or false)`);
      return undefined;
    }
    return { ...leaf, bool: v === 'true' };
  }

  public int(name: string, parent: XmlElement = this.root, min = 0): IntLeaf | undefined {
    const leaf = this.leaf(name, parent);
    if (!leaf) return undefined;
    if (!/^\d{1,9}$/.test(leaf.value) || Number(leaf.value) < min) {
      this.failAt(leaf, `${leaf.path} is "${leaf.value}", not a whole number${min > 0 ? ` of at least ${min}` : ''}`);
      return undefined;
    }
    return { ...leaf, int: Number(leaf.value) };
  }

  public failAt(leaf: Pick<Leaf, 'path' | 'line' | 'col'>, message: string, action?: string): void {
    this.errors.push({
      code: 'MalformedValue',
      path: this.file.path,
      line: leaf.line,
      col: leaf.col,
      element: leaf.path,
      message,
      ...(action ? { action } : {}),
    });
  }

  /** Elements nobody read: the topmost of each unread subtree, in document order. */
  public unread(): Array<{ path: string; line: number; el: XmlElement }> {
    const out: Array<{ path: string; line: number; el: XmlElement }> = [];
    const walk = (el: XmlElement, path: string): void => {
      for (const c of el.children) {
        const p = path === '' ? c.name : `${path}/${c.name}`;
        if (!this.handled.has(c)) out.push({ path: p, line: c.line, el: c });
        else if (c.children.length > 0) walk(c, p);
      }
    };
    walk(this.root, '');
    return out;
  }

  private pathOf(parent: XmlElement, name: string): string {
    const p = this.parents.get(parent);
    return p === undefined ? name : `${p}/${name}`;
  }

  private fail(el: XmlElement, path: string, message: string): void {
    this.failAt({ path, line: el.line, col: el.col }, message);
  }
}
