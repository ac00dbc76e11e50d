import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import { registry } from '@salesforce/source-deploy-retrieve';
import { classifyFileName, isProblem, MetadataFile } from '../../src/core/model/file.js';
import { ExternalClientAppSettings, fieldOf, OauthOidcSettings, typeBySuffix } from '../../src/core/model/schema.js';
import { buildInventory, ORG_SETTINGS_APP, type SourceText } from '../../src/core/project/inventory.js';
import { DEFAULT_CONFIG, type EcaConfig } from '../../src/core/rules/config.js';
import { ALL_RULES, runCheck } from '../../src/core/rules/engine.js';
import { planFixes } from '../../src/core/change/recheck.js';
import type { RuleContext } from '../../src/core/rules/types.js';
import { NS, SFDX_PROJECT, tempDir, writeTree, xmlFile } from '../support/helpers.js';
import { runCommand } from '../support/run.js';

const ECA = 'force-app/main/default/settings/ExternalClientApp.settings-meta.xml';
const OIDC = 'force-app/main/default/settings/OauthOidc.settings-meta.xml';
const HEADER = 'force-app/main/default/externalClientApps/App.eca-meta.xml';

const ctxOf = (config: Partial<EcaConfig> = {}): RuleContext => ({
  apiVersion: 66,
  config: { ...DEFAULT_CONFIG, ...config },
  packageDirs: [{ fullPath: '/p/force-app', packaged: false }],
  today: '2026-12-01',
});

const inventoryOf = (files: Record<string, string>) =>
  buildInventory(Object.entries(files).map(([path, text]): SourceText => ({ path, text, packageDir: '/p/force-app' })));

const check = (files: Record<string, string>, ctx = ctxOf(), only?: readonly string[]) => runCheck(inventoryOf(files), ctx, only ? { only } : {});

const ids = (files: Record<string, string>): string[] =>
  check(files)
    .findings.map((f) => f.ruleId)
    .sort();

/** What a retrieve writes: the settings the org holds, alphabetically. */
const ecaSettings = (fields: Array<[string, string]>): string => xmlFile('ExternalClientAppSettings', fields);
const oidcSettings = (fields: Array<[string, string]>): string => xmlFile('OauthOidcSettings', fields);
const HARDENED_OIDC = oidcSettings([
  ['blockOAuthUnPwFlow', 'true'],
  ['blockOAuthUsrAgtFlow', 'true'],
]);

describe('org settings (ExternalClientApp.settings, OauthOidc.settings)', () => {
  describe('model', () => {
    it('reads the two settings files by their whole name, and no other .settings file', () => {
      expect(classifyFileName('ExternalClientApp.settings-meta.xml')?.type).to.equal(ExternalClientAppSettings);
      expect(classifyFileName('OauthOidc.settings-meta.xml')?.type).to.equal(OauthOidcSettings);
      expect(classifyFileName('OauthOidc.settings')?.type).to.equal(OauthOidcSettings);
      expect(classifyFileName('Security.settings-meta.xml')).to.equal(undefined);
      expect(classifyFileName('ConnectedApp.settings-meta.xml')).to.equal(undefined);
      expect(typeBySuffix('settings')).to.equal(undefined);
      // The ECA types keep their suffixes.
      expect(classifyFileName('App.eca-meta.xml')?.type.name).to.equal('ExternalClientApplication');
    });

    it('agrees with SDR: members of its Settings type, suffix .settings, folder settings', () => {
      const sdr = Object.values(registry.types).find((t) => t.name === 'Settings');
      for (const type of [ExternalClientAppSettings, OauthOidcSettings]) {
        expect([sdr?.suffix, sdr?.directoryName]).to.deep.equal([type.suffix, type.directory]);
      }
    });

    it('models the documented fields', () => {
      expect(ExternalClientAppSettings.fields.map((f) => f.name)).to.deep.equal([
        'enableClientSecretInRestApiAccess',
        'enableConsumerSecretApiAccess',
        'enableExternalClientApps',
        'enablePackageEcaOauthFromDevOrg',
      ]);
      expect(fieldOf(ExternalClientAppSettings, 'enableClientSecretInRestApiAccess')?.since).to.equal(62);
      expect(fieldOf(ExternalClientAppSettings, 'enableConsumerSecretApiAccess')?.deprecated).to.equal(true);
      expect(OauthOidcSettings.fields.map((f) => f.name)).to.include.members(['blockOAuthUnPwFlow', 'blockOAuthUsrAgtFlow', 'isPkceRequired', 'oAuthCdCrdtFlowEnable']);
      expect(ExternalClientAppSettings.openContent && OauthOidcSettings.openContent).to.equal(true);
    });

    it('round-trips both files byte for byte (CRLF, comments, unknown elements, no trailing newline)', () => {
      const texts: Array<[string, string]> = [
        [ECA, ecaSettings([['enableClientSecretInRestApiAccess', 'false'], ['enableConsumerSecretApiAccess', 'false'], ['enablePackageEcaOauthFromDevOrg', 'true']])],
        [OIDC, HARDENED_OIDC],
        [OIDC, HARDENED_OIDC.replace(/\n/g, '\r\n')],
        [OIDC, `<?xml version="1.0" encoding="UTF-8"?>\n<!-- retrieved -->\n<OauthOidcSettings xmlns="${NS}">\n\t<blockOAuthUnPwFlow>true</blockOAuthUnPwFlow>\n\t<someFutureSetting>on</someFutureSetting>\n</OauthOidcSettings>`],
      ];
      for (const [path, text] of texts) {
        const file = MetadataFile.read(path, text);
        if (isProblem(file)) throw new Error(file.message);
        expect(file.source).to.equal(text);
        const copy = file.copy();
        copy.set('blockOAuthUnPwFlow', copy.value('blockOAuthUnPwFlow') ?? 'false');
        if (file.value('blockOAuthUnPwFlow') !== undefined) expect(copy.source).to.equal(text);
        const inv = inventoryOf({ [path]: text });
        expect(inv.orgSettings.map((f) => f.source)).to.deep.equal([text]);
        expect(inv.problems).to.deep.equal([]);
      }
    });

    it('keeps the files in the project but in no app: no app, no orphan, no problem', () => {
      const inv = inventoryOf({ [ECA]: ecaSettings([['enableConsumerSecretApiAccess', 'false']]), [OIDC]: HARDENED_OIDC });
      expect(inv.apps).to.deep.equal([]);
      expect(inv.connectedApps).to.deep.equal([]);
      expect(inv.problems).to.deep.equal([]);
      expect(inv.orgSettings.map((f) => f.path)).to.deep.equal([ECA, OIDC]);
      expect(inv.fileCount).to.equal(2);
    });

    it('reports a second file of one settings type, and an unreadable one under the org settings', () => {
      const dup = inventoryOf({ [OIDC]: HARDENED_OIDC, [OIDC.replace('force-app', 'other-app')]: HARDENED_OIDC });
      expect(dup.problems.map((p) => [p.code, p.path])).to.deep.equal([['DuplicateFile', OIDC.replace('force-app', 'other-app')]]);
      const broken = inventoryOf({ [OIDC]: '<OauthOidcSettings><blockOAuthUnPwFlow>true</OauthOidcSettings>' });
      expect(broken.unreadable.map((u) => u.app)).to.deep.equal([ORG_SETTINGS_APP]);
      const findings = runCheck(broken, ctxOf()).findings;
      expect(findings.map((f) => [f.ruleId, f.app])).to.deep.equal([['ECA-PRJ-004', ORG_SETTINGS_APP]]);
    });
  });

  describe('rules', () => {
    it('registers ECA-ORG-001..004: project category, warnings, manual, once per project', () => {
      const org = ALL_RULES.filter((r) => r.id.startsWith('ECA-ORG-'));
      expect(org.map((r) => r.id)).to.deep.equal(['ECA-ORG-001', 'ECA-ORG-002', 'ECA-ORG-003', 'ECA-ORG-004']);
      for (const r of org) {
        expect([r.appliesTo, r.severity, r.category, r.fixClass, r.fixable]).to.deep.equal(['org', 'warning', 'project', 'manual', false]);
        expect(r.helpUri).to.match(/^https:\/\//);
        expect(r.rationale.length).to.be.greaterThan(40);
      }
    });

    it('ECA-ORG-001 fires on consumer secrets readable through the Metadata API, and only then', () => {
      const on = check({ [ECA]: ecaSettings([['enableConsumerSecretApiAccess', 'true']]) }).findings;
      expect(on.map((f) => [f.ruleId, f.app, f.path, f.line, f.actual, f.expected])).to.deep.equal([['ECA-ORG-001', ORG_SETTINGS_APP, ECA, 3, 'true', 'false']]);
      expect(ids({ [ECA]: ecaSettings([['enableConsumerSecretApiAccess', 'false']]) })).to.deep.equal([]);
      expect(ids({ [ECA]: ecaSettings([['enablePackageEcaOauthFromDevOrg', 'false']]) })).to.deep.equal([]);
    });

    it('ECA-ORG-002 fires on consumer secrets readable through the credentials REST API, and only then', () => {
      expect(ids({ [ECA]: ecaSettings([['enableClientSecretInRestApiAccess', 'true']]) })).to.deep.equal(['ECA-ORG-002']);
      expect(ids({ [ECA]: ecaSettings([['enableClientSecretInRestApiAccess', 'false']]) })).to.deep.equal([]);
      expect(
        ids({ [ECA]: ecaSettings([['enableClientSecretInRestApiAccess', 'true'], ['enableConsumerSecretApiAccess', 'true']]) })
      ).to.deep.equal(['ECA-ORG-001', 'ECA-ORG-002']);
    });

    it('ECA-ORG-003 fires unless the username-password flow is blocked (absent means the default, false)', () => {
      const absent = check({ [OIDC]: oidcSettings([['blockOAuthUsrAgtFlow', 'true']]) }).findings;
      expect(absent.map((f) => [f.ruleId, f.line, f.actual])).to.deep.equal([['ECA-ORG-003', 2, '(absent)']]);
      expect(absent[0]?.message).to.include('default false');
      const off = check({ [OIDC]: oidcSettings([['blockOAuthUnPwFlow', 'false'], ['blockOAuthUsrAgtFlow', 'true']]) }).findings;
      expect(off.map((f) => [f.ruleId, f.line, f.actual, f.expected])).to.deep.equal([['ECA-ORG-003', 3, 'false', 'true']]);
      expect(ids({ [OIDC]: HARDENED_OIDC })).to.deep.equal([]);
    });

    it('ECA-ORG-004 fires unless the user-agent flow is blocked', () => {
      expect(ids({ [OIDC]: oidcSettings([['blockOAuthUnPwFlow', 'true']]) })).to.deep.equal(['ECA-ORG-004']);
      expect(ids({ [OIDC]: oidcSettings([['blockOAuthUnPwFlow', 'true'], ['blockOAuthUsrAgtFlow', 'false']]) })).to.deep.equal(['ECA-ORG-004']);
      expect(ids({ [OIDC]: oidcSettings([]) })).to.deep.equal(['ECA-ORG-003', 'ECA-ORG-004']);
      expect(ids({ [OIDC]: HARDENED_OIDC })).to.deep.equal([]);
    });

    it('says nothing without the files, and the org settings are not an app of the result', () => {
      const header = xmlFile('ExternalClientApplication', [['contactEmail', 'a@example.com'], ['distributionState', 'Local'], ['label', 'App']]);
      const without = check({ [HEADER]: header });
      expect(without.findings.filter((f) => f.ruleId.startsWith('ECA-ORG-'))).to.deep.equal([]);
      const withFiles = check({ [HEADER]: header, [OIDC]: oidcSettings([]) });
      expect(withFiles.apps).to.deep.equal(['App']);
      expect(withFiles.findings.filter((f) => f.app === ORG_SETTINGS_APP).map((f) => f.ruleId)).to.deep.equal(['ECA-ORG-003', 'ECA-ORG-004']);
      expect(withFiles.findings.filter((f) => f.app === 'App' && f.ruleId.startsWith('ECA-ORG-'))).to.deep.equal([]);
    });

    it('works with --rule, severity overrides and waivers that name the org settings', () => {
      const files = { [OIDC]: oidcSettings([]) };
      expect(check(files, ctxOf(), ['ECA-ORG-004']).findings.map((f) => f.ruleId)).to.deep.equal(['ECA-ORG-004']);
      expect(check(files, ctxOf(), ['org-user-agent-flow-blocked']).findings.map((f) => f.ruleId)).to.deep.equal(['ECA-ORG-004']);
      const off = check(files, ctxOf({ rules: { 'ECA-ORG-003': 'off', 'org-user-agent-flow-blocked': 'error' } })).findings;
      expect(off.map((f) => [f.ruleId, f.severity])).to.deep.equal([['ECA-ORG-004', 'error']]);
      const waived = check(files, ctxOf({ waivers: [{ app: ORG_SETTINGS_APP, rule: 'ECA-ORG-003', reason: 'a legacy ETL until March' }] })).findings;
      expect(waived.map((f) => [f.ruleId, Boolean(f.waived)])).to.deep.equal([
        ['ECA-ORG-003', true],
        ['ECA-ORG-004', false],
      ]);
    });

    it('keeps the findings through the fix pipeline (the re-check still sees the files)', () => {
      const plan = planFixes(inventoryOf({ [OIDC]: oidcSettings([]) }), ctxOf(), { includeBreaking: true });
      expect(plan.set.changes).to.deep.equal([]);
      expect(plan.after.findings.map((f) => f.ruleId)).to.deep.equal(['ECA-ORG-003', 'ECA-ORG-004']);
    });
  });

  describe('commands on a project with only these files', () => {
    const project = (): string =>
      writeTree(tempDir('eca-org-settings-'), {
        'sfdx-project.json': SFDX_PROJECT,
        [ECA]: ecaSettings([['enableClientSecretInRestApiAccess', 'true'], ['enableConsumerSecretApiAccess', 'false']]),
        [OIDC]: oidcSettings([['blockOAuthUnPwFlow', 'false'], ['blockOAuthUsrAgtFlow', 'true']]),
        // Another org setting: not ours, never read.
        'force-app/main/default/settings/Security.settings-meta.xml': xmlFile('SecuritySettings', [['enableAdminLoginAsAnyUser', 'false']]),
      });

    it('list shows no app and no problem', async () => {
      const dir = project();
      const r = await runCommand(['eca', 'list', '--json'], dir);
      expect(r.code).to.equal(0);
      const json = JSON.parse(r.stdout) as { result: { apps: unknown[]; problems: unknown[] } };
      expect(json.result.apps).to.deep.equal([]);
      expect(json.result.problems).to.deep.equal([]);
      const human = await runCommand(['eca', 'list'], dir);
      expect(human.stdout).to.not.include('OauthOidc');
      expect(human.stdout).to.not.include('ExternalClientApp.settings');
    });

    it('check reports the findings under the org settings, in every format', async () => {
      const dir = project();
      const r = await runCommand(['eca', 'check', '--json', '--fail-on', 'warning'], dir);
      expect(r.code).to.equal(1);
      const json = JSON.parse(r.stdout) as { result: { findings: Array<{ ruleId: string; app: string; path: string }>; summary: { apps: number; warning: number } } };
      expect(json.result.findings.map((f) => [f.ruleId, f.app, f.path])).to.deep.equal([
        ['ECA-ORG-002', ORG_SETTINGS_APP, ECA],
        ['ECA-ORG-003', ORG_SETTINGS_APP, OIDC],
      ]);
      expect(json.result.summary.apps).to.equal(0);
      expect(json.result.summary.warning).to.equal(2);

      const human = await runCommand(['eca', 'check'], dir);
      expect(human.stdout).to.include(`${OIDC}\n  3:5  warning  ECA-ORG-003 org-username-password-flow-blocked`);

      const sarif = await runCommand(['eca', 'check', '--format', 'sarif', '--output-file', 'eca.sarif'], dir);
      expect(sarif.stderr).to.equal('');
      const log = JSON.parse(readFileSync(join(dir, 'eca.sarif'), 'utf8')) as {
        runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ logicalLocations: Array<{ name: string }> }> }> }>;
      };
      expect(log.runs[0]?.results.map((x) => [x.ruleId, x.locations[0]?.logicalLocations[0]?.name])).to.deep.equal([
        ['ECA-ORG-002', ORG_SETTINGS_APP],
        ['ECA-ORG-003', ORG_SETTINGS_APP],
      ]);

      await runCommand(['eca', 'check', '--format', 'junit', '--output-file', 'eca.xml'], dir);
      const junit = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(readFileSync(join(dir, 'eca.xml'), 'utf8')) as {
        testsuites: { testsuite: Array<{ '@_name': string; testcase: Array<{ '@_name': string; failure?: unknown; 'system-out'?: unknown }> }> };
      };
      const suites = junit.testsuites.testsuite;
      expect(suites.map((s) => s['@_name'])).to.deep.equal([ORG_SETTINGS_APP]);
      // One case per org rule (the ECA rules do not apply to the org settings), findings as failures or output.
      const cases = suites[0]?.testcase.map((c) => c['@_name'].split(' ')[0] ?? '') ?? [];
      expect(cases.filter((id) => id.startsWith('ECA-ORG-'))).to.deep.equal(['ECA-ORG-001', 'ECA-ORG-002', 'ECA-ORG-003', 'ECA-ORG-004']);
      expect(cases.filter((id) => !id.startsWith('ECA-ORG-') && !id.startsWith('ECA-PRJ-00'))).to.deep.equal([]);
    });

    it('a waiver in sfdx-project.json names the org settings', async () => {
      const dir = project();
      const pj = JSON.parse(SFDX_PROJECT) as Record<string, unknown>;
      pj.plugins = { eca: { waivers: [{ app: ORG_SETTINGS_APP, rule: '*', reason: 'org owned by the platform team' }] } };
      writeTree(dir, { 'sfdx-project.json': JSON.stringify(pj) });
      const r = await runCommand(['eca', 'check', '--json', '--fail-on', 'warning'], dir);
      expect(r.code).to.equal(0);
      const json = JSON.parse(r.stdout) as { result: { findings: Array<{ ruleId: string; waived?: unknown }> } };
      expect(json.result.findings.map((f) => [f.ruleId, Boolean(f.waived)])).to.deep.equal([
        ['ECA-ORG-002', true],
        ['ECA-ORG-003', true],
      ]);
    });
  });
});
