// What the validation ladder needs to know about one VRRP instance: the receive-side subset of a
// keepalived vrrp_instance (plus the global_defs that change receive checks). The shell builds it from
// its parsed config; field names say which keepalived keyword each comes from.
import type { ChecksumForm } from '../packet/checksum.js';
import type { Family, IpAddress, VrrpVersion } from '../types.js';

export interface UnicastPeer {
  readonly address: IpAddress;
  /** keepalived `unicast_peer { addr min_ttl N max_ttl M }`; default 0..255. Checked only with check_unicast_src. */
  readonly minTtl?: number;
  readonly maxTtl?: number;
}

export interface ValidationConfig {
  /** `vrrp_version` (global) or per instance: 2 or 3. */
  readonly version: VrrpVersion;
  /** The instance's family (from its virtual addresses / interface). */
  readonly family: Family;
  /** `virtual_router_id`. */
  readonly vrid: number;
  /** `priority` (effective). Only 255 matters here: the address-owner conflict note. */
  readonly priority?: number;
  /** VRRPv2 `authentication { auth_type }`: 0 none (default), 1 PASS. AH (2) is not implemented. */
  readonly authType?: 0 | 1;
  /** VRRPv2 `auth_pass` (PASS): compared NUL-padded/truncated to 8 bytes, as keepalived sends it. */
  readonly authPass?: string;
  /** `advert_int` in centiseconds (v2: whole seconds × 100). */
  readonly intervalCs: number;
  /** `virtual_ipaddress` addresses of this family, any spelling (compared canonically, order-free). */
  readonly virtualAddresses: readonly IpAddress[];
  /** VRRPv3/IPv4 checksum form we expect: `v3_checksum_as_v2` → 'message-only'; default 'pseudo-header'. */
  readonly v3Ipv4Checksum?: ChecksumForm;
  /**
   * global `vrrp_mcast_group4` / `vrrp_mcast_group6`: the group a multicast instance's adverts must be
   * addressed to. Absent: any multicast destination (the socket only hears groups it joined anyway).
   */
  readonly multicastGroup?: IpAddress;
  /** `unicast_peer` list; empty or absent = multicast instance. */
  readonly unicastPeers?: readonly UnicastPeer[];
  /** global `vrrp_check_unicast_src` or instance `check_unicast_src`. */
  readonly checkUnicastSource?: boolean;
  /** `skip_check_adv_addr`: skip the address checks while adverts keep coming from the same master (see ReceiverState). */
  readonly skipCheckAdvAddr?: boolean;
  /** Our own addresses on the interface (and unicast_src_ip): adverts from them are dropped as 'own-address'. */
  readonly ownAddresses?: readonly IpAddress[];
}

/** The little receiver state some keepalived checks depend on. */
export interface ReceiverState {
  /** keepalived checks addresses always as MASTER; skip_check_adv_addr only applies in BACKUP. */
  readonly isMaster?: boolean;
  /** The address of the master whose advert was last accepted (keepalived `master_saddr`). */
  readonly masterAddress?: IpAddress;
}
