// Test support: the real keepalived (Debian's 2.2.7) inside a lab namespace, as the interop peer of
// vrrp-node. Each instance has its own temp dir with its config and pid files, so several run on one
// host; it runs in the foreground (-n) with only the VRRP subsystem (-P), logs detailed lines (-D) to
// the console (-l) and not to syslog (-G). Its log lines are kept so a test can wait for state
// transitions and check that keepalived never complained about a packet it received.
//
// Crash vs graceful stop (DESIGN.md, measured): keepalived's VRRP work runs in a child process; a
// kill -9 of the parent alone is no crash, because the child notices and still resigns (priority-0
// advert, VIPs removed). A real crash therefore kills the VRRP child first. The parent is stopped
// before that (SIGSTOP) so it cannot respawn the child in between, then killed too. Graceful stop =
// SIGTERM to the parent, as systemd does. Everything is killed by pid, never by name.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';

export const KEEPALIVED_BIN = process.env['HS_KEEPALIVED'] ?? '/usr/sbin/keepalived';

export interface KeepalivedLogLine {
  /** Date.now() when the line arrived. */
  readonly at: number;
  /** The line without keepalived's console timestamp ("Thu Nov 26 03:11:23 2026: "). */
  readonly msg: string;
}

export interface KeepalivedOptions {
  /** Extra command-line arguments. */
  args?: string[];
  /** Print keepalived's lines to stderr as they come (debugging). */
  echo?: boolean;
}

// What keepalived logs when it rejects or distrusts a received advertisement: the messages of
// vrrp_in_chk() and vrrp_check_packet() in keepalived/vrrp/vrrp.c (2.2.x), one pattern per check,
// plus the generic words the brief names in case a message we did not list appears.
const COMPLAINTS: readonly RegExp[] = [
  /header too short/i,
  /invalid ttl/i,
  /Invalid auth type/i,
  /received a \d+ auth, expecting/i,
  /invalid passwd/i,
  /advertisement interval mismatch/i,
  /advertisement interval changed/i, // v3 backup: the master's interval differs from ours
  /invalid version/i,
  /Invalid packet type/i,
  /VRID mismatch/i,
  /invalid ip number count/i,
  /ip_tot_len mismatch/i,
  /packet length mismatch/i,
  /Invalid VRRPv[23] checksum/i,
  /Setting unicast VRRPv3 checksum to old version/i,
  /not present in MASTER advert/i,
  /not a unicast peer/i,
  /bogus VRRP packet/i,
  /Dropping received VRRP packet/i,
  /ignoring received advert/i,
  /Sync instance needed/i,
  /\b(invalid|mismatch|bogus|bad|checksum|ttl)\b/i,
];

const TIMESTAMP = /^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}: ?/;

function alive(pid: number): boolean {
  try {
    // A zombie still has a /proc entry; it is dead for our purposes.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

export class KeepalivedProcess {
  readonly node: string;
  readonly dir: string;
  readonly configPath: string;
  /** Pid files of the parent and of the VRRP child (-p / -r). */
  readonly pidFile: string;
  readonly vrrpPidFile: string;
  readonly logs: KeepalivedLogLine[] = [];
  readonly #lab: Lab;
  readonly #options: KeepalivedOptions;
  #child: ChildProcess | undefined;
  #exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  #waiters: { pred: (l: KeepalivedLogLine) => boolean; resolve: (l: KeepalivedLogLine) => void }[] = [];

  constructor(lab: Lab, node: string, config: string, options: KeepalivedOptions = {}) {
    this.#lab = lab;
    this.node = node;
    this.#options = options;
    this.dir = mkdtempSync(join(tmpdir(), `hs-keepalived-${node}-`));
    this.configPath = join(this.dir, 'keepalived.conf');
    this.pidFile = join(this.dir, 'keepalived.pid');
    this.vrrpPidFile = join(this.dir, 'vrrp.pid');
    writeFileSync(this.configPath, config);
  }

  /** The parent (the process we spawned). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** The VRRP child: from its pid file, else from the parent's children in /proc. */
  vrrpPid(): number | undefined {
    const parent = this.pid;
    if (parent === undefined) return undefined;
    try {
      const pid = Number(readFileSync(this.vrrpPidFile, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) return pid;
    } catch {
      // not written yet
    }
    try {
      const kids = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      return kids.find(alive);
    } catch {
      return undefined;
    }
  }

  /** Starts keepalived (again, after a stop or crash: same config, fresh pid files, logs appended). */
  start(): this {
    if (this.running) throw new Error(`keepalived on ${this.node} is already running (pid ${this.pid})`);
    // keepalived refuses to start when a pid file names a live process; a crash leaves them behind.
    for (const f of [this.pidFile, this.vrrpPidFile]) rmSync(f, { force: true });
    const argv = [
      KEEPALIVED_BIN,
      '--dont-fork',
      '--log-console',
      '--log-detail',
      '--no-syslog',
      '--vrrp',
      '--use-file', this.configPath,
      '--pid', this.pidFile,
      '--vrrp_pid', this.vrrpPidFile,
      // Never shared with the host's keepalived, even though -P starts no checker or BFD process.
      '--checkers_pid', join(this.dir, 'checkers.pid'),
      '--bfd_pid', join(this.dir, 'bfd.pid'),
      ...(this.#options.args ?? []),
    ];
    const child = this.#lab.spawn(this.node, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: this.dir });
    this.#child = child;
    this.#exit = new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig })));
    child.once('error', (e) => this.#push(`spawn error: ${e.message}`));
    for (const stream of [child.stdout!, child.stderr!]) {
      let buf = '';
      stream.on('data', (d: Buffer) => {
        buf += d.toString();
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          this.#push(line.replace(TIMESTAMP, ''));
        }
      });
    }
    return this;
  }

  #push(msg: string): void {
    if (this.#options.echo === true) process.stderr.write(`[keepalived ${this.node}] ${msg}\n`);
    const line: KeepalivedLogLine = { at: Date.now(), msg };
    this.logs.push(line);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.pred(line)) return true;
      w.resolve(line);
      return false;
    });
  }

  /** Resolves with the first line after index `since` matching `pred`; rejects after `timeoutMs`. */
  waitFor(pred: (l: KeepalivedLogLine) => boolean, timeoutMs = 15_000, what = 'log line', since = 0): Promise<KeepalivedLogLine> {
    const seen = this.logs.slice(since).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (l: KeepalivedLogLine) => (clearTimeout(timer), resolve(l)) };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((x) => x !== w);
        reject(new Error(`keepalived on ${this.node}: no ${what} within ${timeoutMs} ms; last lines:\n${this.logs.slice(-15).map((l) => l.msg).join('\n')}`));
      }, timeoutMs);
      this.#waiters.push(w);
    });
  }

  /** Waits for "(VI_1) Entering MASTER STATE" (keepalived may append a reason, e.g. "(init)"). */
  waitState(instance: string, state: 'MASTER' | 'BACKUP' | 'FAULT', timeoutMs = 15_000, since = 0): Promise<KeepalivedLogLine> {
    const prefix = `(${instance}) Entering ${state} STATE`;
    return this.waitFor((l) => l.msg.startsWith(prefix), timeoutMs, `${instance} ${state}`, since);
  }

  /** The last state keepalived logged for an instance, or undefined before the first transition. */
  lastState(instance: string): string | undefined {
    const re = new RegExp(`^\\(${instance.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) Entering (\\w+) STATE`);
    for (let i = this.logs.length - 1; i >= 0; i--) {
      const m = re.exec(this.logs[i]!.msg);
      if (m) return m[1];
    }
    return undefined;
  }

  /** Lines in which keepalived rejected or distrusted a received packet (since log index `since`). */
  complaints(since = 0): string[] {
    return this.logs
      .slice(since)
      .map((l) => l.msg)
      .filter((m) => COMPLAINTS.some((re) => re.test(m)));
  }

  /** Waits until keepalived's VRRP child is up (it logs "Startup complete" once it runs). */
  async ready(timeoutMs = 10_000): Promise<void> {
    await this.waitFor((l) => l.msg.startsWith('Startup complete'), timeoutMs, 'Startup complete');
  }

  /**
   * A crash, as a power cut would look on the wire: no priority-0 advert, VIPs stay. SIGSTOP the
   * parent (no respawn), SIGKILL the VRRP child, then SIGKILL the parent; resolves when both are gone.
   */
  async crash(): Promise<void> {
    const parent = this.pid;
    if (parent === undefined || !this.running) return;
    const child = this.vrrpPid();
    signal(parent, 'SIGSTOP');
    if (child !== undefined) signal(child, 'SIGKILL');
    signal(parent, 'SIGKILL');
    await this.#exit;
    // The VRRP child is reparented and reaped once the parent is gone.
    for (let i = 0; child !== undefined && alive(child); i++) {
      if (i > 200) throw new Error(`keepalived VRRP child ${child} on ${this.node} survived SIGKILL`);
      await sleep(10);
    }
  }

  /** Graceful stop (SIGTERM to the parent): priority-0 advert, VIPs removed. Resolves with the exit code. */
  async stop(timeoutMs = 10_000): Promise<number | null> {
    const parent = this.pid;
    if (parent === undefined || this.#exit === undefined) return null;
    const child = this.vrrpPid();
    if (this.running) signal(parent, 'SIGTERM');
    const timer = setTimeout(() => {
      if (child !== undefined) signal(child, 'SIGKILL');
      signal(parent, 'SIGKILL');
    }, timeoutMs);
    const { code } = await this.#exit;
    clearTimeout(timer);
    return code;
  }

  /** Stops it if it still runs and removes its temp dir. */
  async dispose(): Promise<void> {
    if (this.running) await this.stop();
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}
