/*
 * The contract a pipeline can rely on: command-snapshot.json (every command, its aliases, flags, flag characters and
 * flag aliases) and schemas/<topic>-<command>.json (a draft-07 JSON schema of each command's `--json` result), in the
 * formats @oclif/plugin-command-snapshot writes (snapshot:generate, schema:generate), so that its snapshot:compare and
 * schema:compare read them too.
 *
 *   npm run contract:generate   rewrites both from the sources
 *   npm run contract:check      fails, saying what changed, when the committed files differ (test/project/contract.test.ts does the same)
 *
 * Why not the plugin itself: it runs as an oclif dev plugin of the CLI and builds one TypeScript program per command
 * (about a minute here); this builds one program for all result types. Both parts reuse the same libraries it does:
 * @oclif/core loads the commands the way `oclif manifest` does, and ts-json-schema-generator writes the schemas.
 * schemas/eca-config.schema.json and eca-migrate-plan.schema.json are not part of this: they are the configuration schema
 * (npm run schema) and the migration plan's (tsx scripts/plan-schema.ts).
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Config, settings } from '@oclif/core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SNAPSHOT_FILE = 'command-snapshot.json';
export const SCHEMAS_DIR = 'schemas';
/** Files in schemas/ that are not command results. */
export const NOT_RESULT_SCHEMAS: readonly string[] = ['eca-config.schema.json', 'eca-migrate-plan.schema.json'];
export const UPDATE_HINT = 'npm run contract:generate';

/** One command, as @oclif/plugin-command-snapshot's snapshot:generate writes it. */
export type SnapshotEntry = {
  alias: string[];
  command: string;
  flagAliases: string[];
  flagChars: string[];
  flags: string[];
  plugin: string;
};

export type ResultType = { command: string; file: string; type: string };

type JsonSchema = Record<string, unknown>;
type SchemaGenerator = { createSchema(type: string): JsonSchema };
type GeneratorModule = { createGenerator(config: Record<string, unknown>): SchemaGenerator };

/** The commands as oclif sees them, from the sources (not from a stale build or manifest), sorted by id. */
export const commandSnapshot = async (root = ROOT): Promise<SnapshotEntry[]> => {
  settings.enableAutoTranspile = true;
  const config = await Config.load({ root, ignoreManifest: true, errorOnManifestCreate: true });
  const devPlugins = (config.pjson.oclif as { devPlugins?: string[] }).devPlugins ?? [];
  return config.commands
    .filter((c) => !devPlugins.includes(c.pluginName ?? ''))
    .filter((c) => !c.aliases.includes(c.id))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((c) => {
      const flags = Object.values(c.flags) as Array<{ aliases?: string[]; char?: string }>;
      return {
        alias: [...c.aliases],
        command: c.id,
        flagAliases: flags.flatMap((f) => f.aliases ?? []).filter(Boolean).sort(),
        flagChars: flags.map((f) => f.char ?? '').filter(Boolean).sort(),
        flags: Object.keys(c.flags).sort(),
        plugin: c.pluginName ?? '',
      };
    });
};

/** schema:generate's file name: "-" becomes "__", ":" becomes "-" (eca:list → eca-list.json). */
export const schemaFileName = (commandId: string): string => `${commandId.replaceAll('-', '__').replaceAll(':', '-')}.json`;

const commandsDir = (root: string): string => join(root, 'src', 'commands');

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []
  );

/** Each command file's `run()` return type (the same reading schema:generate does), by command id. */
export const resultTypes = (root = ROOT): ResultType[] =>
  filesUnder(commandsDir(root))
    .sort()
    .map((file) => {
      const command = relative(commandsDir(root), file).replace(/\.ts$/, '').split(/[\\/]/).join(':');
      const type = /async\s+run\(\)\s*:\s*Promise<\s*([A-Za-z_$][\w$]*)\s*>/.exec(readFileSync(file, 'utf8'))?.[1];
      if (!type) throw new Error(`${relative(root, file)}: run() must return Promise<NamedResultType> for the JSON schema of ${command}`);
      if (['any', 'unknown', 'void', 'JsonMap', 'JsonCollection', 'AnyJson'].includes(type)) {
        throw new Error(`${relative(root, file)}: ${type} is too vague a result type for ${command}; export a named type`);
      }
      return { command, file, type };
    });

/**
 * ts-json-schema-generator, from node_modules (it is a devDependency), or, where node_modules is shared and not yet
 * installed again, from a folder named by ECA_CONTRACT_DEPS (npm install --prefix <folder> ts-json-schema-generator).
 */
const loadGenerator = async (root: string): Promise<GeneratorModule> => {
  const candidates = [root, ...(process.env.ECA_CONTRACT_DEPS ? [resolve(process.env.ECA_CONTRACT_DEPS)] : [])];
  for (const base of candidates) {
    let path: string;
    try {
      path = createRequire(join(base, 'package.json')).resolve('ts-json-schema-generator');
    } catch {
      continue;
    }
    const mod = (await import(pathToFileURL(path).href)) as GeneratorModule & { default?: GeneratorModule };
    return typeof mod.createGenerator === 'function' ? mod : mod.default!;
  }
  throw new Error('ts-json-schema-generator is not installed: run npm install (it is a devDependency), or set ECA_CONTRACT_DEPS to a folder where it is installed');
};

/** One draft-07 schema per command result type, from one TypeScript program over all command files. */
export const resultSchemas = async (root = ROOT, types = resultTypes(root)): Promise<Map<string, JsonSchema>> => {
  const generator = (await loadGenerator(root)).createGenerator({
    path: join(commandsDir(root), '**', '*.ts').split('\\').join('/'),
    tsconfig: join(root, 'tsconfig.json'),
    skipTypeCheck: true,
  });
  const out = new Map<string, JsonSchema>();
  for (const { command, file, type } of types) {
    try {
      out.set(command, generator.createSchema(type));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${relative(root, file)}: no JSON schema for ${type} (${command}): ${message}`);
    }
  }
  return out;
};

/** Every contract file (path relative to the root → content), as `contract:generate` writes them. */
export const contractFiles = async (root = ROOT): Promise<Map<string, string>> => {
  const snapshot = await commandSnapshot(root);
  const types = resultTypes(root);
  const listed = new Set(snapshot.map((e) => e.command));
  const missing = types.filter((t) => !listed.has(t.command)).map((t) => t.command);
  if (missing.length > 0) throw new Error(`command files oclif does not load: ${missing.join(', ')}`);
  const files = new Map<string, string>([[SNAPSHOT_FILE, `${JSON.stringify(snapshot, null, 4)}\n`]]);
  for (const [command, schema] of await resultSchemas(root, types)) {
    files.set(`${SCHEMAS_DIR}/${schemaFileName(command)}`, `${JSON.stringify(schema, null, 2)}\n`);
  }
  return files;
};

/** The committed contract files (result schemas and the snapshot), path → content. */
export const committedFiles = (root = ROOT): Map<string, string> => {
  const files = new Map<string, string>();
  if (existsSync(join(root, SNAPSHOT_FILE))) files.set(SNAPSHOT_FILE, readFileSync(join(root, SNAPSHOT_FILE), 'utf8'));
  const dir = join(root, SCHEMAS_DIR);
  for (const name of existsSync(dir) ? readdirSync(dir).sort() : []) {
    if (name.endsWith('.json') && !NOT_RESULT_SCHEMAS.includes(name)) files.set(`${SCHEMAS_DIR}/${name}`, readFileSync(join(dir, name), 'utf8'));
  }
  return files;
};

const parse = (text: string | undefined): unknown => (text === undefined ? undefined : JSON.parse(text));

/** Paths inside two JSON values where they differ (a.b[2].c: before → after), at most `limit`. */
export const jsonDifferences = (before: unknown, after: unknown, path = '', limit = 20): string[] => {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, p: string): void => {
    if (out.length >= limit) return;
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (isObj(a) && isObj(b)) {
      for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[k], b[k], p ? `${p}.${k}` : k);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.every((x) => typeof x === 'string') && b.every((x) => typeof x === 'string')) {
      const added = b.filter((x) => !a.includes(x));
      const removed = a.filter((x) => !b.includes(x));
      if (added.length + removed.length > 0) {
        out.push(`${p || '(root)'}: ${[...added.map((x) => `+${x}`), ...removed.map((x) => `-${x}`)].join(' ')}`);
        return;
      }
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((x, i) => walk(x, b[i], `${p}[${i}]`));
      return;
    }
    const show = (v: unknown): string => (v === undefined ? '(none)' : JSON.stringify(v).slice(0, 120));
    out.push(`${p || '(root)'}: ${show(a)} → ${show(b)}`);
  };
  walk(before, after, path);
  return out;
};

/** What changed in the snapshot, command by command. */
const snapshotChanges = (before: SnapshotEntry[], after: SnapshotEntry[]): string[] => {
  const byId = (list: SnapshotEntry[]): Map<string, SnapshotEntry> => new Map(list.map((e) => [e.command, e]));
  const [a, b] = [byId(before), byId(after)];
  const out: string[] = [];
  for (const id of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const [x, y] = [a.get(id), b.get(id)];
    if (!x) out.push(`command ${id} added`);
    else if (!y) out.push(`command ${id} removed`);
    else {
      for (const key of ['alias', 'flags', 'flagChars', 'flagAliases', 'plugin'] as const) {
        const diff = jsonDifferences(x[key], y[key]);
        if (diff.length > 0) out.push(`command ${id}: ${key} ${diff.map((d) => d.replace(/^\(root\): /, '')).join('; ')}`);
      }
    }
  }
  return out;
};

/** Human-readable differences between the committed files and freshly generated ones; empty when they agree. */
export const describeChanges = (committed: Map<string, string>, generated: Map<string, string>): string[] => {
  const out: string[] = [];
  for (const path of [...new Set([...committed.keys(), ...generated.keys()])].sort()) {
    const [was, now] = [committed.get(path), generated.get(path)];
    if (was === now) continue;
    if (was === undefined) {
      out.push(`${path} is missing (new command or result schema)`);
    } else if (now === undefined) {
      out.push(`${path} is committed but no command produces it (command removed or renamed)`);
    } else if (path === SNAPSHOT_FILE) {
      const changes = snapshotChanges(parse(was) as SnapshotEntry[], parse(now) as SnapshotEntry[]);
      out.push(...(changes.length > 0 ? changes.map((c) => `${path}: ${c}`) : [`${path}: formatting or order differs`]));
    } else {
      const type = /#\/definitions\/([^"]+)/.exec(now)?.[1] ?? '';
      const diff = jsonDifferences(parse(was), parse(now));
      out.push(`${path} (${decodeURIComponent(type)}): ${diff.length > 0 ? diff.join('; ') : 'formatting or order differs'}`);
    }
  }
  return out;
};

/** Writes the generated files and removes result schemas no command produces; returns what it wrote and removed. */
export const writeContract = async (root = ROOT): Promise<{ written: string[]; removed: string[] }> => {
  const generated = await contractFiles(root);
  const removed = [...committedFiles(root).keys()].filter((p) => !generated.has(p));
  for (const p of removed) rmSync(join(root, p));
  const written: string[] = [];
  for (const [p, text] of generated) {
    const full = join(root, p);
    if (!existsSync(full) || readFileSync(full, 'utf8') !== text) {
      writeFileSync(full, text);
      written.push(p);
    }
  }
  return { written, removed };
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const mode = process.argv[2] ?? 'generate';
    if (mode === 'generate') {
      const { written, removed } = await writeContract();
      for (const p of written) process.stdout.write(`wrote ${p}\n`);
      for (const p of removed) process.stdout.write(`removed ${p}\n`);
      if (written.length + removed.length === 0) process.stdout.write('command-snapshot.json and schemas/ are up to date\n');
    } else if (mode === 'check') {
      const changes = describeChanges(committedFiles(), await contractFiles());
      if (changes.length > 0) {
        process.stderr.write(`The command contract changed:\n${changes.map((c) => `  ${c}`).join('\n')}\nIf intended, run: ${UPDATE_HINT}, and commit the files.\n`);
        process.exitCode = 1;
      } else process.stdout.write('command-snapshot.json and schemas/ match the commands\n');
    } else {
      process.stderr.write('usage: tsx scripts/contract.ts [generate|check]\n');
      process.exitCode = 2;
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
