/*
 * Decoding a metadata file's bytes. Salesforce metadata is UTF-8; readFileSync(…, 'utf8') would turn
 * invalid bytes into U+FFFD silently (and a later write would store the replacement), so invalid
 * UTF-8 and UTF-16/32 files become problems with the position of the first bad byte instead.
 * A UTF-8 BOM is kept as U+FEFF, as the XML reader expects.
 */
import { isUtf8 } from 'node:buffer';

export type DecodeProblem = {
  readonly code: 'InvalidEncoding';
  readonly message: string;
  readonly line?: number;
  readonly col?: number;
};

export type Decoded = { readonly text: string } | DecodeProblem;

export const isDecodeProblem = (d: Decoded): d is DecodeProblem => 'code' in d;

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (WHATWG / RFC 3629), or -1. */
export const firstInvalidUtf8 = (b: Uint8Array): number => {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    // Lead byte → continuation count and the range of the first continuation byte (no overlongs, no surrogates).
    let need = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) need = 2;
    else if (c >= 0xf0 && c <= 0xf4) need = 3;
    else return i;
    if (c === 0xe0) lo = 0xa0;
    else if (c === 0xed) hi = 0x9f;
    else if (c === 0xf0) lo = 0x90;
    else if (c === 0xf4) hi = 0x8f;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || d < lo || d > hi) return i;
      lo = 0x80;
      hi = 0xbf;
    }
    i += need + 1;
  }
  return -1;
};

const wideEncoding = (b: Uint8Array): string | undefined => {
  const [b0, b1, b2, b3] = [b[0], b[1], b[2], b[3]];
  if (b0 === 0xff && b1 === 0xfe) return b2 === 0 && b3 === 0 ? 'UTF-32 (little-endian)' : 'UTF-16 (little-endian)';
  if (b0 === 0xfe && b1 === 0xff) return 'UTF-16 (big-endian)';
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return 'UTF-32 (big-endian)';
  if (b.length < 4) return undefined;
  // No BOM: ASCII markup ('<?', '<E') written as UTF-16 puts a NUL beside each character.
  if (b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0) return 'UTF-16 (little-endian)';
  if (b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0) return 'UTF-16 (big-endian)';
  return undefined;
};

/** The text of a metadata file, or why it cannot be read as UTF-8 (never the bytes themselves). */
export const decodeMetadataBytes = (bytes: Buffer): Decoded => {
  const wide = wideEncoding(bytes);
  if (wide) {
    return {
      code: 'InvalidEncoding',
      message: `the file is ${wide}; save it as UTF-8 (Salesforce metadata files are UTF-8)`,
      line: 1,
      col: 1,
    };
  }
  if (isUtf8(bytes)) return { text: bytes.toString('utf8') };
  const bad = firstInvalidUtf8(bytes);
  if (bad < 0) return { code: 'InvalidEncoding', message: 'the file is not valid UTF-8; save it as UTF-8', line: 1, col: 1 };
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < bad; i = bytes.indexOf(0x0a, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  const bom = lineStart === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // Columns count characters (UTF-16 code units) as the XML reader does; the bytes before `bad` are valid UTF-8.
  const col = bytes.subarray(lineStart + bom, bad).toString('utf8').length + 1;
  return {
    code: 'InvalidEncoding',
    message: 'the file is not valid UTF-8 (it may be saved as Latin-1 or Windows-1252); save it as UTF-8',
    line,
    col,
  };
};
