// Runs one script to completion with a timeout. Never throws: a script that cannot be started,
// exits non-zero, is killed or times out is a result the caller logs and counts.
import { spawn } from 'node:child_process';

export interface ScriptRunOptions {
  readonly timeoutMs: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly env?: NodeJS.ProcessEnv;
}

export interface ScriptResult {
  readonly argv: readonly string[];
  /** Exit code, or undefined when killed by a signal or not started. */
  readonly code: number | undefined;
  readonly signal: NodeJS.Signals | undefined;
  readonly timedOut: boolean;
  /** Set when the process could not be started (ENOENT, EACCES, ...). */
  readonly spawnError: string | undefined;
  readonly durationMs: number;
  /** The last few hundred bytes of stderr, for the log line. */
  readonly stderrTail: string;
}

const STDERR_TAIL = 512;
/** After a timeout: SIGTERM, then SIGKILL this long after (keepalived kills timed-out scripts). */
const KILL_GRACE_MS = 1000;

export function runScript(argv: readonly string[], options: ScriptRunOptions): Promise<ScriptResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let timedOut = false;
    let stderrTail = '';
    let spawnError: string | undefined;
    let settled = false;
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: options.env ?? process.env,
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
      detached: true, // its own process group, so a timeout kills what it started too
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderrTail = (stderrTail + d).slice(-STDERR_TAIL);
    });
    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    }, options.timeoutMs);
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      resolve({
        argv,
        code: code ?? undefined,
        signal: signal ?? undefined,
        timedOut,
        spawnError,
        durationMs: performance.now() - started,
        stderrTail: stderrTail.trim(),
      });
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = `${err.code ?? 'error'}: ${err.message}`;
      finish(null, null);
    });
    child.on('close', finish);
  });
}

/** spawn's uid/gid for a script's resolved user (config/script-users.ts); nothing when it has none. */
export function runAs(user: { readonly uid?: number; readonly gid?: number } | undefined): { uid?: number; gid?: number } {
  if (user?.uid === undefined) return {};
  return { uid: user.uid, gid: user.gid ?? user.uid };
}

export function succeeded(r: ScriptResult): boolean {
  return r.code === 0 && !r.timedOut && r.spawnError === undefined;
}
