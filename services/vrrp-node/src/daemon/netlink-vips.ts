// VipOps over the kernel's address API. Interim implementation through iproute2's `ip` (rtnetlink
// underneath); to be replaced by net/addresses.ts (direct rtnetlink, sub-millisecond).
import { execFile } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import type { VirtualAddress } from '../config/model.js';
import type { VipOps } from './vip-ops.js';

function ip(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('ip', args, (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr: String(stderr).trim() }));
  });
}

function addrArgs(v: VirtualAddress, ifname: string): string[] {
  const a = [`${v.address}/${v.prefixLength}`, 'dev', ifname];
  if (v.broadcast) a.push('broadcast', v.broadcast);
  if (v.scope) a.push('scope', v.scope);
  if (v.label) a.push('label', v.label);
  if (v.family === 'ipv6') a.push('nodad');
  return a;
}

export class NetlinkVipOps implements VipOps {
  static open(): Promise<NetlinkVipOps> {
    return Promise.resolve(new NetlinkVipOps());
  }

  async add(v: VirtualAddress, ifname: string): Promise<void> {
    const r = await ip(['addr', 'add', ...addrArgs(v, ifname)]);
    // keepalived: an address already present is fine (it may be ours from before a crash).
    if (r.code !== 0 && !/File exists|already assigned/.test(r.stderr)) throw new Error(`ip addr add ${v.address} dev ${ifname}: ${r.stderr}`);
  }

  async remove(v: VirtualAddress, ifname: string): Promise<void> {
    const r = await ip(['addr', 'del', `${v.address}/${v.prefixLength}`, 'dev', ifname]);
    if (r.code !== 0 && !/Cannot assign|not found/i.test(r.stderr)) throw new Error(`ip addr del ${v.address} dev ${ifname}: ${r.stderr}`);
  }

  list(ifname: string): Promise<string[]> {
    return Promise.resolve((networkInterfaces()[ifname] ?? []).map((a) => a.address));
  }

  close(): void {}
}
