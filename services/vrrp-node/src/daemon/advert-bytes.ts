// Builds the bytes of one advertisement, checksummed for its destination (the VRRPv3 pseudo-header
// covers source and destination, so unicast peers each get their own checksum).
import type { ChecksumForm, Family, IpAddress, VrrpVersion } from '@hotstandby/protocol';
import { vrrp } from '@hotstandby/protocol';

export interface AdvertSpec {
  readonly version: VrrpVersion;
  readonly family: Family;
  readonly vrid: number;
  readonly priority: number;
  readonly intervalCs: number;
  readonly addresses: readonly IpAddress[];
  /** VRRPv2 PASS authentication (keepalived: the password NUL-padded to 8 bytes). */
  readonly authPass?: string;
}

export function advertBytes(spec: AdvertSpec, plan: { source: IpAddress; destination: IpAddress; v3Ipv4Form: ChecksumForm }): Uint8Array {
  const advert = vrrp.withChecksum(
    {
      version: spec.version,
      family: spec.family,
      vrid: spec.vrid,
      priority: spec.priority,
      intervalCs: spec.intervalCs,
      addresses: spec.addresses,
      ...(spec.authPass !== undefined ? { authType: vrrp.VRRP_AUTH_PASS, authData: vrrp.passwordAuthData(spec.authPass) } : {}),
    },
    plan,
  );
  return vrrp.encode(advert);
}
