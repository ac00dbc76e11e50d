/*
 * Groups metadata files into apps by their <externalClientApplication> element, never by file
 * name: the org names a generated policies file <App>_oauthPlcy or <Settings>_defaultPolicy.
 */
import { classifyFileName, isProblem, MetadataFile, type Problem } from '../model/file.js';
import { privateKeyLine } from '../model/secrets.js';
import type { FileKind } from '../model/schema.js';

// The kinds of files that belong to an app (org settings belong to none).
export type EcaFileKind = Exclude<FileKind, 'connectedApp' | OrgSettingsKind>;

/** Org settings files: project-level, one per org, belonging to no app. */
export type OrgSettingsKind = 'externalClientAppSettings' | 'oauthOidcSettings';

export const ORG_SETTINGS_KINDS: readonly OrgSettingsKind[] = ['externalClientAppSettings', 'oauthOidcSettings'];

/** The name findings about the org settings files carry as their app (waivers name it so too). */
export const ORG_SETTINGS_APP = '(org settings)';

const isOrgSettingsKind = (kind: FileKind): kind is OrgSettingsKind => (ORG_SETTINGS_KINDS as readonly FileKind[]).includes(kind);

/** Whether files of this kind belong to an External Client App (not a Connected App, not org settings). */
export const isAppFileKind = (kind: FileKind): kind is EcaFileKind => kind !== 'connectedApp' && !isOrgSettingsKind(kind);

export const ECA_FILE_KINDS: readonly EcaFileKind[] = [
  'header',
  'globalOauth',
  'oauth',
  'oauthPolicies',
  'policies',
  'oauthSecurity',
  'samlPolicies',
  'canvas',
  'mobile',
  'mobilePolicies',
  'notifications',
  'push',
  'pushPolicies',
  'attest',
  'attestPolicies',
];

export type EcaApp = {
  readonly name: string;
  /** The package directory that holds the app's header (or its first file). */
  readonly packageDir: string | undefined;
  readonly files: Readonly<Record<EcaFileKind, readonly MetadataFile[]>>;
  /** True when settings or policies name this app but no header exists in the project. */
  readonly orphan: boolean;
};

export type ConnectedAppEntry = {
  readonly name: string;
  readonly packageDir: string | undefined;
  readonly file: MetadataFile;
};

/** A file that could not be read (malformed XML, or another type than its name claims), and the app it most likely belongs to. */
export type UnreadableFile = {
  readonly path: string;
  /** The kind its file name claims. */
  readonly kind: FileKind;
  /** Its <externalClientApplication> as written (a header: its own name), else the app its file name starts with. */
  readonly app: string | undefined;
  readonly problem: Problem;
  /** The line where the text holds a private key (a secret in a file nobody can check otherwise). */
  readonly privateKeyLine: number | undefined;
};

export type Inventory = {
  readonly apps: readonly EcaApp[];
  readonly connectedApps: readonly ConnectedAppEntry[];
  /**
   * The org settings files (ExternalClientApp.settings, OauthOidc.settings): project-level, in no app,
   * never listed as an app or an orphan; the rules that apply to them run once (engine: Unit 'org').
   */
  readonly orgSettings: readonly MetadataFile[];
  /** Files that could not be read, and project-level findings (duplicates, orphans, files with no app). */
  readonly problems: readonly Problem[];
  /** How many candidate files were read. */
  readonly fileCount: number;
  /**
   * With --source-dir: the paths of every file (readable or not) inside the selection. Everything is
   * read so that apps are whole; commands report only what is selected (see inSelection).
   */
  readonly selection?: ReadonlySet<string>;
  /** The files of `problems` that could not be read, each with the app it belongs to when that can be told. */
  readonly unreadable: readonly UnreadableFile[];
};

/** Problem codes of files that could not be read: the engine reports them (ECA-PRJ-004). */
export const UNREADABLE_CODES: ReadonlySet<string> = new Set([
  'MalformedXml',
  'ForeignXml',
  'MissingAppReference',
  'UnknownFileType',
  'InvalidEncoding',
  'UnreadableFile',
  'SymlinkOutside',
  'SymlinkLoop',
]);

/** True when a path is to be reported: always without --source-dir, otherwise when it is inside the selection. */
export const inSelection = (inventory: Pick<Inventory, 'selection'>, path: string): boolean =>
  inventory.selection === undefined || inventory.selection.has(path);

export type SourceText = {
  readonly path: string;
  readonly text: string;
  /** The package directory the file was found in. */
  readonly packageDir?: string;
  /** Denied by .forceignore: read and checked all the same, but a deploy does not send it. */
  readonly ignored?: boolean;
  /** The file could not be read (encoding, permissions, links): a problem instead of text. */
  readonly unreadable?: { readonly code: string; readonly message: string; readonly line?: number; readonly col?: number };
};

/** Drops the parsed trees of an app's files once they have been used (see MetadataFile.release). */
export const releaseApp = (app: EcaApp): void => {
  for (const kind of ECA_FILE_KINDS) for (const f of app.files[kind]) f.release();
};

/** The one file of a kind (the first when the project holds several, which is a reported problem). */
export const fileOf = (app: EcaApp, kind: EcaFileKind): MetadataFile | undefined => app.files[kind][0];

/** Every file of an inventory's apps (not its Connected Apps or org settings), kind by kind. */
export const appFiles = (inventory: Pick<Inventory, 'apps'>): MetadataFile[] => inventory.apps.flatMap((a) => ECA_FILE_KINDS.flatMap((k) => a.files[k]));

/**
 * The kinds an app has no file of share one empty list (an app has five or so of the fifteen kinds): at 10,000 apps,
 * fifteen lists an app, each with room for seventeen files once pushed to, cost 12 MB.
 */
const NO_FILES: readonly MetadataFile[] = Object.freeze([]);

const emptyFiles = (): Record<EcaFileKind, readonly MetadataFile[]> => {
  const files = {} as Record<EcaFileKind, readonly MetadataFile[]>;
  for (const k of ECA_FILE_KINDS) files[k] = NO_FILES;
  return files;
};

/** Adds a file to the list of its kind (a list of exactly one file, then grown as needed). */
const addFile = (files: Record<EcaFileKind, readonly MetadataFile[]>, kind: EcaFileKind, file: MetadataFile): void => {
  const list = files[kind];
  if (list === NO_FILES) files[kind] = [file];
  else (list as MetadataFile[]).push(file);
};

const baseNameOf = (path: string): string => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

/** The <externalClientApplication> of a text that may not parse (the element itself intact). */
const appReferenceIn = (text: string): string | undefined =>
  /<(?:[\w.-]+:)?externalClientApplication\s*>\s*([A-Za-z][\w]*)\s*<\/(?:[\w.-]+:)?externalClientApplication\s*>/.exec(text)?.[1];

/** The unreadable files with their app: by reference, by header name, else by the longest app name the file name starts with. */
const attributeUnreadable = (found: ReadonlyArray<{ problem: Problem; text: string }>, appNames: readonly string[]): UnreadableFile[] => {
  const byLength = [...appNames].sort((a, b) => b.length - a.length);
  const out: UnreadableFile[] = [];
  for (const { problem, text } of found) {
    const claimed = classifyFileName(baseNameOf(problem.path));
    if (!claimed) continue;
    const kind = claimed.type.kind;
    const app = isOrgSettingsKind(kind)
      ? ORG_SETTINGS_APP
      : kind === 'header' || kind === 'connectedApp'
        ? claimed.fullName
        : (appReferenceIn(text) ?? byLength.find((n) => claimed.fullName === n || claimed.fullName.startsWith(`${n}_`)));
    out.push({ path: problem.path, kind, app, problem, privateKeyLine: privateKeyLine(text) });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
};

export const buildInventory = (sources: Iterable<SourceText>, options: { readonly selection?: ReadonlySet<string> } = {}): Inventory => {
  const problems: Problem[] = [];
  const apps = new Map<string, { files: Record<EcaFileKind, readonly MetadataFile[]>; packageDir: string | undefined }>();
  const connectedApps: ConnectedAppEntry[] = [];
  const orgSettings: MetadataFile[] = [];
  let fileCount = 0;
  const unreadableFound: Array<{ problem: Problem; text: string }> = [];
  for (const src of sources) {
    fileCount++;
    if (src.unreadable) {
      const problem: Problem = { ...src.unreadable, severity: 'error', path: src.path };
      problems.push(problem);
      unreadableFound.push({ problem, text: '' });
      continue;
    }
    // Validated, not parsed: the tree is built when a rule or a summary reads the file (and dropped after).
    const file = MetadataFile.scan(src.path, src.text);
    if (isProblem(file)) {
      problems.push(file);
      unreadableFound.push({ problem: file, text: src.text });
      continue;
    }
    file.packageDir = src.packageDir;
    file.ignored = src.ignored === true;
    if (file.type.kind === 'connectedApp') {
      connectedApps.push({ name: file.fullName, packageDir: src.packageDir, file });
      continue;
    }
    if (isOrgSettingsKind(file.type.kind)) {
      orgSettings.push(file);
      continue;
    }
    const appName = file.appName;
    if (appName === undefined) {
      const el = file.root;
      problems.push({
        code: 'MissingAppReference',
        severity: 'error',
        path: file.path,
        line: el.line,
        col: el.col,
        message: `<externalClientApplication> is missing or empty: the file belongs to no app`,
      });
      continue;
    }
    let entry = apps.get(appName);
    if (!entry) {
      entry = { files: emptyFiles(), packageDir: src.packageDir };
      apps.set(appName, entry);
    }
    const kind = file.type.kind;
    addFile(entry.files, kind, file);
    if (kind === 'header') entry.packageDir = src.packageDir;
  }

  const result: EcaApp[] = [];
  for (const [name, { files, packageDir }] of apps) {
    const orphan = files.header.length === 0;
    for (const kind of ECA_FILE_KINDS) {
      const list = files[kind];
      if (list.length > 1) {
        for (const extra of list.slice(1)) {
          problems.push({
            code: kind === 'oauthPolicies' ? 'DuplicatePolicies' : 'DuplicateFile',
            severity: 'error',
            path: extra.path,
            line: extra.root.line,
            col: extra.root.col,
            message:
              kind === 'oauthPolicies'
                ? `app ${name} has ${list.length} OAuth policies files (${list.map((f) => f.fullName).join(', ')}); the org keeps only one, so deploying another fails with a duplicate-value error`
                : `app ${name} has ${list.length} ${list[0]?.type.title} files (${list.map((f) => f.fullName).join(', ')})`,
          });
        }
      }
    }
    if (orphan) {
      const first = ECA_FILE_KINDS.map((k) => files[k][0]).find((f) => f !== undefined) as MetadataFile;
      problems.push({
        code: 'OrphanFile',
        severity: 'warning',
        path: first.path,
        line: first.element('externalClientApplication')?.line,
        col: first.element('externalClientApplication')?.col,
        message: `the ${first.type.title} file names app ${name}, which has no header (.eca-meta.xml) in the project`,
      });
    }
    result.push({ name, packageDir, files, orphan });
  }
  result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  orgSettings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // One org has one file of each settings type: a second (another package directory) is a duplicate.
  for (const kind of ORG_SETTINGS_KINDS) {
    const list = orgSettings.filter((f) => f.type.kind === kind);
    for (const extra of list.slice(1)) {
      problems.push({
        code: 'DuplicateFile',
        severity: 'error',
        path: extra.path,
        line: extra.root.line,
        col: extra.root.col,
        message: `the project has ${list.length} ${list[0]?.type.title} files (${list.map((f) => f.path).join(', ')}); the org keeps one`,
      });
    }
  }
  connectedApps.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  const unreadable = attributeUnreadable(unreadableFound, [...result.map((a) => a.name), ...connectedApps.map((c) => c.name)]);
  return { apps: result, connectedApps, orgSettings, problems, fileCount, unreadable, ...(options.selection ? { selection: options.selection } : {}) };
};
