// What the shell needs to know about a NIC: ifindex, MAC (source of GARP/NA frames), MTU, flags and
// addresses. Read with ioctl + getifaddrs at call time: call again after addresses change.
import { native } from './native.js';

// <linux/if.h>
const IFF_UP = 0x1;
const IFF_RUNNING = 0x40;
const IFF_MULTICAST = 0x1000;

export interface InterfaceInfo {
  name: string;
  ifindex: number;
  /** 6 bytes. */
  mac: Uint8Array;
  /** aa:bb:cc:dd:ee:ff */
  macText: string;
  mtu: number;
  up: boolean;
  running: boolean;
  multicast: boolean;
  ipv4: string[];
  ipv6: string[];
  /** The first fe80::/10 address: the IPv6 advert source (RFC 9568 §5.1.2.1). */
  linkLocal6: string | undefined;
}

/** Throws a NetioError (code ENODEV) when the interface does not exist. */
export function interfaceInfo(name: string): InterfaceInfo {
  const raw = native.interfaceInfo(name);
  return {
    name: raw.name,
    ifindex: raw.ifindex,
    mac: new Uint8Array(raw.mac),
    macText: [...raw.mac].map((b) => b.toString(16).padStart(2, '0')).join(':'),
    mtu: raw.mtu,
    up: (raw.flags & IFF_UP) !== 0,
    running: (raw.flags & IFF_RUNNING) !== 0,
    multicast: (raw.flags & IFF_MULTICAST) !== 0,
    ipv4: raw.ipv4,
    ipv6: raw.ipv6,
    linkLocal6: raw.ipv6.find((a) => /^fe[89ab]/i.test(a)),
  };
}
