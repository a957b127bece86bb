// Seeded random scenarios for the simulator invariants (invariants.test.ts).
import type { InstanceConfig, Prng } from '@hotstandby/protocol';
import { adverIntervalUs, defineInstance, mulberry32, Simulation } from '@hotstandby/protocol';

export const VIP = '10.10.10.129';

export interface World {
  readonly sim: Simulation;
  readonly configs: Map<string, InstanceConfig>;
  readonly intervalUs: number;
}

export function world(rng: Prng, options: { nopreempt?: boolean; transcript?: boolean } = {}): World {
  const n = rng.int(2, 4);
  const version = rng.pick([2, 3] as const);
  const intervalCs = version === 2 ? rng.pick([100, 200]) : rng.pick([1, 10, 100]);
  // Distinct priorities, so "the highest wins" has one answer.
  const pool = Array.from({ length: 254 }, (_, i) => i + 1);
  const specs = Array.from({ length: n }, (_, i) => {
    const priority = pool.splice(rng.int(0, pool.length - 1), 1)[0] ?? 1;
    const config = defineInstance({ name: 'VI_1', vrid: 51, version, advertIntervalCs: intervalCs, priority, primaryAddress: `10.10.10.${i + 1}`, virtualAddresses: [VIP], nopreempt: options.nopreempt === true });
    return { id: `r${i + 1}`, config };
  });
  const sim = new Simulation(specs, { seed: rng.int(1, 2 ** 31), transcript: options.transcript ?? false, wire: false });
  return { sim, configs: new Map(specs.map((s) => [s.id, s.config])), intervalUs: adverIntervalUs(intervalCs) };
}

/** Live routers taking part in the election (not dead, not FAULT/STOP). */
export function contenders(sim: Simulation): string[] {
  return sim.ids().filter((id) => sim.isAlive(id) && (sim.stateOf(id).kind === 'BACKUP' || sim.stateOf(id).kind === 'MASTER'));
}

/** A random mess — crashes, restarts, stops, priority changes, faults, partitions, lossy links — then a healthy LAN. */
export function runScenario(seed: number, options: { nopreempt?: boolean; transcript?: boolean } = {}): { w: World; settledAt: number } {
  const rng = mulberry32(seed);
  const w = world(rng, options);
  const { sim, intervalUs } = w;
  const ids = sim.ids();
  for (const id of ids) sim.at(rng.int(0, 5) * intervalUs, (s) => s.start(id));
  let t = 5 * intervalUs;
  const disturbances = rng.int(1, 8);
  for (let i = 0; i < disturbances; i++) {
    t += rng.int(1, 12 * intervalUs);
    const id = rng.pick(ids);
    const what = rng.int(0, 7);
    sim.at(t, (s) => {
      switch (what) {
        case 0: s.crash(id); break;
        case 1: s.restart(id); break;
        case 2: s.stop(id); break;
        case 3: s.setPriority(id, rng.int(1, 254)); break;
        case 4: if (s.stateOf(id).kind === 'FAULT') s.clearFault(id); else s.fault(id); break;
        case 5: s.partition(ids.filter(() => rng.chance(0.5)), ids.filter(() => rng.chance(0.5))); break;
        case 6: s.setLinkFaults({ dropRate: rng.next() * 0.5, duplicateRate: rng.next() * 0.3, jitterUs: rng.int(0, intervalUs / 2) }); break;
        default: s.heal(); break;
      }
    });
  }
  // The LAN heals; whoever is alive and not faulted must converge.
  t += rng.int(1, 3 * intervalUs);
  sim.at(t, (s) => {
    s.heal();
    s.setLinkFaults({});
  });
  // Worst case to converge: a restarted stronger router waits one Master_Down_Interval (< 4
  // intervals, or 3 intervals + 1 s in VRRPv2), then its first advert demotes the weaker master.
  const settle = 2 * (4 * intervalUs + 1_000_000) + intervalUs;
  sim.runUntil(t + settle);
  return { w, settledAt: t + settle };
}

