// The README's first command, unattended: `npm start -- --drill` builds the lab, starts NATS, the
// auditor, the notifier and the two tutorial nodes, drills them (crash, restart, split brain, heal,
// who was master when) and exits 0 only if every step behaved as expected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('npm start -- --drill: every step of the tutorial behaves as expected', async () => {
  const child = spawn('npm', ['start', '--', '--drill'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const steps = out.split('\n').filter((l) => /^(OK|FAILED): /.test(l));
  for (const s of steps) console.log(`# ${s.slice(0, 160)}`);
  assert.equal(code, 0, `the drill failed:\n${out.split('\n').slice(-40).join('\n')}`);
  assert.match(out, /every step behaved as expected/);
  assert.ok(steps.length >= 8 && steps.every((s) => s.startsWith('OK')), 'every step reported OK');
  assert.match(out, /measured failover \d+\.\d+ ms/);
});
