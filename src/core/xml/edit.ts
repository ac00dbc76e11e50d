/*
 * Minimal-diff edits on XML source text. Every operation returns a splice (start, end, text) that
 * touches only the lines it must, in the file's own indentation and line endings.
 */
import { escapeXmlText, type XmlDocument, type XmlElement } from './parse.js';

export type Splice = { readonly start: number; readonly end: number; readonly text: string };

/** An element to insert: a leaf with a value, or a parent with child elements. */
export type NewElement = {
  readonly name: string;
  readonly value?: string;
  readonly children?: readonly NewElement[];
};

/** Orders sibling element names the way Salesforce writes them (alphabetical, case-insensitive). */
export type NameOrder = (a: string, b: string) => number;

export const alphabeticalOrder: NameOrder = (a, b) => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

export const applySplice = (source: string, splice: Splice): string =>
  source.slice(0, splice.start) + splice.text + source.slice(splice.end);

const lineStart = (s: string, offset: number): number => s.lastIndexOf('\n', offset - 1) + 1;

/** Offset of the end of the line holding `offset` (before its CR LF or LF). */
const lineEnd = (s: string, offset: number): number => {
  const nl = s.indexOf('\n', offset);
  if (nl < 0) return s.length;
  return nl > 0 && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
};

/** Offset just past the line break that ends the line holding `offset` (or the end of the text). */
const nextLineStart = (s: string, offset: number): number => {
  const nl = s.indexOf('\n', offset);
  return nl < 0 ? s.length : nl + 1;
};

/** Escaped character data with its line breaks written the way the file writes them. */
const escapeValue = (doc: XmlDocument, value: string): string => escapeXmlText(value).replace(/\r?\n/g, doc.eol);

const onlySpace = (s: string, from: number, to: number): boolean => /^[ \t]*$/.test(s.slice(from, to));
const onlySpaceAndComments = (s: string, from: number, to: number): boolean =>
  /^[ \t]*(<!--[\s\S]*?-->[ \t]*)*$/.test(s.slice(from, to));

export const renderElement = (doc: XmlDocument, el: NewElement, depth: number): string => {
  const indent = doc.indentUnit.repeat(depth);
  if (el.children && el.children.length > 0) {
    const inner = el.children.map((c) => renderElement(doc, c, depth + 1)).join(doc.eol);
    return `${indent}<${el.name}>${doc.eol}${inner}${doc.eol}${indent}</${el.name}>`;
  }
  return `${indent}<${el.name}>${escapeValue(doc, el.value ?? '')}</${el.name}>`;
};

/** Replaces the character data of a leaf element. */
export const setText = (doc: XmlDocument, el: XmlElement, value: string): Splice => {
  if (el.text === undefined) throw new Error(`<${el.name}> has child elements; it holds no single value`);
  // Same value: keep the bytes (CDATA, &#…; references, unescaped quotes) as written.
  if (el.text === value) return { start: el.openEnd, end: el.openEnd, text: '' };
  if (el.selfClosing) {
    const tag = doc.source.slice(el.start, el.openEnd - 2).trimEnd();
    return { start: el.start, end: el.end, text: `${tag}>${escapeValue(doc, value)}</${el.name}>` };
  }
  return { start: el.openEnd, end: el.closeStart, text: escapeValue(doc, value) };
};

/** Removes an element; when it stands alone on its lines, the lines go with it. */
export const removeElement = (doc: XmlDocument, el: XmlElement): Splice => {
  const s = doc.source;
  const ls = lineStart(s, el.start);
  const le = lineEnd(s, el.end);
  if (onlySpace(s, ls, el.start) && onlySpace(s, el.end, le)) {
    return { start: ls, end: nextLineStart(s, el.end), text: '' };
  }
  return { start: el.start, end: el.end, text: '' };
};

/**
 * Inserts a child element where a retrieved file would have it: after the last sibling that sorts
 * before or equal to it (so repeated elements keep their order), on a line of its own.
 */
export const insertChild = (
  doc: XmlDocument,
  parent: XmlElement,
  el: NewElement,
  order: NameOrder = alphabeticalOrder
): Splice => {
  const s = doc.source;
  const depth = parent.depth + 1;
  const rendered = renderElement(doc, el, depth);
  let anchor: XmlElement | undefined;
  for (const child of parent.children) if (order(child.name, el.name) <= 0) anchor = child;
  if (anchor) {
    const le = lineEnd(s, anchor.end);
    const at = onlySpaceAndComments(s, anchor.end, le) ? le : anchor.end;
    return { start: at, end: at, text: doc.eol + rendered };
  }
  const first = parent.children[0];
  if (first) {
    const ls = lineStart(s, first.start);
    if (onlySpace(s, ls, first.start)) return { start: ls, end: ls, text: rendered + doc.eol };
    return { start: first.start, end: first.start, text: rendered.trimStart() + doc.eol + doc.indentUnit.repeat(depth) };
  }
  const closingIndent = doc.indentUnit.repeat(parent.depth);
  if (parent.selfClosing) {
    const tag = s.slice(parent.start, parent.openEnd - 2).trimEnd();
    return {
      start: parent.start,
      end: parent.end,
      text: `${tag}>${doc.eol}${rendered}${doc.eol}${closingIndent}</${parent.name}>`,
    };
  }
  if (/^\s*$/.test(s.slice(parent.openEnd, parent.closeStart))) {
    return {
      start: parent.openEnd,
      end: parent.closeStart,
      text: `${doc.eol}${rendered}${doc.eol}${closingIndent}`,
    };
  }
  // Only comments inside: add the element on its own line before the closing tag's line.
  const ls = lineStart(s, parent.closeStart);
  if (ls > parent.openEnd && onlySpace(s, ls, parent.closeStart)) return { start: ls, end: ls, text: rendered + doc.eol };
  return { start: parent.closeStart, end: parent.closeStart, text: doc.eol + rendered + doc.eol + closingIndent };
};
