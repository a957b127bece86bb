// Alerts as the auditor publishes them (libs/events README "alert"), for tests.
import { alertSchema } from '@hotstandby/events';
import type { Alert } from '@hotstandby/events';

export function splitBrain(overrides: Partial<Alert> = {}): Alert {
  return alertSchema.parse({
    schema: 1,
    id: 'split-brain.10.10.10.0/24.51.20240507T031200Z',
    kind: 'split-brain',
    state: 'raised',
    domain: '10.10.10.0/24',
    vrid: 51,
    nodes: ['LVS_DEVEL@node1', 'LVS_DEVEL@node2'],
    evidence: ['LVS_DEVEL@node1.018f2a3b4c5d9e8f7a6b.7', 'LVS_DEVEL@node2.018f2a3b4c5d11223344.3'],
    firstSeen: '2024-05-07T03:12:00.123456Z',
    at: '2024-05-07T03:12:02.000000Z',
    summary: 'VRID 51 on 10.10.10.0/24 has two masters: LVS_DEVEL@node1, LVS_DEVEL@node2',
    ...overrides,
  });
}

export function resolvedOf(a: Alert, at = '2024-05-07T03:14:00.000000Z'): Alert {
  return { ...a, state: 'resolved', at };
}

export function vipDrift(overrides: Partial<Alert> = {}): Alert {
  return splitBrain({
    id: 'vip-drift.10.10.10.0/24.51.20240507T031201Z',
    kind: 'vip-drift',
    nodes: ['LVS_DEVEL@node2'],
    evidence: ['LVS_DEVEL@node2.018f2a3b4c5d11223344.4'],
    summary: 'VIP 10.10.10.129 of VRID 51 is installed on 2 nodes: LVS_DEVEL@node1, LVS_DEVEL@node2',
    ...overrides,
  });
}
