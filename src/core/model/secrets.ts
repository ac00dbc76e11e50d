/*
 * Credentials in metadata text: consumer secrets by element name (any prefix, any depth) and private
 * keys by their PEM armour or the first bytes of their base64 DER. Used by show (redaction), the
 * inventory (unreadable files), the secret rules and generate.
 */

import { ALL_TYPES, type FieldDef } from './schema.js';

export const PRIVATE_KEY_PLACEHOLDER = '(private key present; never shown)';

/** An element's name without its namespace prefix (`md:consumerSecret` → `consumerSecret`). */
export const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/** Elements that hold a credential wherever they appear, whatever the file type (matched by local name). */
export const SECRET_ELEMENT_NAMES: ReadonlySet<string> = new Set(['consumerSecret']);

/** PEM armour of a private key: PKCS#8 (plain or encrypted), PKCS#1 RSA, SEC1 EC, DSA, OpenSSH, PGP. */
const ARMOURED_KEY = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/;
const ARMOURED_KEY_BLOCK = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?(?:-----END \1-----|$)/g;
/**
 * The first bytes of DER private keys, base64-encoded without armour: PKCS#8 RSA, PKCS#1 RSA, PKCS#8 EC,
 * SEC1 EC, PKCS#8 Ed25519 and PKCS#12 (which bundles a key). Certificates (`MII…CCA…`) do not match.
 */
const UNARMOURED_KEY =
  /(?:MII[A-Za-z0-9+/]{3}IBADANBgkqhkiG9w0BAQEFAAS|MII[A-Za-z0-9+/]{3}IBAAK|MI[GH][A-Za-z0-9+/]AgEAMB[A-Za-z0-9+/]GByqGSM49AgE|MHcCAQEE|MI[GH][A-Za-z0-9+/]AgEBB[DE]|MC4CAQAwBQYDK2Vw|MII[A-Za-z0-9+/]{3}IBAzCC)/;
const PUTTY_KEY = /PuTTY-User-Key-File-\d+:/;

/** True when the text holds private-key material (armoured, or base64 DER that starts like a key). */
export const containsPrivateKey = (text: string): boolean => ARMOURED_KEY.test(text) || UNARMOURED_KEY.test(text) || PUTTY_KEY.test(text);

/**
 * The text with every private key taken out: armoured blocks are replaced by a placeholder (so a
 * certificate next to the key stays readable); text that holds an unarmoured key is replaced whole.
 */
export const redactPrivateKeys = (text: string): string => {
  const unarmoured = text.replace(ARMOURED_KEY_BLOCK, PRIVATE_KEY_PLACEHOLDER);
  return UNARMOURED_KEY.test(unarmoured) || PUTTY_KEY.test(unarmoured) ? PRIVATE_KEY_PLACEHOLDER : unarmoured;
};

/** The 1-based line where a private key starts in the text; undefined when it holds none. */
export const privateKeyLine = (text: string): number | undefined => {
  const m = ARMOURED_KEY.exec(text) ?? UNARMOURED_KEY.exec(text) ?? PUTTY_KEY.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
};

/** Elements whose values no preview shows: credentials by name, and every field the schema marks secret or sensitive. */
export const REDACTED_ELEMENT_NAMES: ReadonlySet<string> = (() => {
  const names = new Set<string>([...SECRET_ELEMENT_NAMES, 'consumerKey']);
  const walk = (fields: readonly FieldDef[]): void => {
    for (const f of fields) {
      if (f.secret === true || f.sensitive === true) names.add(f.name);
      if (f.children) walk(f.children);
    }
  };
  for (const t of ALL_TYPES) walk(t.fields);
  return names;
})();

export const REDACTED = '(redacted)';

/**
 * The elements of a type that hold a credential and never reach the disk from an org: the names that are
 * secret everywhere, and the fields the type's schema marks secret (push credentials: serviceAccount,
 * signingKey, certificate, password).
 */
export const secretElementNamesOf = (type: { readonly fields: readonly FieldDef[] }): ReadonlySet<string> => {
  const names = new Set<string>(SECRET_ELEMENT_NAMES);
  const walk = (fields: readonly FieldDef[]): void => {
    for (const f of fields) {
      if (f.secret === true) names.add(f.name);
      if (f.children) walk(f.children);
    }
  };
  walk(type.fields);
  return names;
};

const REDACTED_ELEMENT = new RegExp(
  `<((?:[A-Za-z_][\\w.-]*:)?(?:${[...REDACTED_ELEMENT_NAMES].join('|')}))(\\s[^>]*)?>([\\s\\S]*?)</\\1\\s*>`,
  'g'
);

/** Keeps the line breaks of a redacted value, so the text keeps its line count (a diff's line numbers stay the file's). */
const keepLines = (value: string, label: string): string => label + (value.match(/\r?\n/g) ?? []).join('');

/**
 * Text for every preview (diffs, dry runs): the values of secret and sensitive elements, wherever
 * they stand and whatever their prefix, and private-key material anywhere, replaced, line structure
 * kept.
 */
export const redactText = (text: string): string => {
  const keys = text.replace(ARMOURED_KEY_BLOCK, (m) => keepLines(m, PRIVATE_KEY_PLACEHOLDER));
  const lines = UNARMOURED_KEY.test(keys) || PUTTY_KEY.test(keys)
    ? keys.split('\n').map((l) => (UNARMOURED_KEY.test(l) || PUTTY_KEY.test(l) ? PRIVATE_KEY_PLACEHOLDER : l)).join('\n')
    : keys;
  return lines.replace(REDACTED_ELEMENT, (m, name: string, attrs: string | undefined, value: string) =>
    value.trim() === '' ? m : `<${name}${attrs ?? ''}>${keepLines(value, REDACTED)}</${name}>`
  );
};
