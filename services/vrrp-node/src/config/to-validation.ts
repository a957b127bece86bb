// KeepalivedConfig instance → the validation ladder's ValidationConfig (libs/protocol validate/).
// `ownAddresses` are the interface's addresses, read from the kernel by the caller (empty for inspect);
// `multicastGroup` the global vrrp_mcast_group4/6 (checked only for multicast instances).
import type { IpAddress, ValidationConfig } from '@hotstandby/protocol';
import type { VrrpInstance } from './model.js';

export function toValidationConfig(instance: VrrpInstance, ownAddresses: readonly IpAddress[], multicastGroup?: IpAddress): ValidationConfig {
  return {
    version: instance.version,
    family: instance.family,
    vrid: instance.vrid,
    // No `priority`: the state machine reports priority-owner-conflict (fsm/step.ts); counting it in
    // the ladder as well would double it.
    // PASS is VRRPv2 only (keepalived drops it for v3 with a warning, and so does our parser).
    ...(instance.authentication?.type === 'PASS' && instance.version === 2 ? { authType: 1 as const, authPass: instance.authentication.password } : {}),
    intervalCs: instance.advertIntervalCs,
    virtualAddresses: instance.virtualIpAddresses.map((v) => v.address),
    v3Ipv4Checksum: instance.v3ChecksumAsV2 ? 'message-only' : 'pseudo-header',
    unicastPeers: instance.unicastPeers.map((address) => ({ address })),
    ...(multicastGroup !== undefined && instance.unicastPeers.length === 0 ? { multicastGroup } : {}),
    checkUnicastSource: instance.checkUnicastSrc,
    skipCheckAdvAddr: instance.skipCheckAdvAddr,
    ownAddresses: [...ownAddresses, ...(instance.unicastSrcIp !== undefined ? [instance.unicastSrcIp] : [])],
  };
}
