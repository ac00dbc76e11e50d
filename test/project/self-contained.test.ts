/*
 * A fresh clone runs every test with nothing beside it: the real-world corpus is vendored in
 * test/fixtures/corpus/ with its provenance, git keeps its bytes, nothing reads the sibling folder the
 * corpus came from, and the licence package.json names is in the repository.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { expect } from 'chai';
import { CORPUS, PROJECT_ROOT } from '../support/helpers.js';

const FOLDERS = ['src', 'test', 'bench', 'scripts', '.ci', 'bin', 'examples', 'messages', 'schemas'];
const ROOT_FILES = ['package.json', '.mocharc.json', '.mocharc.sf.json', 'tsconfig.json', 'eslint.config.mjs', '.gitignore', '.gitattributes'];
/** Third-party data, not ours to read for paths. */
const NOT_SCANNED = [join('test', 'fixtures', 'corpus')];

/** Ways of naming the sibling folder the corpus used to be read from (written so that this file matches none). */
const OUTSIDE = [/\.\.[/\\]+shared\b/, /['"`]\.\.['"`]\s*,\s*['"`]shared['"`]/, /\bshared[/\\]corpus\b/];

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (NOT_SCANNED.includes(relative(PROJECT_ROOT, p))) return [];
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });

const corpusFiles = (): string[] =>
  ['eca', 'connectedApp'].flatMap((kind) => readdirSync(join(CORPUS, kind)).map((f) => `${kind}/${f}`)).sort();

type Row = { kind: string; repo: string; path: string; commit: string; file: string; notes: string };

const provenance = (): Row[] => {
  const [header, ...lines] = readFileSync(join(CORPUS, 'PROVENANCE.tsv'), 'utf8').split('\n').filter(Boolean);
  expect(header).to.equal(['kind', 'repo', 'path', 'commit', 'file', 'notes'].join('\t'));
  return lines.map((line) => {
    const cells = line.split('\t');
    expect(cells, line).to.have.length(6);
    const [kind, repo, path, commit, file, notes] = cells as [string, string, string, string, string, string];
    return { kind, repo, path, commit, file, notes };
  });
};

describe('the repository is self-contained', () => {
  it('no source, test, bench, script or config file reads the sibling shared folder', () => {
    const files = [...FOLDERS.filter((d) => existsSync(join(PROJECT_ROOT, d))).flatMap((d) => filesUnder(join(PROJECT_ROOT, d))), ...ROOT_FILES.map((f) => join(PROJECT_ROOT, f)).filter((f) => existsSync(f))];
    expect(files.length).to.be.greaterThan(100);
    const hits = files.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return OUTSIDE.filter((re) => re.test(text)).map((re) => `${relative(PROJECT_ROOT, f)}: ${String(re)}`);
    });
    expect(hits).to.deep.equal([]);
  });

  it('the test helpers read the corpus from test/fixtures/corpus', () => {
    expect(relative(PROJECT_ROOT, CORPUS).split(sep)).to.deep.equal(['test', 'fixtures', 'corpus']);
    expect(corpusFiles().filter((f) => f.startsWith('eca/')).length).to.be.greaterThan(20);
    expect(corpusFiles().filter((f) => f.startsWith('connectedApp/')).length).to.be.greaterThan(20);
  });

  it('PROVENANCE.tsv names the repository, path and commit of exactly the vendored files', () => {
    const rows = provenance();
    expect(rows.map((r) => `${r.kind}/${r.file}`).sort()).to.deep.equal(corpusFiles());
    for (const r of rows) {
      expect(r.kind, r.file).to.be.oneOf(['eca', 'connectedApp']);
      expect(r.repo, r.file).to.match(/^[\w.-]+\/[\w.-]+$/);
      expect(r.commit, r.file).to.match(/^[0-9a-f]{40}$/);
      expect(r.file, r.file).to.equal(`${r.repo.replace('/', '__')}__${r.path.split('/').pop() as string}`);
    }
  });

  it('every vendored file still has the bytes it was copied with (SHA256SUMS)', () => {
    const sums = readFileSync(join(CORPUS, 'SHA256SUMS'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => /^([0-9a-f]{64}) {2}(.+)$/.exec(line) as RegExpExecArray);
    expect(sums.map((m) => m[2]).sort()).to.deep.equal(corpusFiles());
    for (const [, sum, file] of sums) {
      expect(createHash('sha256').update(readFileSync(join(CORPUS, file as string))).digest('hex'), file).to.equal(sum);
    }
  });

  it('git keeps the corpus bytes: .gitattributes marks test/fixtures/corpus/** -text', () => {
    const lines = readFileSync(join(PROJECT_ROOT, '.gitattributes'), 'utf8').split('\n').map((l) => l.trim());
    expect(lines).to.include('test/fixtures/corpus/** -text');
    const sample = join('test', 'fixtures', 'corpus', corpusFiles()[0] as string);
    const r = spawnSync('git', ['check-attr', 'text', '--', sample], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    // Outside a git checkout (or without git) only the file itself can be checked.
    if (r.status === 0) expect(r.stdout.trim()).to.equal(`${sample}: text: unset`);
  });

  it('has the Apache-2.0 LICENSE package.json names', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { license: string; files: string[] };
    expect(pkg.license).to.equal('Apache-2.0');
    const license = readFileSync(join(PROJECT_ROOT, 'LICENSE'), 'utf8');
    expect(statSync(join(PROJECT_ROOT, 'LICENSE')).size).to.be.greaterThan(11_000);
    expect(license).to.match(/^\s+Apache License\n\s+Version 2\.0, January 2004\n\s+http:\/\/www\.apache\.org\/licenses\/\n/);
    expect(license).to.include('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(license).to.include('END OF TERMS AND CONDITIONS');
    expect(license).to.include('Copyright 2026 eca-tools contributors');
    expect(license).to.not.include('[yyyy]');
    // npm packs LICENSE whatever "files" says; nothing in "files" may exclude it.
    expect(pkg.files.filter((f) => f.startsWith('!'))).to.deep.equal([]);
  });
});
