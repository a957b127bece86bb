// Event drafts for outbox and publisher tests.
import type { EventDraft } from '@hotstandby/events';

export function transitionDraft(n: number): EventDraft {
  return {
    kind: 'transition', instance: 'VI_1', vrid: 51, family: 'ipv4', interface: 'eth0', domain: '10.10.10.0/24',
    from: n % 2 === 0 ? 'BACKUP' : 'MASTER', to: n % 2 === 0 ? 'MASTER' : 'BACKUP', reason: 'master-no-response',
    basePriority: 100, effectivePriority: 100, masterAddress: '10.10.10.127', intervalCs: 100,
  };
}

export function heartbeatDraft(): EventDraft {
  return { kind: 'heartbeat', periodMs: 5000, instances: [] };
}
