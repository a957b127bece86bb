// Test support: a real nats-server (Debian package, 2.9.x) with JetStream, on a random loopback port,
// with its own temp store dir and config file. stop()/start() keep port and store (for outage drills);
// dispose() stops it and removes everything. Fails loudly if nats-server is missing: never skips.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export const NATS_SERVER_BIN = process.env['NATS_SERVER_BIN'] ?? '/usr/sbin/nats-server';

export interface NatsServerOptions {
  /** Extra config text appended to the generated file (e.g. an `authorization { ... }` block). */
  readonly extraConfig?: string;
  /** Milliseconds to wait for "Server is ready". */
  readonly startTimeoutMs?: number;
}

export class NatsServer {
  #child: ChildProcess | undefined;
  #log = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
    readonly configFile: string,
    private readonly startTimeoutMs: number,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Everything the server printed (for failure messages). */
  get log(): string {
    return this.#log;
  }

  static async start(opts: NatsServerOptions = {}): Promise<NatsServer> {
    const dir = await mkdtemp(join(tmpdir(), 'hs-nats-'));
    const port = await freePort();
    const configFile = join(dir, 'nats.conf');
    const config = [
      `listen: "127.0.0.1:${port}"`,
      `server_name: hs_test_${port}`,
      `jetstream { store_dir: "${join(dir, 'js')}", max_memory_store: 64MB, max_file_store: 1GB }`,
      opts.extraConfig ?? '',
    ].join('\n');
    await writeFile(configFile, config);
    const server = new NatsServer(port, dir, configFile, opts.startTimeoutMs ?? 10_000);
    try {
      await server.resume();
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    return server;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Starts the process again on the same port and store (after stop() or kill()). */
  async resume(): Promise<void> {
    if (this.#child) throw new Error('nats-server already running');
    const child = spawn(NATS_SERVER_BIN, ['-c', this.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server not ready in ${this.startTimeoutMs} ms:\n${this.#log}`)), this.startTimeoutMs);
      const onData = (chunk: Buffer): void => {
        this.#log += chunk.toString();
        if (this.#log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot run ${NATS_SERVER_BIN}`, { cause: err }));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.#child === child) this.#child = undefined;
        reject(new Error(`nats-server exited (${code ?? signal}) before ready:\n${this.#log}`));
      });
    });
    // A later exit (stop/kill) must forget the child.
    child.once('exit', () => {
      if (this.#child === child) this.#child = undefined;
    });
  }

  /** Graceful stop (SIGTERM), waits for exit. Store and port are kept for resume(). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
    this.#child = undefined;
  }

  /** Stops the server and removes its temp dir. */
  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }
}
