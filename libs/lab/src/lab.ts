// A network-namespace LAN for end-to-end tests and the tutorial demo (needs root, iproute2, nftables,
// tcpdump for captures).
//
//   <prefix>lan      one namespace holding the Linux bridge br0 (the "LAN"); no addresses, IPv6 off
//   <prefix><node>   one namespace per node, its end of a veth pair named eth0 (as in the tutorial's
//                    `interface eth0`), the other end `v-<node>` enslaved to br0
//
// The prefix is `hs-<6 random hex>-` (plus the lab's name), so parallel labs and anybody else's namespaces
// are never touched. Multicast snooping is off on the bridge, so 224.0.0.18 and ff02::12 (VRRP,
// RFC 9568 §5.1.1.2 / §5.1.2.2) flood to every port whether or not anyone sent an IGMP/MLD report.
// IPv6 link-locals come up without DAD (accept_dad=0), so a VRRPv3/IPv6 instance can send at once.
import { spawn as spawnChild } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { run } from './command.js';
import type { CommandOptions, CommandResult } from './command.js';
import { LAB_FAMILY, deleteNamespace, deleteNamespaceSync, removeOwner, sweepStale, writeOwner } from './registry.js';

export { sweepStale } from './registry.js';
export { CommandError } from './command.js';
export type { CommandOptions, CommandResult } from './command.js';

export interface LabNodeSpec {
  /** Lower-case letters, digits, `_` or `-`, at most 12 characters (the bridge port is `v-<name>`). */
  name: string;
  /** Addresses with prefix length for eth0, IPv4 or IPv6, e.g. `10.10.10.126/24`. */
  addresses?: string[];
  /** Enable IPv6 on eth0 (a link-local without DAD, plus any IPv6 in `addresses`). Off by default. */
  ipv6?: boolean;
}

export interface LabSpec {
  /** Shown in namespace names, to tell labs apart in `ip netns list`. */
  name?: string;
  nodes: LabNodeSpec[];
  /** Logical name of the bridge's namespace, usable wherever a node name is (default `lan`). */
  bridgeNamespace?: string;
}

export interface LabSpawnOptions {
  stdio?: StdioOptions;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface LabAddress {
  family: 4 | 6;
  address: string;
  prefixLength: number;
  /** `global`, `link`, `host` … as `ip` prints it. */
  scope: string;
  label?: string;
  /** ip's boolean flags that are set: `tentative`, `dadfailed`, `nodad`, `secondary`, `permanent` … */
  flags: string[];
}

export interface CaptureOptions {
  /** Capture on this node's interface instead of the bridge (default: the bridge, i.e. the whole LAN). */
  node?: string;
  /** Interface inside that namespace (default `eth0` on a node, `br0` on the bridge). */
  iface?: string;
  /** A BPF filter, e.g. `ip proto 112`. */
  filter?: string;
  /** Nanosecond timestamps (pcap magic a1b23c4d) instead of microseconds. */
  nanoseconds?: boolean;
}

export interface Capture {
  /** Stops tcpdump and returns what it wrote: a classic pcap file (not pcapng). */
  stop(): Promise<Uint8Array>;
}

export interface PartitionOptions {
  /**
   * Sides of the partition; traffic is cut only between nodes of different groups. Default: every node
   * on its own (nothing crosses between any two nodes).
   */
  groups?: string[][];
  /** What is cut: `vrrp` (IP protocol 112, IPv4 and IPv6; the default) or `all` frames. */
  traffic?: 'vrrp' | 'all';
}

export interface Lab {
  /** `hs-<random>-[<name>-]`; every namespace of this lab starts with it. */
  readonly prefix: string;
  readonly nodes: readonly string[];
  /** Logical name of the bridge namespace (pass it to exec/spawn/capture like a node name). */
  readonly lan: string;
  /** Full namespace name of a node (or of the bridge, given `lab.lan`). */
  netns(node: string): string;
  /** Runs argv inside a node's namespace (`ip netns exec`); throws CommandError on non-zero unless check:false. */
  exec(node: string, argv: readonly string[], opts?: CommandOptions): Promise<CommandResult>;
  /** Starts a long-running process inside a node's namespace; it is killed (by pid) on destroy. */
  spawn(node: string, argv: readonly string[], opts?: LabSpawnOptions): ChildProcess;
  /** The addresses the kernel has on an interface of a node, read back with `ip -j addr`. */
  addresses(node: string, iface?: string): Promise<LabAddress[]>;
  /** Takes the node's eth0 down (its bridge port loses carrier): what track_interface notices. */
  linkDown(node: string): Promise<void>;
  linkUp(node: string): Promise<void>;
  /** Cuts VRRP (or everything) between nodes at the bridge with nftables, unicast keeps flowing. */
  partition(opts?: PartitionOptions): Promise<void>;
  /** Removes any partition; a no-op without one. */
  heal(): Promise<void>;
  /** Starts tcpdump and resolves once it is listening. */
  capture(opts?: CaptureOptions): Promise<Capture>;
  /** Kills every process the lab started and deletes its namespaces. Idempotent. */
  destroy(): Promise<void>;
}

const NODE_NAME = /^[a-z][a-z0-9_-]{0,11}$/;
const BRIDGE = 'br0';
const NODE_IF = 'eth0';
const NFT_TABLE = 'hs_lab';
const KILL_GRACE_MS = 2_000;
const STOP_SETTLE_MS = 50;

// ---- process-wide cleanup: every live lab is destroyed on exit, SIGINT and SIGTERM ----

const live = new Set<LabImpl>();

function destroyAllSync(): void {
  for (const lab of [...live]) lab.destroySync();
}
function onSignal(signal: NodeJS.Signals): void {
  destroyAllSync();
  uninstallHandlers();
  // Only we were listening: restore the default action (terminate) by re-raising.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
let installed = false;
function installHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', destroyAllSync);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
function uninstallHandlers(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', destroyAllSync);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // detached: the child leads its own process group
  } catch {
    try {
      process.kill(child.pid, signal);
    } catch {
      // already gone
    }
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

interface IpAddrInfo {
  family?: string;
  local?: string;
  prefixlen?: number;
  scope?: string;
  label?: string;
  [flag: string]: unknown;
}

class LabImpl implements Lab {
  readonly prefix: string;
  readonly nodes: readonly string[];
  readonly lan: string;
  private readonly children = new Set<ChildProcess>();
  private readonly created: string[] = [];
  private destroying: Promise<void> | undefined;
  private destroyed = false;

  constructor(prefix: string, nodes: readonly string[], lan: string) {
    this.prefix = prefix;
    this.nodes = nodes;
    this.lan = lan;
  }

  netns(node: string): string {
    if (node !== this.lan && !this.nodes.includes(node)) throw new Error(`lab ${this.prefix}: no node named ${node}`);
    return `${this.prefix}${node}`;
  }

  private alive(): void {
    if (this.destroyed || this.destroying) throw new Error(`lab ${this.prefix} is destroyed`);
  }

  async setUp(spec: LabSpec): Promise<void> {
    writeOwner(this.prefix); // before the first namespace exists, so a crash in between is sweepable
    live.add(this);
    installHandlers();
    const lanNs = this.netns(this.lan);
    await this.addNamespace(lanNs);
    // Nothing in the bridge namespace should speak IPv6 (no MLD/RS noise in captures); nodes opt in.
    await this.sysctl(lanNs, { 'net.ipv6.conf.all.disable_ipv6': 1, 'net.ipv6.conf.default.disable_ipv6': 1 });
    await run(['ip', '-n', lanNs, 'link', 'add', BRIDGE, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0', 'mcast_snooping', '0']);
    await run(['ip', '-n', lanNs, 'link', 'set', 'lo', 'up']);
    await run(['ip', '-n', lanNs, 'link', 'set', BRIDGE, 'up']);

    for (const node of spec.nodes) {
      const ns = this.netns(node.name);
      await this.addNamespace(ns);
      const v6 = node.ipv6 === true;
      // `default` is what a new interface copies, so it must be set before the veth end arrives.
      await this.sysctl(ns, {
        'net.ipv6.conf.all.disable_ipv6': v6 ? 0 : 1,
        'net.ipv6.conf.default.disable_ipv6': v6 ? 0 : 1,
        'net.ipv6.conf.all.accept_dad': 0,
        'net.ipv6.conf.default.accept_dad': 0,
        'net.ipv6.conf.default.router_solicitations': 0,
      });
      const port = `v-${node.name}`;
      await run(['ip', '-n', lanNs, 'link', 'add', port, 'type', 'veth', 'peer', 'name', NODE_IF, 'netns', ns]);
      await run(['ip', '-n', lanNs, 'link', 'set', port, 'master', BRIDGE]);
      await run(['ip', '-n', lanNs, 'link', 'set', port, 'up']);
      await run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
      for (const cidr of node.addresses ?? []) {
        const extra = cidr.includes(':') ? ['nodad'] : [];
        await run(['ip', '-n', ns, 'addr', 'add', cidr, 'dev', NODE_IF, ...extra]);
      }
      await run(['ip', '-n', ns, 'link', 'set', NODE_IF, 'up']);
    }
  }

  private async addNamespace(ns: string): Promise<void> {
    await run(['ip', 'netns', 'add', ns]);
    this.created.push(ns);
  }

  private async sysctl(ns: string, values: Record<string, number>): Promise<void> {
    const args = Object.entries(values).map(([k, v]) => `${k}=${v}`);
    await run(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', ...args]);
  }

  exec(node: string, argv: readonly string[], opts?: CommandOptions): Promise<CommandResult> {
    this.alive();
    return run(['ip', 'netns', 'exec', this.netns(node), ...argv], opts);
  }

  spawn(node: string, argv: readonly string[], opts: LabSpawnOptions = {}): ChildProcess {
    this.alive();
    // `ip netns exec` execs argv after setns, so the pid we get is the program's own.
    const child = spawnChild('ip', ['netns', 'exec', this.netns(node), ...argv], {
      stdio: opts.stdio ?? 'pipe',
      env: opts.env,
      cwd: opts.cwd,
      detached: true, // own process group: destroy() can kill what the program forks too
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  async addresses(node: string, iface: string = NODE_IF): Promise<LabAddress[]> {
    const { stdout } = await run(['ip', '-j', '-n', this.netns(node), 'addr', 'show', 'dev', iface]);
    const links = JSON.parse(stdout) as Array<{ addr_info?: IpAddrInfo[] }>;
    const out: LabAddress[] = [];
    for (const info of links.flatMap((l) => l.addr_info ?? [])) {
      if (info.local === undefined || info.prefixlen === undefined) continue;
      const flags = Object.entries(info)
        .filter(([, v]) => v === true)
        .map(([k]) => k);
      out.push({
        family: info.family === 'inet6' ? 6 : 4,
        address: info.local,
        prefixLength: info.prefixlen,
        scope: info.scope ?? 'global',
        ...(info.label !== undefined ? { label: info.label } : {}),
        flags,
      });
    }
    return out;
  }

  async linkDown(node: string): Promise<void> {
    this.alive();
    await run(['ip', '-n', this.netns(node), 'link', 'set', NODE_IF, 'down']);
  }

  async linkUp(node: string): Promise<void> {
    this.alive();
    await run(['ip', '-n', this.netns(node), 'link', 'set', NODE_IF, 'up']);
  }

  async partition(opts: PartitionOptions = {}): Promise<void> {
    this.alive();
    const groups = opts.groups ?? this.nodes.map((n) => [n]);
    for (const n of groups.flat()) this.netns(n); // unknown names are programmer errors
    // In the bridge family the forward hook sees frames between ports; iif/oif are the bridge ports.
    // `meta l4proto` follows IPv6 extension headers, so it matches VRRP over IPv4 and IPv6 alike.
    const match = opts.traffic === 'all' ? '' : 'meta l4proto 112 ';
    const rules: string[] = [];
    for (const [i, from] of groups.entries()) {
      for (const [j, to] of groups.entries()) {
        if (i === j || from.length === 0 || to.length === 0) continue;
        const set = (names: string[]): string => `{ ${names.map((n) => `"v-${n}"`).join(', ')} }`;
        rules.push(`    iifname ${set(from)} oifname ${set(to)} ${match}counter drop`);
      }
    }
    // Declaring then deleting the table first makes this an atomic replace, whatever was there.
    const script = [
      `table bridge ${NFT_TABLE}`,
      `delete table bridge ${NFT_TABLE}`,
      `table bridge ${NFT_TABLE} {`,
      `  chain cut {`,
      `    type filter hook forward priority 0; policy accept;`,
      ...rules,
      `  }`,
      `}`,
      '',
    ].join('\n');
    await this.exec(this.lan, ['nft', '-f', '-'], { input: script });
  }

  async heal(): Promise<void> {
    this.alive();
    await this.exec(this.lan, ['nft', '-f', '-'], {
      input: `table bridge ${NFT_TABLE}\ndelete table bridge ${NFT_TABLE}\n`,
    });
  }

  async capture(opts: CaptureOptions = {}): Promise<Capture> {
    this.alive();
    const where = opts.node ?? this.lan;
    const iface = opts.iface ?? (where === this.lan ? BRIDGE : NODE_IF);
    // -w - : pcap to stdout, no file to clean up; -U: flush per packet; -Z root: no privilege drop.
    // --immediate-mode: without it TPACKET_V3 hands packets over in blocks (up to 1 s late), and
    // whatever is still in a block when SIGINT arrives is counted "received by filter" but never written.
    const argv = ['tcpdump', '-i', iface, '--immediate-mode', '-U', '-w', '-', '-Z', 'root', '-s', '0'];
    if (opts.nanoseconds === true) argv.push('--time-stamp-precision=nano');
    if (opts.filter !== undefined) argv.push(opts.filter);
    const child = this.spawn(where, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => chunks.push(c));
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`tcpdump did not start in 10 s: ${stderr}`)), 10_000);
      const fail = (e: Error): void => {
        clearTimeout(timer);
        killGroup(child, 'SIGKILL');
        reject(e);
      };
      child.stderr?.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('error', (e) => fail(new Error(`cannot start tcpdump (apt-get install -y tcpdump): ${e.message}`, { cause: e })));
      child.once('exit', (code) => fail(new Error(`tcpdump exited (${code}): ${stderr.trim()}`)));
    });
    let stopped: Promise<Uint8Array> | undefined;
    return {
      stop: () => {
        stopped ??= (async () => {
          // Let packets already on the wire reach tcpdump before it is told to stop.
          await new Promise((resolve) => setTimeout(resolve, STOP_SETTLE_MS));
          const done = new Promise<void>((resolve) => child.once('close', () => resolve()));
          killGroup(child, 'SIGINT'); // tcpdump flushes and exits cleanly on SIGINT
          await done;
          return new Uint8Array(Buffer.concat(chunks));
        })();
        return stopped;
      },
    };
  }

  destroy(): Promise<void> {
    this.destroying ??= (async () => {
      const children = [...this.children];
      for (const c of children) killGroup(c, 'SIGTERM');
      const graceful = Promise.all(children.map(exited));
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), KILL_GRACE_MS).unref());
      if ((await Promise.race([graceful, timeout])) === 'timeout') {
        for (const c of children) killGroup(c, 'SIGKILL');
        await graceful;
      }
      // Nodes first, the bridge last; anything still inside (a daemon that double-forked) is SIGKILLed.
      for (const ns of [...this.created].reverse()) await deleteNamespace(ns);
      this.created.length = 0;
      removeOwner(this.prefix);
      this.destroyed = true;
      live.delete(this);
      if (live.size === 0) uninstallHandlers();
    })();
    return this.destroying;
  }

  /** For exit/signal handlers: no event loop any more, so everything synchronous and forceful. */
  destroySync(): void {
    if (this.destroyed) return;
    for (const c of this.children) killGroup(c, 'SIGKILL');
    for (const ns of [...this.created].reverse()) deleteNamespaceSync(ns);
    this.created.length = 0;
    removeOwner(this.prefix);
    this.destroyed = true;
    live.delete(this);
  }
}

/**
 * Builds a lab. Stale namespaces of crashed earlier runs (dead creator pid) are swept first. If setting
 * up fails half-way, what was made is torn down before the error is thrown.
 */
export async function createLab(spec: LabSpec): Promise<Lab> {
  const lan = spec.bridgeNamespace ?? 'lan';
  const names = spec.nodes.map((n) => n.name);
  for (const n of [...names, lan]) {
    if (!NODE_NAME.test(n)) throw new Error(`lab: bad name ${JSON.stringify(n)} (want ${NODE_NAME.source})`);
  }
  if (new Set([...names, lan]).size !== names.length + 1) throw new Error('lab: node names must be unique and differ from the bridge namespace');
  if (spec.name !== undefined && !/^[a-z0-9]{1,12}$/.test(spec.name)) throw new Error(`lab: bad lab name ${JSON.stringify(spec.name)}`);
  if (process.getuid?.() !== 0) throw new Error('lab: network namespaces need root');

  await sweepStale(LAB_FAMILY);
  const prefix = `${LAB_FAMILY}${randomBytes(3).toString('hex')}-${spec.name !== undefined ? `${spec.name}-` : ''}`;
  const lab = new LabImpl(prefix, names, lan);
  try {
    await lab.setUp(spec);
  } catch (e) {
    await lab.destroy();
    throw e;
  }
  return lab;
}
