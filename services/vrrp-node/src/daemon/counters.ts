// keepalived's per-instance statistics (keepalived --signum=STATS / SNMP VRRP-MIB), under the names a
// keepalived user greps for, and which anomaly class feeds which counter.
import type { AnomalyClass } from '@hotstandby/protocol';

export interface InstanceCounters {
  advert_rcvd: number;
  advert_sent: number;
  become_master: number;
  release_master: number;
  packet_len_err: number;
  advert_interval_err: number;
  ip_ttl_err: number;
  invalid_type_rcvd: number;
  addr_list_err: number;
  invalid_authtype: number;
  authtype_mismatch: number;
  auth_failure: number;
  pri_zero_rcvd: number;
  pri_zero_sent: number;
  /** Not in keepalived: anomalies of the other classes (checksum, version, source checks...). */
  other_err: number;
}

export function newCounters(): InstanceCounters {
  return {
    advert_rcvd: 0,
    advert_sent: 0,
    become_master: 0,
    release_master: 0,
    packet_len_err: 0,
    advert_interval_err: 0,
    ip_ttl_err: 0,
    invalid_type_rcvd: 0,
    addr_list_err: 0,
    invalid_authtype: 0,
    authtype_mismatch: 0,
    auth_failure: 0,
    pri_zero_rcvd: 0,
    pri_zero_sent: 0,
    other_err: 0,
  };
}

const BY_CLASS: Partial<Record<AnomalyClass, keyof InstanceCounters>> = {
  length: 'packet_len_err',
  'interval-mismatch': 'advert_interval_err',
  ttl: 'ip_ttl_err',
  type: 'invalid_type_rcvd',
  'address-list-mismatch': 'addr_list_err',
  'auth-type': 'invalid_authtype',
  'auth-mismatch': 'authtype_mismatch',
  'auth-failure': 'auth_failure',
};

export function countAnomaly(c: InstanceCounters, cls: AnomalyClass): void {
  c[BY_CLASS[cls] ?? 'other_err']++;
}
