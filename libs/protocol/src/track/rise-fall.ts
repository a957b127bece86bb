// The OK/KO state of one tracked script, with keepalived's rise/fall hysteresis.
//
// keepalived (vrrp_script): a script that has been OK turns KO after `fall` consecutive failures,
// and a KO script turns OK after `rise` consecutive successes. `init_fail` starts it KO; without it
// keepalived starts a script in an "init" state that the first result settles either way.

export type TrackHealth = 'init' | 'ok' | 'ko';

export interface RiseFallState {
  readonly health: TrackHealth;
  /** Consecutive results that disagree with `health` so far. */
  readonly streak: number;
}

export interface RiseFallConfig {
  readonly rise: number;
  readonly fall: number;
  readonly initFail: boolean;
}

export function initialRiseFall(config: RiseFallConfig): RiseFallState {
  return { health: config.initFail ? 'ko' : 'init', streak: 0 };
}

/** Feed one script result (true = exit 0 within its timeout); returns the new state. */
export function recordResult(config: RiseFallConfig, state: RiseFallState, success: boolean): RiseFallState {
  if (state.health === 'init') return { health: success ? 'ok' : 'ko', streak: 0 };
  const agrees = (state.health === 'ok') === success;
  if (agrees) return state.streak === 0 ? state : { health: state.health, streak: 0 };
  const streak = state.streak + 1;
  const needed = state.health === 'ok' ? config.fall : config.rise;
  if (streak >= Math.max(1, needed)) return { health: success ? 'ok' : 'ko', streak: 0 };
  return { health: state.health, streak };
}
