// Test helpers for the state machine: a config, an advert, and a way to walk through inputs.
import type { Advertisement, Effect, Input, InstanceConfig, InstanceSpec, State } from '@hotstandby/protocol';
import { defineInstance, initialState, nextTimer, step } from '@hotstandby/protocol';

export const SELF = '10.10.10.126';
export const PEER_HIGHER = '10.10.10.200';
export const PEER_LOWER = '10.10.10.5';
export const VIP = '10.10.10.129';

export function config(over: Partial<InstanceSpec> = {}): InstanceConfig {
  return defineInstance({ name: 'VI_1', vrid: 51, primaryAddress: SELF, virtualAddresses: [VIP], priority: 100, advertIntervalCs: 100, ...over });
}

export function advert(priority: number, intervalCs = 100, over: Partial<Advertisement> = {}): Advertisement {
  return { version: 3, family: 'ipv4', type: 1, vrid: 51, priority, intervalCs, addresses: [VIP], authType: 0, authData: new Uint8Array(0), checksum: 0, ...over };
}

export function received(priority: number, source = PEER_HIGHER, intervalCs = 100, version: 2 | 3 = 3): Input {
  return { type: 'advert-received', advert: advert(priority, intervalCs, { version }), source };
}

/** Fire the earliest armed timer, at its deadline. */
export function fire(cfg: InstanceConfig, state: State): { state: State; effects: readonly Effect[]; at: number } {
  const t = nextTimer(state);
  if (!t) throw new Error(`no timer armed in ${state.kind}`);
  const r = step(cfg, state, { type: 'timer-fired', timer: t.timer, generation: t.generation }, t.at);
  return { ...r, at: t.at };
}

export function started(cfg: InstanceConfig, now = 0): State {
  return step(cfg, initialState(cfg), { type: 'startup' }, now).state;
}

/** A router that has taken over as MASTER at time `at` (returned). */
export function master(cfg: InstanceConfig): { state: State; at: number } {
  const s = started(cfg);
  if (s.kind === 'MASTER') return { state: s, at: 0 };
  const r = fire(cfg, s);
  if (r.state.kind !== 'MASTER') throw new Error('did not become MASTER');
  return { state: r.state, at: r.at };
}

export function types(effects: readonly Effect[]): string[] {
  return effects.map((e) => (e.type === 'run-notify' ? `run-notify:${e.notify}` : e.type === 'send-advert' ? `send-advert:${e.priority}` : e.type));
}
