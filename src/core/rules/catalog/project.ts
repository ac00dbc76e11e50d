/* Project rules (orphans, duplicates, packaging) and Connected App rules (migration candidates and their weak policies). */
import type { MetadataFile } from '../../model/file.js';
import { CONNECTED_APP_IP_RELAXATION } from '../../model/schema.js';
import { containsPrivateKey, localName, parseConnectedAppRefreshPolicy, SECRET_ELEMENT_NAMES } from '../../model/summary.js';
import { ECA_FILE_KINDS } from '../../project/inventory.js';
import type { XmlElement } from '../../xml/parse.js';
import type { Report, Rule } from '../types.js';
import { at, childOf, childText, descendants, DOCS } from '../util.js';


const isInside = (path: string | undefined, dir: string): boolean =>
  path !== undefined && (path === dir || path.startsWith(`${dir}/`) || path.startsWith(`${dir}\\`));

/** Reports a file whose text holds a private key, at the innermost element that holds it. */
const reportPrivateKey = (file: MetadataFile, report: Report): void => {
  if (!containsPrivateKey(file.source)) return;
  const holders = descendants(file.root).filter(({ el }) => el.text !== undefined && containsPrivateKey(el.text));
  const el = holders[0]?.el;
  report({
    file,
    at: at(el),
    message: `${el ? `<${el.name}>` : 'the file'} holds a private key (it is not shown)`,
    action:
      'Consider the key leaked: replace it (new key pair, new certificate), remove it from the file and from the repository history. Metadata needs only the certificate; keys belong in a secret store.',
  });
};

/** The consumerSecret elements of a file (by local name, at any depth) with a value. */
const consumerSecrets = (file: MetadataFile): Array<{ el: XmlElement; parent: XmlElement }> =>
  descendants(file.root).filter(({ el }) => SECRET_ELEMENT_NAMES.has(localName(el.name)) && (el.text?.trim() ?? '') !== '');

/** Where a consumerSecret is, in words, when it is not where its type keeps it. */
const misplacement = (file: MetadataFile, el: XmlElement, parent: XmlElement, home: { parent: string; name: string } | undefined): string | undefined => {
  const atHome = home !== undefined && el.name === home.name && (home.parent === '' ? parent === file.root : parent.name === home.parent && parent !== file.root);
  if (atHome) return undefined;
  if (!home) return `in the ${file.type.title} file, which never holds one`;
  if (el.name !== localName(el.name)) return `under the namespace prefix ${el.name.slice(0, el.name.indexOf(':'))}:`;
  return `inside <${parent === file.root ? file.root.name : parent.name}>, not where the ${file.type.title} keeps it`;
};

export const projectRules: readonly Rule[] = [
  {
    id: 'ECA-PRJ-001',
    name: 'no-orphan-files',
    severity: 'error',
    category: 'project',
    summary: 'Every settings or policies file names an app whose header is in the project.',
    rationale: 'A file that names a missing app fails the deploy (INVALID_CROSS_REFERENCE_KEY) unless the app already exists in the org.',
    helpUri: DOCS.header,
    appliesTo: 'eca',
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca' || !unit.app.orphan) return;
      for (const k of ECA_FILE_KINDS) {
        for (const file of unit.app.files[k]) {
          report({
            file,
            at: at(file.element('externalClientApplication')),
            message: `the ${file.type.title} file names app ${unit.name}, which has no header (.eca-meta.xml) in the project`,
            action: `Add externalClientApps/${unit.name}.eca-meta.xml, or correct <externalClientApplication>.`,
          });
        }
      }
    },
  },
  {
    id: 'ECA-PRJ-002',
    name: 'one-file-per-kind',
    severity: 'error',
    category: 'project',
    summary: 'An app has at most one file of each kind (one OAuth policies file).',
    rationale: 'The org keeps one OAuth policies record per app; deploying a second name fails with "duplicate value found: ExternalClientApplicationId".',
    helpUri: DOCS.policiesHelp,
    appliesTo: 'eca',
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      for (const k of ECA_FILE_KINDS) {
        const files = unit.app.files[k];
        for (const extra of files.slice(1)) {
          report({
            file: extra,
            message: `app ${unit.name} has ${files.length} ${extra.type.title} files: ${files.map((f: MetadataFile) => f.fullName).join(', ')}`,
            action:
              k === 'oauthPolicies'
                ? 'Keep the file named as the org names it (sf eca retrieve discovers it) and delete the others.'
                : 'Keep one file and delete the others.',
          });
        }
      }
    },
  },
  {
    id: 'ECA-PRJ-003',
    name: 'not-packaged',
    severity: 'error',
    category: 'project',
    summary: 'Global OAuth settings, OAuth policies and OAuth security settings files are not inside a package directory that is packaged.',
    rationale: 'Only the header and the OAuth settings are packageable: a package version build with the global settings (which hold credentials), the OAuth policies (which belong to each subscriber org) or the OAuth security settings fails.',
    helpUri: DOCS.packaging,
    appliesTo: 'eca',
    fixable: false,
    fixClass: 'manual',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'eca') return;
      const packaged = ctx.packageDirs.filter((p) => p.packaged);
      if (packaged.length === 0) return;
      for (const k of ['globalOauth', 'oauthPolicies', 'oauthSecurity'] as const) {
        for (const file of unit.app.files[k]) {
          const dir = packaged.find((p) => isInside(file.packageDir, p.fullPath));
          if (!dir) continue;
          report({
            file,
            message: `the ${file.type.title} file is inside the packaged directory ${dir.fullPath}`,
            action: `Move it to an unpackaged directory, or add **/*.${file.type.suffix}-meta.xml to .forceignore.`,
          });
        }
      }
    },
  },
  {
    id: 'ECA-PRJ-006',
    name: 'no-private-key',
    severity: 'error',
    category: 'project',
    summary: 'No file holds a private key (PEM, or base64 PKCS#8/PKCS#1/EC/PKCS#12).',
    rationale: 'A private key in source control lets anyone with the repository sign JWT assertions or push credentials as the app. Metadata needs only the certificate; the key belongs to the client.',
    helpUri: DOCS.secrets,
    appliesTo: 'eca',
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      for (const k of ECA_FILE_KINDS) for (const file of unit.app.files[k]) reportPrivateKey(file, report);
    },
  },
  {
    id: 'ECA-PRJ-007',
    name: 'no-misplaced-secret',
    severity: 'error',
    category: 'project',
    summary: 'No consumerSecret is committed anywhere else: in another file type, inside another element, or under a namespace prefix.',
    rationale: 'A consumer secret is a credential wherever it is written; ECA-GLB-001 looks only where the global OAuth settings keep it, so a misplaced copy would go unnoticed.',
    helpUri: DOCS.secrets,
    appliesTo: 'eca',
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'eca') return;
      for (const k of ECA_FILE_KINDS) {
        for (const file of unit.app.files[k]) {
          for (const { el, parent } of consumerSecrets(file)) {
            const where = misplacement(file, el, parent, k === 'globalOauth' ? { parent: '', name: 'consumerSecret' } : undefined);
            if (!where) continue; // ECA-GLB-001 reports it
            report({
              file,
              at: at(el),
              message: `a consumer secret is committed ${where} (its value is not shown)`,
              expected: 'no consumerSecret element',
              action: 'Rotate the secret in the org (it must be considered leaked), remove the element and purge it from the repository history.',
            });
          }
        }
      }
    },
  },
  {
    id: 'ECA-CA-001',
    name: 'connected-app-migration-candidate',
    severity: 'info',
    category: 'connected-app',
    summary: 'Connected Apps are reported as candidates for migration to External Client Apps.',
    rationale: 'New Connected Apps can no longer be created (Spring \'26); ECAs are closed by default and separate developer settings from admin policies.',
    helpUri: DOCS.migrate,
    appliesTo: 'connectedApp',
    fixable: false,
    fixClass: 'manual',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'connectedApp') return;
      if (ctx.ecaAppNames?.has(unit.name)) {
        report({
          file: unit.entry.file,
          message: `Connected App ${unit.name} has been migrated: the project holds the External Client App ${unit.name}`,
          action: 'Once the ECA is deployed and its clients use its new consumer key, delete the Connected App (from the org and the project).',
        });
        return;
      }
      report({ file: unit.entry.file, message: `Connected App ${unit.name} can be migrated to an External Client App`, action: `sf eca migrate --name ${unit.name}` });
    },
  },
  {
    id: 'ECA-CA-002',
    name: 'connected-app-admin-approved',
    severity: 'warning',
    category: 'connected-app',
    summary: 'A Connected App admits only admin-approved users (isAdminApproved true).',
    rationale: 'Self-authorized Connected Apps are what the 2025 vishing campaign exploited.',
    helpUri: DOCS.connectedApp,
    appliesTo: 'connectedApp',
    fixable: false,
    fixClass: 'manual',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'connectedApp' || ctx.ecaAppNames?.has(unit.name)) return; // its ECA is checked instead
      const f = unit.entry.file;
      const cfg = f.element('oauthConfig');
      if (!cfg || childText(cfg, 'isAdminApproved') === 'true') return;
      report({ file: f, at: at(childOf(cfg, 'isAdminApproved') ?? cfg), message: 'all users may self-authorize this Connected App', expected: 'isAdminApproved true', action: `Migrate it with "sf eca migrate --name ${unit.name} --harden", or set isAdminApproved.` });
    },
  },
  {
    id: 'ECA-CA-003',
    name: 'connected-app-ip-enforced',
    severity: 'warning',
    category: 'connected-app',
    summary: 'A Connected App enforces IP restrictions.',
    rationale: 'Relaxed IP restrictions let stolen tokens work from anywhere.',
    helpUri: DOCS.ipRelaxation,
    appliesTo: 'connectedApp',
    fixable: false,
    fixClass: 'manual',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'connectedApp' || ctx.ecaAppNames?.has(unit.name)) return; // its ECA is checked instead
      const f = unit.entry.file;
      const el = childOf(f.element('oauthPolicy'), 'ipRelaxation');
      const v = el?.text?.trim().toUpperCase();
      if (!el || !v || v === 'ENFORCE' || !(v in CONNECTED_APP_IP_RELAXATION)) return;
      report({ file: f, at: at(el), severity: v === 'ENFORCE_RELAXREFRESH' ? 'info' : undefined, message: `ipRelaxation is ${v}`, actual: v, expected: 'ENFORCE' });
    },
  },
  {
    id: 'ECA-CA-004',
    name: 'connected-app-refresh-expires',
    severity: 'warning',
    category: 'connected-app',
    summary: 'A Connected App\'s refresh tokens expire.',
    rationale: 'infinite is the Connected App default: tokens that never expire.',
    helpUri: DOCS.idleTtl,
    appliesTo: 'connectedApp',
    fixable: false,
    fixClass: 'manual',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'connectedApp' || ctx.ecaAppNames?.has(unit.name)) return; // its ECA is checked instead
      const f = unit.entry.file;
      if (!f.element('oauthConfig')) return;
      const el = childOf(f.element('oauthPolicy'), 'refreshTokenPolicy');
      const parsed = el?.text ? parseConnectedAppRefreshPolicy(el.text) : { type: 'Infinite' };
      if (parsed?.type !== 'Infinite') return;
      report({ file: f, at: at(el ?? f.element('oauthConfig')), message: el ? 'refreshTokenPolicy is infinite' : 'no refreshTokenPolicy: refresh tokens never expire (the default)', expected: 'specific_inactivity:30:DAYS or zero' });
    },
  },
  {
    id: 'ECA-CA-005',
    name: 'connected-app-no-full-scope',
    severity: 'warning',
    category: 'connected-app',
    summary: 'A Connected App does not request the Full scope.',
    rationale: 'Least privilege (Salesforce Code Analyzer rule LimitConnectedAppScope).',
    helpUri: DOCS.scopes,
    appliesTo: 'connectedApp',
    fixable: false,
    fixClass: 'manual',
    check: (unit, ctx, report) => {
      if (unit.kind !== 'connectedApp' || ctx.ecaAppNames?.has(unit.name)) return; // its ECA is checked instead
      const f = unit.entry.file;
      const full = f.element('oauthConfig')?.children.find((c) => c.name === 'scopes' && c.text?.trim() === 'Full');
      if (full) report({ file: f, at: at(full), message: 'the Connected App requests the Full scope' });
    },
  },
  {
    id: 'ECA-CA-006',
    name: 'connected-app-no-committed-secret',
    severity: 'error',
    category: 'connected-app',
    summary: 'No consumer secret is committed in a Connected App file (in oauthConfig or anywhere else).',
    rationale: 'A committed secret lets anyone with the repository mint tokens for the app.',
    helpUri: DOCS.secrets,
    appliesTo: 'connectedApp',
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'connectedApp') return;
      const f = unit.entry.file;
      for (const { el, parent } of consumerSecrets(f)) {
        const where = misplacement(f, el, parent, { parent: 'oauthConfig', name: 'consumerSecret' });
        report({
          file: f,
          at: at(el),
          message: `a consumer secret is committed${where ? ` ${where}` : ''} (its value is not shown)`,
          action: 'Rotate the secret in the org and remove it from the file and the repository history.',
        });
      }
    },
  },
  {
    id: 'ECA-CA-008',
    name: 'connected-app-no-private-key',
    severity: 'error',
    category: 'connected-app',
    summary: 'A Connected App file holds no private key.',
    rationale: 'A private key in source control lets anyone with the repository sign JWT assertions as the app.',
    helpUri: DOCS.secrets,
    appliesTo: 'connectedApp',
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind === 'connectedApp') reportPrivateKey(unit.entry.file, report);
    },
  },
  {
    id: 'ECA-CA-007',
    name: 'connected-app-policy-valid',
    severity: 'error',
    category: 'connected-app',
    summary: 'A Connected App\'s ipRelaxation and refreshTokenPolicy have valid values.',
    rationale: 'Malformed values fail the deploy and cannot be migrated.',
    helpUri: DOCS.connectedApp,
    appliesTo: 'connectedApp',
    fixable: false,
    fixClass: 'manual',
    check: (unit, _ctx, report) => {
      if (unit.kind !== 'connectedApp') return;
      const f = unit.entry.file;
      const policy = f.element('oauthPolicy');
      const ip = childOf(policy, 'ipRelaxation');
      const ipValue = ip?.text?.trim();
      if (ip && ipValue && !(ipValue.toUpperCase() in CONNECTED_APP_IP_RELAXATION)) {
        report({ file: f, at: at(ip), message: `ipRelaxation "${ipValue}" is not one of ${Object.keys(CONNECTED_APP_IP_RELAXATION).join(', ')}`, actual: ipValue });
      }
      const rt = childOf(policy, 'refreshTokenPolicy');
      const rtValue = rt?.text?.trim();
      if (rt && rtValue && !parseConnectedAppRefreshPolicy(rtValue)) {
        report({ file: f, at: at(rt), message: `refreshTokenPolicy "${rtValue}" is not zero, infinite, specific_lifetime:<n>:<HOURS|DAYS|MONTHS> or specific_inactivity:<n>:<unit>`, actual: rtValue });
      }
    },
  },
];
