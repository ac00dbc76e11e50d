/* Check reports: human text, SARIF 2.1.0 and JUnit XML. Pure: each returns a string. */
import type { Severity } from '../core/model/file.js';
import { controlLabel, controlsOf, controlTag, type ControlRef } from '../core/rules/controls.js';
import { countFindings, fixClassOf, ruleFixClass } from '../core/rules/engine.js';
import type { Finding, RuleFixClass } from '../core/rules/types.js';
import { escapeXmlText } from '../core/xml/parse.js';
import { PLAIN, type Style, UNBOUNDED, wrap } from './style.js';

/** What a report needs to know about a rule. */
export type RuleInfo = {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly rationale: string;
  readonly helpUri?: string;
  readonly category?: string;
  /** The strongest class of the rule's fixes; looked up in the catalog when absent. */
  readonly fixClass?: RuleFixClass;
  /** GitHub code scanning's security severity (0.0 to 10.0); by the severity when absent (SECURITY_SEVERITY). */
  readonly securitySeverity?: number;
  /** The Salesforce controls the rule enforces; looked up in the table (controlsOf) when absent. */
  readonly controls?: readonly ControlRef[];
};

/**
 * GitHub code scanning's `security-severity` by severity (over 7.0 reads as high, 4.0 to 6.9 as medium,
 * under 4.0 as low), unless a rule declares its own.
 */
export const SECURITY_SEVERITY: Readonly<Record<Severity, number>> = { error: 8.0, warning: 5.0, info: 2.0 };

/** Markdown with its special characters escaped, so a message reads as it is written. */
const md = (s: string): string => s.replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`);

/** How a fix's class reads in a report: "safe", or "breaking, needs --include-breaking" (or the flag it needs). */
export const fixClassText = (f: Pick<Finding, 'fix'>): string => {
  const c = fixClassOf(f);
  return c === 'breaking' ? `breaking, needs --${f.fix?.requires ?? 'include-breaking'}` : c;
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * What "sf eca fix" can do about the findings, by the flag it needs: `2 fixable with "sf eca fix", 3 more with
 * "sf eca fix --include-breaking", 1 more with "sf eca fix --remove-secrets"`; undefined when nothing is fixable.
 * Plain fix applies only the safe ones.
 */
export const fixableText = (findings: readonly Finding[], quote: (command: string) => string = (c) => `"${c}"`): string | undefined => {
  let safe = 0;
  let breaking = 0;
  let secrets = 0;
  for (const f of findings) {
    if (!f.fix || f.waived) continue;
    if (f.fix.requires === 'remove-secrets') secrets++;
    else if (f.fix.class === 'breaking') breaking++;
    else safe++;
  }
  const counts: Array<[number, string]> = [
    [safe, 'sf eca fix'],
    [breaking, 'sf eca fix --include-breaking'],
    [secrets, 'sf eca fix --remove-secrets'],
  ];
  const parts = counts.filter(([n]) => n > 0).map(([n, command], i) => `${n} ${i === 0 ? 'fixable' : 'more'} with ${quote(command)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
};

export const summaryLine = (findings: readonly Finding[], appCount: number): string => {
  const c = countFindings(findings);
  const parts = [plural(c.error, 'error'), plural(c.warning, 'warning'), `${c.info} info`];
  const extra = [fixableText(findings), c.waived > 0 ? `${c.waived} waived` : undefined].filter(Boolean);
  return `${parts.join(', ')} in ${plural(appCount, 'app')}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}.`;
};

const sevLabel = (s: Severity, style: Style): string => (s === 'error' ? style.bad('error') : s === 'warning' ? style.warn('warning') : style.dim('info'));

/**
 * Human report: findings grouped by file (the path once, as the group's heading), then per finding
 * `line:col  severity  rule  message` and how to fix it, each wrapped to `width` with an indent; a summary line.
 */
export const renderHuman = (findings: readonly Finding[], appCount: number, style: Style = PLAIN, width: number = UNBOUNDED): string => {
  const out: string[] = [];
  const dimmed = (text: string): void => {
    out.push(...wrap(text, width, 8).map(style.dim));
  };
  let currentPath: string | undefined;
  for (const f of findings) {
    if (f.path !== currentPath) {
      if (currentPath !== undefined) out.push('');
      out.push(...wrap(f.path, width).map(style.bold));
      currentPath = f.path;
    }
    const waived = f.waived ? style.dim(` (waived: ${f.waived.reason}${f.waived.expires ? `, until ${f.waived.expires}` : ''})`) : '';
    out.push(...wrap(`  ${f.line}:${f.col}  ${sevLabel(f.severity, style)}  ${f.ruleId} ${style.dim(f.rule)}  ${f.message}${waived}`, width, 6));
    if (f.expected !== undefined && f.actual !== undefined) dimmed(`      expected ${f.expected}, found ${f.actual}`);
    else if (f.expected !== undefined) dimmed(`      expected ${f.expected}`);
    if (f.fix && !f.waived) dimmed(`      fix: ${f.fix.description} (${fixClassText(f)})`);
    if (f.action) dimmed(`      to do: ${f.action}`);
  }
  if (out.length > 0) out.push('');
  out.push(...wrap(findings.length === 0 ? `No findings in ${plural(appCount, 'app')}.` : summaryLine(findings, appCount), width));
  return out.join('\n');
};

const SARIF_LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0, as GitHub code scanning reads it: rule metadata, relative URIs, regions. */
export const renderSarif = (
  findings: readonly Finding[],
  rules: readonly RuleInfo[],
  tool: { readonly name: string; readonly version: string; readonly informationUri: string },
  /** The run's property bag (the posture score). */
  properties?: Readonly<Record<string, unknown>>
): string => {
  const usedIds = [...new Set(findings.map((f) => f.ruleId))];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const driverRules = rules.map((r) => {
    const controls = r.controls ?? controlsOf(r.id);
    const controlsText = controls.length > 0 ? `\n\nControls:\n${controls.map((c) => `- ${controlLabel(c)} (${c.url})`).join('\n')}` : '';
    const controlsMarkdown = controls.length > 0 ? `\n\n**Controls**\n\n${controls.map((c) => `- [${md(controlLabel(c))}](${c.url})`).join('\n')}` : '';
    return {
      id: r.id,
      name: r.name,
      shortDescription: { text: r.summary },
      fullDescription: { text: r.rationale },
      ...(r.helpUri ? { helpUri: r.helpUri } : {}),
      help: {
        text: `${r.summary}\n\n${r.rationale}${r.helpUri ? `\n\nSee ${r.helpUri}` : ''}${controlsText}`,
        markdown: `${md(r.summary)}\n\n${md(r.rationale)}${r.helpUri ? `\n\n[Documentation](${r.helpUri})` : ''}${controlsMarkdown}`,
      },
      defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
      properties: {
        tags: ['security', 'salesforce', 'external-client-app', ...(r.category ? [r.category] : []), ...controls.map(controlTag)],
        // the rules read metadata as written: a finding is a fact of the file, not a guess
        precision: 'very-high',
        'security-severity': (r.securitySeverity ?? SECURITY_SEVERITY[r.severity]).toFixed(1),
        fixClass: r.fixClass ?? ruleFixClass(r.id),
        ...(controls.length > 0 ? { controls: controls.map((c) => ({ ...c })) } : {}),
      },
    };
  });
  for (const id of usedIds) if (!ruleIndex.has(id)) throw new Error(`finding of unknown rule ${id}`);
  const results = findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId) as number,
    level: SARIF_LEVEL[f.severity],
    // The message is the finding's alone; the fix and what to do stand on lines of their own (markdown) and in properties.
    message: {
      text: f.message,
      ...(f.fix || f.action
        ? {
            markdown: [
              md(f.message),
              f.fix ? `**Fix** (${md(fixClassText(f))}): ${md(f.fix.description)}` : undefined,
              f.action ? `**To do:** ${md(f.action)}` : undefined,
            ]
              .filter(Boolean)
              .join('\n\n'),
          }
        : {}),
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(f.path.replace(/\\/g, '/')), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.col },
        },
        logicalLocations: [{ name: f.app, kind: 'module' }],
      },
    ],
    partialFingerprints: { 'ecaFinding/v1': `${f.ruleId}:${f.app}:${f.path}:${f.message}` },
    properties: {
      fixClass: fixClassOf(f),
      ...(f.fix ? { fix: { description: f.fix.description, class: fixClassText(f) } } : {}),
      ...(f.action ? { action: f.action } : {}),
    },
    ...(f.waived ? { suppressions: [{ kind: 'external', justification: f.waived.reason }] } : {}),
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: tool.name, version: tool.version, informationUri: tool.informationUri, rules: driverRules } },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The folder the check ran in.' } } },
        results,
        ...(properties ? { properties } : {}),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

const attr = (s: string): string => escapeXmlText(s).replace(/\n/g, '&#10;');

/** JUnit XML: one test suite per app, one test case per rule that ran, failures carrying the findings. */
export const renderJunit = (
  findings: readonly Finding[],
  apps: readonly string[],
  rules: readonly RuleInfo[],
  failOn: Severity,
  appliesTo: (rule: string, app: string) => boolean,
  /** Per app and for the whole run: <properties> (the posture score). */
  properties?: { readonly run?: Readonly<Record<string, string | number>>; readonly app?: (app: string) => Readonly<Record<string, string | number>> | undefined }
): string => {
  const props = (bag: Readonly<Record<string, string | number>> | undefined, indent: string): string =>
    bag && Object.keys(bag).length > 0
      ? `${indent}<properties>\n${Object.entries(bag).map(([k, v]) => `${indent}  <property name="${attr(k)}" value="${attr(String(v))}"/>`).join('\n')}\n${indent}</properties>\n`
      : '';
  const rank: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };
  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;
  const appNames = [...new Set([...apps, ...findings.map((f) => f.app)])];
  for (const app of appNames) {
    const cases: string[] = [];
    let failures = 0;
    const ruleIds = [...new Set([...rules.filter((r) => appliesTo(r.id, app)).map((r) => r.id), ...findings.filter((f) => f.app === app).map((f) => f.ruleId)])];
    for (const id of ruleIds) {
      const rule = rules.find((r) => r.id === id);
      const own = findings.filter((f) => f.app === app && f.ruleId === id && !f.waived);
      const failing = own.filter((f) => rank[f.severity] >= rank[failOn]);
      const name = `${id} ${rule?.name ?? ''}`.trim();
      const body = own.map((f) => `${f.path}:${f.line}:${f.col} ${f.severity}: ${f.message} [fix: ${fixClassText(f)}]`).join('\n');
      if (failing.length > 0) {
        failures++;
        cases.push(
          `    <testcase classname="${attr(app)}" name="${attr(name)}" file="${attr(failing[0]?.path ?? '')}">\n      <failure message="${attr(failing.map((f) => f.message).join('; '))}" type="${failing[0]?.severity ?? 'error'}">${escapeXmlText(body)}</failure>\n    </testcase>`
        );
      } else if (own.length > 0) {
        cases.push(`    <testcase classname="${attr(app)}" name="${attr(name)}">\n      <system-out>${escapeXmlText(body)}</system-out>\n    </testcase>`);
      } else {
        cases.push(`    <testcase classname="${attr(app)}" name="${attr(name)}"/>`);
      }
    }
    totalTests += cases.length;
    totalFailures += failures;
    suites.push(`  <testsuite name="${attr(app)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">\n${props(properties?.app?.(app), '    ')}${cases.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sf eca check" tests="${totalTests}" failures="${totalFailures}" errors="0">\n${props(properties?.run, '  ')}${suites.join('\n')}\n</testsuites>\n`;
};
