// Test support: the event pipeline's services inside a namespace lab. Nodes live in namespaces and
// cannot reach the host's loopback, so nats-server and the auditor run in the lab's bridge namespace,
// with br0 given an address on the LAN (10.10.10.1/24): the "management path" that a VRRP partition
// (nftables dropping proto 112 only) leaves intact. Postgres is reached through its Unix socket, which a
// network namespace does not hide. Every process is started with lab.spawn (killed by pid on destroy);
// stop() methods kill by pid too.
//
// This file is also a tiny CLI, run inside the lab by `readStream`: `node --import tsx lab-services.ts
// read-stream URL STREAM` prints every stored message of STREAM as one JSON line.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import type { Lab } from '../lab/lab.js';

export const NATS_SERVER_BIN = process.env['NATS_SERVER_BIN'] ?? '/usr/sbin/nats-server';
/** br0's address on the LAN: where the nodes find NATS and the test finds the auditor. */
export const LAN_SERVICE_ADDRESS = '10.10.10.1';
const SELF = fileURLToPath(import.meta.url);
const AUDITOR_RUN_TS = fileURLToPath(new URL('../../services/auditor/src/cli/run.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NFT_BLACKHOLE_TABLE = 'hs_nats_blackhole';

/** Gives br0 its LAN address (once per lab). */
export async function addServiceAddress(lab: Lab): Promise<void> {
  const have = await lab.addresses(lab.lan, 'br0');
  if (have.some((a) => a.address === LAN_SERVICE_ADDRESS)) return;
  await lab.exec(lab.lan, ['ip', 'addr', 'add', `${LAN_SERVICE_ADDRESS}/24`, 'dev', 'br0']);
}

/** Resolves when `child` prints text matching `ready` (stdout or stderr); rejects on exit or timeout. */
function waitOutput(child: ChildProcess, ready: RegExp, what: string, timeoutMs: number, sink: { text: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${what} not ready in ${timeoutMs} ms:\n${sink.text.slice(-3000)}`)), timeoutMs);
    const onData = (c: Buffer): void => {
      sink.text += c.toString();
      if (ready.test(sink.text)) done();
    };
    const onExit = (code: number | null, signal: string | null): void => done(new Error(`${what} exited (${code ?? signal}) before ready:\n${sink.text.slice(-3000)}`));
    const done = (err?: Error): void => {
      clearTimeout(timer);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

function killAndWait(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, signal);
  return exited;
}

// ---- NATS ----

export interface StoredMessage {
  /** Stream sequence. */
  readonly seq: number;
  readonly subject: string;
  /** The Nats-Msg-Id header (the event id for node events). */
  readonly msgId: string | null;
  /** The body, as text (events and alerts are JSON). */
  readonly data: string;
}

export interface LabNatsOptions {
  readonly port?: number;
  /** Config text appended to the generated file (e.g. an `authorization { ... }` block). */
  readonly extraConfig?: string;
}

export class LabNats {
  readonly url: string;
  readonly port: number;
  /** Everything the server printed, across restarts. */
  readonly output = { text: '' };
  readonly #lab: Lab;
  readonly #dir: string;
  readonly #configFile: string;
  #child: ChildProcess | undefined;
  #blackholed = false;

  private constructor(lab: Lab, port: number, dir: string, configFile: string) {
    this.#lab = lab;
    this.port = port;
    this.url = `nats://${LAN_SERVICE_ADDRESS}:${port}`;
    this.#dir = dir;
    this.#configFile = configFile;
  }

  /** A JetStream nats-server on 10.10.10.1 in the lab's bridge namespace, with a temp store. */
  static async start(lab: Lab, opts: LabNatsOptions = {}): Promise<LabNats> {
    await addServiceAddress(lab);
    const port = opts.port ?? 4222;
    const dir = mkdtempSync(join(tmpdir(), 'hs-labnats-'));
    const configFile = join(dir, 'nats.conf');
    writeFileSync(
      configFile,
      [
        `listen: "${LAN_SERVICE_ADDRESS}:${port}"`,
        `server_name: hs_lab_${port}`,
        `jetstream { store_dir: "${join(dir, 'js')}", max_memory_store: 64MB, max_file_store: 1GB }`,
        opts.extraConfig ?? '',
        '',
      ].join('\n'),
    );
    const nats = new LabNats(lab, port, dir, configFile);
    try {
      await nats.resume();
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return nats;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** (Re)starts the server on the same address and store. */
  async resume(): Promise<void> {
    if (this.running) throw new Error('nats-server already running');
    const child = this.#lab.spawn(this.#lab.lan, [NATS_SERVER_BIN, '-c', this.#configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    await waitOutput(child, /Server is ready/, 'nats-server', 15_000, this.output);
  }

  /** An outage: SIGTERM (or SIGKILL) by pid, waits for the exit. The store is kept for resume(). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await killAndWait(this.#child, signal);
    this.#child = undefined;
  }

  /** Drops every packet to the server's port: connects hang and established connections stall. */
  async blackhole(): Promise<void> {
    const script = [
      `table inet ${NFT_BLACKHOLE_TABLE}`,
      `delete table inet ${NFT_BLACKHOLE_TABLE}`,
      `table inet ${NFT_BLACKHOLE_TABLE} {`,
      `  chain input { type filter hook input priority 0; policy accept; tcp dport ${this.port} drop; }`,
      `  chain output { type filter hook output priority 0; policy accept; tcp sport ${this.port} drop; }`,
      `}`,
      '',
    ].join('\n');
    await this.#lab.exec(this.#lab.lan, ['nft', '-f', '-'], { input: script });
    this.#blackholed = true;
  }

  async unblackhole(): Promise<void> {
    if (!this.#blackholed) return;
    await this.#lab.exec(this.#lab.lan, ['nft', '-f', '-'], { input: `table inet ${NFT_BLACKHOLE_TABLE}\ndelete table inet ${NFT_BLACKHOLE_TABLE}\n` });
    this.#blackholed = false;
  }

  /** Every message stored in `stream`, in stream order, read by a client inside the lab. */
  async readStream(stream: string): Promise<StoredMessage[]> {
    const r = await this.#lab.exec(this.#lab.lan, [process.execPath, '--conditions=source', '--import', 'tsx', SELF, 'read-stream', this.url, stream], { cwd: REPO_ROOT, timeoutMs: 60_000 });
    return r.stdout
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as StoredMessage);
  }

  async dispose(): Promise<void> {
    await this.unblackhole().catch(() => undefined);
    await this.stop('SIGKILL');
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

// ---- auditor ----

export interface LabAuditorOptions {
  readonly natsUrl: string;
  /** A database on the local Postgres (test/support/postgres.ts), reached through its Unix socket. */
  readonly database: { readonly name: string; readonly url: string };
  readonly socketDir?: string;
  /** Listen address inside the bridge namespace (default 127.0.0.1:8480: loopback, no token needed). */
  readonly listen?: string;
}

export class LabAuditor {
  readonly output = { text: '' };
  readonly listen: string;
  readonly #lab: Lab;
  readonly #env: NodeJS.ProcessEnv;
  readonly #natsUrl: string;
  #child: ChildProcess | undefined;

  private constructor(lab: Lab, listen: string, env: NodeJS.ProcessEnv, natsUrl: string) {
    this.#lab = lab;
    this.listen = listen;
    this.#env = env;
    this.#natsUrl = natsUrl;
  }

  /** `vrrp-auditor serve` in the bridge namespace, resolved once it listens. */
  static async start(lab: Lab, opts: LabAuditorOptions): Promise<LabAuditor> {
    await addServiceAddress(lab);
    const user = decodeURIComponent(new URL(opts.database.url).username) || 'root';
    // postgres.js takes a socket directory from PGHOST when the URL names no host.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PGHOST: opts.socketDir ?? '/var/run/postgresql',
      PGUSER: user,
      DATABASE_URL: `postgres:///${opts.database.name}`,
    };
    const a = new LabAuditor(lab, opts.listen ?? '127.0.0.1:8480', env, opts.natsUrl);
    await a.resume();
    return a;
  }

  async resume(): Promise<void> {
    const child = this.#lab.spawn(this.#lab.lan, [process.execPath, '--conditions=source', '--import', 'tsx', AUDITOR_RUN_TS, 'serve', '--listen', this.listen, '--nats', this.#natsUrl], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: this.#env,
      cwd: REPO_ROOT,
    });
    this.#child = child;
    await waitOutput(child, /auditor: listening on/, 'vrrp-auditor', 60_000, this.output);
  }

  /** GET a path of the HTTP API (curl inside the bridge namespace); the parsed JSON and the status. */
  async get<T = unknown>(path: string): Promise<{ status: number; body: T }> {
    const r = await this.#lab.exec(this.#lab.lan, ['curl', '-sS', '-w', '\n%{http_code}', `http://${this.listen}${path}`]);
    const nl = r.stdout.lastIndexOf('\n');
    return { status: Number(r.stdout.slice(nl + 1)), body: JSON.parse(r.stdout.slice(0, nl)) as T };
  }

  /** Runs the auditor CLI (who, history, ...) in the bridge namespace against the same database. */
  async cli(args: readonly string[]): Promise<string> {
    const r = await this.#lab.exec(this.#lab.lan, [process.execPath, '--conditions=source', '--import', 'tsx', AUDITOR_RUN_TS, ...args], { env: this.#env, cwd: REPO_ROOT, timeoutMs: 60_000 });
    return r.stdout;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await killAndWait(this.#child, signal);
    this.#child = undefined;
  }
}


// ---- what the events stream holds ----

export interface StreamEvent extends StoredMessage {
  readonly event: { id: string; nodeId: string; bootId: string; seq: number; kind: string; at: string; [k: string]: unknown };
}

/** Parses the bodies of stored node events (hs.evt.>). */
export function eventsOf(messages: readonly StoredMessage[]): StreamEvent[] {
  return messages.filter((m) => m.subject.startsWith('hs.evt.')).map((m) => ({ ...m, event: JSON.parse(m.data) as StreamEvent['event'] }));
}

/** Asserts the per-node contract on what the stream holds; returns that node's events in stream order. */
export function assertExactlyOnceInOrder(events: readonly StreamEvent[], nodeId: string): StreamEvent[] {
  const mine = events.filter((e) => e.event.nodeId === nodeId);
  assert.ok(mine.length > 0, `no events of ${nodeId} in the stream`);
  const ids = new Set<string>();
  for (const e of mine) {
    assert.equal(e.msgId, e.event.id, 'the msgID is the event id');
    assert.ok(!ids.has(e.event.id), `${e.event.id} is in the stream twice`);
    ids.add(e.event.id);
  }
  // In order: boots are time-sortable, seqs grow within a boot.
  const sorted = [...mine].sort((a, b) => (a.event.bootId === b.event.bootId ? a.event.seq - b.event.seq : a.event.bootId < b.event.bootId ? -1 : 1));
  assert.deepEqual(
    mine.map((e) => e.event.id),
    sorted.map((e) => e.event.id),
    `${nodeId}: stream order is not seq order`,
  );
  // Gap-free: every boot's seqs run 0..n.
  const byBoot = new Map<string, number[]>();
  for (const e of mine) byBoot.set(e.event.bootId, [...(byBoot.get(e.event.bootId) ?? []), e.event.seq]);
  for (const [boot, seqs] of byBoot) {
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => i),
      `${nodeId} boot ${boot}: seqs not gap-free from 0`,
    );
  }
  return mine;
}

// ---- the read-stream CLI (runs inside the lab) ----

async function readStreamCli(url: string, stream: string): Promise<void> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: url, timeout: 10_000 });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    const want = info.state.messages;
    const out: string[] = [];
    // An ordered consumer from the first message: every stored message once, in stream order.
    const consumer = await jetstream(nc).consumers.get(stream);
    while (out.length < want) {
      const batch = await consumer.fetch({ max_messages: Math.min(want - out.length, 500), expires: 5_000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        const line: StoredMessage = { seq: m.seq, subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id') || null, data: m.string() };
        out.push(JSON.stringify(line));
        if (m.seq >= info.state.last_seq) break;
      }
      if (got === 0) throw new Error(`stream ${stream}: read ${out.length} of ${want} messages, then nothing`);
    }
    process.stdout.write(out.map((l) => l + '\n').join(''));
  } finally {
    await nc.close();
  }
}

if (process.argv[1] === SELF && process.argv[2] === 'read-stream') {
  const [, , , url, stream] = process.argv;
  readStreamCli(url!, stream!).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`read-stream: ${String(err)}\n`);
      process.exit(1);
    },
  );
}
