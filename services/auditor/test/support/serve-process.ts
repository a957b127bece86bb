// `vrrp-auditor serve` as a child process (from source, via tsx) for end-to-end tests and drills, plus
// the small waits they share. The child's stdout and stderr are collected for failure messages.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const RUN = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  /** Resolves at the "listening" line; rejects if the process exits first or takes over 30 s. */
  ready: Promise<void>;
  /** Everything it printed so far. */
  log(): string;
}

export function serve(natsUrl: string, dbUrl: string, port: number): ServeProcess {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', RUN, 'serve', '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, NATS_URL: natsUrl, DATABASE_URL: dbUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`auditor not ready:\n${log}`)), 30_000);
    const onData = (b: Buffer) => {
      log += b.toString();
      if (log.includes('auditor: listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`auditor exited ${code}:\n${log}`));
    });
  });
  return { child, ready, log: () => log };
}

export async function eventually(what: string | (() => string), check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
}
