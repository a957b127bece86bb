// Issue 4 proof: failover timing with NATS up, down and black-holed (packets to it dropped, so
// connects and publishes hang) — DESIGN.md rule 1, VRRP never waits for the bus. Measured from a capture
// and printed side by side (no timing assertion: the bench bench/pipeline.bench.ts repeats it).
// What the test asserts is behaviour: under every condition the backup takes over with the VIP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BUS_CONDITIONS, createRig, crashFailover, formatTable } from '../bench/pipeline.bench.js';
import type { FailoverSample, PipelineRig } from '../bench/pipeline.bench.js';

describe('pipeline: failover timing does not depend on the bus', () => {
  let rig: PipelineRig;
  const samples: FailoverSample[] = [];

  before(async () => {
    rig = await createRig('ptime');
  });
  after(async () => {
    await rig?.dispose();
  });

  for (const bus of BUS_CONDITIONS) {
    test(`kill -9 of the master with NATS ${bus}: the backup takes over and sends a GARP`, { timeout: 60_000 }, async () => {
      const s = await crashFailover(rig, bus);
      samples.push(s);
      assert.ok(s.garpMs !== undefined, 'a gratuitous ARP for the VIP followed the takeover');
      if (bus !== 'up') {
        const st = await rig.backup.status();
        assert.notEqual(st.events.bus, 'connected', `the node noticed NATS ${bus}`);
      }
    });
  }

  test('the three conditions side by side', () => {
    assert.equal(samples.length, BUS_CONDITIONS.length);
    console.log(formatTable(samples));
  });
});
