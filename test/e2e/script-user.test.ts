// script_user / enable_script_security as keepalived 2.2.7 does them: with `script_user nobody` a
// notify script runs as uid 65534; with enable_script_security a script run as root whose directory
// others can write is disabled at start ("Unsafe permissions found for script ... - disabling") while a
// safe one still runs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess } from '../support/vrrp-node-process.js';
import { keepalivedConf, vrrpInstance } from '../support/keepalived-conf.js';
import { sleep } from '../support/lab-vips.js';

async function waitFile(file: string, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      if (text.endsWith('\n')) return text;
    }
    await sleep(50);
  }
  assert.fail(`${file} was never written`);
}

function script(path: string, body: string): string {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('script users', () => {
  let lab: Lab;
  let dir: string;
  let node: VrrpNodeProcess | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hs-script-user-'));
    chmodSync(dir, 0o755); // nobody must reach the script
    mkdirSync(join(dir, 'out'), { mode: 0o1777 });
    chmodSync(join(dir, 'out'), 0o1777); // and write its answer (sticky, like /tmp)
    lab = await createLab({ name: 'scriptuser', nodes: [{ name: 'node1', addresses: ['10.10.10.126/24'] }] });
  });
  after(async () => {
    await node?.stop();
    await lab?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  function start(global: string[], notify: string[]): VrrpNodeProcess {
    node = new VrrpNodeProcess(lab, 'node1', keepalivedConf({
      routerId: 'script_user',
      global,
      blocks: [vrrpInstance({ name: 'VI_1', state: 'MASTER', vrid: 51, priority: 100, advertInt: '0.1', version: 3, vips: ['10.10.10.129'], extra: notify })],
    }));
    return node.start();
  }

  test('script_user nobody: notify_master runs as uid 65534 (and its group)', async () => {
    const out = join(dir, 'out', 'id');
    const who = script(join(dir, 'who.sh'), `echo "$(id -u) $(id -g)" > ${out}`);
    const n = start(['script_user nobody'], [`notify_master ${who}`]);
    await n.waitState('VI_1', 'MASTER');
    assert.equal(await waitFile(out), '65534 65534\n');
    await n.stop();
  });

  test('enable_script_security: a root script in a directory others can write is disabled; a safe one runs', async () => {
    const open = join(dir, 'open');
    mkdirSync(open, { mode: 0o777 });
    chmodSync(open, 0o777); // no sticky bit: anyone could replace the script
    const unsafeOut = join(dir, 'out', 'unsafe');
    const safeOut = join(dir, 'out', 'safe');
    const unsafe = script(join(open, 'unsafe.sh'), `echo ran > ${unsafeOut}`);
    const safe = script(join(dir, 'safe.sh'), `echo "$(id -u)" > ${safeOut}`);
    const n = start(['script_user root', 'enable_script_security'], [`notify_master ${unsafe}`, `notify ${safe}`]);
    await n.waitFor((l) => l.msg.includes(`Unsafe permissions found for script '${unsafe}' - disabling`), 15_000, 'the unsafe-permissions warning');
    await n.waitState('VI_1', 'MASTER');
    assert.equal(await waitFile(safeOut), '0\n', 'the safe script ran, as root');
    // Notify scripts run one after the other, notify_master first: it would have run before `notify`.
    assert.equal(existsSync(unsafeOut), false, 'the unsafe notify_master never ran');
  });
});
