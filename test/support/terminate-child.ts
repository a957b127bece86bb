// Stops a helper process a test started: SIGTERM by pid (never by name), then waits for its exit.
// Nothing to do when it never started or has already exited.
import type { ChildProcess } from 'node:child_process';

export async function terminateChild(c: ChildProcess): Promise<void> {
  if (c.pid === undefined || c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
  process.kill(c.pid, 'SIGTERM');
  await exited;
}
