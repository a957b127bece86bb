// One valid example of each message, shared by the tests (and mirrored in README.md).
import type { Alert, AnomalyEvent, GapEvent, HeartbeatEvent, TransitionEvent } from '../src/index.js';

const node = 'LVS_DEVEL@node1';
const boot = '018f2a3b4c5d9e8f7a6b';
const scope = { instance: 'VI_1', vrid: 51, family: 'ipv4', interface: 'eth0', domain: '10.10.10.0/24' } as const;

export const transition: TransitionEvent = {
  id: `${node}.${boot}.7`, schema: 1, nodeId: node, bootId: boot, seq: 7,
  at: '2024-05-07T03:12:00.123456Z', mono: '81234567890123',
  ...scope,
  kind: 'transition', from: 'BACKUP', to: 'MASTER', reason: 'master-no-response',
  basePriority: 100, effectivePriority: 100, masterAddress: '10.10.10.127', intervalCs: 100, failoverLatencyUs: 3613021.5,
};

export const anomaly: AnomalyEvent = {
  id: `${node}.${boot}.8`, schema: 1, nodeId: node, bootId: boot, seq: 8,
  at: '2024-05-07T03:12:01.000001Z', mono: '81235567890123',
  ...scope,
  kind: 'anomaly', class: 'auth-mismatch', count: 5123,
  firstSeen: '2024-05-07T03:12:00.500000Z', lastSeen: '2024-05-07T03:12:00.999999Z',
  source: '10.10.10.66', sample: '21336401010100000a0a0a810000000000000000',
};

export const heartbeat: HeartbeatEvent = {
  id: `${node}.${boot}.9`, schema: 1, nodeId: node, bootId: boot, seq: 9,
  at: '2024-05-07T03:12:05.000000Z', mono: '81239567890123',
  kind: 'heartbeat', periodMs: 5000,
  instances: [{
    ...scope, state: 'MASTER', basePriority: 100, effectivePriority: 100,
    installedVips: ['10.10.10.129'], intendedVips: ['10.10.10.129'],
    advertsSent: 1203, advertsReceived: 17, becameMaster: 2, releasedMaster: 1,
  }],
};

export const gap: GapEvent = {
  id: `${node}.${boot}.10`, schema: 1, nodeId: node, bootId: boot, seq: 10,
  at: '2024-05-07T03:20:00.000000Z', mono: '81714567890123',
  kind: 'gap', cause: 'size-cap', lost: 3,
  lostByKind: { transition: 0, anomaly: 1, heartbeat: 2, gap: 0, unknown: 0 },
  ranges: [{ bootId: boot, fromSeq: 2, toSeq: 4 }],
  detail: 'outbox over 33554432 bytes while the bus was unreachable',
};

export const alert: Alert = {
  schema: 1, id: 'split-brain.10.10.10.0/24.51.20240507T031200Z', kind: 'split-brain', state: 'raised',
  domain: '10.10.10.0/24', vrid: 51, nodes: ['LVS_DEVEL@node1', 'LVS_DEVEL@node2'],
  evidence: [`${node}.${boot}.7`, 'LVS_DEVEL@node2.018f2a3b4c5d11223344.3'],
  firstSeen: '2024-05-07T03:12:00.123456Z', at: '2024-05-07T03:12:02.000000Z',
  summary: 'VRID 51 on 10.10.10.0/24 has two masters: LVS_DEVEL@node1, LVS_DEVEL@node2',
};
