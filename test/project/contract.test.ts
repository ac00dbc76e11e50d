/*
 * The contract a pipeline can rely on: command-snapshot.json (commands, aliases, flags, flag characters, flag
 * aliases) and schemas/eca-<command>.json (each command's --json result) are what the sources produce, in the formats
 * @oclif/plugin-command-snapshot writes; and the commands' --json results (every command, run in-process, the org
 * ones against the emulator) match them. Regenerates both in memory (scripts/contract.ts, one TypeScript program for
 * every result type: about 5 s, most of the file's time). The packed plugin inside the real sf: test/sf.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import AjvModule from 'ajv';
import {
  committedFiles,
  contractFiles,
  describeChanges,
  NOT_RESULT_SCHEMAS,
  resultTypes,
  schemaFileName,
  SCHEMAS_DIR,
  SNAPSHOT_FILE,
  UPDATE_HINT,
  type SnapshotEntry,
} from '../../scripts/contract.js';
import { useEmulatorOrg } from '../support/emulator/index.js';
import { copyExample, PROJECT_ROOT } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

type Validator = ((data: unknown) => boolean) & { errors?: unknown };
const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as new (o: object) => {
  compile(s: object): Validator;
};

const failure = (changes: string[]): string =>
  `The command contract changed:\n${changes.map((c) => `  ${c}`).join('\n')}\nIf intended (mind the deprecation policy for removed or renamed flags), run: ${UPDATE_HINT}, and commit command-snapshot.json and schemas/.`;

describe('the command contract (command-snapshot.json, schemas/eca-<command>.json)', function () {
  this.timeout(120_000);
  let generated: Map<string, string>;
  let committed: Map<string, string>;

  before(async () => {
    generated = await contractFiles(PROJECT_ROOT);
    committed = committedFiles(PROJECT_ROOT);
  });

  const only = (files: Map<string, string>, keep: (path: string) => boolean): Map<string, string> =>
    new Map([...files].filter(([p]) => keep(p)));

  it(`command-snapshot.json lists every command with its aliases, flags, flag characters and flag aliases (${UPDATE_HINT})`, () => {
    const isSnapshot = (p: string): boolean => p === SNAPSHOT_FILE;
    const changes = describeChanges(only(committed, isSnapshot), only(generated, isSnapshot));
    expect(changes, failure(changes)).to.deep.equal([]);
  });

  it(`schemas/eca-<command>.json is the JSON schema of each command's --json result type (${UPDATE_HINT})`, () => {
    const isSchema = (p: string): boolean => p.startsWith(`${SCHEMAS_DIR}/`);
    const changes = describeChanges(only(committed, isSchema), only(generated, isSchema));
    expect(changes, failure(changes)).to.deep.equal([]);
  });

  it('covers all twelve commands of one plugin, each with a named result type and a schema file', () => {
    const snapshot = JSON.parse(readFileSync(join(PROJECT_ROOT, SNAPSHOT_FILE), 'utf8')) as SnapshotEntry[];
    const ids = snapshot.map((e) => e.command);
    expect(ids).to.deep.equal(['audit', 'baseline', 'check', 'deploy', 'diff', 'fix', 'generate', 'list', 'migrate', 'retrieve', 'set', 'show'].map((v) => `eca:${v}`));
    expect(new Set(snapshot.map((e) => e.plugin))).to.deep.equal(new Set(['@eca-tools/plugin-eca']));
    expect(resultTypes(PROJECT_ROOT).map((t) => [t.command, t.type])).to.deep.equal(
      ids.map((id) => [id, `Eca${id.slice(4, 5).toUpperCase()}${id.slice(5)}Result`])
    );
    for (const e of snapshot) {
      expect(e.flags, e.command).to.include.members(['json', 'flags-dir']);
      expect(new Set(e.flagChars).size, `${e.command}: a short flag character used twice`).to.equal(e.flagChars.length);
      const names = [...e.flags, ...e.flagChars, ...e.flagAliases];
      expect(new Set(names).size, `${e.command}: a flag, character or alias used twice`).to.equal(names.length);
      const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, SCHEMAS_DIR, schemaFileName(e.command)), 'utf8')) as Record<string, unknown>;
      expect(schema.$schema).to.equal('http://json-schema.org/draft-07/schema#');
    }
    // the configuration schema (npm run schema) is not a command result: left alone, never reported as stale
    expect(NOT_RESULT_SCHEMAS).to.include('eca-config.schema.json');
    expect(committed.has(`${SCHEMAS_DIR}/eca-config.schema.json`)).to.equal(false);
    expect(JSON.parse(readFileSync(join(PROJECT_ROOT, SCHEMAS_DIR, 'eca-config.schema.json'), 'utf8'))).to.have.property('$schema');
  });

  it('names the command, flag and type that changed, and how to update', () => {
    const snapshot = JSON.parse(generated.get(SNAPSHOT_FILE)!) as SnapshotEntry[];
    const edited = snapshot.map((e) => (e.command === 'eca:list' ? { ...e, flags: e.flags.filter((f) => f !== 'source-dir'), flagChars: [] } : e));
    const was = new Map(generated).set(SNAPSHOT_FILE, JSON.stringify(edited));
    const listSchema = JSON.parse(generated.get(`${SCHEMAS_DIR}/eca-list.json`)!) as { definitions: { EcaListResult: { required: string[] } } };
    listSchema.definitions.EcaListResult.required = ['apps'];
    was.set(`${SCHEMAS_DIR}/eca-list.json`, JSON.stringify(listSchema));
    was.set(`${SCHEMAS_DIR}/eca-gone.json`, '{}');
    const message = failure(describeChanges(was, generated));
    expect(message).to.include('command-snapshot.json: command eca:list: flags +source-dir');
    expect(message).to.include('command-snapshot.json: command eca:list: flagChars +d');
    expect(message).to.include('schemas/eca-list.json (EcaListResult): definitions.EcaListResult.required: +problems');
    expect(message).to.include('schemas/eca-gone.json is committed but no command produces it');
    expect(message).to.include(UPDATE_HINT);
  });

  describe("the commands' --json results match the schemas", () => {
    const validators = new Map<string, Validator>();
    /** What the schema of `command` finds wrong in `result` ("<path> <message>"), empty when it validates. */
    const mismatches = (command: string, result: unknown): string[] => {
      if (!validators.has(command)) {
        const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, SCHEMAS_DIR, schemaFileName(command)), 'utf8')) as object;
        validators.set(command, new Ajv({ allErrors: true, strict: false }).compile(schema));
      }
      const validate = validators.get(command)!;
      if (validate(result)) return [];
      return (validate.errors as Array<{ instancePath: string; message?: string }>).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    };
    /**
     * Known differences between a result type and what the command returns, by run. Each is a bug in the command,
     * not in the schema: a boolean flag without `default: false` is undefined when not given, so the result's
     * `dryRun`/`checkOnly` (typed boolean) is left out of the JSON. Remove the entry when the command is fixed.
     */
    // Runs whose --json result is known not to match its schema (none: a boolean flag's field is always there).
    const KNOWN: Readonly<Record<string, readonly string[]>> = {};
    const expectMatches = (label: string, command: string, r: { stdout: string; stderr: string }): void => {
      const json = JSON.parse(r.stdout) as { status: number; result?: unknown };
      expect(json.result, `${label}\n${r.stdout.slice(0, 500)}\n${r.stderr}`).to.not.equal(undefined);
      const known = KNOWN[label] ?? [];
      expect(mismatches(command, json.result), `${label}: its --json result does not match schemas/${schemaFileName(command)}${known.length > 0 ? ' (KNOWN lists what it used to get wrong: remove what was fixed)' : ''}`).to.deep.equal(known);
    };

    // In order, on one copy of the example project: the writing runs after the dry runs.
    const runs: string[][] = [
      ['eca', 'list'],
      ['eca', 'show', '--name', 'Partner_Portal'],
      ['eca', 'show', '--name', 'Legacy_Data_Loader'],
      ['eca', 'check'],
      ['eca', 'check', '--list-rules'],
      ['eca', 'fix', '--dry-run', '--include-breaking'],
      ['eca', 'set', '--name', 'Partner_Portal', '--pkce', 'on', '--dry-run'],
      ['eca', 'generate', '-n', 'New_App', '-t', 'web-server', '-e', 'owner@example.com', '--callback-url', 'https://a.example.com/cb', '--permission-set', 'New_App_Users', '--dry-run'],
      ['eca', 'migrate', '--all', '--dry-run', '--accept-weaker'],
      ['eca', 'fix', '--include-breaking'],
      ['eca', 'set', '--name', 'Partner_Portal', '--pkce', 'on'],
      ['eca', 'generate', '-n', 'Second_App', '-t', 'web-server', '-e', 'owner@example.com', '--callback-url', 'https://b.example.com/cb', '--permission-set', 'Second_App_Users'],
      ['eca', 'migrate', '--all', '--accept-weaker'],
    ];
    let dir: string;
    before(() => {
      dir = copyExample();
    });
    for (const args of runs) {
      const label = args.join(' ');
      it(label, async () => expectMatches(label, `${args[0]}:${args[1]}`, await runCommand([...args, '--json'], dir)));
    }

    describe('against the org emulator', () => {
      const org = useEmulatorOrg();
      it('eca deploy, diff, baseline, diff --baseline, retrieve and audit, in that order', async () => {
        const work = copyExample();
        const runsOnOrg: string[][] = [
          ['deploy', '--name', 'Order_Sync', '--dry-run'],
          ['baseline', '--output-file', 'empty-org.json'],
          ['deploy', '--name', 'Order_Sync'],
          ['diff', '--name', 'Order_Sync'],
          ['baseline', '--output-file', 'baseline.json'],
          ['diff', '--baseline', 'baseline.json'],
          // differences against a baseline (Order_Sync is new in the org since empty-org.json)
          ['diff', '--baseline', 'empty-org.json'],
          ['retrieve', '--name', 'Order_Sync', '--dry-run'],
          ['retrieve', '--all'],
          ['audit'],
        ];
        for (const args of runsOnOrg) {
          const r = await runCommand(['eca', ...args, '--target-org', 'emu', '--json'], work, org.env);
          expectMatches(['eca', ...args].join(' '), `eca:${args[0]}`, r);
        }
      });
    });
  });
});
