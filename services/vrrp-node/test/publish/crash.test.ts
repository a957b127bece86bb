import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ensureStreams } from '../../src/publish/streams.js';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { NatsServer } from '../../../../test/support/nats-server.js';
import { assertExactlyOnceInOrder, readEvents } from './stream-reader.js';

const APPENDER = fileURLToPath(new URL('./fixtures/appender.ts', import.meta.url));
const NODE = 'LVS_DEVEL@crashy';

let server: NatsServer;
let dir: string;
before(async () => {
  server = await NatsServer.start();
  dir = await mkdtemp(join(tmpdir(), 'hs-crash-'));
  const nc = await connect({ servers: server.url });
  await ensureStreams(await jetstreamManager(nc));
  await nc.close();
});
after(async () => {
  await server?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Child = { proc: ChildProcessByStdio<null, Readable, Readable>; lines: string[]; waitLine: (re: RegExp) => Promise<string> };

function runAppender(): Child {
  const proc = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', APPENDER, dir, server.url, NODE], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  let buf = '';
  proc.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of [...waiters]) if (w.re.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const waitLine = (re: RegExp): Promise<string> => {
    const hit = lines.find((l) => re.test(l));
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`appender never printed ${re}; stderr:\n${stderr}`)), 30_000);
      waiters.push({ re, resolve: (l) => { clearTimeout(t); resolve(l); } });
    });
  };
  return { proc, lines, waitLine };
}

test('kill -9 while publishing, then restart: no gap and no duplicate in the stream', async () => {
  const first = runAppender();
  const ready1 = await first.waitLine(/^ready /);
  const boot1 = ready1.split(' ')[1]!;
  await first.waitLine(/^published 200$/);
  const exited = new Promise((r) => first.proc.once('exit', r));
  first.proc.kill('SIGKILL');
  await exited;

  const second = runAppender();
  const ready2 = await second.waitLine(/^ready /);
  assert.match(ready2, /replayed \d+/);
  await second.waitLine(/^published 100$/);
  second.proc.kill('SIGTERM');
  const done = await second.waitLine(/^done /);
  const [, boot2, appended2] = done.split(' ');

  const events = await readEvents({ servers: server.url });
  const perBoot = assertExactlyOnceInOrder(events);
  // Boot 1: everything that reached the outbox file is in the stream, seqs 0..n without a hole.
  assert.ok((perBoot.get(`${NODE}.${boot1}`) ?? 0) >= 200);
  // Boot 2 ended cleanly: every event it appended is in the stream.
  assert.equal(perBoot.get(`${NODE}.${boot2}`), Number(appended2));
});
