// Throughput of the VRRP codec and the validation ladder, packets per second, on this machine.
// Run: node --conditions=source --import tsx libs/protocol/bench/codec.bench.ts
// For scale: 50 VRRPv3 instances at 100 ms (keepalived's measured load in DESIGN.md) is 500 adverts/s.
import { performance } from 'node:perf_hooks';
import type { Advertisement, IpFacts } from '../src/types.js';
import * as vrrp from '../src/packet/vrrp.js';
import { validateAdvertisement } from '../src/validate/ladder.js';
import type { ValidationConfig } from '../src/validate/config.js';

interface Case {
  readonly name: string;
  readonly advert: Advertisement;
  readonly ip: IpFacts;
  readonly config: ValidationConfig;
}

function make(fields: vrrp.AdvertisementFields, ip: IpFacts, config: ValidationConfig, name: string): Case {
  return { name, advert: vrrp.withChecksum(fields, { source: ip.source, destination: ip.destination }), ip, config };
}

const cases: Case[] = [
  make(
    { version: 2, family: 'ipv4', vrid: 51, priority: 100, intervalCs: 100, addresses: ['10.10.10.129'], authType: 1, authData: vrrp.passwordAuthData('1234') },
    { family: 'ipv4', source: '10.10.10.126', destination: '224.0.0.18', ttl: 255 },
    { version: 2, family: 'ipv4', vrid: 51, authType: 1, authPass: '1234', intervalCs: 100, virtualAddresses: ['10.10.10.129'] },
    'v2 (1 VIP, PASS)',
  ),
  make(
    { version: 3, family: 'ipv4', vrid: 51, priority: 100, intervalCs: 10, addresses: ['10.10.10.129'] },
    { family: 'ipv4', source: '10.10.10.126', destination: '224.0.0.18', ttl: 255 },
    { version: 3, family: 'ipv4', vrid: 51, intervalCs: 10, virtualAddresses: ['10.10.10.129'] },
    'v3/IPv4 (1 VIP)',
  ),
  make(
    { version: 3, family: 'ipv6', vrid: 51, priority: 100, intervalCs: 100, addresses: ['fe80::129', '2001:db8:10::129'] },
    { family: 'ipv6', source: 'fe80::e829:c7ff:feef:cbb6', destination: 'ff02::12', ttl: 255 },
    { version: 3, family: 'ipv6', vrid: 51, intervalCs: 100, virtualAddresses: ['fe80::129', '2001:db8:10::129'] },
    'v3/IPv6 (2 VIPs)',
  ),
];

let sink = 0;

/** Runs fn in batches until `ms` have passed; returns calls per second. */
function rate(fn: () => void, ms = 400): number {
  for (let i = 0; i < 2000; i++) fn(); // warm up
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 1000; i++) fn();
    n += 1000;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

const rows: string[][] = [];
for (const c of cases) {
  const bytes = vrrp.encode(c.advert);
  const buf = new Uint8Array(64);
  const { checksum: _c, ...fields } = c.advert;
  const decode = rate(() => {
    const r = vrrp.decode(bytes, 0, c.advert.family);
    if (r.ok) sink += r.value.priority;
  });
  const encode = rate(() => {
    sink += vrrp.encode(c.advert, buf, 0)[2] ?? 0;
  });
  const build = rate(() => {
    sink += vrrp.encode(vrrp.withChecksum(fields, { source: c.ip.source, destination: c.ip.destination }), buf, 0)[7] ?? 0;
  });
  const validate = rate(() => {
    const r = validateAdvertisement(bytes, c.ip, c.config);
    if (r.ok) sink += r.advert.priority;
  });
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  rows.push([c.name, `${bytes.length} B`, fmt(decode), fmt(encode), fmt(build), fmt(validate)]);
}

const head = ['packet', 'size', 'decode/s', 'encode/s', 'checksum+encode/s', 'validate/s'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (r: string[]): string => r.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
console.log(`node ${process.version}, ${process.arch}; packets per second, single thread`);
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
if (sink === 42) console.log('');
