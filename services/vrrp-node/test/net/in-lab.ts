// Runs a test file inside a lab node's network namespace. A netlink socket only ever sees the namespace
// its process was in, and node cannot setns, so the file runs twice: outside (here) it builds a lab
// (test/lab) and re-runs itself under `ip netns exec`; inside, insideLab() returns true and the file's
// real tests run against the node's eth0 (10.10.10.126/24, IPv6 on, bridged to node b at .127).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab } from '@hotstandby/lab';
import type { Lab } from '@hotstandby/lab';

const INSIDE = 'HS_NET_TEST_NETNS';

export function insideLab(fileUrl: string): boolean {
  if (process.env[INSIDE] !== undefined) return true;
  const file = fileURLToPath(fileUrl);
  describe(`${basename(file)}, run inside a lab node's namespace`, () => {
    let lab: Lab | undefined;
    before(async () => {
      lab = await createLab({
        name: 'net',
        nodes: [
          { name: 'a', addresses: ['10.10.10.126/24'], ipv6: true },
          { name: 'b', addresses: ['10.10.10.127/24'], ipv6: true },
        ],
      });
    });
    after(async () => {
      await lab?.destroy();
    });
    test('every test passes inside node a', async (t) => {
      const env: NodeJS.ProcessEnv = { ...process.env, [INSIDE]: lab!.netns('a') };
      // Inherited, it would make the inner runner talk the parent-runner protocol instead of TAP.
      delete env.NODE_TEST_CONTEXT;
      const r = await lab!.exec('a', [process.execPath, '--conditions=source', '--import', 'tsx', '--test', '--test-reporter=tap', file], {
        check: false,
        env,
        timeoutMs: 120_000,
      });
      for (const line of r.stdout.split('\n')) if (/^\s*(not )?ok \d+ - /.test(line)) t.diagnostic(line.trim());
      assert.equal(r.code, 0, `inner run failed:\n${r.stdout}\n${r.stderr}`);
    });
  });
  return false;
}
