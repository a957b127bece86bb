// A two-namespace lab for the netio tests: namespaces A and B joined by a veth pair (veth0 in each),
// with fixed link-locals (DAD off, so they are usable at once) and 10.10.10.0/24 addresses.
// Children run inside a namespace (`ip netns exec`) and talk JSON lines on stdout.
// Needs root; fails loudly (never skips) without it. dispose() kills children and deletes namespaces.
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./children/netio-child.ts', import.meta.url));
let labCount = 0;

export const IFNAME = 'veth0';

export interface LabNode {
  ns: string;
  ll: string;
  v4: string;
}

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function inNs(ns: string, ...args: string[]): string {
  return execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class Lab {
  readonly a: LabNode;
  readonly b: LabNode;
  readonly #children = new Set<Child>();

  constructor() {
    const prefix = `hsnio-${process.pid}-${labCount++}`;
    this.a = { ns: `${prefix}-a`, ll: 'fe80::a', v4: '10.10.10.1' };
    this.b = { ns: `${prefix}-b`, ll: 'fe80::b', v4: '10.10.10.2' };
    try {
      for (const node of [this.a, this.b]) {
        ip('netns', 'add', node.ns);
        inNs(node.ns, 'sysctl', '-qw', 'net.ipv6.conf.default.accept_dad=0', 'net.ipv6.conf.all.accept_dad=0');
        inNs(node.ns, 'ip', 'link', 'set', 'lo', 'up');
      }
      ip('link', 'add', 'name', IFNAME, 'netns', this.a.ns, 'type', 'veth', 'peer', 'name', IFNAME, 'netns', this.b.ns);
      for (const node of [this.a, this.b]) {
        // No kernel-generated link-local: the test knows exactly which address is the advert source.
        inNs(node.ns, 'ip', 'link', 'set', IFNAME, 'addrgenmode', 'none');
        inNs(node.ns, 'ip', 'addr', 'add', `${node.ll}/64`, 'dev', IFNAME, 'nodad');
        inNs(node.ns, 'ip', 'addr', 'add', `${node.v4}/24`, 'dev', IFNAME);
        inNs(node.ns, 'ip', 'link', 'set', IFNAME, 'up');
      }
    } catch (error) {
      this.dispose();
      throw new Error(`netio lab setup failed (root and iproute2 needed): ${(error as Error).message}`, { cause: error });
    }
  }

  /** Runs a command inside a node's namespace and returns its stdout. */
  exec(node: LabNode, ...args: string[]): string {
    return inNs(node.ns, ...args);
  }

  /** Starts test/children/netio-child.ts inside the node's namespace. */
  child(node: LabNode, ...args: string[]): Child {
    const child = new Child(node.ns, args);
    this.#children.add(child);
    return child;
  }

  dispose(): void {
    for (const child of this.#children) child.kill();
    this.#children.clear();
    for (const node of [this.a, this.b]) {
      try {
        ip('netns', 'del', node.ns);
      } catch {
        // never created, or already gone: nothing to clean
      }
    }
  }
}

export type ChildMessage = Record<string, unknown> & { event: string };

/** A child process in a namespace; next() yields its JSON-line messages in order. */
export class Child {
  readonly #proc: ChildProcess;
  readonly #queue: ChildMessage[] = [];
  readonly #waiters: Array<{ resolve: (m: ChildMessage) => void; reject: (e: Error) => void }> = [];
  #stderr = '';
  #exit: Error | undefined;

  constructor(ns: string, args: string[]) {
    this.#proc = spawn('ip', ['netns', 'exec', ns, process.execPath, '--conditions=source', '--import', 'tsx', CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    this.#proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.trim() !== '') this.#push(JSON.parse(line) as ChildMessage);
      }
    });
    this.#proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.#stderr += chunk));
    this.#proc.on('exit', (code, signal) => {
      this.#exit = new Error(`child ${args.join(' ')} exited (code ${code}, signal ${signal}): ${this.#stderr}`);
      for (const w of this.#waiters.splice(0)) w.reject(this.#exit);
    });
  }

  #push(message: ChildMessage): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(message);
    else this.#queue.push(message);
  }

  /** The next message; rejects if the child exits first or nothing comes within timeoutMs. */
  next(timeoutMs = 10_000): Promise<ChildMessage> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#exit) return Promise.reject(this.#exit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message from child within ${timeoutMs} ms; stderr: ${this.#stderr}`)), timeoutMs);
      this.#waiters.push({
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
  }

  /** The next message, which must be of this kind (an `error` message fails the test with its text). */
  async expect(event: string, timeoutMs?: number): Promise<ChildMessage> {
    const message = await this.next(timeoutMs);
    if (message.event !== event) throw new Error(`expected '${event}' from child, got ${JSON.stringify(message)}`);
    return message;
  }

  kill(): void {
    if (this.#proc.exitCode === null && this.#proc.signalCode === null) this.#proc.kill('SIGKILL');
  }
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
