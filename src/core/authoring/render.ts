/*
 * Writes new metadata files the way `sf project retrieve` does: SDR builds source files with
 * fast-xml-parser's XMLBuilder (format, 4-space indent, attributes kept), after the XML declaration,
 * with numeric character references left as they are. Elements go in alphabetical order (as the
 * org returns them); fields the target API version rejects are left out.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { alphabeticalOrder, type NewElement } from '../xml/edit.js';
import { fieldAvailability, METADATA_NAMESPACE, type TypeDef } from '../model/schema.js';

/** SDR's JsToXml options (src/convert/streams.ts). */
const builder = new XMLBuilder({ format: true, indentBy: '    ', ignoreAttributes: false, suppressBooleanAttributes: false, cdataPropName: '__cdata' });
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

type Js = string | { [name: string]: Js | Js[] };

const toJs = (elements: readonly NewElement[]): { [name: string]: Js | Js[] } => {
  const out: { [name: string]: Js | Js[] } = {};
  for (const el of elements) {
    const value: Js = el.children && el.children.length > 0 ? toJs(el.children) : (el.value ?? '');
    const existing = out[el.name];
    if (existing === undefined) out[el.name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[el.name] = [existing, value];
  }
  return out;
};

/** A metadata file's text from its root name and (ordered) elements, as SDR writes it. */
export const buildMetadataXml = (rootName: string, elements: readonly NewElement[]): string => {
  const built = String(builder.build({ [rootName]: { '@_xmlns': METADATA_NAMESPACE, ...toJs(elements) } }));
  return XML_DECL + built.replace(/&amp;#(x?[\da-fA-F]+);/g, '&#$1;');
};

export type RenderedFile = { readonly text: string; readonly dropped: readonly string[] };

/** Renders a file of `type`; elements the API version does not accept are dropped and named. */
export const renderMetadataFile = (type: TypeDef, elements: readonly NewElement[], apiVersion: number | undefined): RenderedFile => {
  const dropped: string[] = [];
  const kept = elements.filter((el) => {
    const field = type.fields.find((f) => f.name === el.name);
    if (field && apiVersion !== undefined && fieldAvailability(field, apiVersion) === 'no') {
      dropped.push(el.name);
      return false;
    }
    return el.value !== undefined || (el.children?.length ?? 0) > 0;
  });
  const sorted = kept.map((el, i) => ({ el, i })).sort((a, b) => alphabeticalOrder(a.el.name, b.el.name) || a.i - b.i);
  return { text: buildMetadataXml(type.name, sorted.map(({ el }) => el)), dropped: [...new Set(dropped)] };
};

/** Salesforce API names: a letter first, then letters, digits and single underscores, no trailing underscore, at most 80 characters. */
export const apiNameProblem = (name: string): string | undefined => {
  if (name.length === 0) return 'it is empty';
  if (name.length > 80) return 'it is longer than 80 characters';
  if (!/^[A-Za-z]/.test(name)) return 'it must start with a letter';
  if (!/^[A-Za-z0-9_]+$/.test(name)) return 'it may hold only letters, digits and underscores';
  if (name.includes('__')) return 'it may not contain two underscores in a row';
  if (name.endsWith('_')) return 'it may not end with an underscore';
  return undefined;
};
