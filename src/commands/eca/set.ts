import { Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import {
  IP_RELAXATION_VALUES,
  PERMITTED_USERS_VALUES,
  POLICY_ACTION_VALUES,
  REFRESH_TOKEN_VALUES,
  SESSION_LEVEL_VALUES,
  type SetRequest,
  validateSetRequest,
} from '../../core/authoring/set.js';
import { parseDuration } from '../../core/rules/config.js';
import { type EcaFinding, publicFindings } from '../../cli/findings.js';
import { EcaCommand } from '../../cli/command.js';
import { sourceDirFlag, withSummary } from '../../cli/flags.js';
import { optionalOrgFlag, orgFlags, orgLabel, timingOf, withOrg } from '../../cli/org.js';
import { terminalStyle, terminalWidth } from '../../cli/style.js';
import { renderSet } from '../../render/set.js';
import { renderTable } from '../../render/style.js';
import type { ReadBack } from '../../core/sync/records.js';
import { AppNotFound, GLOBAL_SETTINGS_FLAGS, SetRefused, setInOrg, setLocal, type SetRun } from '../../usecases/set.js';

import { deployStatusExit, errorCodesSection, orgFailureMeanings } from '../../cli/exitCodes.js';
Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.set');

const USAGE = 2;
// eslint-disable-next-line @typescript-eslint/explicit-function-return-type -- oclif infers the option flag's type
const onOff = (summary: string) => Flags.option({ options: ['on', 'off'] as const, summary })();

export type EcaSetResult = {
  apps: string[];
  /** Per file: what changed. */
  changes: Array<{ path: string; changes: string[]; created: boolean }>;
  dryRun: boolean;
  diff?: string;
  /** What "sf eca check" still reports for the apps after the change. */
  findings: EcaFinding[];
  /** With --target-org: the deploy (check-only with --dry-run). */
  deploy?: { id: string; status: string; checkOnly: boolean };
  /** The org, by username or id (with --target-org). */
  org?: string;
  /** With --target-org, after a deploy that saved: the org's records read back and compared field by field with what was sent; a difference exits 1. */
  readBack?: ReadBack;
  /** With --target-org, after a deploy that saved: what the org holds, read back, for every element the change touched. */
  heldAfter?: Array<{ app: string; path: string; element: string; value?: string }>;
};

export default class EcaSet extends EcaCommand<EcaSetResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = errorCodesSection({
    ok: messages.getMessage('error-codes.ok'),
    result: messages.getMessage('error-codes.refused'),
    usage: messages.getMessage('error-codes.usage'),
    ...orgFailureMeanings(),
  });

  public static readonly flags = {
    name: Flags.string({ char: 'n', multiple: true, summary: messages.getMessage('flags.name.summary'), exclusive: ['all'] }),
    all: Flags.boolean({ summary: messages.getMessage('flags.all.summary') }),
    'permitted-users': Flags.option({ options: Object.keys(PERMITTED_USERS_VALUES) as Array<keyof typeof PERMITTED_USERS_VALUES>, summary: messages.getMessage('flags.permitted-users.summary') })(),
    'permission-set': Flags.string({ multiple: true, summary: messages.getMessage('flags.permission-set.summary') }),
    profile: Flags.string({ multiple: true, summary: messages.getMessage('flags.profile.summary') }),
    'ip-relaxation': Flags.option({ options: Object.keys(IP_RELAXATION_VALUES) as Array<keyof typeof IP_RELAXATION_VALUES>, summary: messages.getMessage('flags.ip-relaxation.summary') })(),
    'refresh-token': Flags.option({ options: Object.keys(REFRESH_TOKEN_VALUES) as Array<keyof typeof REFRESH_TOKEN_VALUES>, summary: messages.getMessage('flags.refresh-token.summary') })(),
    'refresh-token-validity': Flags.string({ summary: messages.getMessage('flags.refresh-token-validity.summary') }),
    'session-timeout': Flags.integer({ summary: messages.getMessage('flags.session-timeout.summary') }),
    'session-level': Flags.option({ options: Object.keys(SESSION_LEVEL_VALUES) as Array<keyof typeof SESSION_LEVEL_VALUES>, summary: messages.getMessage('flags.session-level.summary') })(),
    'session-policy-action': Flags.option({ options: Object.keys(POLICY_ACTION_VALUES) as Array<keyof typeof POLICY_ACTION_VALUES>, summary: messages.getMessage('flags.session-policy-action.summary') })(),
    'client-credentials': onOff(messages.getMessage('flags.client-credentials.summary')),
    'run-as': Flags.string({ summary: messages.getMessage('flags.run-as.summary') }),
    'token-exchange': onOff(messages.getMessage('flags.token-exchange.summary')),
    'guest-flow': onOff(messages.getMessage('flags.guest-flow.summary')),
    'add-ip-range': Flags.string({ multiple: true, summary: messages.getMessage('flags.add-ip-range.summary') }),
    'remove-ip-range': Flags.string({ multiple: true, summary: messages.getMessage('flags.remove-ip-range.summary') }),
    'replace-ip-ranges': Flags.boolean({ summary: messages.getMessage('flags.replace-ip-ranges.summary') }),
    'ip-range-description': Flags.string({ summary: messages.getMessage('flags.ip-range-description.summary') }),
    'add-scope': Flags.string({ multiple: true, summary: messages.getMessage('flags.add-scope.summary') }),
    'remove-scope': Flags.string({ multiple: true, summary: messages.getMessage('flags.remove-scope.summary') }),
    pkce: onOff(messages.getMessage('flags.pkce.summary')),
    'refresh-token-rotation': onOff(messages.getMessage('flags.refresh-token-rotation.summary')),
    'create-policies': Flags.boolean({ summary: messages.getMessage('flags.create-policies.summary') }),
    'dry-run': Flags.boolean({ default: false, summary: messages.getMessage('flags.dry-run.summary') }),
    'source-dir': sourceDirFlag,
    'target-org': withSummary(optionalOrgFlag, messages.getMessage('flags.target-org.summary')),
    'api-version': orgFlags['api-version'],
    wait: orgFlags.wait,
    'poll-interval': orgFlags['poll-interval'],
  };

  public async run(): Promise<EcaSetResult> {
    const { flags } = await this.parse(EcaSet);
    const validity = flags['refresh-token-validity'];
    const duration = validity === undefined ? undefined : parseDuration(validity);
    const list = (v: string[] | undefined): string[] | undefined => v?.filter((x) => x.trim() !== '').map((x) => x.trim());
    const request: SetRequest = {
      permittedUsers: flags['permitted-users'],
      permissionSets: list(flags['permission-set']),
      profiles: list(flags.profile),
      ipRelaxation: flags['ip-relaxation'],
      refreshToken: flags['refresh-token'],
      refreshTokenValidity: duration,
      sessionTimeout: flags['session-timeout'],
      sessionLevel: flags['session-level'],
      policyAction: flags['session-policy-action'],
      clientCredentials: flags['client-credentials'],
      runAs: flags['run-as'],
      tokenExchange: flags['token-exchange'],
      guestFlow: flags['guest-flow'],
      addIpRanges: flags['add-ip-range'],
      removeIpRanges: flags['remove-ip-range'],
      replaceIpRanges: flags['replace-ip-ranges'] || undefined,
      ipRangeDescription: flags['ip-range-description'],
      addScopes: flags['add-scope'],
      removeScopes: flags['remove-scope'],
      pkce: flags.pkce,
      refreshTokenRotation: flags['refresh-token-rotation'],
    };
    const invalid = validateSetRequest(request);
    if (validity !== undefined && !duration) invalid.unshift(`--refresh-token-validity ${validity}: use a duration such as 30d, 12h or 3mo`);
    if (invalid.length > 0) throw messages.createError('error.Invalid', [invalid.map((l) => `  ${l}`).join('\n')], [], USAGE);
    if (!flags.all && !flags.name?.length) throw messages.createError('error.NoApps', [], [], USAGE);
    const org = flags['target-org'];
    if (org) {
      const global = GLOBAL_SETTINGS_FLAGS.find((f) => flags[f] !== undefined);
      if (global) throw messages.createError('error.GlobalInOrg', [global], [], USAGE);
    }
    const target = { names: flags.name, all: flags.all, dryRun: flags['dry-run'], createPolicies: flags['create-policies'], 'source-dir': flags['source-dir'] };
    let run: SetRun;
    try {
      run = org
        ? await setInOrg(org, request, { ...target, apiVersion: flags['api-version'] }, timingOf(flags), (label, work, done) => withOrg(this, label, work, done))
        : await setLocal(request, target);
    } catch (e) {
      if (e instanceof AppNotFound) throw messages.createError('error.AppNotFound', [e.missing.join(', ')], [e.known.join(', ') || 'none']);
      if (e instanceof SetRefused) throw messages.createError('error.Refused', [e.lines.map((l) => `  ${l}`).join('\n')]);
      throw e;
    }
    const orgName = org ? orgLabel(org) : undefined;
    if (!this.jsonEnabled()) {
      const style = terminalStyle();
      const out = renderSet(run, style, terminalWidth());
      if (out.text) this.log(out.text);
      for (const path of run.created) {
        const app = run.apps.find((a) => path.includes(a)) ?? '';
        this.warn(messages.getMessage('warning.createdPolicies', [path, app, app]));
      }
      for (const p of run.deploy?.problems ?? []) this.warn(p);
      if (run.deploy && orgName) this.log(messages.getMessage('info.orgResult', [run.deploy.status, run.set.changes.length, run.deploy.checkOnly ? 'validated' : 'deployed', orgName]));
      if (run.heldAfter && run.heldAfter.length > 0 && orgName) {
        this.log(messages.getMessage('info.heldAfter', [orgName]));
        this.log(renderTable(['App', 'Element', 'Org'], run.heldAfter.map((h) => [h.app, h.element, h.value ?? style.dim('(none)')]), style, { width: terminalWidth(), shrink: [2, 1] }));
      }
      for (const line of out.remaining) this.log(line);
    }
    const differs = (run.readBack?.differences.length ?? 0) > 0;
    if (differs && !this.jsonEnabled()) {
      const style = terminalStyle();
      const rows = (run.readBack?.differences ?? []).map((d) => [d.path, d.element, d.sent ?? style.dim('(none)'), d.org ?? style.dim('(none)')]);
      this.logToStderr(messages.getMessage('error.readBack', [rows.length, renderTable(['File', 'Element', 'Sent', 'Org'], rows, style, { width: terminalWidth(), shrink: [0, 1] })]));
    }
    if (run.deploy) process.exitCode = differs ? 1 : deployStatusExit(run.deploy.status);
    return {
      apps: [...run.apps],
      changes: run.set.changes.map((c) => ({ path: c.path, changes: c.applied.map((a) => a.description), created: run.created.has(c.path) })),
      dryRun: flags['dry-run'],
      ...(run.diff !== undefined ? { diff: run.diff } : {}),
      findings: publicFindings(run.findings),
      ...(run.deploy ? { deploy: { id: run.deploy.id, status: run.deploy.status, checkOnly: run.deploy.checkOnly } } : {}),
      ...(orgName ? { org: orgName } : {}),
      ...(run.readBack ? { readBack: run.readBack } : {}),
      ...(run.heldAfter ? { heldAfter: [...run.heldAfter] } : {}),
    };
  }
}
