// step() throughput for the inputs a busy node sees most. Prints a table; no assertions.
// Run: node --conditions=source --import tsx libs/protocol/bench/fsm.bench.ts
import { performance } from 'node:perf_hooks';
import type { Advertisement, Input, InstanceConfig, State } from '@hotstandby/protocol';
import { defineInstance, initialState, nextTimer, step } from '@hotstandby/protocol';

const cfg: InstanceConfig = defineInstance({ name: 'VI_1', vrid: 51, version: 3, advertIntervalCs: 10, priority: 100, primaryAddress: '10.10.10.126', virtualAddresses: ['10.10.10.129'] });
const advert = (priority: number): Advertisement => ({ version: 3, family: 'ipv4', type: 1, vrid: 51, priority, intervalCs: 10, addresses: ['10.10.10.129'], authType: 0, authData: new Uint8Array(0), checksum: 0 });

const backup: State = step(cfg, initialState(cfg), { type: 'startup' }, 0).state;
const master: State = step(cfg, backup, { type: 'timer-fired', timer: 'master-down', generation: nextTimer(backup)!.generation }, 1e6).state;

interface Case {
  readonly name: string;
  readonly start: State;
  /** Input for iteration i given the current state (timers need the current generation). */
  readonly input: (s: State, i: number) => Input;
  readonly carry: boolean;
}

const cases: Case[] = [
  { name: 'BACKUP  advert-received (higher prio, resets timer)', start: backup, input: () => ({ type: 'advert-received', advert: advert(150), source: '10.10.10.200' }), carry: true },
  { name: 'BACKUP  advert-received (lower prio, discarded)', start: backup, input: () => ({ type: 'advert-received', advert: advert(50), source: '10.10.10.5' }), carry: true },
  { name: 'MASTER  timer-fired adver (sends advert)', start: master, input: (s) => ({ type: 'timer-fired', timer: 'adver', generation: nextTimer(s)!.generation }), carry: true },
  { name: 'MASTER  timer-fired stale generation (no-op)', start: master, input: () => ({ type: 'timer-fired', timer: 'adver', generation: -1 }), carry: true },
  { name: 'BACKUP  master-down → MASTER (full takeover)', start: backup, input: (s) => ({ type: 'timer-fired', timer: 'master-down', generation: nextTimer(s)!.generation }), carry: false },
];

const N = 1_000_000;
const rows: string[] = [];
for (const c of cases) {
  let s = c.start;
  let t = 2e6;
  for (let i = 0; i < 50_000; i++) s = step(cfg, c.carry ? s : c.start, c.input(c.carry ? s : c.start, i), (t += 100)).state; // warm-up
  s = c.start;
  const begin = performance.now();
  for (let i = 0; i < N; i++) {
    const from = c.carry ? s : c.start;
    s = step(cfg, from, c.input(from, i), (t += 100)).state;
  }
  const ms = performance.now() - begin;
  rows.push(`| ${c.name.padEnd(52)} | ${(N / (ms / 1000)).toExponential(2).padStart(10)} | ${((ms * 1e6) / N).toFixed(0).padStart(8)} |`);
}
console.log(`node ${process.version}, ${N.toLocaleString('en')} steps per row`);
console.log(`| ${'input'.padEnd(52)} | ${'steps/s'.padStart(10)} | ${'ns/step'.padStart(8)} |`);
console.log(`|${'-'.repeat(54)}|${'-'.repeat(12)}|${'-'.repeat(10)}|`);
for (const r of rows) console.log(r);
