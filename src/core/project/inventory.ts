/*
 * Groups metadata files into apps by their <externalClientApplication> element, never by file
 * name: the org names a generated policies file <App>_oauthPlcy or <Settings>_defaultPolicy.
 */
import { isProblem, MetadataFile, type Problem } from '../model/file.js';
import type { FileKind } from '../model/schema.js';

export type EcaFileKind = Exclude<FileKind, 'connectedApp'>;

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

export type Inventory = {
  readonly apps: readonly EcaApp[];
  readonly connectedApps: readonly ConnectedAppEntry[];
  /** Files that could not be read, and project-level findings (duplicates, orphans, files with no app). */
  readonly problems: readonly Problem[];
  /** How many candidate files were read. */
  readonly fileCount: number;
};

export type SourceText = {
  readonly path: string;
  readonly text: string;
  /** The package directory the file was found in. */
  readonly packageDir?: string;
};

/** Drops the parsed trees of an app's files once they have been used (see MetadataFile.release). */
export const releaseApp = (app: EcaApp): void => {
  for (const kind of ECA_FILE_KINDS) for (const f of app.files[kind]) f.release();
};

/** The one file of a kind (the first when the project holds several, which is a reported problem). */
export const fileOf = (app: EcaApp, kind: EcaFileKind): MetadataFile | undefined => app.files[kind][0];

const emptyFiles = (): Record<EcaFileKind, MetadataFile[]> =>
  Object.fromEntries(ECA_FILE_KINDS.map((k) => [k, [] as MetadataFile[]])) as Record<EcaFileKind, MetadataFile[]>;

export const buildInventory = (sources: Iterable<SourceText>): Inventory => {
  const problems: Problem[] = [];
  const apps = new Map<string, { files: Record<EcaFileKind, MetadataFile[]>; packageDir: string | undefined }>();
  const connectedApps: ConnectedAppEntry[] = [];
  let fileCount = 0;
  for (const src of sources) {
    fileCount++;
    const file = MetadataFile.read(src.path, src.text);
    if (isProblem(file)) {
      problems.push(file);
      continue;
    }
    file.packageDir = src.packageDir;
    file.release();
    if (file.type.kind === 'connectedApp') {
      connectedApps.push({ name: file.fullName, packageDir: src.packageDir, file });
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
    entry.files[kind].push(file);
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
  connectedApps.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return { apps: result, connectedApps, problems, fileCount };
};
