// What the state machine needs to know about one vrrp_instance, with keepalived 2.2.7's defaults.
//
// The keepalived.conf parser (services/vrrp-node) produces the values; defineInstance() fills in
// defaults and applies the normalisations keepalived's vrrp_complete_instance() applies, so that the
// state machine never has to second-guess its config.
import type { Family, IpAddress, VrrpVersion } from '../types.js';
import { US_PER_S } from './timers.js';

/** Gratuitous ARP / unsolicited NA plan (keepalived names in brackets; defaults from global_data.c). */
export interface GarpSettings {
  /** [garp_master_delay] a second burst this long after becoming MASTER; 0 = none. Default 5 s. */
  readonly masterDelayUs: number;
  /** [garp_master_repeat] GARPs per address per burst. Default 5. */
  readonly masterRepeat: number;
  /** [garp_master_refresh] re-announce every this long while MASTER; 0 = off (default). */
  readonly masterRefreshUs: number;
  /** [garp_master_refresh_repeat] GARPs per address per refresh. Default 1. */
  readonly masterRefreshRepeat: number;
  /** [garp_interval] pause the shell leaves between two GARPs of one burst. Default 0. */
  readonly intervalUs: number;
  /** [garp_lower_prio_repeat] burst when a MASTER hears a lower priority advert; default = masterRepeat. */
  readonly lowerPrioRepeat: number;
  /** [garp_lower_prio_delay] second lower-priority burst after this long; default = masterDelayUs. */
  readonly lowerPrioDelayUs: number;
}

export interface InstanceConfig {
  /** vrrp_instance name (VI_1). */
  readonly name: string;
  readonly version: VrrpVersion;
  readonly family: Family;
  /** virtual_router_id, 1..255. */
  readonly vrid: number;
  /** Base priority 1..255; 255 = the address owner (RFC 9568 §5.2.4). */
  readonly priority: number;
  /** advert_int in centiseconds (VRRPv2: whole seconds × 100). */
  readonly advertIntervalCs: number;
  /**
   * keepalived `state MASTER|BACKUP`. Only a startup hint: keepalived 2.2.7 vrrp_init_state() goes
   * straight to MASTER only when the hint is MASTER *and* priority is 255; any other instance starts
   * in BACKUP with a full Master_Down_Interval, whatever the hint (vrrp_scheduler.c). The hint also
   * clears nopreempt and preempt_delay (vrrp_complete_instance()).
   */
  readonly initialState: 'MASTER' | 'BACKUP';
  /** nopreempt: a BACKUP accepts lower-priority adverts instead of taking over (RFC 9568 Preempt_Mode false). */
  readonly nopreempt: boolean;
  /** preempt_delay in µs (keepalived: seconds, 0..1000). 0 = preempt at once. */
  readonly preemptDelayUs: number;
  /** Source address of our adverts: the interface's primary address; the equal-priority tie-break. */
  readonly primaryAddress: IpAddress;
  /** virtual_ipaddress, in configured order (the advert carries them in this order). */
  readonly virtualAddresses: readonly IpAddress[];
  /** accept / no_accept (RFC 9568 Accept_Mode). The shell enforces it; the core only carries it. */
  readonly acceptMode: boolean;
  /** lower_prio_no_advert: a MASTER does not answer a lower-priority advert with its own. */
  readonly lowerPrioNoAdvert: boolean;
  /** higher_prio_send_advert: a MASTER sends one advert before yielding to a higher priority. */
  readonly higherPrioSendAdvert: boolean;
  readonly garp: GarpSettings;
}

/** What a caller must say; everything else has keepalived's default. */
export type InstanceSpec = Pick<InstanceConfig, 'name' | 'vrid' | 'primaryAddress' | 'virtualAddresses'> &
  Partial<Omit<InstanceConfig, 'garp'>> & { readonly garp?: Partial<GarpSettings> };

export const DEFAULT_PRIORITY = 100;
export const OWNER = 255;

/**
 * Fill in keepalived's defaults and normalisations. Throws on values no parser should let through
 * (a programmer error); bad configuration text is the parser's to report with file:line.
 */
export function defineInstance(spec: InstanceSpec): InstanceConfig {
  const family = spec.family ?? (spec.primaryAddress.includes(':') ? 'ipv6' : 'ipv4');
  // keepalived: IPv6 implies VRRPv3; the global default vrrp_version is 2.
  const version = spec.version ?? (family === 'ipv6' ? 3 : 2);
  // No priority configured: derived from the state hint (MASTER → 255, else 100).
  const priority = spec.priority ?? (spec.initialState === 'MASTER' ? OWNER : DEFAULT_PRIORITY);
  // No state configured: derived from the priority.
  const initialState = spec.initialState ?? (priority === OWNER ? 'MASTER' : 'BACKUP');
  const advertIntervalCs = spec.advertIntervalCs ?? 100;
  check(Number.isInteger(spec.vrid) && spec.vrid >= 1 && spec.vrid <= 255, `vrid ${spec.vrid} not in 1..255`);
  check(Number.isInteger(priority) && priority >= 1 && priority <= 255, `priority ${priority} not in 1..255`);
  check(Number.isInteger(advertIntervalCs) && advertIntervalCs >= 1 && advertIntervalCs <= 4095, `advertIntervalCs ${advertIntervalCs} not in 1..4095`);
  check(version === 3 || advertIntervalCs % 100 === 0, 'VRRPv2 advert_int must be whole seconds');
  check(version === 3 || family === 'ipv4', 'VRRPv2 is IPv4 only');
  // vrrp_complete_instance(): "nopreempt is incompatible with priority 255", and a MASTER hint
  // clears both nopreempt and preempt_delay ("will not work with initial state MASTER").
  let nopreempt = spec.nopreempt ?? false;
  let preemptDelayUs = spec.preemptDelayUs ?? 0;
  if (priority === OWNER || initialState === 'MASTER') nopreempt = false;
  if (initialState === 'MASTER' || nopreempt) preemptDelayUs = 0;
  check(preemptDelayUs >= 0, 'preemptDelayUs must be >= 0');
  const masterRepeat = spec.garp?.masterRepeat ?? 5;
  const masterDelayUs = spec.garp?.masterDelayUs ?? 5 * US_PER_S;
  return {
    name: spec.name,
    version,
    family,
    vrid: spec.vrid,
    priority,
    advertIntervalCs,
    initialState,
    nopreempt,
    preemptDelayUs,
    primaryAddress: spec.primaryAddress,
    virtualAddresses: [...spec.virtualAddresses],
    // keepalived: accept defaults to true unless vrrp_strict (owner: always true).
    acceptMode: spec.acceptMode ?? true,
    lowerPrioNoAdvert: spec.lowerPrioNoAdvert ?? false,
    higherPrioSendAdvert: spec.higherPrioSendAdvert ?? false,
    garp: {
      masterDelayUs,
      masterRepeat,
      masterRefreshUs: spec.garp?.masterRefreshUs ?? 0,
      masterRefreshRepeat: spec.garp?.masterRefreshRepeat ?? 1,
      intervalUs: spec.garp?.intervalUs ?? 0,
      lowerPrioRepeat: spec.garp?.lowerPrioRepeat ?? masterRepeat,
      lowerPrioDelayUs: spec.garp?.lowerPrioDelayUs ?? masterDelayUs,
    },
  };
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(`defineInstance: ${message}`);
}
