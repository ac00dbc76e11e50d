/* Schema rules: elements, value types, enums, required elements and API versions, for every file of an app. */
import type { MetadataFile } from '../../model/file.js';
import { canonicalEnumValue, ECA_TYPES, fieldAvailability, type FieldDef, METADATA_NAMESPACE, type TypeDef } from '../../model/schema.js';
import { ECA_FILE_KINDS } from '../../project/inventory.js';
import type { XmlElement } from '../../xml/parse.js';
import type { NewFinding, Report, Rule, RuleContext, Unit } from '../types.js';
import { at, closest, DOCS } from '../util.js';

/** Connected App elements sometimes copied into ECA files, and where their ECA equivalent lives. */
const CONNECTED_APP_FIELDS: Readonly<Record<string, string>> = {
  ipRelaxation: 'ipRelaxationPolicyType in the OAuth policies (values Enforce, Enforce_RelaxRefresh, Bypass_2factor, Bypass)',
  refreshTokenPolicy: 'refreshTokenPolicyType, refreshTokenValidityPeriod and refreshTokenValidityUnit in the OAuth policies',
  isAdminApproved: 'permittedUsersPolicyType AdminApprovedPreAuthorized in the OAuth policies',
  permissionSetName: 'commaSeparatedPermissionSet in the OAuth policies',
  profileName: 'commaSeparatedProfile in the OAuth policies',
  scopes: 'commaSeparatedOauthScopes in the OAuth settings (one comma-separated list)',
  ipRanges: 'trustedIpRanges (startIpAddress, endIpAddress) in the OAuth settings',
  oauthConfig: 'the global OAuth settings and OAuth settings files',
  oauthPolicy: 'the OAuth policies file',
  sessionPolicy: 'requiredSessionLevel, policyAction and sessionTimeoutInMinutes in the OAuth policies',
  sessionTimeout: 'sessionTimeoutInMinutes in the OAuth policies',
  sessionLevel: 'requiredSessionLevel in the OAuth policies',
  oauthClientCredentialUser: 'clientCredentialsFlowUser in the OAuth policies',
  isCodeCredentialEnabled: 'isCodeCredFlowEnabled in the global OAuth settings',
  attributes: 'customAttributes in the OAuth settings or policies',
};

type Kind = 'unknown' | 'enum' | 'type' | 'required' | 'version' | 'connected-app' | 'duplicate' | 'internal' | 'namespace';

const otherTypeWith = (name: string, type: TypeDef): TypeDef | undefined => ECA_TYPES.find((t) => t !== type && t.fields.some((f) => f.name === name));

/** Field definitions by name (the first of a name, as Array.find would give), built once per list: every element of every file is looked up. */
const FIELD_INDEX = new WeakMap<readonly FieldDef[], ReadonlyMap<string, FieldDef>>();
const fieldNamed = (fields: readonly FieldDef[], name: string): FieldDef | undefined => {
  let index = FIELD_INDEX.get(fields);
  if (!index) {
    const map = new Map<string, FieldDef>();
    for (const f of fields) if (!map.has(f.name)) map.set(f.name, f);
    FIELD_INDEX.set(fields, map);
    index = map;
  }
  return index.get(name);
};

const versionText = (v: number | undefined): string => (v === undefined ? '' : v.toFixed(1));

/** Checks one element (and its children) against its field definition. */
const checkElement = (
  kind: Kind,
  file: MetadataFile,
  el: XmlElement,
  field: FieldDef,
  index: number,
  parent: XmlElement | undefined,
  ctx: RuleContext,
  report: (f: Omit<NewFinding, 'file'>) => void
): void => {
  const path = parent ? `${parent.name}/${el.name}` : el.name;
  const edit = (value: string): { op: 'set'; element: string; value: string; index?: number; child?: string } =>
    parent ? { op: 'set', element: parent.name, index, child: el.name, value } : { op: 'set', element: el.name, value };
  if (kind === 'version' && ctx.apiVersion !== undefined && !parent) {
    const availability = fieldAvailability(field, ctx.apiVersion);
    if (availability === 'no') {
      const tooNew = field.until === undefined || ctx.apiVersion <= field.until;
      const replacement = field.replacedBy;
      const value = el.text?.trim();
      report({
        at: at(el),
        message: tooNew
          ? `${el.name} is not available at API ${versionText(ctx.apiVersion)} (sourceApiVersion); it needs ${versionText(field.since ?? field.wsdlSince)}`
          : `${el.name} is not valid after API ${versionText(field.until)}; sourceApiVersion is ${versionText(ctx.apiVersion)}${replacement ? `: use ${replacement}` : ''}`,
        actual: versionText(ctx.apiVersion),
        ...(tooNew
          ? { action: `Raise sourceApiVersion to ${versionText(field.since ?? field.wsdlSince)} or later, or remove ${el.name}.` }
          : {
              fix: {
                path: file.path,
                edits:
                  replacement && value !== undefined && !file.element(replacement)
                    ? [
                        { op: 'set', element: replacement, value },
                        { op: 'remove', element: el.name },
                      ]
                    : [{ op: 'remove', element: el.name }],
                description: replacement ? `replace ${el.name} with ${replacement}` : `remove ${el.name}, which API ${versionText(ctx.apiVersion)} rejects`,
                // A rename keeps the value; removing a value is a change someone must accept.
                class: replacement && value !== undefined && !file.element(replacement) ? 'safe' : 'breaking',
              },
            }),
      });
    } else if (availability === 'uncertain' && field.since !== undefined && ctx.apiVersion < field.since) {
      report({
        at: at(el),
        severity: 'warning',
        message: `${el.name} is documented from API ${versionText(field.since)}; sourceApiVersion is ${versionText(ctx.apiVersion)} (the WSDL has it from ${versionText(field.wsdlSince)})`,
      });
    }
  }
  if (kind === 'internal' && field.internal && !parent) {
    report({ at: at(el), message: `${el.name} is for Salesforce's internal use; do not set it`, fix: { path: file.path, edits: [{ op: 'remove', element: el.name }], description: `remove ${el.name}`, class: 'breaking' } });
  }
  if (field.type === 'complex') {
    if (el.text !== undefined && el.text.trim() !== '' && field.children && field.children.length > 0) {
      if (kind === 'type') report({ at: at(el), message: `${path} holds text, but it is a structure of elements (${field.children.map((c) => c.name).join(', ')})` });
      return;
    }
    if (!field.children || field.children.length === 0) return; // not modelled: kept as is
    const seen = new Map<string, number>();
    for (const child of el.children) {
      const cf = fieldNamed(field.children, child.name);
      if (!cf) {
        if (kind === 'unknown') {
          const s = closest(child.name, field.children.map((c) => c.name));
          report({ at: at(child), message: `${path}/${child.name} is not an element of ${el.name}${s ? ` (did you mean ${s}?)` : ''}`, expected: s });
        }
        continue;
      }
      seen.set(child.name, (seen.get(child.name) ?? 0) + 1);
      checkElement(kind, file, child, cf, index, el, ctx, report);
    }
    if (kind === 'required') {
      for (const cf of field.children) {
        if (cf.required && !seen.has(cf.name)) report({ at: at(el), message: `${path} has no ${cf.name}`, expected: cf.name });
      }
    }
    return;
  }
  if (el.text === undefined) {
    if (kind === 'type') report({ at: at(el), message: `${path} holds elements, but it takes a single ${field.type} value` });
    return;
  }
  const raw = el.text;
  const value = raw.trim();
  if (kind === 'type' && field.type === 'boolean' && raw !== 'true' && raw !== 'false') {
    const lower = value.toLowerCase();
    const fixable = lower === 'true' || lower === 'false';
    report({
      at: at(el),
      message: `${path} is "${value}", not a boolean (true or false)`,
      actual: value,
      expected: fixable ? lower : 'true or false',
      ...(fixable ? { fix: { path: file.path, edits: [edit(lower)], description: `write ${path} as ${lower}`, class: 'safe' } } : {}),
    });
  }
  if (kind === 'type' && field.type === 'int') {
    if (!/^-?\d+$/.test(value)) report({ at: at(el), message: `${path} is "${value}", not a whole number`, actual: value });
    else if (field.name === 'idTokenValidityInMinutes' && Number(value) === 0) {
      // The official sample writes 0 (below the documented 1–720): read as unset, the default (2) applies.
      report({ at: at(el), severity: 'warning', message: `${path} is 0, outside ${field.min ?? '…'}–${field.max ?? '…'}: taken as unset (default 2 minutes)`, actual: value, expected: `${field.min ?? ''}–${field.max ?? ''}` });
    } else if ((field.min !== undefined && Number(value) < field.min) || (field.max !== undefined && Number(value) > field.max)) {
      report({ at: at(el), message: `${path} is ${value}, outside ${field.min ?? '…'}–${field.max ?? '…'}`, actual: value, expected: `${field.min ?? ''}–${field.max ?? ''}` });
    }
  }
  if (kind === 'internal' && field.type === 'enum' && field.internalValues?.includes(value)) {
    const written = (field.values ?? []).filter((v) => !field.internalValues?.includes(v));
    report({ at: at(el), message: `${path} ${value} is for Salesforce's internal use; source sets ${written.join(' or ')}`, actual: value, expected: written.join(' or ') });
  }
  if (kind === 'enum' && field.type === 'enum' && !field.secret) {
    const values = field.values ?? [];
    if (field.unconfirmedValues?.includes(raw)) {
      report({ at: at(el), severity: 'info', message: `${path} ${raw} is known only from @salesforce/types: the Metadata API page does not list it; check that the org accepts it`, actual: raw });
      return;
    }
    if (values.includes(raw)) return;
    const canonical = canonicalEnumValue(field, value);
    const caseOnly = values.find((v) => v.toLowerCase() === value.toLowerCase());
    if (canonical !== undefined && caseOnly !== undefined) {
      // Accepted by the server (case-insensitive field): only the documented spelling is suggested.
      report({
        at: at(el),
        severity: canonical === raw ? undefined : 'info',
        message: `${path} is written ${value}; the documented spelling is ${canonical}`,
        actual: value,
        expected: canonical,
        fix: { path: file.path, edits: [edit(canonical)], description: `write ${path} as ${canonical}`, class: 'safe' },
      });
      return;
    }
    const suggestion = caseOnly ?? closest(value, values);
    report({
      at: at(el),
      message: `${path} is "${value}", not one of ${values.filter((v) => !field.internalValues?.includes(v)).join(', ')}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      actual: value,
      expected: suggestion,
      ...(caseOnly ? { fix: { path: file.path, edits: [edit(caseOnly)], description: `write ${path} as ${caseOnly}`, class: 'safe' } } : {}),
    });
  }
};

/**
 * What every schema rule reads of a file's top-level elements, worked out once per parsed tree (nine rules read it):
 * each child's field definition, its index among the children of its name, how many children of its name with a
 * field come up to it (itself included), and those counts for the whole file.
 */
type Shape = {
  readonly type: TypeDef;
  readonly fields: ReadonlyArray<FieldDef | undefined>;
  readonly indexes: readonly number[];
  readonly occurrences: readonly number[];
  readonly counts: ReadonlyMap<string, number>;
};
/**
 * The shapes of the unit being checked, by root element: the schema rules run one after the other on one unit, so the
 * cache is begun anew for each unit. (Not a WeakMap keyed by the trees: the scavenger keeps young keys of a WeakMap
 * alive, which promoted every parsed tree to the old generation: 55 MB of garbage a check at 10,000 apps.)
 */
let shapesUnit: Unit | undefined;
let SHAPES = new Map<XmlElement, Shape>();
const shapesFor = (unit: Unit): void => {
  if (unit === shapesUnit) return;
  shapesUnit = unit;
  SHAPES = new Map();
};
const shapeOf = (type: TypeDef, root: XmlElement): Shape => {
  const known = SHAPES.get(root);
  if (known && known.type === type) return known;
  const counts = new Map<string, number>();
  const seen = new Map<string, number>();
  const fields: Array<FieldDef | undefined> = [];
  const indexes: number[] = [];
  const occurrences: number[] = [];
  for (const el of root.children) {
    const field = fieldNamed(type.fields, el.name);
    const index = seen.get(el.name) ?? 0;
    seen.set(el.name, index + 1);
    fields.push(field);
    indexes.push(index);
    if (field) {
      const n = (counts.get(el.name) ?? 0) + 1;
      counts.set(el.name, n);
      occurrences.push(n);
    } else occurrences.push(0);
  }
  const shape = { type, fields, indexes, occurrences, counts };
  SHAPES.set(root, shape);
  return shape;
};

const checkFile = (kind: Kind, file: MetadataFile, ctx: RuleContext, report: Report): void => {
  const type = file.type;
  const r = (f: Omit<NewFinding, 'file'>): void => report({ ...f, file });
  if (kind === 'namespace') {
    const ns = file.root.attributes.xmlns;
    if (ns !== METADATA_NAMESPACE) {
      r({ at: at(file.root), message: `the root element ${ns === undefined ? 'has no xmlns' : `has xmlns="${ns}"`}; Metadata API files use ${METADATA_NAMESPACE}`, expected: METADATA_NAMESPACE });
    }
    return;
  }
  if (kind === 'version' && ctx.apiVersion !== undefined && ctx.apiVersion < type.since) {
    r({
      at: at(file.root),
      severity: type.unconfirmed ? 'warning' : undefined,
      message: `${type.name} (.${type.suffix}) needs API ${versionText(type.since)}; sourceApiVersion is ${versionText(ctx.apiVersion)}`,
      actual: versionText(ctx.apiVersion),
      expected: `${versionText(type.since)} or later`,
      action: `Raise sourceApiVersion to ${versionText(type.since)} or later, or remove the file: a deploy at ${versionText(ctx.apiVersion)} rejects the type.`,
    });
  }
  const children = file.root.children;
  const shape = shapeOf(type, file.root);
  const counts = shape.counts;
  for (let i = 0; i < children.length; i++) {
    const el = children[i] as XmlElement;
    const field = shape.fields[i];
    const index = shape.indexes[i] as number;
    const occurrence = shape.occurrences[i] as number;
    if (!field) {
      if (type.openContent) continue; // fields not documented: whatever the org writes is kept
      const ca = type.kind !== 'connectedApp' ? CONNECTED_APP_FIELDS[el.name] : undefined;
      if (kind === 'connected-app' && ca) {
        r({ at: at(el), message: `${el.name} is a Connected App element; an External Client App says it with ${ca}`, actual: el.name });
      }
      if (kind === 'unknown' && !ca) {
        const elsewhere = otherTypeWith(el.name, type);
        const suggestion = elsewhere ? undefined : closest(el.name, type.fields.map((f) => f.name));
        r({
          at: at(el),
          severity: elsewhere || suggestion ? 'error' : 'warning',
          message: elsewhere
            ? `${el.name} belongs in the ${elsewhere.title} file (.${elsewhere.suffix}-meta.xml), not the ${type.title}`
            : `${el.name} is not an element of ${type.name}${suggestion ? ` (did you mean ${suggestion}?)` : ' known to this plugin: kept as is; the org may reject it'}`,
          actual: el.name,
          expected: suggestion,
        });
      }
      continue;
    }
    if (kind === 'duplicate' && !field.repeated && occurrence === 2) {
      // Which value wins is not documented: removing a copy is safe only when both say the same.
      const first = file.root.children.find((c) => c.name === el.name);
      const same = first !== undefined && first.text !== undefined && el.text !== undefined && first.text.trim() === el.text.trim();
      r({
        at: at(el),
        message: `${el.name} appears more than once; it takes one value${same ? ' (both say the same)' : ''}`,
        fix: { path: file.path, edits: [{ op: 'remove', element: el.name, index: 1 }], description: `remove the second ${el.name}`, class: same ? 'safe' : 'breaking' },
      });
    }
    if (kind === 'required' || kind === 'unknown' || kind === 'type' || kind === 'enum' || kind === 'version' || kind === 'internal') {
      checkElement(kind, file, el, field, index, undefined, ctx, r);
    }
    if (kind === 'duplicate' && field.repeated && field.max !== undefined && occurrence === field.max + 1) {
      r({ at: at(el), message: `more than ${field.max} ${el.name}`, expected: `at most ${field.max}` });
    }
  }
  if (kind === 'required') {
    for (const f of type.fields) {
      if (!f.required || counts.has(f.name)) continue;
      r({
        at: at(file.root),
        severity: f.unconfirmed ? 'warning' : undefined,
        message: `${type.name} has no ${f.name}${f.unconfirmed ? ' (Salesforce\'s help marks it required; the API may reject the file)' : ''}`,
        expected: f.name,
      });
    }
  }
};

const schemaRule = (id: string, name: string, kind: Kind, severity: Rule['severity'], summary: string, rationale: string, fixClass: Rule['fixClass']): Rule => ({
  id,
  name,
  severity,
  category: 'schema',
  summary,
  rationale,
  helpUri: DOCS.policies,
  appliesTo: 'eca',
  fixable: fixClass !== 'manual',
  fixClass,
  check: (unit: Unit, ctx: RuleContext, report: Report) => {
    if (unit.kind !== 'eca') return;
    shapesFor(unit);
    for (const k of ECA_FILE_KINDS) for (const file of unit.app.files[k]) checkFile(kind, file, ctx, report);
  },
});

export const schemaRules: readonly Rule[] = [
  schemaRule('ECA-SCH-001', 'known-elements', 'unknown', 'error', 'Every element is one the file\'s type has (or is kept as unknown with a warning).', 'A misspelled or misplaced element fails the deploy, or silently does nothing.', 'manual'),
  schemaRule('ECA-SCH-002', 'valid-enum-values', 'enum', 'error', 'Enumerated values are spelled as Salesforce documents them.', 'Connected App spellings (ENFORCE, infinite) and typos fail the deploy.', 'safe'),
  schemaRule('ECA-SCH-003', 'valid-value-types', 'type', 'error', 'Booleans are true or false; numbers are whole numbers in range.', 'The Metadata API rejects True, yes or 30d where it expects true or 30.', 'safe'),
  schemaRule('ECA-SCH-004', 'required-elements', 'required', 'error', 'Required elements are present.', 'Every ECA file needs <externalClientApplication>; ranges need their addresses; attributes need a key and a formula.', 'manual'),
  schemaRule('ECA-SCH-005', 'api-version', 'version', 'error', 'Every element is valid at the project\'s sourceApiVersion.', 'Fields come and go with API versions (isNamedUserJwtEnabled in the policies only from 61 to 63); a field the version does not know fails the deploy.', 'breaking'),
  schemaRule('ECA-SCH-006', 'no-connected-app-elements', 'connected-app', 'error', 'No Connected App elements are put into ECA files.', 'Templates copied from Connected Apps put ipRelaxation or refreshTokenPolicy into ECA files, where they mean nothing and fail the deploy.', 'manual'),
  schemaRule('ECA-SCH-007', 'no-duplicate-elements', 'duplicate', 'error', 'Single-valued elements appear once; lists stay within their maximum.', 'A second value is either ignored or rejected; which one wins is not documented.', 'breaking'),
  schemaRule('ECA-SCH-008', 'no-internal-elements', 'internal', 'warning', 'Elements for Salesforce\'s internal use are not set.', 'managedType, and the distributionState values Managed and AutoInstalled (API 68), are internal; setting them is unsupported.', 'breaking'),
  schemaRule('ECA-SCH-009', 'metadata-namespace', 'namespace', 'error', 'The root element is in the Metadata API namespace.', 'Without xmlns="http://soap.sforce.com/2006/04/metadata" the Metadata API does not recognise the file.', 'manual'),
];
