/*
 * Redaction of metadata text for every preview (diffs, dry runs): the values of secret and
 * sensitive elements, wherever they stand and whatever their namespace prefix, and private-key
 * blocks anywhere. Line structure is kept, so a diff's line numbers stay those of the file.
 */

/** Elements whose values never reach an output: credentials and push-service secrets. */
export const REDACTED_ELEMENTS: readonly string[] = ['consumerSecret', 'consumerKey', 'serviceAccount', 'signingKey', 'password'];

export const REDACTED = '(redacted)';

const ELEMENT = new RegExp(
  `<((?:[A-Za-z_][\\w.-]*:)?(?:${REDACTED_ELEMENTS.join('|')}))(\\s[^>]*)?>([\\s\\S]*?)</\\1\\s*>`,
  'g'
);
const PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

/** Keeps the line breaks of a redacted value, so the text keeps its line count. */
const blank = (value: string, label: string): string => {
  const breaks = value.match(/\r?\n/g) ?? [];
  return label + breaks.join('');
};

/** The text with every secret value and private key replaced by "(redacted)". */
export const redactText = (text: string): string =>
  text
    .replace(PRIVATE_KEY, (m) => blank(m, '(redacted private key)'))
    .replace(ELEMENT, (_m, name: string, attrs: string | undefined, value: string) =>
      value.trim() === '' ? _m : `<${name}${attrs ?? ''}>${blank(value, REDACTED)}</${name}>`
    );
