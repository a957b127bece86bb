// The takeover computed ahead (daemon.ts wakes the master-down timer early and waits out the deadline
// with the loop blocked) must still lose to an advert that reached the socket while it waited: RFC 9568
// §6.4.2, an ADVERTISEMENT before the Active_Down_Timer fires resets it. The runner drains the socket
// after the wait and takes the step again when the state moved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { step } from '@hotstandby/protocol';
import { advertBytes } from '../../src/daemon/advert-bytes.js';
import { InstanceRunner } from '../../src/daemon/instance-runner.js';
import type { InstancePorts } from '../../src/daemon/instance-runner.js';
import { createLogger } from '../../src/log/logger.js';
import { tutorialBackup } from '../support/tutorial-backup.js';

const OLD_MASTER = '10.10.10.126';
const LEAD_US = 1500;

/** The tutorial's backup, heard its master once; `queued` is what the socket holds when the wait ends. */
function backup(queued: (runner: InstanceRunner, deadline: number) => void) {
  const { model, config, validation } = tutorialBackup();
  let mono = 5_000_000;
  let armed: number | undefined;
  const sent: number[] = [];
  // eslint-disable-next-line prefer-const
  let runner: InstanceRunner;
  const ports: InstancePorts = {
    now: () => mono,
    sendVrrp: () => sent.push(mono),
    filterVips: () => Promise.resolve(),
    addVips: () => Promise.resolve(),
    removeVips: () => Promise.resolve(),
    sendGarp: () => Promise.resolve(),
    notify: () => {},
    transition: () => {},
    anomaly: () => {},
    armTimer: (at) => (armed = at),
    disarmTimer: () => (armed = undefined),
    waitUntil: (at) => (mono = Math.max(mono, at)),
    drainReceived: () => queued(runner, armedDeadline),
    log: createLogger({ format: 'json', write: () => {} }),
  };
  let armedDeadline = 0;
  runner = new InstanceRunner(model, config, validation, '224.0.0.18', ports);
  const advert = advertBytes({ version: 2, family: 'ipv4', vrid: 51, priority: 100, intervalCs: 100, addresses: ['10.10.10.129'], authPass: '1234' }, { source: OLD_MASTER, destination: '224.0.0.18', v3Ipv4Form: 'pseudo-header' });
  const receive = (atUs: number) => runner.packet({ data: advert, source: OLD_MASTER, destination: '224.0.0.18', hopLimit: 255, ifindex: 2, receivedAtUs: atUs });
  runner.input({ type: 'startup', faulted: false });
  mono = 6_000_000;
  receive(mono);
  armedDeadline = armed!;
  // The daemon's timer wakes LEAD_US early.
  mono = armedDeadline - LEAD_US;
  return { runner, sent, receive, deadline: armedDeadline, armedAt: () => armed };
}

test('an advert queued while the takeover waited for its deadline cancels it', () => {
  const socket: { receive?: (atUs: number) => void } = {};
  const b = backup((_runner, deadline) => socket.receive?.(deadline - 400)); // arrived 0.4 ms before the deadline
  socket.receive = b.receive;
  b.runner.timerFired();
  assert.equal(b.runner.state.kind, 'BACKUP');
  assert.deepEqual(b.sent, [], 'no advert of ours');
  assert.ok(b.armedAt()! > b.deadline, 'master-down re-armed from that advert');
});

test('nothing queued: the precomputed takeover leaves at the deadline', () => {
  const b = backup(() => {});
  b.runner.timerFired();
  assert.equal(b.runner.state.kind, 'MASTER');
  assert.deepEqual(b.sent, [b.deadline]);
});

test('a sync group member also reads the socket after the wait: the queued advert keeps it BACKUP', () => {
  const socket: { receive?: (atUs: number) => void } = {};
  const b = backup((_runner, deadline) => socket.receive?.(deadline - 400));
  socket.receive = b.receive;
  // What SyncGroupRunner does: every input goes through the group, which steps the member and applies it.
  b.runner.routeThrough((input, now) => b.runner.apply(step(b.runner.config, b.runner.state, input, now), now));
  b.runner.timerFired();
  assert.equal(b.runner.state.kind, 'BACKUP');
  assert.deepEqual(b.sent, [], 'no advert of ours');
  assert.ok(b.armedAt()! > b.deadline, 'master-down re-armed from that advert');
});
