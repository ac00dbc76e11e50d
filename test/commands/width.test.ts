import { expect } from 'chai';
import { copyExample } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

const strip = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');
/** Every whitespace-separated word, a path broken after a folder joined again. */
const words = (text: string): Set<string> => new Set([...strip(text).split(/\s+/), ...strip(text).replace(/\/\n\s*/g, '/').split(/\s+/)]);
const tooLong = (text: string, width: number): string[] => strip(text).split('\n').filter((l) => l.length > width);

type ListJson = { result: { apps: Array<{ name: string; label?: string }> } };
type CheckJson = { result: { findings: Array<{ ruleId: string; path: string; line: number; col: number; message: string; action?: string }> } };
type MigrateJson = { result: { migrations: Array<{ connectedApp: string; findings: Array<{ ruleId: string; message: string }>; fields: Array<{ connectedApp: string | null; transform: string }> }> } };

describe('list, check and migrate fit the terminal (COLUMNS)', () => {
  let dir: string;
  before(() => {
    dir = copyExample();
  });

  for (const width of [80, 100]) {
    const env = { COLUMNS: String(width) };
    it(`list at ${width} columns: every line fits, every app whole`, async () => {
      const r = await runCommand(['eca', 'list'], dir, env);
      expect(r.code, r.stderr).to.equal(0);
      expect(tooLong(r.stdout, width)).to.deep.equal([]);
      const json = JSON.parse((await runCommand(['eca', 'list', '--json'], dir, env)).stdout) as ListJson;
      const all = words(r.stdout);
      for (const a of json.result.apps) {
        expect(all, a.name).to.include(a.name);
        for (const w of (a.label ?? '').split(' ').filter(Boolean)) expect(all, w).to.include(w);
      }
    });

    it(`check at ${width} columns: every line fits, the path once per file, every finding and word whole`, async () => {
      const r = await runCommand(['eca', 'check'], dir, env);
      expect(r.code).to.equal(1);
      expect(tooLong(r.stdout, width)).to.deep.equal([]);
      const json = JSON.parse((await runCommand(['eca', 'check', '--json'], dir, env)).stdout) as CheckJson;
      const joined = strip(r.stdout).replace(/\/\n\s*/g, '/');
      const all = words(r.stdout);
      for (const p of new Set(json.result.findings.map((f) => f.path))) expect(joined.split(p), p).to.have.length(2);
      for (const f of json.result.findings) {
        expect(r.stdout).to.match(new RegExp(`^ {2}${f.line}:${f.col} {2}\\w+ {2}${f.ruleId} `, 'm'));
        for (const w of `${f.message} ${f.action ?? ''}`.split(' ').filter((x) => x !== '' && x.length <= width - 8)) expect(all, w).to.include(w);
      }
    });

    it(`migrate --all --dry-run --accept-weaker at ${width} columns: every line of the report fits, every field and finding present`, async () => {
      const r = await runCommand(['eca', 'migrate', '--all', '--dry-run', '--accept-weaker'], dir, env);
      expect(r.code, r.stderr).to.equal(0);
      // the report; the files previewed after it are XML as it will be written
      const report = r.stdout.slice(0, r.stdout.indexOf('\n--- '));
      expect(tooLong(report, width)).to.deep.equal([]);
      const json = JSON.parse((await runCommand(['eca', 'migrate', '--all', '--dry-run', '--accept-weaker', '--json'], dir, env)).stdout) as MigrateJson;
      const all = words(report);
      for (const m of json.result.migrations) {
        expect(all).to.include(m.connectedApp);
        // a field's path may break after a folder inside its column, never elsewhere
        for (const f of m.fields.filter((x) => x.connectedApp !== null && x.transform !== 'copied')) for (const w of (f.connectedApp ?? '').split(' ')) expect(all.has(w) || w.split(/(?<=\/)/).every((piece) => all.has(piece)), w).to.equal(true);
        for (const f of m.findings) {
          expect(all).to.include(f.ruleId);
          for (const w of f.message.split(' ')) expect(all, w).to.include(w);
        }
        const copied = m.fields.filter((x) => x.connectedApp !== null && x.transform === 'copied').length;
        expect(report).to.include(`${copied} more fields copied unchanged (--verbose lists them).`);
      }
    });
  }

  it('migrate --verbose lists the fields copied unchanged too', async () => {
    const r = await runCommand(['eca', 'migrate', '--all', '--dry-run', '--accept-weaker', '--verbose'], dir, { COLUMNS: '100' });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('contactEmail');
    expect(r.stdout).not.to.include('copied unchanged (--verbose');
  });

  it('without COLUMNS (a pipe) the width is 80', async () => {
    const r = await runCommand(['eca', 'check'], dir, { COLUMNS: undefined });
    expect(tooLong(r.stdout, 80)).to.deep.equal([]);
    expect(tooLong((await runCommand(['eca', 'check'], dir, { COLUMNS: '200' })).stdout, 80)).to.not.deep.equal([]);
  });
});
