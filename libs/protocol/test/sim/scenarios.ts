// Golden simulator scenarios. Each builds a Simulation, runs it, and returns it; transcripts.test.ts
// compares the transcript with transcripts/<name>.txt (REWRITE_TRANSCRIPTS=1 regenerates them).
import type { InstanceSpec } from '@hotstandby/protocol';
import { defineInstance, Simulation } from '@hotstandby/protocol';

export const S = 1_000_000;
export const VIP = '10.10.10.129';

/** The tutorial's two nodes (DESIGN.md): VI_1, VRID 51, advert_int 1, VIP 10.10.10.129. */
export function tutorial(over1: Partial<InstanceSpec> = {}, over2: Partial<InstanceSpec> = {}, seed = 1): Simulation {
  const base = { name: 'VI_1', vrid: 51, virtualAddresses: [VIP], advertIntervalCs: 100 };
  return new Simulation(
    [
      { id: 'r1', config: defineInstance({ ...base, primaryAddress: '10.10.10.126', initialState: 'MASTER', priority: 100, ...over1 }) },
      { id: 'r2', config: defineInstance({ ...base, primaryAddress: '10.10.10.127', initialState: 'BACKUP', priority: 99, ...over2 }) },
    ],
    { seed },
  );
}

function startBoth(sim: Simulation): Simulation {
  sim.at(0, (s) => s.start('r1')).at(0, (s) => s.start('r2'));
  return sim;
}

export const scenarios: Record<string, () => Simulation> = {
  /** Startup, master crash (backup takes over at 3 × 1 s + 157/256 s), restart (preempts back). */
  'tutorial-crash-restart': () =>
    startBoth(tutorial())
      .at(10.5 * S, (s) => s.crash('r1'))
      .at(20.5 * S, (s) => s.restart('r1'))
      .runUntil(27 * S),

  /** Graceful stop: priority-0 advert, the backup takes over after Skew_Time = 157/256 s. */
  'tutorial-graceful-stop': () =>
    startBoth(tutorial())
      .at(10.5 * S, (s) => s.stop('r1'))
      .runUntil(14 * S),

  /** VRRP blocked between the nodes: two masters; healed: the lower one yields at the next advert. */
  'tutorial-partition-heal': () =>
    startBoth(tutorial())
      .at(10.5 * S, (s) => s.partition(['r1'], ['r2']))
      .at(20.5 * S, (s) => s.heal())
      .runUntil(23 * S),

  /** nopreempt: the stronger node (150) joins late and leaves the weaker master in place. */
  nopreempt: () =>
    tutorial({ priority: 150, initialState: 'BACKUP', nopreempt: true }, {})
      .at(0, (s) => s.start('r2'))
      .at(5.5 * S, (s) => s.start('r1'))
      .runUntil(16 * S),

  /** preempt_delay 5 s: the stronger node accepts the weaker master for 5 s, then takes over. */
  'preempt-delay': () =>
    tutorial({ priority: 150, initialState: 'BACKUP', preemptDelayUs: 5 * S }, {})
      .at(0, (s) => s.start('r2'))
      .at(5.5 * S, (s) => s.start('r1'))
      .runUntil(20 * S),

  /** A track_script drops the master to 50: the backup (99) ignores its adverts and takes over; restored, it takes back. */
  'priority-change': () =>
    startBoth(tutorial())
      .at(10.5 * S, (s) => s.setPriority('r1', 50))
      .at(20.5 * S, (s) => s.setPriority('r1', 100))
      .runUntil(28 * S),

  /** An interface fault on the master: priority-0 advert, VIPs dropped; cleared, it comes back and preempts. */
  'fault-and-recovery': () =>
    startBoth(tutorial())
      .at(10.5 * S, (s) => s.fault('r1'))
      .at(15.5 * S, (s) => s.clearFault('r1'))
      .runUntil(22 * S),

  /** VRRPv3 at 100 ms: crash → 0.36132812 s; graceful stop → 0.06132812 s. */
  'v3-100ms': () =>
    startBoth(tutorial({ version: 3, advertIntervalCs: 10 }, { version: 3, advertIntervalCs: 10 }))
      .at(1.05 * S, (s) => s.crash('r1'))
      .at(2.05 * S, (s) => s.restart('r1'))
      .at(3.05 * S, (s) => s.stop('r1'))
      .runUntil(3.3 * S),

  /** VRRPv3 at 10 ms: crash → 30 ms + 6132.8125 µs. */
  'v3-10ms': () =>
    startBoth(tutorial({ version: 3, advertIntervalCs: 1 }, { version: 3, advertIntervalCs: 1 }))
      .at(0.1005 * S, (s) => s.crash('r1'))
      .runUntil(0.16 * S),

  /** Three routers (200/150/100): the master crashes, the 150 takes over, the 100 stays backup. */
  'three-routers': () => {
    const base = { name: 'VI_1', vrid: 51, virtualAddresses: [VIP], advertIntervalCs: 100 };
    const sim = new Simulation([
      { id: 'r1', config: defineInstance({ ...base, primaryAddress: '10.10.10.1', priority: 200 }) },
      { id: 'r2', config: defineInstance({ ...base, primaryAddress: '10.10.10.2', priority: 150 }) },
      { id: 'r3', config: defineInstance({ ...base, primaryAddress: '10.10.10.3', priority: 100 }) },
    ]);
    return sim
      .at(0, (s) => s.start('r1'))
      .at(0, (s) => s.start('r2'))
      .at(0, (s) => s.start('r3'))
      .at(8.5 * S, (s) => s.crash('r1'))
      .runUntil(16 * S);
  },
};
