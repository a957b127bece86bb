// The shell around one vrrp_sync_group: member inputs go through libs/protocol stepGroup(), which
// decides what every member does; this file applies the member steps in order, then runs the group's
// notify scripts. No decision is made here (sync/group.ts has keepalived's rules).
import type { Input, InstanceConfig, SyncGroupConfig, SyncGroupState, SyncMember } from '@hotstandby/protocol';
import { groupStartsMaster, OWNER, stepGroup, trackerWeight } from '@hotstandby/protocol';
import type { KeepalivedConfig, SyncGroup, VrrpInstance } from '../config/model.js';
import type { Logger } from '../log/logger.js';
import { NotifyQueue } from '../scripts/notify-queue.js';
import { runAs } from '../scripts/run-script.js';
import type { InstanceRunner } from './instance-runner.js';

export class SyncGroupRunner {
  readonly model: SyncGroup;
  readonly notifyQueue: NotifyQueue;
  readonly #config: SyncGroupConfig;
  readonly #runner: (name: string) => InstanceRunner | undefined;
  readonly #log: Logger;
  #state: SyncGroupState;

  /**
   * `runner` finds a member's current runner (a reload may replace them). `faulted` names the members
   * whose own trackers are failing now; the group state is derived from the members' (after a reload
   * kept members keep their state, so the group does too).
   */
  constructor(model: SyncGroup, runner: (name: string) => InstanceRunner | undefined, faulted: readonly string[], log: Logger, notifyTimeoutMs: number) {
    this.model = model;
    this.#config = { name: model.name, members: model.instances };
    this.#runner = runner;
    this.#log = log;
    const kinds = model.instances.map((n) => runner(n)?.state.kind ?? 'INIT');
    const kind = kinds.some((k) => k === 'INIT') ? 'INIT' : kinds.every((k) => k === 'MASTER') ? 'MASTER' : kinds.some((k) => k === 'FAULT') ? 'FAULT' : 'BACKUP';
    this.#state = { kind, faulted: model.instances.filter((n) => faulted.includes(n)) };
    this.notifyQueue = new NotifyQueue({
      timeoutMs: notifyTimeoutMs,
      onDone: (job, r) => {
        const ok = r.code === 0 && !r.timedOut && r.spawnError === undefined;
        log[ok ? 'info' : 'warn'](`notify ${job.label} ${ok ? 'done' : 'failed'}`, { code: r.code, timedOut: r.timedOut || undefined, error: r.spawnError, stderr: r.stderrTail || undefined });
      },
    });
  }

  get state(): SyncGroupState {
    return this.#state;
  }

  /** Route every input of the members through the group. */
  attach(): void {
    for (const name of this.model.instances) this.#runner(name)?.routeThrough((input, now) => this.input(name, input, now));
  }

  input(name: string, input: Input, now: number): void {
    const members = new Map<string, SyncMember>();
    for (const m of this.model.instances) {
      const r = this.#runner(m);
      if (r) members.set(m, { config: r.config, state: r.state });
    }
    const result = stepGroup(this.#config, this.#state, members, name, input, now);
    this.#state = result.group;
    for (const s of result.steps) this.#runner(s.member)?.apply(s.result, now);
    for (const e of result.effects) {
      if (e.type === 'group-transition') {
        this.#log.info(`VRRP_Group(${this.model.name}) Syncing instances to ${e.to} state`, { from: e.from, member: e.member });
        continue;
      }
      this.#notify(e.notify);
    }
  }

  /** keepalived send_group_notifies(): notify_<state>, then `notify` with GROUP <name> <state> 0. */
  #notify(kind: 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP'): void {
    const n = this.model.notify;
    const specific = kind === 'MASTER' ? n.master : kind === 'BACKUP' ? n.backup : kind === 'FAULT' ? n.fault : n.stop;
    const label = `VRRP_Group(${this.model.name})`;
    if (specific) this.notifyQueue.enqueue({ label: `${label} notify_${kind.toLowerCase()}`, argv: specific.argv, ...runAs(specific.user) });
    if (n.any) this.notifyQueue.enqueue({ label: `${label} notify ${kind}`, argv: [...n.any.argv, 'GROUP', this.model.name, kind, '0'], ...runAs(n.any.user) });
  }
}

/** One tracker of an instance after the sync-group rules: what the daemon evaluates. */
export interface TrackerSpec {
  readonly kind: 'interface' | 'script';
  readonly name: string;
  readonly weight: number;
  readonly reverse: boolean;
}

/**
 * An instance's track_interface / track_script, with its sync group's added and keepalived's weight
 * rules for group members applied (libs/protocol trackerWeight()). Not the instance's own interface:
 * the daemon tracks that unless dont_track_primary.
 */
export function instanceTrackers(m: VrrpInstance, config: KeepalivedConfig): TrackerSpec[] {
  const group = m.syncGroup !== undefined ? config.syncGroups.find((g) => g.name === m.syncGroup) : undefined;
  const scriptWeight = (name: string, weight: number | undefined): { weight: number; reverse: boolean } | undefined => {
    const def = config.scripts.find((s) => s.name === name);
    return def ? { weight: weight ?? def.weight, reverse: def.weightReverse } : undefined;
  };
  const out: TrackerSpec[] = [];
  if (!group) {
    for (const t of m.trackInterfaces) out.push({ kind: 'interface', name: t.name, weight: t.weight, reverse: t.weightReverse });
    for (const t of m.trackScripts) {
      const w = scriptWeight(t.name, t.weight);
      if (w) out.push({ kind: 'script', name: t.name, weight: w.weight, reverse: t.weightReverse || w.reverse });
    }
    return out;
  }
  const members = config.instances.filter((i) => group.instances.includes(i.name));
  const opts = { groupTrackingWeight: false, groupHasOwner: members.some((i) => i.priority === OWNER) };
  const add = (kind: 'interface' | 'script', name: string, weight: number, reverse: boolean, source: 'instance' | 'group'): void => {
    const w = trackerWeight(weight, source, { ...opts, script: kind === 'script' });
    if (w !== undefined) out.push({ kind, name, weight: w, reverse });
  };
  for (const t of m.trackInterfaces) add('interface', t.name, t.weight, t.weightReverse, 'instance');
  for (const t of m.trackScripts) {
    const w = scriptWeight(t.name, t.weight);
    if (w) add('script', t.name, w.weight, t.weightReverse || w.reverse, 'instance');
  }
  for (const t of group.trackInterfaces) add('interface', t.name, t.weight, t.weightReverse, 'group');
  for (const t of group.trackScripts) {
    const w = scriptWeight(t.name, t.weight);
    if (w) add('script', t.name, w.weight, t.weightReverse || w.reverse, 'group');
  }
  return out;
}

/**
 * keepalived vrrp_complete_init(): in a sync group where not every member is an address owner hinted
 * MASTER, the MASTER hints are dropped and every member starts BACKUP (libs/protocol memberConfigs()).
 */
export function memberStartConfig(m: VrrpInstance, config: KeepalivedConfig, c: InstanceConfig): InstanceConfig {
  const group = m.syncGroup !== undefined ? config.syncGroups.find((g) => g.name === m.syncGroup) : undefined;
  if (!group || c.initialState !== 'MASTER') return c;
  return groupStartsMaster(config.instances.filter((i) => group.instances.includes(i.name))) ? c : { ...c, initialState: 'BACKUP' };
}
