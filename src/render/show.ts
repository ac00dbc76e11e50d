import { profileLabel } from '../core/rules/profile.js';
import { type AppSummary, FLOW_LABELS, type ShownFile, type ShownValue } from '../core/model/summary.js';
import { PERMITTED_USERS, IP_RELAXATION } from '../core/model/schema.js';
import { renderProblem } from './list.js';
import type { Problem } from '../core/model/file.js';
import { padEnd, PLAIN, type Style, visibleLength } from './style.js';

const FILE_HEADINGS: Readonly<Record<string, string>> = {
  header: 'Header',
  globalOauth: 'Global OAuth settings',
  oauth: 'OAuth settings',
  oauthPolicies: 'OAuth policies',
  policies: 'Plugin policies',
  oauthSecurity: 'OAuth security settings',
  connectedApp: 'Connected App',
};

const valueLines = (values: readonly ShownValue[], indent: string, style: Style): string[] => {
  const width = Math.min(36, Math.max(0, ...values.map((v) => v.element.length)));
  const lines: string[] = [];
  for (const v of values) {
    const name = padEnd(v.element, width);
    if (v.children) {
      lines.push(`${indent}${name}  ${style.dim(v.meaning ?? (v.known ? '' : 'element not in the schema; kept as is'))}`);
      lines.push(...valueLines(v.children, `${indent}    `, style));
      continue;
    }
    const value = v.redacted ? style.warn(v.value ?? '') : (v.value ?? '');
    const meaning = v.known ? (v.meaning ?? '') : 'element not in the schema; kept as is';
    const shown = value.includes('\n') ? `${value.split('\n')[0] ?? ''} …` : value;
    lines.push(`${indent}${name}  ${padEnd(shown, Math.max(24, visibleLength(shown)))}  ${style.dim(meaning)}`.trimEnd());
  }
  return lines;
};

const overview = (s: AppSummary): string[] => {
  const lines: string[] = [];
  if (s.client) lines.push(`Client:          ${profileLabel(s.client)} (${s.client.reason})`);
  if (s.kind === 'ExternalClientApp' && !s.files.oauthPolicies && s.policies === 'malformed') {
    lines.push(`Permitted users: unknown: the OAuth policies file ${s.malformed.oauthPolicies ?? ''} is malformed (see Problems)`);
  } else if (s.kind === 'ExternalClientApp' && !s.files.oauthPolicies && s.client?.packaged) {
    lines.push('Permitted users: set in each subscriber org (a packaged app\'s OAuth policies do not ship with the package)');
  } else if (s.kind === 'ExternalClientApp' && !s.files.oauthPolicies) {
    lines.push('Permitted users: unknown: the OAuth policies file has not been retrieved (sf eca retrieve)');
  } else {
    if (s.permittedUsers) {
      lines.push(`Permitted users: ${PERMITTED_USERS[s.permittedUsers as keyof typeof PERMITTED_USERS] ?? s.permittedUsers}`);
    }
    if (s.ipRelaxation) {
      const key = Object.keys(IP_RELAXATION).find((k) => k.toLowerCase() === s.ipRelaxation?.toLowerCase());
      lines.push(`IP relaxation:   ${key ? IP_RELAXATION[key as keyof typeof IP_RELAXATION] : s.ipRelaxation}`);
    }
    if (s.refreshToken) lines.push(`Refresh tokens:  ${s.refreshToken}`);
  }
  lines.push(`Flows:           ${s.flows.length > 0 ? s.flows.map((f) => FLOW_LABELS[f]).join(', ') : 'none'}`);
  return lines;
};

export const renderShow = (summary: AppSummary, files: readonly ShownFile[], problems: readonly Problem[], style: Style = PLAIN): string => {
  const out: string[] = [];
  const kind = summary.kind === 'ConnectedApp' ? 'Connected App' : 'External Client App';
  out.push(style.bold(`${summary.name} (${kind}${summary.orphan ? ', no header in the project' : ''})`));
  out.push(...overview(summary).map((l) => `  ${l}`));
  for (const f of files) {
    out.push('');
    out.push(`${style.bold(FILE_HEADINGS[f.kind] ?? f.title)}  ${style.dim(f.path)}`);
    out.push(...valueLines(f.values, '  ', style));
  }
  if (problems.length > 0) {
    out.push('', style.bold('Problems'));
    out.push(...problems.map((p) => `  ${renderProblem(p)}`));
  }
  return out.join('\n');
};
