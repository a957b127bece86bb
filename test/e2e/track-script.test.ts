// A failing vrrp_script moves mastership (keepalived.conf(5) vrrp_script / track_script): the check is
// a shell script that fails while a flag file exists. With `weight -20` node1's priority drops from 100
// to 80, below node2's 99, and node2 preempts; with `weight 0` a failure puts node1's instance in FAULT.
// When the script succeeds again (after `rise` good runs) node1 is back at 100 and preempts back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess } from '../support/vrrp-node-process.js';
import { keepalivedConf, vrrpInstance } from '../support/keepalived-conf.js';
import { hasVip, waitVip } from '../support/lab-vips.js';

const VIP = '10.10.10.129';

function node1Config(script: string, weight: number): string {
  return keepalivedConf({
    routerId: 'track_node1',
    blocks: [
      `vrrp_script chk_flag {\n    script "${script}"\n    interval 1\n    fall 2\n    rise 2\n    weight ${weight}\n}\n`,
      vrrpInstance({ name: 'VI_1', state: 'MASTER', vrid: 51, priority: 100, advertInt: '0.1', version: 3, vips: [VIP], extra: ['track_script {', '    chk_flag', '}'] }),
    ],
  });
}

const node2Config = keepalivedConf({
  routerId: 'track_node2',
  blocks: [vrrpInstance({ name: 'VI_1', state: 'BACKUP', vrid: 51, priority: 99, advertInt: '0.1', version: 3, vips: [VIP] })],
});

describe('track_script moves mastership', () => {
  let lab: Lab;
  let dir: string;
  const procs: VrrpNodeProcess[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hs-track-'));
    lab = await createLab({
      name: 'track',
      nodes: [
        { name: 'node1', addresses: ['10.10.10.126/24'] },
        { name: 'node2', addresses: ['10.10.10.127/24'] },
      ],
    });
  });
  after(async () => {
    for (const p of procs) await p.stop();
    await lab?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const weight of [-20, 0]) {
    test(`weight ${weight}: failing moves the VIP to node2${weight === 0 ? ' (node1 FAULT)' : ''}; succeeding again brings it back`, async () => {
      const flag = join(dir, `fail${weight}`);
      const script = join(dir, `check${weight}.sh`);
      // keepalived runs the script directly (execve): a shebang and the exec bit are what it needs.
      writeFileSync(script, `#!/bin/sh\n[ ! -e ${flag} ]\n`);
      chmodSync(script, 0o755);
      const node1 = new VrrpNodeProcess(lab, 'node1', node1Config(script, weight)).start();
      const node2 = new VrrpNodeProcess(lab, 'node2', node2Config).start();
      procs.push(node1, node2);
      await node1.waitState('VI_1', 'MASTER');
      await node2.waitState('VI_1', 'BACKUP');
      await waitVip(lab, 'node1', VIP, true);
      await waitVip(lab, 'node2', VIP, false);

      // Fail the check: after `fall` bad runs node1 gives way.
      const since1 = node1.logs.length;
      const since2 = node2.logs.length;
      writeFileSync(flag, '');
      await node1.waitFor((l) => l.msg === 'track script chk_flag is now KO', 10_000, 'script KO', since1);
      await node2.waitState('VI_1', 'MASTER', 10_000, since2);
      await waitVip(lab, 'node2', VIP, true);
      await waitVip(lab, 'node1', VIP, false);
      const st1 = (await node1.status()).instances[0]!;
      if (weight === 0) {
        assert.equal(st1.state, 'FAULT');
        assert.equal(st1.lastTransition?.reason, 'fault');
      } else {
        assert.equal(st1.state, 'BACKUP');
        assert.equal(st1.effectivePriority, 80, 'priority 100 − 20');
        assert.equal(st1.basePriority, 100);
        assert.equal(st1.masterAddress, '10.10.10.127');
      }

      // Heal: after `rise` good runs node1 is back at 100 and preempts node2.
      const back1 = node1.logs.length;
      const back2 = node2.logs.length;
      rmSync(flag);
      await node1.waitFor((l) => l.msg === 'track script chk_flag is now OK', 10_000, 'script OK', back1);
      await node1.waitState('VI_1', 'MASTER', 10_000, back1);
      await node2.waitState('VI_1', 'BACKUP', 10_000, back2);
      await waitVip(lab, 'node1', VIP, true);
      await waitVip(lab, 'node2', VIP, false);
      if (weight === 0) assert.ok(node1.logs.slice(back1).some((l) => l.msg === '(VI_1) Entering BACKUP STATE'), 'FAULT → BACKUP before MASTER');
      assert.equal((await node1.status()).instances[0]!.effectivePriority, 100);
      assert.equal(await hasVip(lab, 'node1', VIP), true);
      await node1.stop();
      await node2.stop();
    });
  }
});
