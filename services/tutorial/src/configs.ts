// The tutorial's keepalived.conf for each node, verbatim (DESIGN.md): VI_1 (vrid 51, VIP .129) with
// node1 MASTER 100 / node2 BACKUP 99, and for the mutual hot standby VI_2 (vrid 52, VIP .130) with
// the priorities swapped.

export const TUTORIAL_NODES = [
  { name: 'node1', address: '10.10.10.126' },
  { name: 'node2', address: '10.10.10.127' },
] as const;

export const TUTORIAL_INSTANCES = [
  { name: 'VI_1', vrid: 51, vip: '10.10.10.129' },
  { name: 'VI_2', vrid: 52, vip: '10.10.10.130' },
] as const;

function instance(name: string, state: string, vrid: number, priority: number, vip: string): string {
  return `
vrrp_instance ${name} {
    state ${state}
    interface eth0
    virtual_router_id ${vrid}
    priority ${priority}
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1234
    }
    virtual_ipaddress {
        ${vip}
    }
}
`;
}

export function tutorialConfig(node: 'node1' | 'node2', options: { mutual?: boolean } = {}): string {
  const first = node === 'node1';
  let conf = `! Configuration File for keepalived

global_defs {
   notification_email {
     root@localhost
   }
   notification_email_from keepalived@localhost
   smtp_server 127.0.0.1
   smtp_connect_timeout 30
   router_id LVS_DEVEL
}
`;
  conf += instance('VI_1', first ? 'MASTER' : 'BACKUP', 51, first ? 100 : 99, '10.10.10.129');
  if (options.mutual) conf += instance('VI_2', first ? 'BACKUP' : 'MASTER', 52, first ? 99 : 100, '10.10.10.130');
  return conf;
}
