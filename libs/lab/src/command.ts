// Running a command and collecting its output: the one primitive every lab operation is made of.
// Failures carry the argv and stderr, because "ip exited 2" alone never says which of twenty calls broke.
import { execFile, execFileSync } from 'node:child_process';

export interface CommandOptions {
  /** Bytes or text written to the command's stdin. */
  input?: string | Uint8Array;
  /** Kill the command (SIGKILL) after this long; default 30 s so a hung tool cannot hang a test run. */
  timeoutMs?: number;
  /** Throw a CommandError on a non-zero exit (default true). */
  check?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface CommandResult {
  /** Exit code, or null when a signal ended the command. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: CommandResult,
    options?: ErrorOptions,
  ) {
    super(
      `${argv.join(' ')} → ${result.code === null ? `signal ${result.signal}` : `exit ${result.code}`}: ${result.stderr.trim() || result.stdout.trim()}`,
      options,
    );
    this.name = 'CommandError';
  }
}

export function run(argv: readonly string[], opts: CommandOptions = {}): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new TypeError('run: empty argv');
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { timeout: opts.timeoutMs ?? 30_000, killSignal: 'SIGKILL', env: opts.env, cwd: opts.cwd, maxBuffer: 64 << 20, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: unknown; signal?: NodeJS.Signals | null }) | null;
        if (e && typeof e.code === 'string') {
          // Spawn failure (ENOENT: tool not installed): not an exit status, a broken machine.
          reject(new Error(`cannot run ${file}: ${e.message}`, { cause: e }));
          return;
        }
        const result: CommandResult = {
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          signal: e?.signal ?? null,
          stdout,
          stderr,
        };
        if (opts.check !== false && result.code !== 0) reject(new CommandError(argv, result, { cause: e }));
        else resolve(result);
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** Synchronous variant for process-exit cleanup, where nothing asynchronous runs any more. Never throws. */
export function runSync(argv: readonly string[]): boolean {
  const [file, ...args] = argv;
  if (file === undefined) return false;
  try {
    execFileSync(file, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
