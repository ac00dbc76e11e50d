import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Org } from '@salesforce/core';
import { Flags, SfCommand, toHelpSection } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core/messages';
import { createFiles, writeAllAtomic } from '../../adapters/write.js';
import { renderMetadataFile } from '../../core/authoring/render.js';
import {
  IP_RELAXATION_VALUES,
  PERMITTED_USERS_VALUES,
  planSet,
  POLICY_ACTION_VALUES,
  REFRESH_TOKEN_VALUES,
  SESSION_LEVEL_VALUES,
  type SetRequest,
  touchesPolicies,
  validateSetRequest,
} from '../../core/authoring/set.js';
import { isProblem, MetadataFile } from '../../core/model/file.js';
import { ExtlClntAppOauthConfigurablePolicies } from '../../core/model/schema.js';
import { buildInventory, type EcaApp, ECA_FILE_KINDS, fileOf } from '../../core/project/inventory.js';
import { DEFAULT_CONFIG, parseDuration } from '../../core/rules/config.js';
import { runCheck } from '../../core/rules/engine.js';
import { applyEdits, filesByPath } from '../../core/rules/fix.js';
import type { Finding } from '../../core/rules/types.js';
import { prepare, ruleContextOf } from '../../cli/check.js';
import { sourceDirFlag } from '../../cli/flags.js';
import { orgFlags, timingOf, withOrg } from '../../cli/org.js';
import { terminalStyle } from '../../cli/style.js';
import { unifiedDiff } from '../../render/diff.js';
import { renderHuman } from '../../render/report.js';

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
  findings: Finding[];
  /** With --target-org: the deploy (check-only with --dry-run). */
  deploy?: { id: string; status: string; checkOnly: boolean };
};

export default class EcaSet extends SfCommand<EcaSetResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = toHelpSection('ERROR CODES', {
    '0': messages.getMessage('error-codes.ok'),
    '1': messages.getMessage('error-codes.refused'),
    '2': messages.getMessage('error-codes.usage'),
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
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary') }),
    'source-dir': sourceDirFlag,
    'target-org': Flags.optionalOrg({ summary: messages.getMessage('flags.target-org.summary') }),
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
    if (flags['target-org']) return setInOrg(this, flags['target-org'], flags, request);

    const prepared = await prepare(flags);
    const { inventory, project } = prepared;
    const known = inventory.apps.filter((a) => !a.orphan);
    const apps: EcaApp[] = flags.all ? [...known] : [];
    for (const name of flags.name ?? []) {
      const app = known.find((a) => a.name === name);
      if (!app) throw messages.createError('error.AppNotFound', [name], [known.map((a) => a.name).join(', ') || 'none']);
      apps.push(app);
    }
    const files = filesByPath(inventory);
    const created: MetadataFile[] = [];
    const problems: string[] = [];
    const planned = [];
    for (const app of apps) {
      let policies: MetadataFile | undefined;
      if (!fileOf(app, 'oauthPolicies') && touchesPolicies(request) && flags['create-policies']) {
        policies = newPoliciesFile(app, prepared.ruleContext.apiVersion);
        files.set(policies.path, policies);
        created.push(policies);
      }
      const plan = planSet(app, request, prepared.ruleContext.apiVersion, policies);
      problems.push(...plan.problems);
      planned.push(...plan.fixes);
    }
    if (problems.length > 0) throw messages.createError('error.Refused', [problems.map((l) => `  ${l}`).join('\n')]);
    const createdPaths = new Set(created.map((f) => f.path));
    const { changes } = applyEdits(files, planned);
    const createdChanges = changes.filter((c) => createdPaths.has(c.path));
    const edited = changes.filter((c) => !createdPaths.has(c.path));
    const dryRun = flags['dry-run'];
    if (!dryRun) {
      if (edited.length > 0) writeAllAtomic(project.cwd, edited.map((c) => ({ path: c.path, before: c.before, after: c.after })));
      if (createdChanges.length > 0) createFiles(project.cwd, createdChanges.map((c) => ({ path: c.path, text: c.after })), false);
    }
    const names = new Set(apps.map((a) => a.name));
    const after = buildInventory(
      (function* () {
        for (const app of inventory.apps) for (const k of ECA_FILE_KINDS) for (const f of app.files[k]) yield { path: f.path, text: files.get(f.path)?.source ?? f.source, packageDir: f.packageDir };
        for (const f of created) yield { path: f.path, text: f.source, packageDir: undefined };
      })()
    );
    const findings = runCheck(after, prepared.ruleContext).findings.filter((f) => names.has(f.app));
    const diff = dryRun ? unifiedDiff(changes.map((c) => ({ ...c, before: createdPaths.has(c.path) ? '' : c.before }))) : undefined;
    if (!this.jsonEnabled()) {
      const style = terminalStyle();
      if (changes.length === 0) this.log(messages.getMessage('info.nothing', [apps.map((a) => a.name).join(', ')]));
      if (diff) this.log(diff.trimEnd());
      for (const c of changes) {
        this.log(`${style.bold(c.path)}${createdPaths.has(c.path) ? ' (new)' : ''}`);
        for (const a of c.applied) this.log(`  ${a.description}`);
      }
      for (const f of createdChanges) {
        const app = apps.find((a) => f.path.includes(a.name))?.name ?? '';
        this.warn(messages.getMessage('warning.createdPolicies', [f.path, app, app]));
      }
      for (const app of apps) {
        const own = findings.filter((f) => f.app === app.name);
        if (own.length > 0) this.log(`\n${messages.getMessage('info.remaining', [app.name])}\n${renderHuman(own, 1, style)}`);
      }
    }
    return {
      apps: apps.map((a) => a.name),
      changes: changes.map((c) => ({ path: c.path, changes: c.applied.map((a) => a.description), created: createdPaths.has(c.path) })),
      dryRun,
      ...(diff !== undefined ? { diff } : {}),
      findings,
    };
  }
}

type OrgFlags = { name?: string[]; all: boolean; 'dry-run': boolean; 'api-version'?: string; wait?: { milliseconds: number }; 'poll-interval'?: number };

/** `set --target-org`: retrieve the apps' files, apply the request, deploy the changed files (check-only with --dry-run). */
const setInOrg = async (cmd: EcaSet, org: Org, flags: OrgFlags, request: SetRequest): Promise<EcaSetResult> => {
  for (const [flag, value] of [
    ['pkce', request.pkce],
    ['refresh-token-rotation', request.refreshTokenRotation],
  ] as const) {
    if (value) throw messages.createError('error.GlobalInOrg', [flag], [], USAGE);
  }
  const conn = org.getConnection(flags['api-version']);
  const { retrieveApps, deployFiles } = await import('../../adapters/org.js');
  const timing = timingOf(flags);
  const fetched = await withOrg(cmd, 'Retrieving from the org', () => retrieveApps(conn, flags.all ? undefined : flags.name, timing));
  if (fetched.missing.length > 0) throw messages.createError('error.AppNotFound', [fetched.missing.join(', ')], [fetched.orgAppNames.join(', ') || 'none']);
  // The developer side of the client credentials flow lives in the global settings, which this path never deploys.
  const remote = buildInventory(fetched.sources.filter((s) => !s.path.startsWith('extlClntAppGlobalOauthSets/')));
  const problems: string[] = [];
  const planned = [];
  for (const app of remote.apps) {
    const plan = planSet(app, request, Number(conn.getApiVersion()));
    problems.push(...plan.problems);
    planned.push(...plan.fixes);
  }
  if (problems.length > 0) throw messages.createError('error.Refused', [problems.map((l) => `  ${l}`).join('\n')]);
  const { changes } = applyEdits(filesByPath(remote), planned);
  const dir = mkdtempSync(join(tmpdir(), 'eca-set-'));
  try {
    const paths = changes.map((c) => {
      const abs = join(dir, 'force-app', 'main', 'default', c.path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, c.after);
      return abs;
    });
    const outcome =
      changes.length > 0
        ? await withOrg(cmd, `${flags['dry-run'] ? 'Validating' : 'Deploying'} ${changes.length} file(s)`, () => deployFiles(conn, paths, { ...timing, checkOnly: flags['dry-run'] }), (o) => o.status)
        : undefined;
    const diff = unifiedDiff(changes.map((c) => ({ ...c, path: `org:${c.path}` })));
    const findings = runCheck(remote, ruleContextOf(Number(conn.getApiVersion()), DEFAULT_CONFIG, [])).findings;
    if (!cmd.jsonEnabled()) {
      if (changes.length === 0) cmd.log(messages.getMessage('info.nothing', [remote.apps.map((a) => a.name).join(', ')]));
      else cmd.log(diff.trimEnd());
      if (outcome) {
        for (const c of outcome.components.filter((x) => x.problem)) cmd.warn(`${c.type} ${c.fullName}: ${c.problem ?? ''}`);
        cmd.log(messages.getMessage('info.orgResult', [outcome.status, changes.length, flags['dry-run'] ? 'validated' : 'deployed', org.getUsername() ?? org.getOrgId()]));
      }
    }
    if (outcome) process.exitCode = outcome.status === 'Succeeded' ? 0 : outcome.status === 'InProgress' ? 69 : outcome.status === 'SucceededPartial' ? 68 : 1;
    return {
      apps: remote.apps.map((a) => a.name),
      changes: changes.map((c) => ({ path: `org:${c.path}`, changes: c.applied.map((a) => a.description), created: false })),
      dryRun: flags['dry-run'],
      diff,
      findings: [...findings],
      ...(outcome ? { deploy: { id: outcome.id, status: outcome.status, checkOnly: outcome.checkOnly } } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** A new OAuth policies file for an app, named as the org names the policies of apps deployed through the Metadata API. */
const newPoliciesFile = (app: EcaApp, apiVersion: number | undefined): MetadataFile => {
  const settings = fileOf(app, 'oauth');
  const header = fileOf(app, 'header') as MetadataFile;
  const name = settings ? `${settings.fullName}_defaultPolicy` : `${app.name}_oauthPlcy`;
  const base = dirname(dirname(header.path));
  const path = join(base, ExtlClntAppOauthConfigurablePolicies.directory, `${name}.${ExtlClntAppOauthConfigurablePolicies.suffix}-meta.xml`).split('\\').join('/');
  const { text } = renderMetadataFile(
    ExtlClntAppOauthConfigurablePolicies,
    [
      { name: 'externalClientApplication', value: app.name },
      { name: 'label', value: name },
    ],
    apiVersion
  );
  const file = MetadataFile.read(path, text);
  if (isProblem(file)) throw new Error(file.message);
  return file;
};
