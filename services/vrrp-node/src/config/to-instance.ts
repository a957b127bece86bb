// KeepalivedConfig instance → the protocol core's InstanceConfig (libs/protocol fsm/config.ts).
// The model is already complete (keepalived defaults and corrections applied), so this is a renaming,
// plus the one fact a config file cannot give: the address our adverts come from. keepalived uses
// unicast_src_ip / mcast_src_ip when configured, else the interface's primary address (IPv4) or its
// link-local address (IPv6) — the shell reads that from the kernel and passes it in.

import { defineInstance } from '@hotstandby/protocol';
import type { InstanceConfig, IpAddress } from '@hotstandby/protocol';
import type { VrrpInstance } from './model.js';
import { parseIp } from './interpret.js';

export type ToInstanceResult =
  | { readonly ok: true; readonly config: InstanceConfig }
  | { readonly ok: false; readonly reason: string };

export function toInstanceConfig(instance: VrrpInstance, interfaceAddress: IpAddress | undefined): ToInstanceResult {
  const source = instance.unicastSrcIp ?? instance.mcastSrcIp ?? interfaceAddress;
  if (source === undefined) {
    return { ok: false, reason: `(${instance.name}) interface ${instance.interface} has no ${instance.family === 'ipv4' ? 'IPv4' : 'IPv6 link-local'} address to send from` };
  }
  const parsed = parseIp(source);
  if (parsed?.family !== instance.family) {
    return { ok: false, reason: `(${instance.name}) source address ${source} is not ${instance.family === 'ipv4' ? 'IPv4' : 'IPv6'}` };
  }
  return {
    ok: true,
    config: defineInstance({
      name: instance.name,
      version: instance.version,
      family: instance.family,
      vrid: instance.vrid,
      priority: instance.priority,
      advertIntervalCs: instance.advertIntervalCs,
      initialState: instance.initialState,
      nopreempt: !instance.preempt,
      preemptDelayUs: instance.preemptDelayUs,
      primaryAddress: parsed.address,
      virtualAddresses: instance.virtualIpAddresses.map((a) => a.address),
      acceptMode: instance.accept,
      lowerPrioNoAdvert: instance.lowerPrioNoAdvert,
      higherPrioSendAdvert: instance.higherPrioSendAdvert,
      garp: { ...instance.garp },
    }),
  };
}
