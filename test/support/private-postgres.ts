// Test support: a PRIVATE PostgreSQL 15 cluster (initdb into a temp dir, pg_ctl on a free loopback port,
// trust auth, its socket in the temp dir) for drills that restart or crash the server — the shared one
// on 5432 must never be touched. initdb and postgres refuse to run as root, so as root the binaries run
// as the `postgres` user (runuser) in a temp dir that user owns. dispose() stops the cluster and removes
// the dir; call it in a finally/after even when the test failed (a process that exits without it — an
// uncaught exception — still stops the cluster from an 'exit' hook; only SIGKILL leaks one). Fails
// loudly when the binaries are missing: never skips.
import { execFile, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);

export const PG_BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

/** `pg_ctl stop/restart -m`: smart waits for clients, fast disconnects them, immediate is a crash. */
export type ShutdownMode = 'smart' | 'fast' | 'immediate';

interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

/** The system user the server runs as: ourselves (undefined), or `postgres` when we are root. */
async function serverUser(): Promise<ServerUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const name = 'postgres';
  const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`private-postgres: as root, initdb/postgres must run as a "${name}" system user, and there is none`);
  const [, , uid, gid] = line.split(':');
  return { name, uid: Number(uid), gid: Number(gid) };
}

export class PrivatePostgres {
  /** Stops the cluster synchronously if the process exits before dispose(). */
  private readonly onExit = (): void => {
    try {
      execFileSync(...this.command('pg_ctl', ['stop', '-D', this.dataDir, '-m', 'immediate']), { stdio: 'ignore', timeout: 10_000 });
    } catch {
      // not running
    }
    rmSync(this.dir, { recursive: true, force: true });
  };

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly user: ServerUser | undefined,
  ) {}

  /** Superuser connection URL (trust auth over TCP on 127.0.0.1). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  get logFile(): string {
    return join(this.dir, 'server.log');
  }

  static async start(): Promise<PrivatePostgres> {
    const dir = await mkdtemp(join(tmpdir(), 'hs-pg-'));
    const user = await serverUser();
    const pg = new PrivatePostgres(await freePort(), dir, user);
    process.once('exit', pg.onExit);
    try {
      if (user) await chown(dir, user.uid, user.gid);
      // fsync off: the drills crash the server process, not the machine, so the OS page cache survives.
      await pg.exec('initdb', ['-D', pg.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
      await pg.start();
    } catch (err) {
      await pg.dispose();
      throw err;
    }
    return pg;
  }

  /** [command, argv] running a cluster tool as the server's user. */
  private command(tool: string, args: string[]): [string, string[]] {
    const bin = join(PG_BIN, tool);
    return this.user ? ['runuser', ['-u', this.user.name, '--', bin, ...args]] : [bin, args];
  }

  private async exec(tool: string, args: string[]): Promise<string> {
    const [cmd, argv] = this.command(tool, args);
    try {
      const { stdout, stderr } = await run(cmd, argv, { cwd: this.dir, timeout: 60_000 });
      return stdout + stderr;
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`private-postgres: ${tool} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: err });
    }
  }

  private get serverOptions(): string {
    return `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dir} -c fsync=off -c full_page_writes=off`;
  }

  /** pg_ctl start, waiting until it accepts connections. */
  async start(): Promise<void> {
    await this.exec('pg_ctl', ['start', '-w', '-D', this.dataDir, '-l', this.logFile, '-o', this.serverOptions]);
  }

  /** pg_ctl stop -m <mode> (immediate = crash: no checkpoint, recovery on the next start). */
  async stop(mode: ShutdownMode = 'fast'): Promise<void> {
    await this.exec('pg_ctl', ['stop', '-w', '-D', this.dataDir, '-m', mode]);
  }

  /** pg_ctl restart -m <mode>: what an operator (or a crash and the service manager) does. */
  async restart(mode: ShutdownMode = 'fast'): Promise<void> {
    await this.exec('pg_ctl', ['restart', '-w', '-D', this.dataDir, '-m', mode, '-l', this.logFile, '-o', this.serverOptions]);
  }

  async running(): Promise<boolean> {
    try {
      await this.exec('pg_ctl', ['status', '-D', this.dataDir]);
      return true;
    } catch {
      return false;
    }
  }

  /** Stops the cluster (immediately: its data is thrown away) and removes its temp dir. */
  async dispose(): Promise<void> {
    process.removeListener('exit', this.onExit);
    try {
      if (await this.running()) await this.stop('immediate');
    } finally {
      await rm(this.dir, { recursive: true, force: true });
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
