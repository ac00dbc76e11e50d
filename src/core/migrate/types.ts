/*
 * The vocabulary of `sf eca migrate`: what goes in (a Connected App, from a project file or, later,
 * an org), what comes out (the ECA files) and the parity report that explains every value.
 */
import type { Severity } from '../model/file.js';
import type { RuleContext } from '../rules/types.js';
import type { ProjectFile, Reference } from './references.js';

export type { ProjectFile, Reference } from './references.js';

/**
 * One Connected App to migrate: its metadata XML and where it came from.
 *
 * This is the seam for `--target-org` (not built yet): a Connected App retrieved from an org enters
 * here exactly like a project file, with `path` naming its origin (e.g. `org:my-org/connectedApps/X`).
 * Nothing below depends on where the XML was read.
 */
export type ConnectedAppInput = {
  /** Display path of the file (or the origin of XML read from an org). */
  readonly path: string;
  readonly text: string;
};

export type MigrateOptions = {
  /** API name of the new ECA; default: the Connected App's name. */
  readonly ecaName?: string;
  /** The project's sourceApiVersion (or --api-version); undefined writes every field. */
  readonly apiVersion: number | undefined;
  /** Folder (display path, '/'-separated, '' for the current folder) that gets the standard ECA folders. */
  readonly baseDir: string;
  /** The package directory (absolute) holding baseDir, so that the packaging rule sees the files where they will be. */
  readonly packageDir?: string;
  /** Apply the recommended values of `check` on top of the migrated ones. */
  readonly harden: boolean;
  /** What `check` runs with (configuration, API version, package directories). */
  readonly ruleContext: RuleContext;
  /**
   * The project's other metadata files that may name the Connected App (custom scopes, token-exchange handlers,
   * custom permissions, …): read for custom scopes and notification types, and listed with the change each needs.
   */
  readonly references?: readonly ProjectFile[];
  /** Plan the changes of those files that the Metadata API can express (--relink); otherwise they are only listed. */
  readonly relink?: boolean;
};

/** The files a migration writes; `samlPolicies` and `canvas` are types the rest of the plugin does not model yet. */
export type OutputKind = 'header' | 'globalOauth' | 'oauth' | 'oauthPolicies' | 'policies' | 'samlPolicies' | 'canvas' | 'notifications';

export type PlannedFile = {
  readonly kind: OutputKind;
  /** Metadata API type. */
  readonly type: string;
  readonly fullName: string;
  /** Display path the file is written to. */
  readonly path: string;
  readonly text: string;
};

/** A Connected App that cannot be migrated as it is: always names the file, and the line where there is one. */
export type MigrationError = {
  readonly code: 'MalformedXml' | 'NotAConnectedApp' | 'MalformedValue' | 'InvalidName' | 'UnsupportedApiVersion';
  readonly path: string;
  readonly line?: number;
  readonly col?: number;
  /** The element at fault (e.g. oauthPolicy/ipRelaxation). */
  readonly element?: string;
  readonly message: string;
  readonly action?: string;
};

/** Where one Connected App value went. */
export type FieldTarget = {
  readonly kind: OutputKind;
  /** The element written, e.g. permittedUsersPolicyType or idTokenConfig/idTokenValidityInMinutes. */
  readonly field: string;
  /** The value written (summarised for certificates; absent for structures). */
  readonly value?: string;
  /** false when the API version rejects the field, or when it is left out on purpose so that the ECA default applies (status default). */
  readonly written: boolean;
  readonly note?: string;
};

export type FieldStatus =
  /** Copied, renamed or transformed into the ECA. */
  | 'migrated'
  /**
   * Absent from the Connected App: its documented default is written explicitly when the ECA default is
   * the same; when the ECA default differs (or is not documented), the element is left out (targets not
   * written) and the ECA default applies. For ECA-only fields: a fixed value.
   */
  | 'default'
  /** Has no ECA equivalent, or must not be migrated (credentials). */
  | 'not-migrated'
  /** Has an equivalent the API version does not accept. */
  | 'dropped';

export type FieldMapping = {
  /** Element path in the Connected App (e.g. oauthConfig/isAdminApproved); null for ECA-only values. */
  readonly connectedApp: string | null;
  readonly line?: number;
  /** The value read (never a credential: those read "(present; never shown)"). */
  readonly value?: string;
  readonly eca: readonly FieldTarget[];
  readonly status: FieldStatus;
  /** How the value was transformed, in words: "copied", "renamed", "true → AdminApprovedPreAuthorized", … */
  readonly transform: string;
};

export type NotMigrated = {
  /** What is lost, in words (e.g. "consumer key and secret"). */
  readonly item: string;
  readonly connectedApp?: string;
  readonly line?: number;
  readonly reason: string;
  readonly action?: string;
};

export type PolicyDimension =
  | 'permitted-users'
  | 'ip-relaxation'
  | 'refresh-token'
  | 'pkce'
  | 'secret-web-server'
  | 'secret-refresh-token'
  | 'secret-token-exchange'
  | 'refresh-token-rotation'
  | 'scopes'
  | 'trusted-ip-ranges'
  | 'flows'
  | 'session-level'
  | 'token-ip-binding'
  | 'plugin-authorization'
  | 'saml-encryption'
  | 'custom-scopes'
  | 'token-exchange-handler'
  | 'notifications'
  | 'mobile'
  | 'push'
  | 'refresh-token-ip-allowlist';

/**
 * How a policy compares after migration: `weaker` protects less; `lost` means something the
 * Connected App granted (a pre-authorization, a flow) cannot be expressed, so its users or clients
 * lose access. Both need --accept-weaker.
 */
export type PolicyChange = 'same' | 'stronger' | 'weaker' | 'lost';

export type PolicyComparison = {
  readonly dimension: PolicyDimension;
  readonly connectedApp: string;
  readonly eca: string;
  readonly change: PolicyChange;
  /** True when the change needs --accept-weaker. */
  readonly blocking: boolean;
  /** True when --harden changed this dimension. */
  readonly hardened: boolean;
  readonly note?: string;
};

/** A finding `check` reports on the generated files, and the Connected App value it comes from. */
export type ReportedFinding = {
  readonly ruleId: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly path: string;
  readonly line: number;
  readonly message: string;
  readonly action?: string;
  /** The Connected App element (or circumstance) the finding is inherited from; undefined: not inherited (a defect of the migration). */
  readonly from?: string;
  readonly waived?: boolean;
};

export type HardeningChange = {
  readonly path: string;
  readonly ruleId: string;
  readonly description: string;
};

export type MigrationReport = {
  readonly connectedApp: string;
  /** Where the Connected App was read. */
  readonly source: string;
  readonly eca: string;
  readonly apiVersion: string | null;
  readonly files: ReadonlyArray<{ readonly kind: OutputKind; readonly type: string; readonly fullName: string; readonly path: string }>;
  readonly fields: readonly FieldMapping[];
  readonly notMigrated: readonly NotMigrated[];
  readonly policies: readonly PolicyComparison[];
  /** With --harden: each change made on top of the migrated values, and recommended ones the API version does not allow. */
  readonly hardening?: { readonly changes: readonly HardeningChange[]; readonly skipped?: readonly HardeningChange[] };
  /** What `check` reports on the generated files. */
  readonly findings: readonly ReportedFinding[];
  /** Malformed input: nothing can be migrated. */
  readonly errors: readonly MigrationError[];
  /** A policy would be weaker, or a grant or flow lost: the files are written only with --accept-weaker. */
  readonly needsAcceptance: boolean;
  /** The project's other files that name the Connected App, and the change each needs (written with --relink). */
  readonly references: readonly Reference[];
  /** Salesforce's own "Migrate to External Client App" action in Setup, the other route, for this app. */
  readonly setupAction: SetupAction;
};

/**
 * Salesforce's Setup action (App Manager → the Connected App → Migrate to External Client App): what it would
 * make of this app, as far as the files show.
 */
export type SetupAction = {
  /** no: something in the files makes the action refuse the app; unknown: the files show no reason, but eligibility also depends on the org (local app, no username-password flow in use). */
  readonly eligible: 'no' | 'unknown';
  /** Why the action would refuse the app. */
  readonly blockers: readonly string[];
};

/** An edit of an existing project file that named the Connected App (with --relink). */
export type RelinkChange = {
  readonly path: string;
  readonly before: string;
  readonly after: string;
  readonly description: string;
};

export type Migration = {
  readonly report: MigrationReport;
  /** Empty when the input is malformed. */
  readonly files: readonly PlannedFile[];
  /** With --relink: the edits of the files that name the Connected App (empty otherwise). */
  readonly relinks: readonly RelinkChange[];
};
