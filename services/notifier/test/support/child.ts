// `vrrp-notifier` as a child process (from source, through tsx), for crash drills and CLI tests.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const RUN_TS = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));

export class NotifierProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (c: Buffer) => (this.stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static spawn(args: readonly string[], env: Record<string, string>): NotifierProcess {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', RUN_TS, ...args], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new NotifierProcess(child);
  }

  /** Runs to completion. */
  static async run(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const p = NotifierProcess.spawn(args, env);
    const { code } = await p.exited;
    return { code, stdout: p.stdout, stderr: p.stderr };
  }

  /** Waits for stderr to match (or the process to exit, which fails). */
  async waitFor(re: RegExp, timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (!re.test(this.stderr)) {
      if (exited) throw new Error(`notifier exited before ${re}:\n${this.stderr}`);
      if (Date.now() > until) throw new Error(`notifier: no ${re} in ${timeoutMs} ms:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** SIGTERM (graceful) and wait. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}
