// The "domain" makes a VRID unique: VRID 51 on 10.10.10.0/24 and VRID 51 on another LAN are different
// routers (RFC 9568 §1: a VRID is scoped to a LAN). Default: the network prefix of the instance
// interface's address; or an explicit cluster name from configuration.

export type DomainResult = { ok: true; domain: string } | { ok: false; reason: string };

/** `domainFromPrefix('10.10.10.126', 24)` → `10.10.10.0/24`; IPv6 in RFC 5952 form: `fd00:0:0:1::/64`. */
export function domainFromPrefix(address: string, prefixLength: number): DomainResult {
  if (address.includes(':')) {
    const words = parseIpv6(address);
    if (!words) return { ok: false, reason: `not an IPv6 address: ${address}` };
    if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 128) return { ok: false, reason: `bad IPv6 prefix length ${prefixLength}` };
    const masked = words.map((w, i) => {
      const bits = Math.max(0, Math.min(16, prefixLength - i * 16));
      return bits === 0 ? 0 : w & ((0xffff << (16 - bits)) & 0xffff);
    });
    return { ok: true, domain: `${formatIpv6(masked)}/${prefixLength}` };
  }
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return { ok: false, reason: `not an IPv4 address: ${address}` };
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) return { ok: false, reason: `bad IPv4 prefix length ${prefixLength}` };
  const value = parts.reduce((acc, p) => acc * 256 + Number(p), 0);
  // Bitwise ops are 32-bit signed in JS; mask in unsigned arithmetic instead.
  const net = value - (value % 2 ** (32 - prefixLength));
  const octets = [24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256);
  return { ok: true, domain: `${octets.join('.')}/${prefixLength}` };
}

/** An explicit cluster name (configuration). Must be non-empty and free of whitespace. */
export function domainFromClusterName(name: string): DomainResult {
  if (!/^[^\s\p{Cc}]{1,200}$/u.test(name)) return { ok: false, reason: `bad cluster name ${JSON.stringify(name)}` };
  return { ok: true, domain: name };
}

function parseIpv6(text: string): number[] | undefined {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // An embedded IPv4 tail (`::ffff:10.0.0.1`) is two 16-bit words written in dotted form.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const o = v4.slice(1, 5).map(Number);
    if (o.some((x) => x > 255)) return undefined;
    const w1 = ((o[0]! << 8) | o[1]!).toString(16);
    const w2 = ((o[2]! << 8) | o[3]!).toString(16);
    s = `${s.slice(0, v4.index)}${w1}:${w2}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] | undefined => {
    if (h === '') return [];
    const ws = h.split(':');
    if (!ws.every((w) => /^[0-9a-fA-F]{1,4}$/.test(w))) return undefined;
    return ws.map((w) => parseInt(w, 16));
  };
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const have = head.length + rest.length;
  if (halves.length === 2) {
    if (have > 7) return undefined;
    return [...head, ...new Array<number>(8 - have).fill(0), ...rest];
  }
  return have === 8 ? head : undefined;
}

/** RFC 5952 §4: lowercase, no leading zeros, the longest run (≥2) of zero words becomes `::`. */
function formatIpv6(words: number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
