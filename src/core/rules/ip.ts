/* IPv4 and IPv6 addresses as numbers, CIDR ranges, and the size of a range. */

export type IpAddress = { readonly family: 4 | 6; readonly value: bigint };
export type Cidr = { readonly text: string; readonly family: 4 | 6; readonly start: bigint; readonly end: bigint };

const parseV4 = (s: string): bigint | undefined => {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
};

const parseV6 = (s: string): bigint | undefined => {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.split('::').length > 2) return undefined;
  let tail = s;
  let v4: bigint | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    v4 = parseV4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = tail.includes('::') ? (tail.split('::') as [string, string]) : [tail, undefined];
  const hs = head === '' ? [] : head.split(':');
  const rs = rest === undefined ? [] : rest === '' ? [] : rest.split(':');
  const missing = 8 - hs.length - rs.length;
  if ((rest === undefined && missing !== 0) || (rest !== undefined && missing < 1)) return undefined;
  const groups = [...hs, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...rs];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(Number.parseInt(g, 16));
  }
  if (v4 !== undefined) v = (v & ~0xffffffffn) | v4;
  return v;
};

export const parseIp = (text: string): IpAddress | undefined => {
  const s = text.trim();
  if (s.includes(':')) {
    const v = parseV6(s);
    return v === undefined ? undefined : { family: 6, value: v };
  }
  const v = parseV4(s);
  return v === undefined ? undefined : { family: 4, value: v };
};

export const parseCidr = (text: string): Cidr | undefined => {
  const [addr, bits, extra] = text.trim().split('/');
  if (extra !== undefined || addr === undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const width = ip.family === 4 ? 32 : 128;
  const prefix = bits === undefined ? width : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return undefined;
  const hostBits = BigInt(width - prefix);
  const start = (ip.value >> hostBits) << hostBits;
  return { text: text.trim(), family: ip.family, start, end: start + (1n << hostBits) - 1n };
};

export const formatIp = (ip: IpAddress): string => {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((s) => ((ip.value >> s) & 255n).toString()).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((ip.value >> s) & 0xffffn).toString(16));
  // RFC 5952: the longest run of two or more zero groups becomes '::'.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
};

/** Number of addresses from start to end inclusive. */
export const rangeSize = (start: IpAddress, end: IpAddress): bigint => end.value - start.value + 1n;

export const cidrContains = (cidr: Cidr, start: IpAddress, end: IpAddress): boolean =>
  cidr.family === start.family && cidr.family === end.family && start.value >= cidr.start && end.value <= cidr.end;

/** Parses "start-end" or a CIDR into a start and end address (for flags such as --add-ip-range). */
export const parseRangeText = (text: string): { start: IpAddress; end: IpAddress } | undefined => {
  if (text.includes('-')) {
    const [a, b, extra] = text.split('-');
    if (extra !== undefined || a === undefined || b === undefined) return undefined;
    const start = parseIp(a);
    const end = parseIp(b);
    return start && end && start.family === end.family ? { start, end } : undefined;
  }
  const c = parseCidr(text);
  return c ? { start: { family: c.family, value: c.start }, end: { family: c.family, value: c.end } } : undefined;
};
