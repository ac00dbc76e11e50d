import { Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { redactText } from '../../core/model/secrets.js';
import { EcaCommand } from '../../cli/command.js';
import { apiNameProblem } from '../../core/authoring/render.js';
import { TEMPLATES } from '../../core/authoring/templates.js';
import { type EcaFinding, publicFindings } from '../../cli/findings.js';
import { terminalStyle } from '../../cli/style.js';
import { renderHuman } from '../../render/report.js';
import { generate, GenerateRefused } from '../../usecases/generate.js';

import { errorCodesSection } from '../../cli/exitCodes.js';
Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.generate');

const USAGE = 2;

export type EcaGenerateResult = {
  name: string;
  template: string;
  files: Array<{ path: string; type: string }>;
  dryRun: boolean;
  /** Fields left out because the API version does not accept them. */
  dropped: string[];
  forceignoreUpdated: boolean;
  /** What "sf eca check" reports on the generated files (empty for every template but device). */
  findings: EcaFinding[];
};

export default class EcaGenerate extends EcaCommand<EcaGenerateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = errorCodesSection({
    ok: messages.getMessage('error-codes.ok'),
    result: messages.getMessage('error-codes.failed'),
    usage: messages.getMessage('error-codes.usage'),
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
    'dry-run': Flags.boolean({ default: false, summary: messages.getMessage('flags.dry-run.summary') }),
    'accept-device-flow': Flags.boolean({ summary: messages.getMessage('flags.accept-device-flow.summary') }),
    config: Flags.file({ char: 'c', exists: true, summary: messages.getMessage('flags.config.summary') }),
  };

  public async run(): Promise<EcaGenerateResult> {
    const { flags } = await this.parse(EcaGenerate);
    const nameProblem = apiNameProblem(flags.name);
    if (nameProblem) throw messages.createError('error.InvalidName', [flags.name, nameProblem], [], USAGE);
    if (flags.template === 'device' && !flags['accept-device-flow']) throw messages.createError('error.DeviceFlow', [], [], USAGE);
    let run;
    try {
      run = await generate({
        name: flags.name,
        template: flags.template,
        label: flags.label,
        description: flags.description,
        contactEmail: flags['contact-email'],
        callbackUrls: flags['callback-url'] ?? [],
        certificateFile: flags.certificate,
        runAs: flags['run-as'],
        permissionSets: flags['permission-set'],
        scopes: flags.scope,
        withPolicies: flags.policies,
        apiVersion: flags['api-version'],
        outputDir: flags['output-dir'],
        force: flags.force,
        updateForceignore: flags['update-forceignore'],
        dryRun: flags['dry-run'],
        config: flags.config,
      });
    } catch (e) {
      if (!(e instanceof GenerateRefused)) throw e;
      const r = e.refusal;
      if (r.kind === 'OutsideProject') throw messages.createError('error.OutsideProject', [r.dir, r.root]);
      throw messages.createError('error.MissingInput', [flags.template, r.lines.map((l) => `  ${l}`).join('\n')], [], USAGE);
    }
    const { files, dropped, apiVersion, findings, forceignoreUpdated } = run;
    for (const note of run.notes) this.warn(note);
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
      dropped: [...dropped],
      forceignoreUpdated,
      findings: publicFindings(findings),
    };
  }
}

