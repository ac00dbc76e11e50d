/*
 * The pull-request summary (--format markdown), the step summary (GITHUB_STEP_SUMMARY) and the GitHub Actions example.
 *
 * No markdown parser is installed (no marked, markdown-it, remark/mdast or micromark), so the GFM tables are parsed
 * here, strictly: every table line starts and ends with a pipe, cells are split on unescaped pipes only (as GFM
 * does, code spans included), every row has the header's column count, the delimiter row follows the header, no
 * cell holds a raw newline or HTML other than <br>, and links are [text](destination) with no space or parenthesis
 * in the destination. The workflow is parsed as YAML with js-yaml, resolved through mocha (which depends on it), so
 * the test needs no package the project does not already bring.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect } from 'chai';
import { copyExample, PROJECT_ROOT, tempDir } from '../support/helpers.js';
import { runCommand } from '../support/run.js';
import { GITHUB_COMMENT_LIMIT, mdCell, renderMarkdown } from '../../src/render/markdown.js';
import type { Finding } from '../../src/core/rules/types.js';
import { ruleInfos } from '../../src/cli/check.js';

/** No GitHub Actions variables: the runs behave as on a workstation even when the tests run in Actions. */
const NO_GITHUB = { GITHUB_STEP_SUMMARY: undefined, GITHUB_SERVER_URL: undefined, GITHUB_REPOSITORY: undefined, GITHUB_SHA: undefined, GITHUB_WORKSPACE: undefined };

type Table = { header: string[]; rows: string[][] };

/** Splits a table line into cells on unescaped pipes; the line must start and end with one. */
const cellsOf = (line: string): string[] => {
  expect(line, line).to.match(/^\| .* \|$/);
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      cell += ch + line[i + 1]!;
      i++;
    } else if (ch === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  expect(cell, `${line}: text after the last pipe`).to.equal('');
  return cells;
};

/** Every GFM table of a markdown text, checked strictly (see the header). */
const tablesOf = (text: string): Table[] => {
  const lines = text.split('\n');
  const tables: Table[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|')) continue;
    const header = cellsOf(lines[i]!);
    const delimiter = cellsOf(lines[i + 1] ?? '');
    expect(delimiter.length, lines[i + 1]).to.equal(header.length);
    for (const d of delimiter) expect(d).to.match(/^:?-{3,}:?$/);
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j]!.startsWith('|'); j++) {
      const cells = cellsOf(lines[j]!);
      expect(cells.length, lines[j]).to.equal(header.length);
      for (const c of cells) {
        // HTML: only <br> (the escaped newline); everything else is an entity.
        expect(c.replace(/<br>/g, ''), c).to.not.match(/[<>]/);
        // backticks: escaped, or pairs of our own code spans
        expect((c.replace(/\\./g, '').match(/`/g) ?? []).length % 2, c).to.equal(0);
      }
      rows.push(cells);
    }
    // a table ends with a blank line (else the next paragraph would be read as a row)
    expect(lines[j] ?? '', `line after the table at ${i + 1}`).to.equal('');
    tables.push({ header, rows });
    i = j;
  }
  return tables;
};

/** The [text](destination) links of a cell. */
const linksOf = (cell: string): Array<{ text: string; href: string }> =>
  [...cell.matchAll(/\[((?:\\.|[^\]\\])*)\]\(([^()\s]*)\)/g)].map((m) => ({ text: m[1]!, href: m[2]! }));

/** A cell as it reads once rendered: backslash escapes and entities undone. */
const plain = (cell: string): string =>
  cell.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

type CheckJson = {
  result: {
    findings: Array<{ ruleId: string; app: string; severity: string; path: string; line: number; message: string; waived?: unknown }>;
    summary: { error: number; warning: number; info: number; waived: number; apps: number };
    failed: boolean;
  };
};

describe('eca check --format markdown (a pull-request summary)', () => {
  let dir: string;
  let json: CheckJson;
  before(async () => {
    dir = copyExample();
    json = JSON.parse((await runCommand(['eca', 'check', '--json'], dir, NO_GITHUB)).stdout) as CheckJson;
  });

  it('has the verdict, the counts of --json, and a row per error and warning with links to the rule and the line', async () => {
    const r = await runCommand(['eca', 'check', '--format', 'markdown'], dir, NO_GITHUB);
    expect(r.code).to.equal(1);
    const md = r.stdout;
    expect(md.split('\n')[0]).to.equal('## ❌ sf eca check: failed at --fail-on error');
    const { summary } = json.result;
    expect(md).to.include(`${summary.error} errors, ${summary.warning} warnings, ${summary.info} info in ${summary.apps} apps`);
    const tables = tablesOf(md);
    // counts, errors and warnings, info (collapsed), all (collapsed)
    expect(tables).to.have.length(4);
    const [counts, main, info, all] = tables as [Table, Table, Table, Table];
    expect(counts.header).to.deep.equal(['Errors', 'Warnings', 'Info', 'Waived']);
    expect(counts.rows).to.deep.equal([[summary.error, summary.warning, summary.info, summary.waived].map(String)]);
    expect(main.header).to.deep.equal(['Severity', 'Rule', 'App', 'Location', 'Message', 'What to do']);

    const helpUri = new Map(ruleInfos().map((r) => [r.id, r.helpUri]));
    const expected = json.result.findings.filter((f) => !f.waived && f.severity !== 'info');
    expect(summary.error).to.be.greaterThan(0);
    expect(main.rows).to.have.length(expected.length);
    for (const f of expected) {
      const row = main.rows.find((cells) => linksOf(cells[1]!)[0]?.text === f.ruleId && plain(cells[2]!) === f.app && plain(cells[4]!) === f.message);
      expect(row, `${f.ruleId} ${f.app}`).to.not.equal(undefined);
      expect(row![0]).to.include(f.severity);
      expect(linksOf(row![1]!)[0]!.href).to.equal(helpUri.get(f.ruleId));
      const [location] = linksOf(row![3]!);
      expect(plain(location!.text)).to.equal(`${f.path}:${f.line}`);
      // relative to the folder the check ran in (no GitHub Actions variables)
      expect(decodeURI(location!.href)).to.equal(`${f.path}#L${f.line}`);
      expect(existsSync(join(dir, f.path))).to.equal(true);
    }
    // fix commands and actions
    expect(md).to.include('`sf eca fix --rule ECA-POL-010 --include-breaking` (breaking, needs --include-breaking): set ipRelaxationPolicyType to Enforce');
    expect(info.rows).to.have.length(summary.info);
    expect(all.rows).to.have.length(json.result.findings.length);
    expect(md).to.match(/<details>\n<summary>2 info findings<\/summary>\n\n\|/);
    expect(md).to.not.include('… and');
    expect(md).to.not.include('EXAMPLE0FAKE0SECRET');
  });

  it('says passed below the threshold, and writes the summary with --output-file', async () => {
    const r = await runCommand(['eca', 'check', '--format', 'markdown', '--fail-on', 'never', '--output-file', 'out/eca.md'], dir, NO_GITHUB);
    expect(r.code).to.equal(0);
    const md = readFileSync(join(dir, 'out', 'eca.md'), 'utf8');
    expect(md.split('\n')[0]).to.equal('## ✅ sf eca check: passed (--fail-on never)');
    tablesOf(md);
    const ok = await runCommand(['eca', 'check', '--format', 'markdown', '--rule', 'ECA-CA-001'], dir, NO_GITHUB);
    expect(ok.code).to.equal(0);
    expect(ok.stdout.split('\n')[0]).to.equal('## ✅ sf eca check: passed at --fail-on error');
    expect(ok.stdout).to.include('### Errors and warnings\n\nNone.\n');
  });

  it('links to the commit on GitHub in GitHub Actions', async () => {
    const r = await runCommand(['eca', 'check', '--format', 'markdown'], dir, {
      ...NO_GITHUB,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/salesforce',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_WORKSPACE: join(dir, '..'),
    });
    const folder = dir.split(/[/\\]/).pop()!;
    const [, main] = tablesOf(r.stdout) as [Table, Table];
    for (const row of main.rows) {
      expect(linksOf(row[3]!)[0]!.href).to.match(new RegExp(`^https://github\\.com/acme/salesforce/blob/0123456789abcdef0123456789abcdef01234567/${folder}/force-app/\\S+#L\\d+$`));
    }
  });

  it('appends the summary to GITHUB_STEP_SUMMARY whatever the format, once per run', async () => {
    const summaryFile = join(tempDir('eca-summary-'), 'step_summary.md');
    const env = { ...NO_GITHUB, GITHUB_STEP_SUMMARY: summaryFile };
    const first = await runCommand(['eca', 'check', '--format', 'sarif', '--output-file', 'eca.sarif'], dir, env);
    expect(first.code).to.equal(1);
    expect(existsSync(summaryFile)).to.equal(true);
    const second = await runCommand(['eca', 'check'], dir, env);
    expect(second.code).to.equal(1);
    const text = readFileSync(summaryFile, 'utf8');
    expect(text.match(/^## ❌ sf eca check: failed at --fail-on error$/gm)).to.have.length(2);
    // two whole summaries, each with its four tables
    expect(tablesOf(text)).to.have.length(8);
    expect((JSON.parse(readFileSync(join(dir, 'eca.sarif'), 'utf8')) as { version: string }).version).to.equal('2.1.0');
    // --json too, and its result is unchanged
    const asJson = await runCommand(['eca', 'check', '--json'], dir, env);
    expect((JSON.parse(asJson.stdout) as CheckJson).result.summary).to.deep.equal(json.result.summary);
    expect(readFileSync(summaryFile, 'utf8').match(/^## ❌/gm)).to.have.length(3);
  });

  it('warns and exits as usual when GITHUB_STEP_SUMMARY cannot be written', async () => {
    const blocker = join(tempDir('eca-summary-'), 'a-file');
    writeFileSync(blocker, '');
    for (const bad of [join(blocker, 'summary.md'), tempDir('eca-summary-dir-')]) {
      const r = await runCommand(['eca', 'check', '--format', 'sarif'], dir, { ...NO_GITHUB, GITHUB_STEP_SUMMARY: bad });
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.include('Could not append the summary to GITHUB_STEP_SUMMARY');
      expect(r.stderr).to.include(bad);
      expect((JSON.parse(r.stdout) as { version: string }).version).to.equal('2.1.0');
      const below = await runCommand(['eca', 'check', '--fail-on', 'never', '--json'], dir, { ...NO_GITHUB, GITHUB_STEP_SUMMARY: bad });
      expect(below.code).to.equal(0);
      expect((JSON.parse(below.stdout) as { warnings: string[] }).warnings.join('\n')).to.include('GITHUB_STEP_SUMMARY');
    }
    expect(statSync(blocker).size).to.equal(0);
  });
});

describe('renderMarkdown', () => {
  const finding = (i: number, over: Partial<Finding> = {}): Finding => ({
    ruleId: 'ECA-POL-010',
    rule: 'ip-relaxation-enforce',
    severity: i % 3 === 0 ? 'info' : i % 3 === 1 ? 'warning' : 'error',
    category: 'policies',
    app: `App_${i}`,
    path: `force-app/main/default/extlClntAppOauthPolicies/App_${i}_defaultPolicy.ecaOauthPlcy-meta.xml`,
    line: i + 1,
    col: 5,
    message: `finding ${i}: a | pipe, \`code\`, <b>html</b> & *stars*\nand a second line`,
    action: 'Do | this',
    ...over,
  });
  const options = { tool: 'sf eca check', failOn: 'error' as const, failed: true, appCount: 1, rules: ruleInfos() };

  it('escapes pipes, backticks, markers, newlines and HTML in cells', () => {
    expect(mdCell('a|b `c` <script>x</script> & *y* [z](u)\r\nnext')).to.equal(
      'a\\|b \\`c\\` &lt;script&gt;x&lt;/script&gt; &amp; \\*y\\* \\[z\\](u)<br>next'
    );
    const md = renderMarkdown([finding(2, { app: 'A|B', path: 'force-app/a (1)|b.eca-meta.xml' })], options);
    const [, main] = tablesOf(md) as [Table, Table];
    expect(main.rows).to.have.length(1);
    const row = main.rows[0]!;
    expect(plain(row[2]!)).to.equal('A|B');
    expect(plain(row[4]!.replace(/<br>/g, '\n'))).to.equal(finding(2).message);
    expect(linksOf(row[3]!)[0]!.href).to.equal('force-app/a%20%281%29%7Cb.eca-meta.xml#L3');
    expect(plain(row[5]!)).to.equal('Do | this');
  });

  it('stays under the comment limit on a large input and says how many rows are left out', () => {
    const findings = Array.from({ length: 3000 }, (_, i) => finding(i));
    const md = renderMarkdown(findings, options);
    expect(md.length).to.be.at.most(GITHUB_COMMENT_LIMIT);
    expect(md.length).to.be.greaterThan(GITHUB_COMMENT_LIMIT - 2000);
    const tables = tablesOf(md);
    const mainShown = tables[1]!.rows.length;
    const main = findings.filter((f) => f.severity !== 'info').length;
    expect(mainShown).to.be.greaterThan(0);
    const more = [...md.matchAll(/^… and (\d+) more not shown: this summary stays under GitHub's 65,536-character comment limit\./gm)].map((m) => Number(m[1]));
    expect(more[0]).to.equal(main - mainShown);
    // the collapsed blocks still close, so the page renders
    expect(md.match(/<details>/g)?.length).to.equal(md.match(/<\/details>/g)?.length);
    expect(md).to.include(`${findings.filter((f) => f.severity === 'error').length} errors, ${findings.filter((f) => f.severity === 'warning').length} warnings`);
    // a tighter limit is honoured too
    expect(renderMarkdown(findings, { ...options, maxChars: 10_000 }).length).to.be.at.most(10_000);
  });

  it('does not link org paths (audit)', () => {
    const md = renderMarkdown([finding(2, { path: 'org:externalClientApps/A.eca-meta.xml' })], options);
    const [, main] = tablesOf(md) as [Table, Table];
    expect(linksOf(main.rows[0]![3]!)).to.deep.equal([]);
    expect(plain(main.rows[0]![3]!)).to.equal('org:externalClientApps/A.eca-meta.xml:3');
  });
});

describe('examples/github-actions/eca-check.yml', () => {
  const file = join(PROJECT_ROOT, 'examples', 'github-actions', 'eca-check.yml');
  const text = readFileSync(file, 'utf8');
  // js-yaml is mocha's own dependency: resolve it from there
  const yaml = createRequire(createRequire(import.meta.url).resolve('mocha'))('js-yaml') as { load(s: string): unknown };
  type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; if?: string };
  type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, { 'runs-on': string; permissions?: Record<string, string>; steps: Step[] }> };
  const workflow = yaml.load(text) as Workflow;
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

  it('runs on pull requests, installs sf and the plugin, uploads the SARIF with security-events: write', () => {
    expect(Object.keys(workflow.on)).to.include('pull_request');
    expect(workflow.permissions['security-events']).to.equal('write');
    expect(steps.some((s) => s.run?.includes('npm install --global @salesforce/cli'))).to.equal(true);
    expect(steps.some((s) => s.run?.includes('sf plugins install @eca-tools/plugin-eca'))).to.equal(true);
    expect(text).to.match(/not published/);
    const check = steps.findIndex((s) => s.run?.includes('sf eca check --format sarif --output-file eca.sarif'));
    const upload = steps.findIndex((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(check).to.be.greaterThan(-1);
    expect(upload).to.be.greaterThan(check);
    expect(steps[upload]!.with?.sarif_file).to.equal('eca.sarif');
    // uploaded even when the check fails (exit 1: findings)
    expect(steps[upload]!.if).to.include('!cancelled()');
  });

  it('names only commands and flags that exist', async () => {
    const commands = steps.flatMap((s) => (s.run ?? '').split('\n')).filter((l) => /\bsf eca\b/.test(l));
    expect(commands.length).to.be.greaterThan(0);
    for (const line of commands) {
      const words = line.slice(line.indexOf('sf eca')).split(/\s+/).filter(Boolean);
      const verb = words[2]!;
      const mod = (await import(`../../src/commands/eca/${verb}.js`)) as {
        default: { flags: Record<string, { char?: string; type: string; options?: readonly string[] }> };
      };
      const { flags } = mod.default;
      for (let i = 3; i < words.length; i++) {
        const w = words[i]!;
        if (!w.startsWith('-')) continue;
        const name = w.startsWith('--') ? w.slice(2).split('=')[0]! : Object.keys(flags).find((k) => flags[k]!.char === w.slice(1));
        expect(name && flags[name], `${line}: ${w}`).to.not.equal(undefined);
        const flag = flags[name!]!;
        if (flag.type === 'option' && flag.options) expect(flag.options, `${line}: ${w}`).to.include(words[i + 1]);
      }
    }
  });

  it('check and audit both offer --format markdown', async () => {
    for (const verb of ['check', 'audit']) {
      const mod = (await import(`../../src/commands/eca/${verb}.js`)) as { default: { flags: { format: { options: readonly string[] } } } };
      expect(mod.default.flags.format.options).to.include('markdown');
    }
  });
});
