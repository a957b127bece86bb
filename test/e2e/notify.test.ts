// Notify scripts with keepalived's arguments (keepalived.conf(5)): notify_master / notify_backup /
// notify_stop run as written, `notify` gets four more: INSTANCE, the instance name, the new state and
// the priority. They run one after the other in transition order, and never hold up the protocol: a
// notify script that sleeps 5 s does not delay a failover.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess } from '../support/vrrp-node-process.js';
import type { LogLine } from '../support/vrrp-node-process.js';
import { keepalivedConf, vrrpInstance } from '../support/keepalived-conf.js';
import { sleep, waitVip } from '../support/lab-vips.js';

const VIP = '10.10.10.129';

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

/** The notify records keepalived would produce for these "Entering X STATE" log lines. */
function expectedFor(entered: LogLine[], specific: readonly string[]): string[] {
  const out: string[] = [];
  for (const l of entered) {
    const state = /Entering (\w+) STATE/.exec(l.msg)![1]!;
    if (specific.includes(state)) out.push(`notify_${state.toLowerCase()}`);
    out.push(`notify INSTANCE VI_1 ${state} ${String(l.priority)}`);
  }
  return out;
}

describe('notify scripts', () => {
  let lab: Lab;
  let dir: string;
  let node1: VrrpNodeProcess;
  let node2: VrrpNodeProcess;
  let rec1: string;
  let rec2: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hs-notify-'));
    // Recorders append their arguments as one line to a per-node file (baked into the script: the
    // daemon passes scripts keepalived's arguments, not our environment). The slow one sleeps 5 s.
    const recorder = (name: string, file: string, slow = false): string => {
      const path = join(dir, name);
      const body = slow ? `echo "start $*" >> ${file}\nsleep 5\necho "end $*" >> ${file}\n` : `echo "$*" >> ${file}\n`;
      writeFileSync(path, `#!/bin/sh\n${body}`);
      chmodSync(path, 0o755);
      return path;
    };
    rec1 = join(dir, 'node1.log');
    rec2 = join(dir, 'node2.log');
    const r1 = recorder('rec1.sh', rec1);
    const r2 = recorder('rec2.sh', rec2);
    const slow2 = recorder('slow2.sh', rec2, true);
    const conf = (role: 'master' | 'backup', notify: string[]): string =>
      keepalivedConf({
        routerId: `notify_${role}`,
        blocks: [vrrpInstance({ name: 'VI_1', state: role === 'master' ? 'MASTER' : 'BACKUP', vrid: 51, priority: role === 'master' ? 100 : 99, advertInt: '0.1', version: 3, vips: [VIP], extra: notify })],
      });
    lab = await createLab({
      name: 'notify',
      nodes: [
        { name: 'node1', addresses: ['10.10.10.126/24'] },
        { name: 'node2', addresses: ['10.10.10.127/24'] },
      ],
    });
    node1 = new VrrpNodeProcess(lab, 'node1', conf('master', [`notify_master "${r1} notify_master"`, `notify_backup "${r1} notify_backup"`, `notify_stop "${r1} notify_stop"`, `notify "${r1} notify"`]));
    node2 = new VrrpNodeProcess(lab, 'node2', conf('backup', [`notify_backup "${slow2} notify_backup"`, `notify_master "${r2} notify_master"`]));
  });
  after(async () => {
    await node1?.stop();
    await node2?.stop();
    await lab?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('notify_backup, notify_master and notify run in transition order with keepalived arguments', async () => {
    node1.start();
    await node1.waitState('VI_1', 'MASTER');
    const entered = node1.logs.filter((l) => /^\(VI_1\) Entering \w+ STATE$/.test(l.msg));
    const expected = expectedFor(entered, ['MASTER', 'BACKUP', 'STOP']);
    assert.deepEqual(expected.slice(-2), ['notify_master', 'notify INSTANCE VI_1 MASTER 100']);
    const got = await waitLines(rec1, (ls) => ls.length >= expected.length, 'notify records of node1');
    assert.deepEqual(got, expected);
  });

  test('a notify_backup that sleeps 5 s does not delay node2 taking over; notify_master runs after it', async () => {
    node2.start();
    await node2.waitState('VI_1', 'BACKUP');
    await waitLines(rec2, (ls) => ls.includes('start notify_backup'), 'slow notify_backup started');
    const since = node2.logs.length;
    await node1.crash();
    await node2.waitState('VI_1', 'MASTER', 3_000, since);
    await waitVip(lab, 'node2', VIP, true, 3_000);
    assert.equal(lines(rec2).includes('end notify_backup'), false, 'node2 took over while its notify_backup was still sleeping');
    const got = await waitLines(rec2, (ls) => ls.includes('notify_master'), 'notify_master of node2', 15_000);
    assert.deepEqual(got, ['start notify_backup', 'end notify_backup', 'notify_master'], 'in order, one after the other');
  });

  test('graceful stop runs notify_stop and notify … STOP', async () => {
    node1 = new VrrpNodeProcess(lab, 'node1', readFileSync(node1.configPath, 'utf8'));
    writeFileSync(rec1, '');
    node1.start();
    await node1.waitState('VI_1', 'MASTER', 10_000);
    assert.equal(await node1.stop(), 0);
    const entered = node1.logs.filter((l) => /^\(VI_1\) Entering \w+ STATE$/.test(l.msg));
    const expected = expectedFor(entered, ['MASTER', 'BACKUP', 'STOP']);
    assert.deepEqual(expected.slice(-2), ['notify_stop', `notify INSTANCE VI_1 STOP ${String(entered.at(-1)!.priority)}`]);
    assert.deepEqual(lines(rec1), expected, 'every script had run before the process exited');
  });
});
