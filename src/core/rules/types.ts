/*
 * The rule engine's vocabulary: rules, the context they see, findings and the fixes they carry.
 */
import type { MetadataFile, Severity } from '../model/file.js';
import type { ConnectedAppEntry, EcaApp, UnreadableFile } from '../project/inventory.js';
import type { EcaConfig } from './config.js';
import type { ClientKind } from './profile.js';
import type { NewElement } from '../xml/edit.js';

export type RuleCategory =
  | 'schema'
  | 'policies'
  | 'ip-ranges'
  | 'global-settings'
  | 'oauth-settings'
  | 'plugin-policies'
  | 'project'
  | 'connected-app'
  /** `audit --usage`: how the org's apps are used (src/core/usage), not what a file says. */
  | 'usage'
  | 'baseline';

/**
 * One element edit; `index` picks among repeated elements, `child` an element inside it; `add`
 * inserts an element (leaf or nested) after its last sibling of the same or an earlier name.
 */
export type FixEdit =
  | { readonly op: 'set'; readonly element: string; readonly value: string; readonly index?: number; readonly child?: string }
  | { readonly op: 'remove'; readonly element: string; readonly index?: number; readonly child?: string }
  | { readonly op: 'add'; readonly node: NewElement };

/**
 * How far a fix reaches. `safe`: no client of the app notices (a spelling the server already accepts
 * written the documented way, a duplicate of the same value removed, an ignored value removed).
 * `breaking`: clients, users or admins may have to change something (PKCE or rotation on, admin-approved
 * users, a flow or plugin off, IP restrictions enforced, shorter refresh tokens, fewer scopes, a removed
 * secret). When in doubt a fix is breaking.
 */
export type FixClass = 'safe' | 'breaking';

/** The strongest class a rule's fixes can have; `manual` when it has none. */
export type RuleFixClass = FixClass | 'manual';

export type Fix = {
  /** Display path of the file to edit. */
  readonly path: string;
  readonly edits: readonly FixEdit[];
  /** What the fix does, in a sentence. */
  readonly description: string;
  /** Whether clients notice the change (see FixClass). */
  readonly class: FixClass;
  /** A fix applied only when the user asks for it with this flag. */
  readonly requires?: 'remove-secrets';
};

export type Finding = {
  readonly ruleId: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly category: RuleCategory;
  /** The app (or Connected App) the finding is about. */
  readonly app: string;
  readonly path: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
  /** The value found (never a secret). */
  readonly actual?: string;
  /** The value expected. */
  readonly expected?: string;
  /** How to resolve it when no automatic fix applies (or in addition to it). */
  readonly action?: string;
  readonly fix?: Fix;
  /** Set when a waiver of the configuration covers the finding. */
  readonly waived?: { readonly reason: string; readonly expires?: string };
};

export type CertificateInfo = { readonly notAfter: string; readonly subject: string };

/** A package directory as rules see it. */
export type RulePackageDir = { readonly fullPath: string; readonly packaged: boolean };

export type RuleContext = {
  /** The project's sourceApiVersion, when known. */
  readonly apiVersion: number | undefined;
  readonly config: EcaConfig;
  readonly packageDirs: readonly RulePackageDir[];
  /** Today, as YYYY-MM-DD (waiver expiry). */
  readonly today: string;
  /**
   * Reads an X.509 certificate (PEM): when it expires and whom it names; undefined when it cannot be
   * read. Injected by the CLI (node:crypto); without it, certificate expiry is not checked.
   */
  readonly certificates?: (pem: string) => CertificateInfo | undefined;
  /** Names of the External Client Apps of the inventory (the engine fills it in). */
  readonly ecaAppNames?: ReadonlySet<string>;
  /** The inventory's unreadable files, with the app each belongs to (the engine fills it in). */
  readonly unreadable?: readonly UnreadableFile[];
};

export type NewFinding = Omit<Finding, 'ruleId' | 'rule' | 'severity' | 'category' | 'app' | 'line' | 'col' | 'path'> & {
  /** The file and, where there is one, the element the finding points at (else the root element). */
  readonly file: MetadataFile;
  readonly at?: { readonly line: number; readonly col: number };
  readonly severity?: Severity;
};

export type Report = (finding: NewFinding) => void;

export type Unit =
  | { readonly kind: 'eca'; readonly name: string; readonly app: EcaApp }
  | { readonly kind: 'connectedApp'; readonly name: string; readonly entry: ConnectedAppEntry }
  /** The project's org settings files, checked once per run (name: ORG_SETTINGS_APP). */
  | { readonly kind: 'org'; readonly name: string; readonly files: readonly MetadataFile[] };

export type Rule = {
  /** Stable id, e.g. ECA-POL-001. */
  readonly id: string;
  /** Short kebab-case name, e.g. permitted-users-admin-approved. */
  readonly name: string;
  readonly severity: Severity;
  readonly category: RuleCategory;
  /** One line: what the rule wants. */
  readonly summary: string;
  /** Why it matters. */
  readonly rationale: string;
  /** Where to read more (Salesforce documentation). */
  readonly helpUri: string;
  /** The unit the rule checks: an External Client App, a Connected App, or the org settings of the project (once). */
  readonly appliesTo: 'eca' | 'connectedApp' | 'org';
  /** The client kinds (src/core/rules/profile.ts) an ECA rule applies to; every kind when absent. */
  readonly clients?: readonly ClientKind[];
  /** With `clients`: packaged apps get the rule whatever their kind (AppExchange asks it of every packaged ECA). */
  readonly alsoPackaged?: boolean;
  /** True when the rule can carry an automatic fix. */
  readonly fixable: boolean;
  /** The strongest class of the fixes the rule can carry (`manual` when it carries none), for --list-rules. */
  readonly fixClass: RuleFixClass;
  readonly check: (unit: Unit, ctx: RuleContext, report: Report) => void;
};
