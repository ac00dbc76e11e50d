/*
 * Metadata-format file layout (via SDR's registry), package.xml, and zips.
 */
import { RegistryAccess, type MetadataType } from '@salesforce/source-deploy-retrieve';
import JSZip from 'jszip';
import { arr, esc, MD_NS, parseXml, text, type XmlObject } from './xml.js';

const registry = new RegistryAccess();

/** The registry entry for a type name, or undefined for a name SDR does not know. */
export const typeByName = (name: string): MetadataType | undefined => {
  try {
    return registry.getTypeByName(name);
  } catch {
    return undefined;
  }
};

/** Whether a type's metadata-format layout is a content file plus `<file>-meta.xml` (ApexClass…) rather than one XML file (the ECA types). */
export const hasContentFile = (t: MetadataType): boolean => t.strategies?.adapter === 'matchingContentFile';

/** Metadata-format path (relative to the package root) of a component's main file: `externalClientApps/MyApp.eca`. */
export const mdapiPath = (typeName: string, fullName: string): string => {
  const t = typeByName(typeName);
  if (!t) return `${typeName}/${fullName}`;
  return `${t.directoryName}/${fullName}${t.suffix ? `.${t.suffix}` : ''}`;
};

/** Resolves a metadata-format path (relative to the package root) to a type and fullName. */
export const resolvePath = (rel: string): { type: string; fullName: string; meta: boolean } | undefined => {
  const meta = rel.endsWith('-meta.xml');
  const path = meta ? rel.slice(0, -'-meta.xml'.length) : rel;
  const slash = path.indexOf('/');
  if (slash < 0) return undefined;
  const dir = path.slice(0, slash);
  const rest = path.slice(slash + 1);
  const dot = rest.lastIndexOf('.');
  if (dot < 0) return undefined;
  const suffix = rest.slice(dot + 1);
  const name = rest.slice(0, dot);
  const t =
    registry.findType((x) => x.directoryName === dir && x.suffix === suffix) ??
    registry.findType((x) => x.directoryName === dir && !x.children) ??
    registry.getTypeBySuffix(suffix);
  return t ? { type: t.name, fullName: name, meta } : undefined;
};

export type PackageTypes = Map<string, string[]>;

/** Parses package.xml (or a destructiveChanges file) into type → members. */
export const parsePackageXml = (xml: string): { types: PackageTypes; version?: string } => {
  const doc = parseXml(xml);
  const pkg = (doc.Package ?? {}) as XmlObject;
  const types: PackageTypes = new Map();
  for (const t of arr(pkg.types) as XmlObject[]) {
    const name = text(t.name) ?? '';
    types.set(name, [...(types.get(name) ?? []), ...arr(t.members).map((m) => text(m) ?? '')]);
  }
  return { types, version: text(pkg.version) };
};

/** Converts the `unpackaged` element of a SOAP retrieve request (already parsed) into type → members. */
export const packageFromRequest = (unpackaged: XmlObject | undefined): { types: PackageTypes; version?: string } => {
  const types: PackageTypes = new Map();
  for (const t of arr(unpackaged?.types) as XmlObject[]) {
    const name = text(t.name) ?? '';
    types.set(name, [...(types.get(name) ?? []), ...arr(t.members).map((m) => text(m) ?? '')]);
  }
  return { types, version: text(unpackaged?.version) };
};

export const buildPackageXml = (types: PackageTypes, version: string): string => {
  const body = [...types.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([name, members]) =>
        `    <types>\n${[...members].sort().map((m) => `        <members>${esc(m)}</members>\n`).join('')}        <name>${esc(name)}</name>\n    </types>\n`
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="${MD_NS}">\n${body}    <version>${esc(version)}</version>\n</Package>\n`;
};

export type ZipEntries = Map<string, Buffer>;

export const readZip = async (buf: Buffer): Promise<ZipEntries> => {
  const zip = await JSZip.loadAsync(buf);
  const out: ZipEntries = new Map();
  for (const [name, f] of Object.entries(zip.files)) {
    if (!f.dir) out.set(name, await f.async('nodebuffer'));
  }
  return out;
};

export const writeZip = async (entries: ZipEntries): Promise<Buffer> => {
  const zip = new JSZip();
  for (const [name, content] of entries) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
};

export type IncomingComponent = { type: string; fullName: string; xml: string; content?: Buffer; fileName: string };
export type Unpacked = {
  /** Components named in package.xml, with their metadata-format XML (and content file, if any). */
  incoming: IncomingComponent[];
  /** Components named in destructiveChanges(Pre|Post).xml. */
  destructive: Array<{ type: string; fullName: string }>;
  /** Members named in package.xml without a file, with the org's problem text. */
  missing: Array<{ type: string; fullName: string; problem: string }>;
};

/**
 * Reads a deploy zip the way the Metadata API does: one package per package.xml, at the zip root
 * (SDR's layout, singlePackage) or one folder down (`unpackaged/package.xml`, `zip/package.xml`…).
 * Types with a content file have `<file>` + `<file>-meta.xml`; the ECA types have only `<file>`, which is the XML.
 */
export const unpackDeploy = (entries: ZipEntries): Unpacked | { problem: string } => {
  const roots = [...entries.keys()]
    .filter((n) => n === 'package.xml' || /^[^/]+\/package\.xml$/.test(n))
    .map((n) => n.slice(0, -'package.xml'.length));
  if (roots.length === 0) return { problem: 'No package.xml found' };
  const out: Unpacked = { incoming: [], destructive: [], missing: [] };
  const k = (type: string, fullName: string): string => `${type}\u0000${fullName}`;
  for (const root of roots) {
    const pkg = parsePackageXml(entries.get(`${root}package.xml`)!.toString('utf8'));
    const files = new Map<string, { type: string; fullName: string; xml?: Buffer; content?: Buffer; fileName: string }>();
    for (const [name, buf] of entries) {
      if (!name.startsWith(root)) continue;
      const rel = name.slice(root.length);
      if (/^(package|destructiveChanges(Pre|Post)?)\.xml$/.test(rel)) continue;
      const res = resolvePath(rel);
      if (!res) continue;
      const f = files.get(k(res.type, res.fullName)) ?? { type: res.type, fullName: res.fullName, fileName: rel.replace(/-meta\.xml$/, '') };
      if (res.meta) f.xml = buf;
      else f.content = buf;
      files.set(k(res.type, res.fullName), f);
    }
    for (const f of files.values()) {
      if (!f.xml) {
        f.xml = f.content;
        f.content = undefined;
      }
    }
    for (const [type, members] of pkg.types) {
      const named = members.filter((m) => m !== '*');
      const wild = members.includes('*') ? [...files.values()].filter((f) => f.type === type).map((f) => f.fullName) : [];
      for (const m of new Set([...wild, ...named])) {
        const f = files.get(k(type, m));
        if (!f?.xml) {
          out.missing.push({ type, fullName: m, problem: `An object '${m}' of type ${type} was named in package.xml, but was not found in zipped directory` });
          continue;
        }
        out.incoming.push({ type, fullName: m, xml: f.xml.toString('utf8'), content: f.content, fileName: f.fileName });
      }
    }
    for (const d of ['destructiveChangesPre.xml', 'destructiveChanges.xml', 'destructiveChangesPost.xml']) {
      const buf = entries.get(`${root}${d}`);
      if (!buf) continue;
      for (const [type, members] of parsePackageXml(buf.toString('utf8')).types) {
        for (const m of members) out.destructive.push({ type, fullName: m });
      }
    }
  }
  return out;
};
