/*
 * What lives outside the Connected App file: the project's other metadata files that name the Connected App
 * (custom scopes, token-exchange handlers, custom permissions, user provisioning, embedded messaging, notification
 * delivery settings, anything else with a <connectedApp> element), what each needs so that it names the External
 * Client App, and the lossless edits that make the change where the Metadata API has an element for it (--relink).
 *
 * Sources (@salesforce/types 1.9.0): OauthCustomScope.assignedTo[]{connectedApp} (no ECA element);
 * OauthTokenExchangeHandler.enablements[]{apexExecutionUser, connectedApp | externalClientApp, isDefault};
 * CustomPermission{connectedApp | externalClientApplication}; UserProvisioningConfig{connectedApp} and
 * EmbeddedMessagingChannel{connectedApp} (no ECA element); NotificationTypeConfig.notificationTypeSettings[]
 * {appSettings[]{appType CONNECTED_APP | EXTERNAL_CLIENT_APP, connectedAppName, enabled}, notificationType}.
 * Pure: text in, references and new texts out.
 */
import { applySplice, insertChild, type NewElement, removeElement } from '../xml/edit.js';
import { firstChild, parseXml, type XmlDocument, type XmlElement, XmlSyntaxError } from '../xml/parse.js';

/** A metadata file of the project that may name the Connected App. */
export type ProjectFile = { readonly path: string; readonly text: string };

export type ReferenceKind =
  | 'custom-scope'
  | 'token-exchange'
  | 'custom-permission'
  | 'user-provisioning'
  | 'embedded-messaging'
  | 'notification-delivery'
  | 'other';

export type Reference = {
  readonly kind: ReferenceKind;
  /** The file's metadata type (its root element). */
  readonly type: string;
  /** The file's full name (its name without the suffix). */
  readonly fullName: string;
  readonly path: string;
  readonly line: number;
  /** The element naming the Connected App, e.g. assignedTo/connectedApp. */
  readonly element: string;
  /** What the file needs so that the External Client App has what the Connected App had, in words. */
  readonly change: string;
  /**
   * relink: `--relink` writes the change (an element the Metadata API has); manual: no element is known for an
   * External Client App, so the change is made in Setup (the report says how); done: the file names the ECA already.
   */
  readonly how: 'relink' | 'manual' | 'done';
  /** The change is among the files this migration writes (with --relink). */
  readonly written: boolean;
  /** custom-scope: the scope's API name. notification-delivery: the notification type. */
  readonly value?: string;
  /** token-exchange: the run-as user of the Connected App's enablement. */
  readonly executionUser?: string;
  /** notification-delivery: whether the Connected App's delivery is enabled (absent: enabled). */
  readonly enabled?: boolean;
};

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);
const text = (el: XmlElement | undefined): string | undefined => el?.text?.trim();
const child = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => localName(c.name) === name);
const baseName = (path: string): string => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
const fullNameOf = (path: string): string => {
  const base = baseName(path);
  const dot = base.indexOf('.');
  return dot < 0 ? base : base.slice(0, dot);
};

const parse = (source: string): XmlDocument | undefined => {
  try {
    return parseXml(source);
  } catch (e) {
    if (e instanceof XmlSyntaxError) return undefined;
    throw e;
  }
};

/** Whether a text may name a Connected App at all (a cheap filter before parsing). */
export const mayReference = (source: string): boolean => source.includes('<connectedApp>') || source.includes('<connectedAppName>');

type Found = { readonly el: XmlElement; readonly parent: XmlElement; readonly path: string };

/** Every <connectedApp> and appSettings/<connectedAppName> element naming `ca`, in document order. */
const namingElements = (root: XmlElement, ca: string): Found[] => {
  const out: Found[] = [];
  const walk = (el: XmlElement, path: string): void => {
    for (const c of el.children) {
      const name = localName(c.name);
      const p = path === '' ? name : `${path}/${name}`;
      if ((name === 'connectedApp' || (name === 'connectedAppName' && localName(el.name) === 'appSettings')) && text(c) === ca) out.push({ el: c, parent: el, path: p });
      else if (c.children.length > 0) walk(c, p);
    }
  };
  walk(root, '');
  return out;
};

/** The references of one file to the Connected App `ca`, for the ECA `eca`. */
const referencesIn = (file: ProjectFile, ca: string, eca: string, relink: boolean): Reference[] => {
  if (!mayReference(file.text)) return [];
  const doc = parse(file.text);
  if (!doc) return [];
  const type = localName(doc.root.name);
  const fullName = fullNameOf(file.path);
  const out: Reference[] = [];
  for (const f of namingElements(doc.root, ca)) {
    const base = { type, fullName, path: file.path, line: f.el.line, element: f.path };
    const linked = (how: Reference['how'], change: string, extra: Partial<Reference> = {}): Reference => ({
      ...base,
      ...extra,
      kind: extra.kind ?? 'other',
      how,
      change,
      written: relink && how === 'relink',
    });
    if (type === 'OauthCustomScope' && f.path === 'assignedTo/connectedApp') {
      const scope = text(firstChild(doc.root, 'developerName')) ?? fullName;
      out.push(
        linked(
          'manual',
          `the External Client App gets the custom scope ${scope} in commaSeparatedCustomScopes (OAuth settings and policies); assignedTo has no element for an External Client App in the Metadata API (only connectedApp), so check after the deploy that ${scope} is assigned to ${eca} (Setup → External Client App Manager → ${eca} → OAuth Settings → Custom Scopes)`,
          { kind: 'custom-scope', value: scope }
        )
      );
    } else if (type === 'OauthTokenExchangeHandler' && f.path === 'enablements/connectedApp') {
      const user = text(child(f.parent, 'apexExecutionUser'));
      const done = doc.root.children.some((c) => localName(c.name) === 'enablements' && text(child(c, 'externalClientApp')) === eca);
      out.push(
        linked(
          done ? 'done' : 'relink',
          done
            ? `an enablement already names the External Client App ${eca}`
            : `add an enablement for the External Client App ${eca} (externalClientApp ${eca}${user ? `, apexExecutionUser ${user}` : ''}, isDefault as the Connected App's); the Connected App's enablement stays until the Connected App is retired`,
          { kind: 'token-exchange', ...(user ? { executionUser: user } : {}) }
        )
      );
    } else if (type === 'CustomPermission' && f.path === 'connectedApp') {
      const done = text(firstChild(doc.root, 'externalClientApplication')) === eca;
      out.push(
        linked(done ? 'done' : 'relink', done ? `externalClientApplication names ${eca} already; connectedApp is left as it is` : `connectedApp ${ca} → externalClientApplication ${eca}`, {
          kind: 'custom-permission',
        })
      );
    } else if (type === 'UserProvisioningConfig' && f.path === 'connectedApp') {
      out.push(
        linked(
          'manual',
          `UserProvisioningConfig names a Connected App only (no element for an External Client App is known): user provisioning stays with ${ca}; keep the Connected App for it, or set up provisioning for ${eca} in Setup once Salesforce supports it (Salesforce's own migration refuses apps with user provisioning)`,
          { kind: 'user-provisioning' }
        )
      );
    } else if (f.path.endsWith('connectedApp') && /^Embedded/.test(type)) {
      out.push(
        linked(
          'manual',
          `the embedded messaging channel names the Connected App; the Metadata API documents connectedApp only, and whether it accepts an External Client App name is not confirmed: point the deployment at ${eca} in Setup (Embedded Service Deployments), then retrieve the file`,
          { kind: 'embedded-messaging' }
        )
      );
    } else if (type === 'NotificationTypeConfig' && f.path.endsWith('appSettings/connectedAppName')) {
      const appType = text(child(f.parent, 'appType'));
      if (appType !== undefined && appType !== 'CONNECTED_APP') continue; // an ECA of the same name
      const settings = parentOf(doc.root, f.parent);
      const notificationType = settings ? text(child(settings, 'notificationType')) : undefined;
      const enabledText = text(child(f.parent, 'enabled'));
      const enabled = enabledText === undefined ? true : enabledText.toLowerCase() === 'true';
      const done =
        settings?.children.some((c) => localName(c.name) === 'appSettings' && text(child(c, 'connectedAppName')) === eca && text(child(c, 'appType')) === 'EXTERNAL_CLIENT_APP') === true;
      out.push(
        linked(
          done ? 'done' : 'relink',
          done
            ? `the delivery settings of ${notificationType ?? 'the notification type'} name the External Client App ${eca} already`
            : `add appSettings for the External Client App ${eca} (appType EXTERNAL_CLIENT_APP, enabled ${String(enabled)}) to the delivery settings of ${notificationType ?? 'the notification type'}: a migrated app no longer shows up in Notification Delivery Settings as a Connected App`,
          { kind: 'notification-delivery', ...(notificationType ? { value: notificationType } : {}), enabled }
        )
      );
    } else {
      out.push(linked('manual', `${f.path} names the Connected App; no equivalent element for an External Client App is known: re-point it to ${eca} in Setup, then retrieve the file`, { kind: 'other' }));
    }
  }
  return out;
};

const parentOf = (root: XmlElement, target: XmlElement): XmlElement | undefined => {
  for (const c of root.children) {
    if (c === target) return root;
    const p = parentOf(c, target);
    if (p) return p;
  }
  return undefined;
};

const byPathLine = (a: Reference, b: Reference): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line);

/** Every reference of the project's files to the Connected App `ca`, sorted by path and line. */
export const findReferences = (files: readonly ProjectFile[], ca: string, eca: string, relink: boolean): Reference[] =>
  files.flatMap((f) => referencesIn(f, ca, eca, relink)).sort(byPathLine);

const sortChildren = (children: NewElement[]): NewElement[] =>
  [...children].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));

/** One relink edit on the current text, or undefined when the first remaining reference needs none. */
const relinkOnce = (source: string, ca: string, eca: string): string | undefined => {
  const doc = parse(source);
  if (!doc) return undefined;
  const type = localName(doc.root.name);
  for (const f of namingElements(doc.root, ca)) {
    if (type === 'OauthTokenExchangeHandler' && f.path === 'enablements/connectedApp') {
      if (doc.root.children.some((c) => localName(c.name) === 'enablements' && text(child(c, 'externalClientApp')) === eca)) continue;
      const user = text(child(f.parent, 'apexExecutionUser'));
      const isDefault = text(child(f.parent, 'isDefault'));
      const el: NewElement = {
        name: 'enablements',
        children: sortChildren([
          ...(user !== undefined ? [{ name: 'apexExecutionUser', value: user }] : []),
          { name: 'externalClientApp', value: eca },
          ...(isDefault !== undefined ? [{ name: 'isDefault', value: isDefault }] : []),
        ]),
      };
      return applySplice(source, insertChild(doc, doc.root, el));
    }
    if (type === 'CustomPermission' && f.path === 'connectedApp') {
      const current = firstChild(doc.root, 'externalClientApplication');
      if (current && text(current) === eca) continue;
      // Remove <connectedApp> first (it ends before any element inserted after it), then add the new element.
      const removed = applySplice(source, removeElement(doc, f.el));
      const doc2 = parse(removed) as XmlDocument;
      const existing = firstChild(doc2.root, 'externalClientApplication');
      if (existing) return applySplice(removed, { start: existing.openEnd, end: existing.closeStart, text: eca });
      return applySplice(removed, insertChild(doc2, doc2.root, { name: 'externalClientApplication', value: eca }));
    }
    if (type === 'NotificationTypeConfig' && f.path.endsWith('appSettings/connectedAppName')) {
      const appType = text(child(f.parent, 'appType'));
      if (appType !== undefined && appType !== 'CONNECTED_APP') continue;
      const settings = parentOf(doc.root, f.parent);
      if (!settings) continue;
      if (settings.children.some((c) => localName(c.name) === 'appSettings' && text(child(c, 'connectedAppName')) === eca && text(child(c, 'appType')) === 'EXTERNAL_CLIENT_APP')) continue;
      const enabled = text(child(f.parent, 'enabled'));
      const el: NewElement = {
        name: 'appSettings',
        children: [{ name: 'appType', value: 'EXTERNAL_CLIENT_APP' }, { name: 'connectedAppName', value: eca }, ...(enabled !== undefined ? [{ name: 'enabled', value: enabled }] : [])],
      };
      return applySplice(source, insertChild(doc, settings, el));
    }
  }
  return undefined;
};

/**
 * The text of a file once every reference to `ca` that --relink can change names `eca` (the same text when there
 * is nothing to change). Edits are minimal splices through the lossless codec: every other line keeps its bytes.
 */
export const relinkText = (source: string, ca: string, eca: string): string => {
  let current = source;
  for (let i = 0; i < 100; i++) {
    const next = relinkOnce(current, ca, eca);
    if (next === undefined || next === current) return current;
    current = next;
  }
  return current;
};
