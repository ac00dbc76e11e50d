/*
 * The HTML report (`--format html`): one self-contained page a security team can hand to an auditor. No network:
 * no external script, style, font or image (a Content-Security-Policy says so to the browser), inline CSS and a
 * few lines of inline script for the filters; printable (the filters hide, every card shows). Pure: returns a string.
 *
 * It shows a posture summary (the project's score, apps by client profile and score, errors and warnings by
 * category and by control), then one card per app: its files, its effective policies in plain words, its
 * findings with the command that fixes them and the controls each enforces. Every text is HTML-escaped; findings
 * and summaries never carry a secret value (the rules and the summary leave them out).
 */
import type { Severity } from '../core/model/file.js';
import type { AppSummary } from '../core/model/summary.js';
import { ExtlClntAppOauthConfigurablePolicies, fieldOf } from '../core/model/schema.js';
import { controlLabel, controlsOf } from '../core/rules/controls.js';
import { countFindings } from '../core/rules/engine.js';
import type { PostureScore } from '../core/rules/score.js';
import type { Finding } from '../core/rules/types.js';
import { fixCommand } from './markdown.js';
import { fixClassText, type RuleInfo } from './report.js';

export type HtmlReportOptions = {
  /** The command, e.g. "sf eca check". */
  readonly tool: string;
  readonly version: string;
  /** When the report was made (ISO 8601). */
  readonly generatedAt: string;
  readonly failOn: Severity | 'never';
  readonly failed: boolean;
  readonly rules: readonly RuleInfo[];
  readonly score: PostureScore;
  /** What each app is, in plain words (list's summary), by app name; an app without one gets a card with its findings only. */
  readonly summaries: ReadonlyMap<string, AppSummary>;
  /** App names in report order. */
  readonly apps: readonly string[];
};

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const e = escapeHtml;
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const meaning = (element: string, value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const m = fieldOf(ExtlClntAppOauthConfigurablePolicies, element)?.meanings?.[value];
  return m ? `${m} (${value})` : value;
};

const scoreClass = (score: number): string => (score >= 90 ? 'good' : score >= 60 ? 'fair' : 'poor');

const table = (head: readonly string[], rows: ReadonlyArray<readonly string[]>, cls = ''): string =>
  rows.length === 0
    ? '<p class="none">None.</p>'
    : `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.join('')}</tr>`)
        .join('')}</tbody></table>`;

const td = (s: string, cls = ''): string => `<td${cls ? ` class="${cls}"` : ''}>${s}</td>`;

const countsBy = (findings: readonly Finding[], key: (f: Finding) => readonly string[]): Array<[string, { error: number; warning: number; info: number }]> => {
  const out = new Map<string, { error: number; warning: number; info: number }>();
  for (const f of findings) {
    if (f.waived) continue;
    for (const k of key(f)) {
      const c = out.get(k) ?? { error: 0, warning: 0, info: 0 };
      c[f.severity]++;
      out.set(k, c);
    }
  }
  return [...out.entries()].sort((a, b) => b[1].error - a[1].error || b[1].warning - a[1].warning || a[0].localeCompare(b[0]));
};

const findingItem = (f: Finding, rules: ReadonlyMap<string, RuleInfo>): string => {
  const rule = rules.get(f.ruleId);
  const cmd = fixCommand(f);
  const controls = controlsOf(f.ruleId);
  const where = `${f.path}${f.line ? `:${f.line}:${f.col || 1}` : ''}`;
  return `<li class="finding sev-${f.severity}${f.waived ? ' waived' : ''}" data-severity="${f.severity}" data-app="${e(f.app)}">
<div class="head"><span class="badge ${f.severity}">${f.severity}</span> <code>${e(f.ruleId)}</code> ${e(f.rule)}${f.waived ? ' <span class="badge waived">waived</span>' : ''}</div>
<p class="msg">${e(f.message)}</p>
<p class="loc"><code>${e(where)}</code></p>
${f.actual !== undefined || f.expected !== undefined ? `<p class="values">${f.actual !== undefined ? `actual <code>${e(f.actual)}</code>` : ''}${f.expected !== undefined ? ` expected <code>${e(f.expected)}</code>` : ''}</p>` : ''}
${cmd && f.fix ? `<p class="fix">Fix: <code>${e(cmd)}</code> (${e(fixClassText(f))}): ${e(f.fix.description)}</p>` : ''}
${f.action ? `<p class="action">${e(f.action)}</p>` : ''}
${f.waived ? `<p class="action">Waived: ${e(f.waived.reason)}${f.waived.expires ? ` (until ${e(f.waived.expires)})` : ''}</p>` : ''}
${controls.length > 0 ? `<p class="controls">Enforces: ${controls.map((c) => `<a href="${e(c.url)}">${e(controlLabel(c))}</a>`).join('; ')}</p>` : ''}
${rule?.helpUri ? `<p class="help"><a href="${e(rule.helpUri)}">About ${e(f.ruleId)}</a></p>` : ''}
</li>`;
};

const card = (app: string, findings: readonly Finding[], opts: HtmlReportOptions, rules: ReadonlyMap<string, RuleInfo>): string => {
  const s = opts.summaries.get(app);
  const score = opts.score.apps.find((a) => a.app === app);
  const counts = countFindings(findings.filter((f) => !f.waived));
  const facts: Array<[string, string | undefined]> = s
    ? [
        ['Kind', s.kind === 'ConnectedApp' ? 'Connected App (a migration candidate)' : 'External Client App'],
        ['Label', s.label],
        ['Client', s.client ? `${s.client.kind}${s.client.packaged ? ', packaged' : ''} (${s.client.declared ? 'declared' : 'inferred'}: ${s.client.reason})` : undefined],
        ['Distribution', s.distributionState],
        ['Who may use it', meaning('permittedUsersPolicyType', s.permittedUsers)],
        ['From where', meaning('ipRelaxationPolicyType', s.ipRelaxation)],
        ['Refresh tokens', s.refreshToken],
        ['Flows', s.flows.length > 0 ? s.flows.join(', ') : 'none'],
        ['OAuth policies', s.policies === 'present' ? 'in the project' : s.policies === 'malformed' ? 'in the project but unreadable' : 'not retrieved yet (the org holds them)'],
      ]
    : [];
  const files = s ? Object.entries(s.files).map(([kind, path]) => `<li><span class="kind">${e(kind)}</span> <code>${e(path)}</code></li>`) : [];
  return `<section class="card" data-app="${e(app)}" id="app-${e(app.replace(/[^A-Za-z0-9_-]/g, '-'))}">
<h3>${e(app)} ${score ? `<span class="score ${scoreClass(score.score)}" title="posture score">${score.score}</span>` : ''}</h3>
<p class="counts">${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info${score && score.safeGain > 0 ? ` · "sf eca fix" wins back ${score.safeGain} point(s)` : ''}${score && score.breakingGain > 0 ? ` · --include-breaking ${score.breakingGain} more` : ''}</p>
${facts.length > 0 ? `<dl>${facts.filter(([, v]) => v !== undefined).map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v as string)}</dd>`).join('')}</dl>` : ''}
${files.length > 0 ? `<details><summary>Files (${files.length})</summary><ul class="files">${files.join('')}</ul></details>` : ''}
${findings.length > 0 ? `<ul class="findings">${findings.map((f) => findingItem(f, rules)).join('\n')}</ul>` : '<p class="none">No findings.</p>'}
</section>`;
};

const STYLE = `
:root{--bg:#fff;--fg:#1b1b1b;--muted:#5c5c5c;--line:#d8d8d8;--err:#b3261e;--warn:#8a5300;--info:#0b57d0;--good:#146c2e;--fair:#8a5300;--poor:#b3261e}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:16px;margin:0 0 6px}
.meta,.none,.counts,.loc,.controls,.help{color:var(--muted)}code{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;background:#f4f4f4;padding:1px 4px;border-radius:3px;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}td.n{text-align:right}
.verdict{font-weight:600}.verdict.failed{color:var(--err)}.verdict.passed{color:var(--good)}
.big{font-size:40px;font-weight:700;line-height:1}.score{display:inline-block;min-width:2.4em;text-align:center;border-radius:12px;padding:0 8px;color:#fff;font-size:13px}
.score.good{background:var(--good)}.score.fair{background:var(--fair)}.score.poor{background:var(--poor)}.big.good{color:var(--good)}.big.fair{color:var(--fair)}.big.poor{color:var(--poor)}
.badge{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;color:#fff;text-transform:uppercase}.badge.error{background:var(--err)}.badge.warning{background:var(--warn)}.badge.info{background:var(--info)}.badge.waived{background:#777}
.card{border:1px solid var(--line);border-radius:6px;padding:12px 16px;margin:12px 0;break-inside:avoid}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}dt{color:var(--muted)}dd{margin:0}
ul.findings{list-style:none;padding:0;margin:8px 0}li.finding{border-left:4px solid var(--line);padding:4px 10px;margin:8px 0}li.sev-error{border-color:var(--err)}li.sev-warning{border-color:var(--warn)}li.sev-info{border-color:var(--info)}li.waived{opacity:.7}
li.finding p{margin:2px 0}.filters{position:sticky;top:0;background:var(--bg);padding:8px 0;border-bottom:1px solid var(--line);display:flex;gap:16px;flex-wrap:wrap;align-items:center}
.hidden{display:none!important}
@media print{.filters{display:none}.hidden{display:block!important}li.hidden{display:list-item!important}body{max-width:none;padding:0}a{color:inherit}}
`;

const SCRIPT = `
(function(){
  var sev=document.querySelectorAll('input[name=severity]'),app=document.getElementById('app-filter'),count=document.getElementById('shown');
  function apply(){
    var on={};sev.forEach(function(c){on[c.value]=c.checked});var a=app.value,n=0;
    document.querySelectorAll('li.finding').forEach(function(li){var show=on[li.dataset.severity]&&(a===''||li.dataset.app===a);li.classList.toggle('hidden',!show);if(show)n++});
    document.querySelectorAll('section.card').forEach(function(c){c.classList.toggle('hidden',a!==''&&c.dataset.app!==a)});
    count.textContent=n+' finding(s) shown';
  }
  sev.forEach(function(c){c.addEventListener('change',apply)});app.addEventListener('change',apply);apply();
})();
`;

/** The whole page. */
export const renderHtml = (findings: readonly Finding[], opts: HtmlReportOptions): string => {
  const rules = new Map(opts.rules.map((r) => [r.id, r]));
  const counts = countFindings(findings.filter((f) => !f.waived));
  const apps = [...opts.apps, ...[...new Set(findings.map((f) => f.app))].filter((a) => !opts.apps.includes(a))];
  const byApp = (app: string): Finding[] => findings.filter((f) => f.app === app);
  const profileOf = (app: string): string => {
    const c = opts.summaries.get(app)?.client;
    return c ? `${c.kind}${c.packaged ? ', packaged' : ''}` : opts.summaries.get(app)?.kind === 'ConnectedApp' ? 'Connected App' : '—';
  };
  const appRows = apps.map((app) => {
    const s = opts.score.apps.find((a) => a.app === app);
    const c = countFindings(byApp(app).filter((f) => !f.waived));
    return [
      td(`<a href="#app-${e(app.replace(/[^A-Za-z0-9_-]/g, '-'))}">${e(app)}</a>`),
      td(e(profileOf(app))),
      td(s ? `<span class="score ${scoreClass(s.score)}">${s.score}</span>` : '', 'n'),
      td(String(c.error), 'n'),
      td(String(c.warning), 'n'),
      td(String(c.info), 'n'),
    ];
  });
  const countRow = (name: string, c: { error: number; warning: number; info: number }): string[] => [td(e(name)), td(String(c.error), 'n'), td(String(c.warning), 'n'), td(String(c.info), 'n')];
  const byCategory = countsBy(findings, (f) => [f.category]).map(([k, c]) => countRow(k, c));
  const byControl = countsBy(findings, (f) => controlsOf(f.ruleId).map(controlLabel)).map(([k, c]) => countRow(k, c));
  const verdict = opts.failOn === 'never' ? 'Report only (--fail-on never)' : opts.failed ? `Fails at --fail-on ${opts.failOn}` : `Passes at --fail-on ${opts.failOn}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${e(opts.tool)} ${e(opts.version)}">
<title>External Client App posture report</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>External Client App posture report</h1>
<p class="meta">${e(opts.tool)} ${e(opts.version)} · ${e(opts.generatedAt)} · ${plural(apps.length, 'app')}</p>
<p class="verdict ${opts.failed ? 'failed' : 'passed'}">${e(verdict)}</p>
</header>
<main>
<h2>Posture</h2>
<p><span class="big ${scoreClass(opts.score.score)}" id="project-score">${opts.score.score}</span> / 100 · lowest app ${opts.score.lowest} · ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info</p>
<p class="meta">Each app starts at 100 and loses, per rule that reports on it, 20 for an error, 5 for a warning, 1 for info (waived findings cost nothing); the project's score is the mean of its apps'.</p>
<h3>Apps by profile and score</h3>
${table(['App', 'Profile', 'Score', 'Errors', 'Warnings', 'Info'], appRows)}
<h3>By category</h3>
${table(['Category', 'Errors', 'Warnings', 'Info'], byCategory)}
<h3>By control</h3>
${table(['Control', 'Errors', 'Warnings', 'Info'], byControl)}
<h2>Apps</h2>
<div class="filters" role="search">
${SEVERITIES.map((s) => `<label><input type="checkbox" name="severity" value="${s}" checked> ${s}</label>`).join('\n')}
<label>App <select id="app-filter"><option value="">all</option>${apps.map((a) => `<option value="${e(a)}">${e(a)}</option>`).join('')}</select></label>
<span id="shown" class="meta"></span>
</div>
${apps.map((app) => card(app, byApp(app), opts, rules)).join('\n')}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
};
