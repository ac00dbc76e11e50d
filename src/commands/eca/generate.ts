import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Flags, toHelpSection } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { loadConfig } from '../../adapters/config.js';
import { displayPath, resolveProject } from '../../adapters/project.js';
import { commitChanges } from '../../adapters/write.js';
import { creations, union, type ChangeSet } from '../../core/change/plan.js';
import { redactText } from '../../core/model/redact.js';
import { EcaCommand } from '../../cli/command.js';
import { apiNameProblem } from '../../core/authoring/render.js';
import { generateApp, TEMPLATES, validateGenerate } from '../../core/authoring/templates.js';
import { buildInventory } from '../../core/project/inventory.js';
import { runCheck } from '../../core/rules/engine.js';
import type { Finding } from '../../core/rules/types.js';
import { parseApiVersion, ruleContextOf } from '../../cli/check.js';
import { terminalStyle } from '../../cli/style.js';
import { renderHuman } from '../../render/report.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.generate');

const USAGE = 2;
const FORCEIGNORE_LINE = '**/*.ecaGlblOauth-meta.xml';

export type EcaGenerateResult = {
  name: string;
  template: string;
  files: Array<{ path: string; type: string }>;
  dryRun: boolean;
  /** Fields left out because the API version does not accept them. */
  dropped: string[];
  forceignoreUpdated: boolean;
  /** What "sf eca check" reports on the generated files (empty for every template but device). */
  findings: Finding[];
};

export default class EcaGenerate extends EcaCommand<EcaGenerateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = toHelpSection('ERROR CODES', {
    '0': messages.getMessage('error-codes.ok'),
    '1': messages.getMessage('error-codes.failed'),
    '2': messages.getMessage('error-codes.usage'),
  });

  public static readonly flags = {
    name: Flags.string({ char: 'n', required: true, summary: messages.getMessage('flags.name.summary') }),
    template: Flags.option({ char: 't', options: TEMPLATES, required: true, summary: messages.getMessage('flags.template.summary') })(),
    'contact-email': Flags.string({ char: 'e', required: true, summary: messages.getMessage('flags.contact-email.summary') }),
    label: Flags.string({ char: 'l', summary: messages.getMessage('flags.label.summary') }),
    description: Flags.string({ summary: messages.getMessage('flags.description.summary') }),
    'callback-url': Flags.string({ multiple: true, summary: messages.getMessage('flags.callback-url.summary') }),
    certificate: Flags.file({ exists: true, summary: messages.getMessage('flags.certificate.summary') }),
    'run-as': Flags.string({ summary: messages.getMessage('flags.run-as.summary') }),
    'permission-set': Flags.string({ multiple: true, summary: messages.getMessage('flags.permission-set.summary') }),
    scope: Flags.string({ multiple: true, summary: messages.getMessage('flags.scope.summary') }),
    policies: Flags.boolean({ default: true, allowNo: true, summary: messages.getMessage('flags.policies.summary') }),
    'api-version': Flags.string({ summary: messages.getMessage('flags.api-version.summary') }),
    'output-dir': Flags.string({ char: 'd', summary: messages.getMessage('flags.output-dir.summary') }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary') }),
    'update-forceignore': Flags.boolean({ summary: messages.getMessage('flags.update-forceignore.summary') }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary') }),
    'accept-device-flow': Flags.boolean({ summary: messages.getMessage('flags.accept-device-flow.summary') }),
    config: Flags.file({ char: 'c', exists: true, summary: messages.getMessage('flags.config.summary') }),
  };

  public async run(): Promise<EcaGenerateResult> {
    const { flags } = await this.parse(EcaGenerate);
    const nameProblem = apiNameProblem(flags.name);
    if (nameProblem) throw messages.createError('error.InvalidName', [flags.name, nameProblem], [], USAGE);
    if (flags.template === 'device' && !flags['accept-device-flow']) throw messages.createError('error.DeviceFlow', [], [], USAGE);
    const project = await resolveProject(process.cwd());
    const { config } = loadConfig(project, flags.config);
    const apiVersion = parseApiVersion(flags['api-version'] ?? project.sourceApiVersion);
    const root = project.root ?? project.cwd;
    const defaultDir = project.packageDirs.find((p) => p.default) ?? project.packageDirs[0];
    const outDir = flags['output-dir'] ? resolve(project.cwd, flags['output-dir']) : join(defaultDir?.fullPath ?? root, 'main', 'default');
    const rel = relative(root, outDir);
    if (rel.startsWith('..') || isAbsolute(rel)) throw messages.createError('error.OutsideProject', [flags['output-dir'] ?? outDir, root]);
    const options = {
      name: flags.name,
      template: flags.template,
      label: flags.label,
      description: flags.description,
      contactEmail: flags['contact-email'],
      callbackUrls: flags['callback-url'] ?? [],
      certificate: flags.certificate ? readFileSync(flags.certificate, 'utf8') : undefined,
      runAs: flags['run-as'],
      permissionSets: flags['permission-set'] ?? (config.defaultPermissionSet ? [config.defaultPermissionSet] : []),
      scopes: flags.scope,
      withPolicies: flags.policies,
      refreshInactivity: config.maxRefreshTokenInactivity,
      apiVersion,
    };
    const problems = validateGenerate(options);
    if (problems.length > 0) {
      throw messages.createError('error.MissingInput', [flags.template, problems.map((p) => `  ${p.flag}: ${p.message}`).join('\n')], [], USAGE);
    }
    const generated = generateApp(options);
    const files = generated.map((g) => ({ path: displayPath(project, join(outDir, g.folder, g.fileName)), type: g.type.name, text: g.text }));
    const dropped = [...new Set(generated.flatMap((g) => g.dropped))];
    const findings = [
      ...runCheck(buildInventory(files.map((f) => ({ path: f.path, text: f.text }))), ruleContextOf(apiVersion, config, project.packageDirs)).findings,
    ];
    const forceignore = flags['update-forceignore'] ? forceIgnoreChange(project.cwd, join(root, '.forceignore')) : undefined;
    const set = union(creations(files, 'generate'), forceignore ?? { changes: [], deferred: [], unknownPaths: [] });
    const forceignoreUpdated = forceignore !== undefined && !flags['dry-run'];
    if (!flags['dry-run']) commitChanges(set, { cwd: project.cwd, root, overwrite: flags.force });
    if (!this.jsonEnabled()) {
      const style = terminalStyle();
      for (const f of files) this.log(`  ${flags['dry-run'] ? 'would write' : 'wrote'}  ${f.path}`);
      if (flags['dry-run']) for (const f of files) this.log(`\n${style.bold(f.path)}\n${redactText(f.text).trimEnd()}`);
      if (dropped.length > 0) this.info(messages.getMessage('info.dropped', [apiVersion?.toFixed(1) ?? '', dropped.join(', ')]));
      this.log(messages.getMessage(flags['dry-run'] ? 'info.dry-run' : 'info.written', [files.length, flags.name, flags.template]));
      if (findings.length > 0) this.log(renderHuman(findings, 1, style));
      if (!flags['update-forceignore']) this.info(messages.getMessage('info.forceignore'));
      if (!flags['dry-run']) this.info(messages.getMessage('info.next'));
    }
    return {
      name: flags.name,
      template: flags.template,
      files: files.map((f) => ({ path: f.path, type: f.type })),
      dryRun: flags['dry-run'],
      dropped,
      forceignoreUpdated,
      findings,
    };
  }
}

/** The .forceignore line for the global settings, as a change (undefined when a line already says it). */
const forceIgnoreChange = (cwd: string, abs: string): ChangeSet | undefined => {
  const current = existsSync(abs) ? readFileSync(abs, 'utf8') : '';
  if (current.split(/\r?\n/).some((l) => l.trim() === FORCEIGNORE_LINE)) return undefined;
  const eol = current.includes('\r\n') ? '\r\n' : '\n';
  const after = `${current}${current === '' || current.endsWith('\n') ? '' : eol}# External Client App global OAuth settings: credentials, never packaged or committed${eol}${FORCEIGNORE_LINE}${eol}`;
  const path = relative(cwd, abs).split('\\').join('/');
  return { changes: [{ path, before: existsSync(abs) ? current : undefined, after, applied: [{ label: 'generate', description: `ignore ${FORCEIGNORE_LINE}` }] }], deferred: [], unknownPaths: [] };
};
