import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitCommand } from '../../src/scripts/argv.js';
import { runScript } from '../../src/scripts/run-script.js';
import { NotifyQueue } from '../../src/scripts/notify-queue.js';
import { TrackScript } from '../../src/scripts/track-script.js';

describe('script command lines, split as keepalived does (no shell)', () => {
  test('words, quotes and escapes', () => {
    assert.deepEqual(splitCommand('/usr/bin/notify.sh MASTER "two words" \'x y\' a\\ b'), {
      ok: true,
      argv: ['/usr/bin/notify.sh', 'MASTER', 'two words', 'x y', 'a b'],
    });
  });
  test('an unterminated quote is a clear error', () => {
    assert.deepEqual(splitCommand('/bin/x "oops'), { ok: false, reason: 'unterminated " quote' });
  });
  test('an empty command is an error', () => {
    assert.equal(splitCommand('   ').ok, false);
  });
});

describe('runScript', () => {
  test('reports exit code and stderr', async () => {
    const r = await runScript(['/bin/sh', '-c', 'echo boom >&2; exit 3'], { timeoutMs: 5000 });
    assert.equal(r.code, 3);
    assert.equal(r.stderrTail, 'boom');
    assert.equal(r.timedOut, false);
  });
  test('a script past its timeout is killed and reported', async () => {
    const r = await runScript(['/bin/sleep', '30'], { timeoutMs: 100 });
    assert.equal(r.timedOut, true);
    assert.equal(r.signal, 'SIGTERM');
  });
  test('a missing script is a result, not a throw', async () => {
    const r = await runScript(['/nonexistent/notify.sh'], { timeoutMs: 1000 });
    assert.match(r.spawnError ?? '', /ENOENT/);
  });
});

describe('NotifyQueue', () => {
  test('runs scripts one after the other, in the order of the transitions, without blocking enqueue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-notify-'));
    const log = join(dir, 'log');
    const script = join(dir, 'notify.sh');
    // The first (BACKUP) script is slow: with keepalived's fork-and-forget it would finish last.
    writeFileSync(script, `#!/bin/sh\n[ "$1" = BACKUP ] && sleep 0.3\necho "$1" >> ${log}\n`);
    chmodSync(script, 0o755);
    const done: string[] = [];
    const q = new NotifyQueue({ timeoutMs: 5000, onDone: (job) => done.push(job.label) });
    const t0 = performance.now();
    q.enqueue({ label: 'backup', argv: [script, 'BACKUP'] });
    q.enqueue({ label: 'master', argv: [script, 'MASTER'] });
    assert.ok(performance.now() - t0 < 50, 'enqueue must not wait for the script');
    await q.idle();
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), ['BACKUP', 'MASTER']);
    assert.deepEqual(done, ['backup', 'master']);
  });
});

describe('TrackScript', () => {
  test('turns KO after `fall` failures and OK after `rise` successes', async () => {
    const results = [true, false, false, true, true];
    const seen: string[] = [];
    let finished!: () => void;
    const allDone = new Promise<void>((r) => (finished = r));
    const ts = new TrackScript({
      name: 'chk',
      argv: ['x'],
      intervalMs: 5,
      timeoutMs: 1000,
      rise: 2,
      fall: 2,
      initFail: false,
      onHealth: (_n, h) => seen.push(h),
      run: () => {
        const ok = results.shift();
        if (ok === undefined) {
          finished();
          return new Promise(() => undefined);
        }
        return Promise.resolve({ argv: ['x'], code: ok ? 0 : 1, signal: undefined, timedOut: false, spawnError: undefined, durationMs: 0, stderrTail: '' });
      },
    });
    ts.start();
    await allDone;
    ts.stop();
    assert.deepEqual(seen, ['ok', 'ko', 'ok']);
  });
});
