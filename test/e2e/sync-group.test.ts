// vrrp_sync_group (keepalived.conf(5)): VI_1 and VI_2 on both nodes are one group, so they always
// live on the same node. A failure seen by only one member on node1 — VI_1's track_script, or VI_2's
// tracked interface — puts the whole group on node1 in FAULT and moves BOTH VIPs to node2; when it
// heals both come back together. The group's notify scripts run with keepalived's GROUP arguments:
// notify_<state> as written, `notify` with "GROUP <name> <state> 0" (vrrp_notify.c).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess } from '../support/vrrp-node-process.js';
import { keepalivedConf, vrrpInstance } from '../support/keepalived-conf.js';
import { sleep, waitVip } from '../support/lab-vips.js';

const VIP1 = '10.10.10.129';
const VIP2 = '10.10.10.130';

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

async function waitLines(file: string, pred: (ls: string[]) => boolean, what: string, timeoutMs = 15_000): Promise<string[]> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ls = lines(file);
    if (pred(ls)) return ls;
    await sleep(50);
  }
  assert.fail(`${what}: ${file} has ${JSON.stringify(lines(file))}`);
}

describe('vrrp_sync_group moves its members together', () => {
  let lab: Lab;
  let dir: string;
  let node1: VrrpNodeProcess;
  let node2: VrrpNodeProcess;
  let rec1: string;
  let rec2: string;
  let flag: string;

  /** Both nodes: VI_1 and VI_2 in group G1; node1 (priority 100) adds one tracker to each member. */
  function config(node: 1 | 2, recorder: string, check: string): string {
    const prio = node === 1 ? 100 : 99;
    const group = [
      'vrrp_sync_group G1 {',
      '    group {',
      '        VI_1',
      '        VI_2',
      '    }',
      `    notify ${recorder}`,
      `    notify_master "${recorder} notify_master"`,
      `    notify_backup "${recorder} notify_backup"`,
      `    notify_fault "${recorder} notify_fault"`,
      '}',
      '',
    ].join('\n');
    return keepalivedConf({
      routerId: `sync_node${node}`,
      blocks: [
        `vrrp_script chk_flag {\n    script "${check}"\n    interval 1\n    fall 1\n    rise 1\n    weight 0\n}\n`,
        vrrpInstance({ name: 'VI_1', state: node === 1 ? 'MASTER' : 'BACKUP', vrid: 51, priority: prio, advertInt: '0.1', version: 3, vips: [VIP1], extra: node === 1 ? ['track_script {', '    chk_flag', '}'] : [] }),
        vrrpInstance({ name: 'VI_2', state: node === 1 ? 'MASTER' : 'BACKUP', vrid: 52, priority: prio, advertInt: '0.1', version: 3, vips: [VIP2], extra: node === 1 ? ['track_interface {', '    trk0', '}'] : [] }),
        group,
      ],
    });
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hs-sync-'));
    lab = await createLab({
      name: 'sync',
      nodes: [
        { name: 'node1', addresses: ['10.10.10.126/24'] },
        { name: 'node2', addresses: ['10.10.10.127/24'] },
      ],
    });
    // node1's VI_2 tracks a second interface of its own: taking it down is a failure only VI_2 sees.
    // (A veth pair inside node1's namespace: the lab machines have no dummy interface module.)
    await lab.exec('node1', ['ip', 'link', 'add', 'trk0', 'type', 'veth', 'peer', 'name', 'trk1']);
    await lab.exec('node1', ['ip', 'link', 'set', 'trk1', 'up']);
    await lab.exec('node1', ['ip', 'link', 'set', 'trk0', 'up']);
    flag = join(dir, 'fail');
    const check = join(dir, 'check.sh');
    writeFileSync(check, `#!/bin/sh\n[ ! -e ${flag} ]\n`);
    chmodSync(check, 0o755);
    const recorder = (name: string, file: string): string => {
      const path = join(dir, name);
      writeFileSync(path, `#!/bin/sh\necho "$*" >> ${file}\n`);
      chmodSync(path, 0o755);
      return path;
    };
    rec1 = join(dir, 'node1.notify');
    rec2 = join(dir, 'node2.notify');
    node1 = new VrrpNodeProcess(lab, 'node1', config(1, recorder('rec1.sh', rec1), check));
    node2 = new VrrpNodeProcess(lab, 'node2', config(2, recorder('rec2.sh', rec2), check));
  });
  after(async () => {
    await node1?.stop();
    await node2?.stop();
    await lab?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('start: the group is MASTER on node1 and BACKUP on node2, announced with GROUP arguments', async () => {
    // node1 first: a node2 that starts earlier would be MASTER until node1 preempts it.
    node1.start();
    await node1.waitState('VI_1', 'MASTER');
    await node1.waitState('VI_2', 'MASTER');
    node2.start();
    await node2.waitState('VI_1', 'BACKUP');
    await node2.waitState('VI_2', 'BACKUP');
    await waitVip(lab, 'node1', VIP1, true);
    await waitVip(lab, 'node1', VIP2, true);
    await waitLines(rec1, (ls) => ls.includes('GROUP G1 MASTER 0'), 'node1 group MASTER notify');
    const l1 = lines(rec1);
    // keepalived send_group_notifies(): the group announces BACKUP at start, then MASTER; notify_<state> first.
    assert.deepEqual(l1, ['notify_backup', 'GROUP G1 BACKUP 0', 'notify_master', 'GROUP G1 MASTER 0']);
    await waitLines(rec2, (ls) => ls.includes('GROUP G1 BACKUP 0'), 'node2 group BACKUP notify');
    assert.deepEqual(lines(rec2), ['notify_backup', 'GROUP G1 BACKUP 0']);
  });

  test("VI_1's track_script fails on node1: VI_1 and VI_2 both go FAULT there and both VIPs move to node2; healing brings both back", async () => {
    writeFileSync(rec1, '');
    writeFileSync(rec2, '');
    const since1 = node1.logs.length;
    const since2 = node2.logs.length;
    writeFileSync(flag, '');
    await node1.waitState('VI_1', 'FAULT', 10_000, since1);
    const forced = await node1.waitState('VI_2', 'FAULT', 10_000, since1);
    assert.equal(forced.reason, 'fault');
    await node2.waitState('VI_1', 'MASTER', 10_000, since2);
    await node2.waitState('VI_2', 'MASTER', 10_000, since2);
    await waitVip(lab, 'node2', VIP1, true);
    await waitVip(lab, 'node2', VIP2, true);
    await waitVip(lab, 'node1', VIP1, false);
    await waitVip(lab, 'node1', VIP2, false);
    await waitLines(rec1, (ls) => ls.includes('GROUP G1 FAULT 0'), 'node1 group FAULT notify');
    assert.deepEqual(lines(rec1), ['notify_fault', 'GROUP G1 FAULT 0']);
    await waitLines(rec2, (ls) => ls.includes('GROUP G1 MASTER 0'), 'node2 group MASTER notify');
    assert.deepEqual(lines(rec2), ['notify_master', 'GROUP G1 MASTER 0']);
    const st = await node1.status();
    assert.deepEqual(st.instances.map((i) => i.state), ['FAULT', 'FAULT']);

    const back1 = node1.logs.length;
    const back2 = node2.logs.length;
    rmSync(flag);
    await node1.waitState('VI_1', 'MASTER', 10_000, back1);
    await node1.waitState('VI_2', 'MASTER', 10_000, back1);
    await node2.waitState('VI_1', 'BACKUP', 10_000, back2);
    await node2.waitState('VI_2', 'BACKUP', 10_000, back2);
    await waitVip(lab, 'node1', VIP1, true);
    await waitVip(lab, 'node1', VIP2, true);
    await waitVip(lab, 'node2', VIP1, false);
    await waitVip(lab, 'node2', VIP2, false);
    await waitLines(rec1, (ls) => ls.includes('GROUP G1 MASTER 0'), 'node1 group MASTER notify');
    assert.deepEqual(lines(rec1).slice(2), ['notify_backup', 'GROUP G1 BACKUP 0', 'notify_master', 'GROUP G1 MASTER 0']);
  });

  test("VI_2's tracked interface goes down on node1: both instances move to node2; up again, both come back", async () => {
    const since1 = node1.logs.length;
    const since2 = node2.logs.length;
    await lab.exec('node1', ['ip', 'link', 'set', 'trk0', 'down']);
    await node1.waitState('VI_2', 'FAULT', 10_000, since1);
    await node1.waitState('VI_1', 'FAULT', 10_000, since1);
    await node2.waitState('VI_1', 'MASTER', 10_000, since2);
    await node2.waitState('VI_2', 'MASTER', 10_000, since2);
    await waitVip(lab, 'node2', VIP1, true);
    await waitVip(lab, 'node2', VIP2, true);
    await waitVip(lab, 'node1', VIP1, false);
    await waitVip(lab, 'node1', VIP2, false);

    const back1 = node1.logs.length;
    await lab.exec('node1', ['ip', 'link', 'set', 'trk0', 'up']);
    await node1.waitState('VI_1', 'MASTER', 10_000, back1);
    await node1.waitState('VI_2', 'MASTER', 10_000, back1);
    await waitVip(lab, 'node1', VIP1, true);
    await waitVip(lab, 'node1', VIP2, true);
    await waitVip(lab, 'node2', VIP1, false);
    await waitVip(lab, 'node2', VIP2, false);
  });
});
