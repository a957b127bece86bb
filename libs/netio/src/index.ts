// @hotstandby/netio: the Linux I/O no npm package does — raw VRRP sockets with per-packet TTL/hop
// limit and ifindex, AF_PACKET frames, and a sub-millisecond timer on CLOCK_MONOTONIC.
export { monotonicNs, monotonicUs, setRealtimePriority } from './clock.js';
export { interfaceInfo } from './interface-info.js';
export type { InterfaceInfo } from './interface-info.js';
export type { NetioError } from './native.js';
export { VrrpSocket, VRRP_GROUP_V4, VRRP_GROUP_V6 } from './vrrp-socket.js';
export type { IpFamily, ReceivedVrrpPacket, VrrpSendOptions, VrrpSocketOptions } from './vrrp-socket.js';
export { PacketSocket, PacketType, ETH_P_ALL, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6 } from './packet-socket.js';
export type { PacketSocketOptions, ReceivedFrame } from './packet-socket.js';
export { RtnlSocket, ifNameToIndex, IFA_F_NODAD, IFA_F_NOPREFIXROUTE } from './rtnetlink-address.js';
export type { RtnlAddressRequest } from './rtnetlink-address.js';
export { PreciseTimer } from './precise-timer.js';
export type { TimerFire } from './precise-timer.js';
