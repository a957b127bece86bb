// `vrrp-node status` as a user reads it (text) and as a script reads it (--json): per instance state,
// base and effective priority, master address and priority, advert interval, VIPs (configured and as
// found on the interface), last transition with its reason, keepalived's counters. And `-t` on a broken
// config answers like `keepalived -t`: FILE:LINE:COL and a non-zero exit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess } from '../support/vrrp-node-process.js';
import { keepalivedConf, vrrpInstance } from '../support/keepalived-conf.js';
import { sleep, waitVip } from '../support/lab-vips.js';

const RUN_TS = fileURLToPath(new URL('../../services/vrrp-node/src/cli/run.ts', import.meta.url));
const VIP = '10.10.10.129';

function config(role: 'master' | 'backup'): string {
  return keepalivedConf({
    routerId: `status_${role}`,
    blocks: [vrrpInstance({ name: 'VI_1', state: role === 'master' ? 'MASTER' : 'BACKUP', vrid: 51, priority: role === 'master' ? 100 : 99, advertInt: '0.1', version: 3, vips: [VIP] })],
  });
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--conditions=source', '--import', 'tsx', RUN_TS, ...args], (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('vrrp-node status and -t', () => {
  let lab: Lab;
  let master: VrrpNodeProcess;
  let backup: VrrpNodeProcess;

  before(async () => {
    lab = await createLab({
      name: 'status',
      nodes: [
        { name: 'node1', addresses: ['10.10.10.126/24'] },
        { name: 'node2', addresses: ['10.10.10.127/24'] },
      ],
    });
    master = new VrrpNodeProcess(lab, 'node1', config('master'));
    backup = new VrrpNodeProcess(lab, 'node2', config('backup'));
    master.start();
    await master.waitState('VI_1', 'MASTER');
    backup.start();
    await backup.waitState('VI_1', 'BACKUP');
    await waitVip(lab, 'node1', VIP, true);
    await sleep(500);
  });
  after(async () => {
    await master?.stop();
    await backup?.stop();
    await lab?.destroy();
  });

  test('--json: state, priorities, master, interval, VIPs, last transition, counters', async () => {
    const m = (await master.status()).instances[0]!;
    assert.equal(m.name, 'VI_1');
    assert.equal(m.state, 'MASTER');
    assert.equal(m.vrid, 51);
    assert.equal(m.version, 3);
    assert.equal(m.interface, 'eth0');
    assert.equal(m.basePriority, 100);
    assert.equal(m.effectivePriority, 100);
    assert.equal(m.advertIntervalCs, 10);
    assert.deepEqual(m.virtualAddresses, [VIP]);
    assert.deepEqual(m.installedVirtualAddresses, [VIP], 'the VIP as read back from eth0');
    // A non-owner `state MASTER` starts in BACKUP and takes over when no master is heard (keepalived).
    assert.deepEqual(m.lastTransition && [m.lastTransition.from, m.lastTransition.to, m.lastTransition.reason], ['BACKUP', 'MASTER', 'master-no-response']);
    assert.ok(m.lastTransition && !Number.isNaN(Date.parse(m.lastTransition.at)), 'transition time is a timestamp');
    assert.equal(m.counters.become_master, 1);
    assert.ok(m.counters.advert_sent! >= 5);
    for (const k of ['advert_rcvd', 'release_master', 'ip_ttl_err', 'auth_failure', 'addr_list_err', 'packet_len_err', 'pri_zero_rcvd', 'pri_zero_sent']) {
      assert.equal(typeof m.counters[k], 'number', `counter ${k}`);
    }

    const b = (await backup.status()).instances[0]!;
    assert.equal(b.state, 'BACKUP');
    assert.equal(b.masterAddress, '10.10.10.126');
    assert.equal(b.masterPriority, 100);
    assert.deepEqual(b.installedVirtualAddresses, [], 'the backup holds no VIP');
    assert.deepEqual(b.lastTransition && [b.lastTransition.from, b.lastTransition.to, b.lastTransition.reason], ['INIT', 'BACKUP', 'startup']);
    assert.ok(b.counters.advert_rcvd! >= 3);
    assert.equal(b.counters.advert_sent, 0);
  });

  test('text: the same facts, one instance block a person can read', async () => {
    const text = await master.statusText();
    console.log(text.trimEnd().split('\n').map((l) => `# ${l}`).join('\n'));
    assert.match(text, /^node status_master@10\.10\.10\.126 /m);
    assert.match(text, /^VI_1 {2}MASTER {2}vrid 51 on eth0 \(ipv4, VRRPv3/m);
    assert.match(text, /priority 100 \(base 100\) {3}advert interval 100 ms/);
    assert.match(text, /VIPs 10\.10\.10\.129 \(installed: 10\.10\.10\.129\)/);
    assert.match(text, /last transition BACKUP -> MASTER \(master-no-response\) at \d{4}-\d\d-\d\dT/);
    assert.match(text, /advert_sent \d+/);
    assert.match(text, /ip_ttl_err 0 {2}auth_failure 0/);
    const btext = await backup.statusText();
    assert.match(btext, /^VI_1 {2}BACKUP /m);
    assert.match(btext, /master 10\.10\.10\.126 \(priority 100\)/);
    assert.match(btext, /VIPs 10\.10\.10\.129 \(installed: none\)/);
  });

  test('-t on a config with an out-of-range value: FILE:LINE:COL, the range, exit non-zero', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-status-'));
    try {
      const file = join(dir, 'keepalived.conf');
      writeFileSync(file, config('master').replace('priority 100', 'priority 300'));
      const line = config('master').split('\n').findIndex((l) => l.includes('priority 100')) + 1;
      const r = await runCli(['-t', '-f', file]);
      assert.notEqual(r.code, 0);
      const m = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+): error: .*priority.*1\\.\\.255`, 'm').exec(r.stderr);
      assert.ok(m, `FILE:LINE:COL: error in ${JSON.stringify(r.stderr)}`);
      assert.equal(Number(m[1]), line);
      assert.equal(Number(m[2]), 'priority '.length + 5, 'column of the value (1-based, after 4 spaces of indent)');
      const ok = await runCli(['-t', '-f', master.configPath]);
      assert.equal(ok.code, 0, 'a good config exits 0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
