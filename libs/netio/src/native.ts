// Loads the compiled addon (build/Release/netio.node) and types its raw surface. Everything else in
// src/ wraps these functions; nothing outside this package should call them directly.
import { createRequire } from 'node:module';

/** A failed syscall: `code` is the errno name ('EPERM'), `errno` is negative like Node's own errors. */
export interface NetioError extends Error {
  code: string;
  errno: number;
  syscall: string;
}

export interface NativeWatcher {
  start(): void;
  stop(): void;
  close(): void;
  ref(): void;
  unref(): void;
}

export interface NativeVrrpPacket {
  data: Buffer;
  source: string;
  destination: string;
  ifindex: number;
  hopLimit: number;
  tos: number;
  /** The kernel's receive time (SO_TIMESTAMPNS) on the monotonic clock, µs; -1 when absent. */
  kernelRxUs: number;
}

export interface NativeFrame {
  data: Buffer;
  ifindex: number;
  ethertype: number;
  pktType: number;
}

export interface NativeInterfaceInfo {
  name: string;
  ifindex: number;
  mac: Buffer;
  mtu: number;
  flags: number;
  ipv4: string[];
  ipv6: string[];
}

interface NativeBinding {
  /** Takes ownership of fd: close() (or GC) closes it. */
  FdWatcher: new (fd: number, onReadable: (status: number, events: number) => void) => NativeWatcher;
  monotonicNs(): bigint;
  monotonicUs(): number;
  timerfdCreate(): number;
  timerfdSet(fd: number, deadlineNs: bigint): void;
  timerfdRead(fd: number): number;
  setRealtimePriority(priority: number): void;
  vrrpOpen(family: 4 | 6, ifname: string, ifindex: number, joinGroup: boolean, hopLimit: number, tos: number, group?: string): number;
  vrrpRecv(fd: number, family: 4 | 6): NativeVrrpPacket | undefined;
  vrrpSend(fd: number, family: 4 | 6, data: Uint8Array, destination: string, source: string, ifindex: number, hopLimit: number): number;
  packetOpen(ifindex: number, ethertype: number): number;
  packetSend(fd: number, ifindex: number, frame: Uint8Array): number;
  packetRecv(fd: number): NativeFrame | undefined;
  interfaceInfo(name: string): NativeInterfaceInfo;
  rtnlOpen(): number;
  rtnlClose(fd: number): void;
  /** op 0 = RTM_NEWADDR (CREATE|EXCL), 1 = RTM_DELADDR; cacheInfo = 8 bytes: preferred, valid (u32, host order). */
  rtnlAddress(
    fd: number,
    op: 0 | 1,
    family: 4 | 6,
    ifindex: number,
    local: Uint8Array,
    prefixLength: number,
    scope: number,
    flags: number,
    label?: string,
    broadcast?: Uint8Array,
    cacheInfo?: Uint8Array,
  ): void;
  ifNameToIndex(name: string): number;
}

// Relative to this file, which is src/native.ts under tsx and dist/native.js when built: both are one
// level below the package root, where node-gyp puts build/.
const require = createRequire(import.meta.url);
export const native = require('../build/Release/netio.node') as NativeBinding;

/** Turns a poll status (negative libuv error) into the same kind of Error the addon throws. */
export function pollError(status: number, what: string): NetioError {
  const error = new Error(`uv_poll(${what}): error ${status}`) as NetioError;
  error.errno = status;
  error.code = 'EIO';
  error.syscall = `uv_poll(${what})`;
  return error;
}
