/*
 * Writes new metadata files the way Salesforce does: XML declaration, the Metadata namespace,
 * 4-space indentation, LF, elements in alphabetical order, a final newline. Fields the target
 * API version rejects are left out.
 */
import { alphabeticalOrder, type NewElement, renderElement } from '../xml/edit.js';
import type { XmlDocument } from '../xml/parse.js';
import { fieldAvailability, METADATA_NAMESPACE, type TypeDef } from '../model/schema.js';

const STYLE = { eol: '\n', indentUnit: '    ' } as unknown as XmlDocument;

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
  const body = sorted.map(({ el }) => `${renderElement(STYLE, el, 1)}\n`).join('');
  return {
    text: `<?xml version="1.0" encoding="UTF-8"?>\n<${type.name} xmlns="${METADATA_NAMESPACE}">\n${body}</${type.name}>\n`,
    dropped: [...new Set(dropped)],
  };
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
