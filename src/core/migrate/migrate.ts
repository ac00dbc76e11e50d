/*
 * Migrates one Connected App to External Client App files: maps every field, renders the files the
 * Salesforce way for the API version, optionally hardens them with the fixes of `check`, runs
 * `check` on the result and compares the policies. Pure: text in, files and a report out.
 */
import { apiNameProblem, renderMetadataFile } from '../authoring/render.js';
import { isProblem, MetadataFile } from '../model/file.js';
import {
  ExternalClientApplication,
  ExtlClntAppConfigurablePolicies,
  ExtlClntAppGlobalOauthSettings,
  ExtlClntAppNotificationSettings,
  ExtlClntAppOauthConfigurablePolicies,
  ExtlClntAppOauthSettings,
  fieldOf,
  type TypeDef,
} from '../model/schema.js';
import { buildInventory, type EcaApp, type Inventory } from '../project/inventory.js';
import { runCheck } from '../rules/engine.js';
import { filesByPath } from '../rules/fix.js';
import { planEdits } from '../change/plan.js';
import type { Finding, RuleContext } from '../rules/types.js';
import { ExtlClntAppCanvasSettings, ExtlClntAppSamlConfigurablePolicies } from './extraTypes.js';
import { type CaPolicy, fullNames, mapConnectedApp } from './mapping.js';
import { comparePolicies, ecaPolicyOf } from './parity.js';
import { ConnectedAppReader } from './reader.js';
import { findReferences, type Reference, relinkText } from './references.js';
import type {
  ConnectedAppInput,
  FieldMapping,
  HardeningChange,
  MigrateOptions,
  Migration,
  MigrationError,
  MigrationReport,
  OutputKind,
  PlannedFile,
  PolicyComparison,
  RelinkChange,
  ReportedFinding,
  SetupAction,
} from './types.js';

export const OUTPUT_TYPES: Readonly<Record<OutputKind, TypeDef>> = {
  header: ExternalClientApplication,
  globalOauth: ExtlClntAppGlobalOauthSettings,
  oauth: ExtlClntAppOauthSettings,
  oauthPolicies: ExtlClntAppOauthConfigurablePolicies,
  policies: ExtlClntAppConfigurablePolicies,
  samlPolicies: ExtlClntAppSamlConfigurablePolicies,
  canvas: ExtlClntAppCanvasSettings,
  notifications: ExtlClntAppNotificationSettings,
};

const OUTPUT_ORDER: readonly OutputKind[] = ['header', 'globalOauth', 'oauth', 'oauthPolicies', 'policies', 'samlPolicies', 'canvas', 'notifications'];

/** Kinds `check` reads (the others are not in the plugin's schema yet). */
const CHECKED: ReadonlySet<OutputKind> = new Set(['header', 'globalOauth', 'oauth', 'oauthPolicies', 'policies', 'samlPolicies', 'canvas', 'notifications']);

/** The first version the ECA types exist in. */
export const MIN_API_VERSION = 59;

const baseName = (path: string): string => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
const dirName = (path: string): string => {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '' : path.slice(0, i);
};

/**
 * Where the ECA folders go by default: next to the connectedApps folder holding the Connected App
 * (so <pkg>/main/default/connectedApps/X → <pkg>/main/default), else the package directory, else
 * the Connected App's own folder. Paths are display paths ('/'-separated).
 */
export const defaultBaseDir = (connectedAppPath: string, packageDir: string | undefined): string => {
  const dir = dirName(connectedAppPath);
  if (baseName(dir) === 'connectedApps') return dirName(dir);
  return packageDir ?? dir;
};

export const outputPath = (baseDir: string, kind: OutputKind, fullName: string): string => {
  const type = OUTPUT_TYPES[kind];
  return `${baseDir === '' || baseDir === '.' ? '' : `${baseDir.replace(/\/+$/, '')}/`}${type.directory}/${fullName}.${type.suffix}-meta.xml`;
};

const emptyReport = (input: ConnectedAppInput, name: string, eca: string, apiVersion: number | undefined, errors: MigrationError[]): Migration => ({
  files: [],
  relinks: [],
  report: {
    connectedApp: name,
    source: input.path,
    eca,
    apiVersion: apiVersion === undefined ? null : apiVersion.toFixed(1),
    files: [],
    fields: [],
    notMigrated: [],
    policies: [],
    findings: [],
    errors,
    needsAcceptance: false,
    references: [],
    setupAction: { eligible: 'unknown', blockers: [] },
  },
});

/**
 * Whether Salesforce's Setup action would take the app, as far as the files show. Its documented refusals: a
 * packaged app, the username-password flow, user provisioning, a custom Apex handler (plugin), canvas, dynamic
 * client registration, Triple DES SAML encryption, invalid push settings. The files cannot show a packaged app or
 * the flows in use, so "unknown" is the best they can say.
 */
const setupActionOf = (reader: ConnectedAppReader, references: readonly Reference[]): SetupAction => {
  const has = (path: string): XmlElementLike | undefined => {
    let el: XmlElementLike | undefined = reader.root;
    for (const part of path.split('/')) el = el?.children.find((c) => c.name === part);
    return el;
  };
  const blockers: string[] = [];
  if (has('plugin')) blockers.push('a custom Apex plugin (plugin)');
  if (has('canvasConfig')) blockers.push('canvas settings (canvasConfig)');
  if (has('samlConfig/encryptionType')?.text?.trim().toLowerCase() === 'triple_des') blockers.push('Triple DES SAML encryption');
  const provisioning = references.filter((r) => r.kind === 'user-provisioning');
  if (provisioning.length > 0) blockers.push(`user provisioning (${provisioning.map((r) => r.path).join(', ')})`);
  return { eligible: blockers.length > 0 ? 'no' : 'unknown', blockers };
};

type XmlElementLike = { readonly name: string; readonly text: string | undefined; readonly children: readonly XmlElementLike[] };

/** The token-exchange handlers that enable the Connected App, compared before and after (--relink adds the ECA's enablement). */
const tokenExchangeDimension = (references: readonly Reference[], eca: string): PolicyComparison | undefined => {
  const handlers = references.filter((r) => r.kind === 'token-exchange');
  if (handlers.length === 0) return undefined;
  const names = handlers.map((r) => `${r.fullName}${r.executionUser ? ` (runs as ${r.executionUser})` : ''}`).join(', ');
  const open = handlers.filter((r) => r.how === 'relink' && !r.written);
  if (open.length === 0) {
    return {
      dimension: 'token-exchange-handler',
      connectedApp: `enabled by ${names}`,
      eca: `enabled by ${handlers.map((r) => r.fullName).join(', ')}${handlers.some((r) => r.written) ? ' (enablement added with --relink)' : ''}`,
      change: 'same',
      blocking: false,
      hardened: false,
    };
  }
  return {
    dimension: 'token-exchange-handler',
    connectedApp: `enabled by ${names}`,
    eca: `no handler enables ${eca}: ${open.map((r) => r.fullName).join(', ')} still name${open.length === 1 ? 's' : ''} the Connected App`,
    change: 'lost',
    blocking: true,
    hardened: false,
    note: 'the token-exchange flow fails until a handler enables the ECA: pass --relink (or add the enablement in Setup)',
  };
};

const inventoryOf = (files: readonly PlannedFile[], texts: ReadonlyMap<string, string>, packageDir: string | undefined): Inventory =>
  buildInventory(files.filter((f) => CHECKED.has(f.kind)).map((f) => ({ path: f.path, text: texts.get(f.path) ?? f.text, ...(packageDir ? { packageDir } : {}) })));

/** The Connected App value a finding on the generated files comes from; undefined when it does not come from one. */
const inheritedFrom = (
  f: Finding,
  ca: CaPolicy | undefined,
  reader: ConnectedAppReader,
  kinds: ReadonlyMap<string, OutputKind>,
  dropped: (kind: OutputKind, field: string) => boolean
): string | undefined => {
  const kind = kinds.get(f.path);
  const has = (path: string): boolean => {
    let el = reader.root;
    for (const part of path.split('/')) {
      const next = el.children.find((c) => c.name === part);
      if (!next) return false;
      el = next;
    }
    return true;
  };
  const when = (cond: boolean | undefined, from: string): string | undefined => (cond ? from : undefined);
  switch (f.ruleId) {
    case 'ECA-POL-000':
      return when(ca === undefined, 'oauthConfig (absent: the Connected App has no OAuth settings, so no OAuth policies are generated)');
    case 'ECA-POL-001':
      return when(ca && !ca.adminApproved, 'oauthConfig/isAdminApproved');
    case 'ECA-POL-002':
      return when(ca && ca.adminApproved, 'permissionSetName, profileName (none that the API version accepts)');
    case 'ECA-POL-003':
      return when(ca && ca.profiles.length > 0, 'profileName');
    case 'ECA-POL-010':
      return when(ca && ca.ipRelaxation !== 'Enforce', 'oauthPolicy/ipRelaxation');
    case 'ECA-POL-020':
    case 'ECA-POL-021':
      return when(ca && ca.refresh.type !== 'Zero', 'oauthPolicy/refreshTokenPolicy');
    case 'ECA-POL-030':
      return when(has('sessionPolicy'), 'sessionPolicy');
    case 'ECA-POL-031':
      return when(has('sessionPolicy/sessionTimeout'), 'sessionPolicy/sessionTimeout');
    case 'ECA-POL-040':
    case 'ECA-POL-041':
      return when(ca?.flows.includes('client-credentials'), 'oauthConfig/isClientCredentialEnabled');
    case 'ECA-POL-043':
      return when(has('oauthPolicy/isTokenExchangeFlowEnabled'), 'oauthPolicy/isTokenExchangeFlowEnabled');
    case 'ECA-GLB-010':
      return when(ca && !ca.pkce, 'oauthConfig/isPkceRequired');
    case 'ECA-GLB-011':
      if (ca?.rotation && dropped('globalOauth', 'isRefreshTokenRotationEnabled')) return 'oauthConfig/isRefreshTokenRotationEnabled (true, but not accepted at the API version)';
      return when(ca && !ca.rotation, 'oauthConfig/isRefreshTokenRotationEnabled');
    case 'ECA-GLB-012':
      return when(ca && !ca.secretRefresh, 'oauthConfig/isSecretRequiredForRefreshToken');
    case 'ECA-GLB-013':
      return when(ca?.secretOptional, 'oauthConfig/isConsumerSecretOptional');
    case 'ECA-GLB-014':
      return when(ca?.flows.includes('device'), 'oauthConfig/isDeviceFlowEnabled');
    case 'ECA-GLB-015':
      return when(has('oauthConfig/isIntrospectAllTokens'), 'oauthConfig/isIntrospectAllTokens');
    case 'ECA-GLB-016':
    case 'ECA-GLB-017':
      return when(has('oauthConfig/callbackUrl'), 'oauthConfig/callbackUrl');
    case 'ECA-GLB-020':
      return when(has('oauthConfig/idTokenConfig'), 'oauthConfig/idTokenConfig');
    case 'ECA-GLB-021':
      return when(has('oauthConfig/isCodeCredentialEnabled'), 'oauthConfig/isCodeCredentialEnabled, oauthConfig/isCodeCredentialPostOnly');
    case 'ECA-GLB-022':
      return when(has('oauthConfig/singleLogoutUrl') || has('oauthPolicy/singleLogoutUrl'), has('oauthConfig/singleLogoutUrl') ? 'oauthConfig/singleLogoutUrl' : 'oauthPolicy/singleLogoutUrl');
    case 'ECA-GLB-024':
      return when(has('oauthConfig/isTokenExchangeEnabled'), 'oauthConfig/isTokenExchangeEnabled');
    case 'ECA-PLG-010':
      return when(has('samlConfig/samlSigningAlgoType'), 'samlConfig/samlSigningAlgoType');
    case 'ECA-PLG-011':
      return when(has('samlConfig/acsUrl'), 'samlConfig/acsUrl');
    case 'ECA-PLG-012':
      return when(has('samlConfig') && !has('samlConfig/encryptionCertificate'), 'samlConfig/encryptionCertificate (absent)');
    case 'ECA-PLG-030':
      return when(has('canvasConfig/accessMethod'), 'canvasConfig/accessMethod');
    case 'ECA-SET-001':
    case 'ECA-SET-002':
    case 'ECA-SET-003':
    case 'ECA-SET-004':
      return when(has('oauthConfig/scopes'), 'oauthConfig/scopes');
    case 'ECA-IP-001':
    case 'ECA-IP-002':
    case 'ECA-IP-003':
    case 'ECA-IP-004':
      return when(has('ipRanges'), 'ipRanges');
    case 'ECA-SCH-004':
      if (kind === 'header') return when(!has('contactEmail'), 'contactEmail (absent)');
      if (kind === 'oauth') return when(!has('oauthConfig/scopes'), 'oauthConfig/scopes (absent)');
      return undefined;
    case 'ECA-PRJ-003':
      return 'the output location: a packaged directory (use --output-dir)';
    default:
      return undefined;
  }
};

const reportFinding = (f: Finding, from: string | undefined): ReportedFinding => ({
  ruleId: f.ruleId,
  rule: f.rule,
  severity: f.severity,
  path: f.path,
  line: f.line,
  message: f.message,
  ...(f.action ? { action: f.action } : {}),
  ...(from ? { from } : {}),
  ...(f.waived ? { waived: true } : {}),
});

/** Applies the fixes of `check` to the generated files until none is left (or only ones that need a person). */
const harden = (
  files: readonly PlannedFile[],
  texts: Map<string, string>,
  ctx: RuleContext,
  packageDir: string | undefined
): { changes: HardeningChange[]; skipped: HardeningChange[] } => {
  const changes: HardeningChange[] = [];
  const skipped = new Map<string, HardeningChange>();
  const kinds = new Map(files.map((f) => [f.path, f.kind]));
  /** The element a fix sets that the API version does not accept (the rules' fixes do not look at the version). */
  const tooNew = (f: Finding): string | undefined => {
    const kind = f.fix ? kinds.get(f.fix.path) : undefined;
    if (!f.fix || !kind || ctx.apiVersion === undefined) return undefined;
    for (const e of f.fix.edits) {
      if (e.op !== 'set' || e.child !== undefined) continue;
      const field = fieldOf(OUTPUT_TYPES[kind], e.element);
      if (field?.since !== undefined && ctx.apiVersion < field.since) return `${e.element} needs API ${field.since.toFixed(1)}`;
    }
    return undefined;
  };
  for (let round = 0; round < 5; round++) {
    const inventory = inventoryOf(files, texts, packageDir);
    const fixable = runCheck(inventory, ctx).findings.filter((f) => {
      if (!f.fix || f.waived || f.fix.requires) return false;
      const why = tooNew(f);
      if (why) skipped.set(`${f.ruleId} ${f.path}`, { path: f.path, ruleId: f.ruleId, description: `not applied: ${f.fix.description} (${why}; the API version is ${ctx.apiVersion?.toFixed(1) ?? '?'})` });
      return why === undefined;
    });
    if (fixable.length === 0) break;
    // --harden is the explicit opt-in to every fix, the ones clients notice included (they are re-keyed anyway).
    const outcome = planEdits(filesByPath(inventory), fixable.map((f) => ({ label: f.ruleId, fix: f.fix as NonNullable<Finding['fix']> })));
    if (outcome.changes.length === 0) break;
    for (const c of outcome.changes) {
      texts.set(c.path, c.after);
      for (const a of c.applied) changes.push({ path: c.path, ruleId: a.label, description: a.description });
    }
  }
  return { changes, skipped: [...skipped.values()] };
};

const appOf = (inventory: Inventory, eca: string): EcaApp | undefined => inventory.apps.find((a) => a.name === eca);

export const migrateConnectedApp = (input: ConnectedAppInput, options: MigrateOptions): Migration => {
  const { apiVersion } = options;
  const read = MetadataFile.read(input.path, input.text);
  const nameFromPath = baseName(input.path).replace(/\.connectedApp(-meta\.xml)?$/, '');
  if (isProblem(read)) {
    return emptyReport(input, nameFromPath, options.ecaName ?? nameFromPath, apiVersion, [
      {
        code: read.code === 'MalformedXml' ? 'MalformedXml' : 'NotAConnectedApp',
        path: read.path,
        ...(read.line !== undefined ? { line: read.line } : {}),
        ...(read.col !== undefined ? { col: read.col } : {}),
        message: read.message,
        action: 'Fix the file so that it is well-formed Connected App metadata, then migrate again.',
      },
    ]);
  }
  if (read.type.kind !== 'connectedApp') {
    return emptyReport(input, nameFromPath, options.ecaName ?? nameFromPath, apiVersion, [
      { code: 'NotAConnectedApp', path: read.path, line: read.root.line, col: read.root.col, message: `the file is a ${read.type.name}, not a Connected App` },
    ]);
  }
  const eca = options.ecaName ?? read.fullName;
  if (apiVersion !== undefined && apiVersion < MIN_API_VERSION) {
    return emptyReport(input, read.fullName, eca, apiVersion, [
      {
        code: 'UnsupportedApiVersion',
        path: read.path,
        message: `External Client Apps need API ${MIN_API_VERSION.toFixed(1)} or later; the API version is ${apiVersion.toFixed(1)}`,
        action: `Pass --api-version ${MIN_API_VERSION.toFixed(1)} or later (or raise sourceApiVersion in sfdx-project.json).`,
      },
    ]);
  }
  const nameProblem = apiNameProblem(eca);
  if (nameProblem) {
    return emptyReport(input, read.fullName, eca, apiVersion, [
      {
        code: 'InvalidName',
        path: read.path,
        message: `"${eca}" cannot be an External Client App API name: ${nameProblem}`,
        action: 'Choose a valid API name with --eca-name.',
      },
    ]);
  }

  const reader = new ConnectedAppReader(read);
  const references = findReferences(options.references ?? [], read.fullName, eca, options.relink === true);
  const mapped = mapConnectedApp(reader, eca, apiVersion, references);
  if (reader.errors.length > 0) {
    const errors = [...reader.errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return emptyReport(input, read.fullName, eca, apiVersion, errors);
  }

  // Render each file; note the fields the API version rejects.
  const names = fullNames(eca);
  const files: PlannedFile[] = [];
  const dropped = new Map<OutputKind, Set<string>>();
  for (const kind of OUTPUT_ORDER) {
    const elements = mapped.elements[kind];
    if (!elements || elements.length === 0) continue;
    const type = OUTPUT_TYPES[kind];
    // Fields the docs list only from a later version (the WSDL has them earlier) are left out too, as check asks.
    const early = new Set<string>();
    const kept = elements.filter((el) => {
      const since = fieldOf(type, el.name)?.since;
      if (apiVersion === undefined || since === undefined || apiVersion >= since) return true;
      early.add(el.name);
      return false;
    });
    const rendered = renderMetadataFile(type, kept, apiVersion);
    dropped.set(kind, new Set([...rendered.dropped, ...early]));
    files.push({ kind, type: type.name, fullName: names[kind], path: outputPath(options.baseDir, kind, names[kind]), text: rendered.text });
  }
  const fields: FieldMapping[] = [];
  for (const m of mapped.fields) {
    let versionDropped = false;
    for (const t of m.eca) {
      const top = t.field.split('/')[0] as string;
      if (!dropped.get(t.kind)?.has(top)) continue;
      const field = fieldOf(OUTPUT_TYPES[t.kind], top);
      versionDropped = true;
      t.written = false;
      t.note = `not accepted at API ${apiVersion?.toFixed(1) ?? '?'}${field?.since !== undefined ? ` (needs ${field.since.toFixed(1)})` : field?.until !== undefined ? ` (accepted up to ${field.until.toFixed(1)})` : ''}`;
    }
    // Targets left out on purpose (an ECA default applies) are not written either, but not dropped.
    const allDropped = versionDropped && m.eca.every((t) => !t.written);
    if (allDropped && m.status === 'default') continue; // a default the version does not take: nothing to say
    fields.push({ ...m, status: allDropped && m.status === 'migrated' ? 'dropped' : m.status });
  }
  const notMigrated = [...mapped.notMigrated];
  for (const m of fields) {
    if (m.status !== 'dropped' || m.connectedApp === null) continue;
    notMigrated.push({
      item: m.value !== undefined ? `${m.connectedApp} = ${m.value}` : m.connectedApp,
      connectedApp: m.connectedApp,
      ...(m.line !== undefined ? { line: m.line } : {}),
      reason: `${m.eca.map((t) => `${t.field}: ${t.note ?? ''}`).join('; ')}`,
      action: 'Raise sourceApiVersion (or pass --api-version) and migrate again.',
    });
  }
  notMigrated.sort((x, y) => (x.line ?? Number.MAX_SAFE_INTEGER) - (y.line ?? Number.MAX_SAFE_INTEGER));

  // What the migrated files say, and (with --harden) what they say once hardened.
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const mappedInventory = inventoryOf(files, texts, options.packageDir);
  const mappedPolicy = appOf(mappedInventory, eca);
  const hardening = options.harden ? harden(files, texts, options.ruleContext, options.packageDir) : undefined;
  const finalFiles = files.map((f) => ({ ...f, text: texts.get(f.path) ?? f.text }));
  const finalInventory = inventoryOf(finalFiles, texts, options.packageDir);
  const finalApp = appOf(finalInventory, eca);
  const kinds = new Map(files.map((f) => [f.path, f.kind]));
  const wasDropped = (kind: OutputKind, field: string): boolean => dropped.get(kind)?.has(field) === true;
  const findings = runCheck(finalInventory, options.ruleContext).findings.map((f) =>
    reportFinding(f, inheritedFrom(f, mapped.caPolicy, reader, kinds, wasDropped))
  );

  const before = mappedPolicy ? ecaPolicyOf(mappedPolicy) : undefined;
  const after = finalApp ? ecaPolicyOf(finalApp) : undefined;
  const tokenExchange = tokenExchangeDimension(references, eca);
  // While no handler enables the ECA, its token-exchange flow does not work: the flows row must not say "same".
  const flowsOf = (p: PolicyComparison): PolicyComparison =>
    p.dimension === 'flows' && tokenExchange?.change === 'lost' && /\btoken-exchange\b/.test(p.eca) && p.change !== 'lost'
      ? { ...p, eca: p.eca.replace(/\btoken-exchange\b/, 'token-exchange (no handler enables it)'), change: 'lost', blocking: true, note: 'see token-exchange-handler' }
      : p;
  const policies = [
    ...(mapped.caPolicy && before && after ? comparePolicies(mapped.caPolicy, before, after).map(flowsOf) : []),
    ...mapped.fixedDimensions,
    ...(tokenExchange ? [tokenExchange] : []),
  ];
  if (mapped.caPolicy?.flows.includes('token-exchange') && !tokenExchange) {
    notMigrated.push({
      item: 'token-exchange handler',
      connectedApp: 'oauthConfig/isTokenExchangeEnabled',
      reason: 'no OauthTokenExchangeHandler in the project enables the Connected App; a handler in the org that names it does not enable the ECA',
      action: `Add an enablement for ${eca} to the handler (Setup → Token Exchange Handlers, or an enablements element with externalClientApp ${eca} in its metadata).`,
    });
  }

  // --relink: the edits of the files that name the Connected App, each file once.
  const relinks: RelinkChange[] = [];
  if (options.relink === true) {
    for (const file of options.references ?? []) {
      const mine = references.filter((r) => r.path === file.path && r.written);
      if (mine.length === 0) continue;
      const after = relinkText(file.text, read.fullName, eca);
      if (after !== file.text) relinks.push({ path: file.path, before: file.text, after, description: mine.map((r) => r.change).join('; ') });
    }
  }

  const report: MigrationReport = {
    connectedApp: read.fullName,
    source: input.path,
    eca,
    apiVersion: apiVersion === undefined ? null : apiVersion.toFixed(1),
    files: finalFiles.map((f) => ({ kind: f.kind, type: f.type, fullName: f.fullName, path: f.path })),
    fields,
    notMigrated,
    policies,
    ...(hardening ? { hardening: { changes: hardening.changes, ...(hardening.skipped.length > 0 ? { skipped: hardening.skipped } : {}) } } : {}),
    findings,
    errors: [],
    needsAcceptance: policies.some((p) => p.blocking),
    references,
    setupAction: setupActionOf(reader, references),
  };
  return { report, files: finalFiles, relinks };
};
