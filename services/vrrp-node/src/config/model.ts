// The typed result of loading a keepalived.conf: what hotstandby runs. Every value here is final —
// keepalived's defaults and corrections (vrrp_complete_instance()) are already applied — so a consumer
// never needs to know keepalived's rules. Durations carry their unit in the name.

import type { Family, IpAddress, VrrpVersion } from '@hotstandby/protocol';
import type { SourceLocation } from './diagnostic.js';

export interface KeepalivedConfig {
  readonly global: GlobalDefs;
  readonly scripts: readonly VrrpScript[];
  readonly instances: readonly VrrpInstance[];
  readonly syncGroups: readonly SyncGroup[];
  /** Every file read, main file first, in reading order. */
  readonly files: readonly string[];
}

export interface GarpSettings {
  /** Delay before the second burst of gratuitous ARPs / NAs after becoming MASTER (0 = none). keepalived default 5 s. */
  readonly masterDelayUs: number;
  /** GARPs / NAs per burst on becoming MASTER. keepalived default 5. */
  readonly masterRepeat: number;
  /** Period of GARP refreshes while MASTER (0 = none, the default). */
  readonly masterRefreshUs: number;
  /** GARPs / NAs per refresh. keepalived default 1. */
  readonly masterRefreshRepeat: number;
}

export interface ScriptUser {
  readonly user: string;
  /** Default: the user's own group (keepalived). */
  readonly group?: string;
  /** Resolved from the system's accounts when the config was loaded (config/script-users.ts). */
  readonly uid?: number;
  readonly gid?: number;
  /** Where USER is written, and under which keyword (absent for the keepalived_script default). */
  readonly location?: SourceLocation;
  readonly keyword?: string;
}

export interface SmtpServer {
  readonly host: string;
  readonly port: number;
}

export interface GlobalDefs {
  /** router_id; defaults to the host name (keepalived). Also hotstandby's node id. */
  readonly routerId: string;
  /** Default VRRP version for IPv4 instances (IPv6 instances are always 3). */
  readonly vrrpVersion: VrrpVersion;
  readonly mcastGroup4: IpAddress;
  readonly mcastGroup6: IpAddress;
  /** Default for instances: VRRPv3/IPv4 checksum without the pseudo-header (RFC 9568 wording). */
  readonly v3ChecksumAsV2: boolean;
  readonly garp: GarpSettings;
  readonly strict: boolean;
  readonly skipCheckAdvAddr: boolean;
  readonly checkUnicastSrc: boolean;
  readonly lowerPrioNoAdvert: boolean;
  readonly higherPrioSendAdvert: boolean;
  /** script_user, or the keepalived_script user when it exists (config/script-users.ts); absent: our own user. */
  readonly scriptUser?: ScriptUser;
  readonly enableScriptSecurity: boolean;
  readonly notificationEmail: readonly string[];
  /** Defaults to keepalived@<hostname>. */
  readonly notificationEmailFrom: string;
  readonly smtpServer?: SmtpServer;
  readonly smtpConnectTimeoutUs: number;
}

/** A command line for a script, split the way keepalived splits it (quotes and escapes honoured). */
export interface ScriptCommand {
  /** The command as written (after quote removal), e.g. "/usr/local/bin/vrrp.sh MASTER VI_1". */
  readonly command: string;
  /** argv[0] is the program. */
  readonly argv: readonly string[];
  /** Run as this user (and group), when given on the notify line or in the vrrp_script. */
  readonly user?: ScriptUser;
}

export interface VrrpScript {
  readonly name: string;
  readonly location: SourceLocation;
  readonly script: ScriptCommand;
  readonly intervalUs: number;
  /** Undefined: keepalived's default (the interval). */
  readonly timeoutUs?: number;
  /** Added to the priority while the script succeeds (weight > 0) or fails (weight < 0); 0: fault on failure. */
  readonly weight: number;
  /** `weight W reverse`: the weight applies in the opposite state. */
  readonly weightReverse: boolean;
  readonly rise: number;
  readonly fall: number;
  readonly user?: ScriptUser;
  /** Start as failed rather than as succeeded. */
  readonly initFail: boolean;
}

export interface VirtualAddress {
  /** Canonical text: dotted quad, or RFC 5952 IPv6. */
  readonly address: IpAddress;
  readonly family: Family;
  /** /32 or /128 when not written. */
  readonly prefixLength: number;
  readonly broadcast?: string;
  /** `dev IF`: interface to put the address on (default: the instance's interface). */
  readonly device?: string;
  readonly scope?: string;
  readonly label?: string;
  /** Any other `ip address` options keepalived accepts (no_track, home, -nodad, …), as written. */
  readonly options: readonly string[];
  readonly location: SourceLocation;
}

export interface TrackedInterface {
  readonly name: string;
  /** 0: fault when down. */
  readonly weight: number;
  readonly weightReverse: boolean;
}

export interface TrackedScript {
  readonly name: string;
  /** Undefined: the vrrp_script's own weight. */
  readonly weight?: number;
  readonly weightReverse: boolean;
}

export interface NotifyScripts {
  readonly master?: ScriptCommand;
  readonly backup?: ScriptCommand;
  readonly fault?: ScriptCommand;
  readonly stop?: ScriptCommand;
  /** `notify`: called with 4 extra args (GROUP|INSTANCE, name, state, priority) on every change. */
  readonly any?: ScriptCommand;
}

export type Authentication =
  | { readonly type: 'PASS'; /** At most 8 characters (keepalived truncates). Never log it. */ readonly password: string }
  | { readonly type: 'AH'; readonly password: string };

export interface VrrpInstance {
  readonly name: string;
  readonly location: SourceLocation;
  /** The initial state keepalived wants (`state`; derived from priority when absent). */
  readonly initialState: 'MASTER' | 'BACKUP';
  readonly interface: string;
  readonly vrid: number;
  /** 1..255; 255 = address owner. */
  readonly priority: number;
  readonly version: VrrpVersion;
  readonly family: Family;
  /** On the wire: v2 whole seconds × 100, v3 centiseconds (keepalived rounds what is written). */
  readonly advertIntervalCs: number;
  readonly preempt: boolean;
  readonly preemptDelayUs: number;
  readonly authentication?: Authentication;
  readonly virtualIpAddresses: readonly VirtualAddress[];
  readonly excludedVirtualIpAddresses: readonly VirtualAddress[];
  readonly unicastSrcIp?: IpAddress;
  readonly unicastPeers: readonly IpAddress[];
  readonly mcastSrcIp?: IpAddress;
  readonly trackInterfaces: readonly TrackedInterface[];
  readonly trackScripts: readonly TrackedScript[];
  readonly notify: NotifyScripts;
  readonly garp: GarpSettings;
  readonly lowerPrioNoAdvert: boolean;
  readonly higherPrioSendAdvert: boolean;
  /** Accept packets to the VIPs when not owner (keepalived default: !strict). */
  readonly accept: boolean;
  readonly strict: boolean;
  readonly dontTrackPrimary: boolean;
  readonly smtpAlert: boolean;
  readonly v3ChecksumAsV2: boolean;
  readonly skipCheckAdvAddr: boolean;
  readonly checkUnicastSrc: boolean;
  /** Name of the sync group this instance belongs to. */
  readonly syncGroup?: string;
}

export interface SyncGroup {
  readonly name: string;
  readonly location: SourceLocation;
  /** Member instance names (only existing instances; at least two). */
  readonly instances: readonly string[];
  readonly notify: NotifyScripts;
  readonly trackInterfaces: readonly TrackedInterface[];
  readonly trackScripts: readonly TrackedScript[];
  readonly smtpAlert: boolean;
}
