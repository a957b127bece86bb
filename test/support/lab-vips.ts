// What a user checks with `ip addr`: is a VIP on a node's eth0 right now, and waiting until it is (or
// is not). Polls the kernel through the lab; a timeout is a test failure naming the VIP and the node.
import assert from 'node:assert/strict';
import type { Lab } from '../lab/lab.js';

export async function hasVip(lab: Lab, node: string, vip: string): Promise<boolean> {
  return (await lab.addresses(node)).some((a) => a.address === vip);
}

export async function waitVip(lab: Lab, node: string, vip: string, present: boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await hasVip(lab, node, vip)) === present) return;
    await sleep(50);
  }
  assert.fail(`${vip} ${present ? 'never appeared on' : 'never left'} ${node} within ${timeoutMs} ms`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
