// SIGHUP reloads keepalived.conf as keepalived does: an unchanged instance keeps its state (a MASTER
// stays MASTER, adverts never pause), a new instance starts, a changed one restarts, and a
// configuration with errors is refused while the running one goes on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess, tutorialConfig } from '../support/vrrp-node-process.js';
import { parseCapture } from '../support/failover-gap.js';
import { waitVip } from '../support/lab-vips.js';

describe('SIGHUP reload', () => {
  let lab: Lab;
  let node1: VrrpNodeProcess;
  let node2: VrrpNodeProcess;

  before(async () => {
    lab = await createLab({ name: 'reload', nodes: [{ name: 'node1', addresses: ['10.10.10.126/24'] }, { name: 'node2', addresses: ['10.10.10.127/24'] }] });
    node1 = new VrrpNodeProcess(lab, 'node1', tutorialConfig('master'));
    node2 = new VrrpNodeProcess(lab, 'node2', tutorialConfig('backup'));
    node1.start();
    node2.start();
    await node1.waitState('VI_1', 'MASTER');
    await node2.waitState('VI_1', 'BACKUP');
  });
  after(async () => {
    await node1?.stop();
    await node2?.stop();
    await lab?.destroy();
  });

  test('an unchanged configuration: the MASTER stays MASTER and its adverts never pause', async () => {
    const cap = await lab.capture({ filter: 'ip proto 112' });
    const since = node1.logs.length;
    node1.reload();
    await node1.waitFor((l) => l.msg === 'SIGHUP: configuration reloaded', 10_000, 'reload', since);
    assert.equal(node1.logs.slice(since).find((l) => l.msg.startsWith('(VI_1) Entering'))?.msg, undefined, 'no transition');
    await new Promise((r) => setTimeout(r, 2500));
    const adverts = parseCapture(await cap.stop()).adverts.filter((a) => a.source === '10.10.10.126');
    assert.ok(adverts.length >= 2);
    const gaps = adverts.slice(1).map((a, i) => a.t - adverts[i]!.t);
    assert.ok(gaps.every((g) => g < 1_500_000), `advert gaps ${gaps.map((g) => Math.round(g / 1000)).join(', ')} ms`);
    assert.ok(adverts.every((a) => a.priority === 100), 'never resigned');
  });

  test('a new instance starts; the unchanged one is kept', async () => {
    const since = node1.logs.length;
    node1.reload(tutorialConfig('master', { mutual: true }));
    const line = await node1.waitFor((l) => l.msg === 'SIGHUP: configuration reloaded', 10_000, 'reload', since);
    assert.equal(line.kept, 'VI_1');
    assert.equal(line.added, 'VI_2');
    await node1.waitState('VI_2', 'MASTER', 10_000, since); // node2 has no VI_2: node1 takes it over
    await waitVip(lab, 'node1', '10.10.10.130', true);
    assert.equal(node1.logs.slice(since).find((l) => l.msg.startsWith('(VI_1) Entering')), undefined);
  });

  test('a configuration with errors is refused and the running one goes on', async () => {
    const since = node1.logs.length;
    node1.reload(tutorialConfig('master').replace('priority 100', 'priority 300'));
    await node1.waitFor((l) => l.msg.includes('still running the previous one'), 10_000, 'refusal', since);
    assert.ok(node1.logs.slice(since).some((l) => /keepalived\.conf:\d+:\d+: error: priority must be 1\.\.255/.test(l.msg)), 'the error names file:line:column');
    const st = await node1.status();
    assert.equal(st.instances.find((i) => i.name === 'VI_1')?.state, 'MASTER');
    assert.equal(st.instances.find((i) => i.name === 'VI_2')?.state, 'MASTER');
  });

  test('a changed instance restarts: lowered below the peer, it resigns and the peer takes over', async () => {
    const since1 = node1.logs.length;
    const since2 = node2.logs.length;
    node1.reload(tutorialConfig('master').replace('priority 100', 'priority 98'));
    const line = await node1.waitFor((l) => l.msg === 'SIGHUP: configuration reloaded', 10_000, 'reload', since1);
    assert.equal(line.restarted, 'VI_1');
    assert.equal(line.removed, 'VI_2');
    await node2.waitState('VI_1', 'MASTER', 10_000, since2);
    await waitVip(lab, 'node2', '10.10.10.129', true);
    await waitVip(lab, 'node1', '10.10.10.130', false);
  });
});
