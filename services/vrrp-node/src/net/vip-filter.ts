// no_accept (RFC 9568 Accept_Mode False; keepalived's `no_accept`, and its default under `vrrp_strict`):
// a MASTER that is not the address owner must not accept traffic addressed to its VIPs. keepalived 2.2.7
// does it with nftables when it is available (vrrp_nftables.c; keepalived.conf(5): "If neither
// vrrp_nftables or vrrp_iptables are specified but ... no_accept is specified, keepalived will use
// nftables"): tables `ip keepalived` / `ip6 keepalived`, base chains `in` (hook input) and `out` (hook
// output) at priority -1, a set `vips`, and the rules `ip daddr @vips drop` / `ip saddr @vips drop`
// (IPv6: neighbour solicitations and advertisements stay allowed). A VIP is added to the set when the
// instance becomes MASTER and taken out when it leaves MASTER; the table is deleted at start (what a
// crashed run left) and at stop.
//
// We do the same in one table of our own, `inet hotstandby`, through the `nft` command (one process per
// change, a few milliseconds; the caller never waits for it). VRRP itself (protocol 112) is accepted
// first, as it is never addressed to a VIP anyway. ARP never reaches the inet family, so GARPs and
// ARP replies for the VIPs still work, as with keepalived.
import { spawn } from 'node:child_process';
import { isIPv6 } from 'node:net';

/** Runs an nft script (`nft -f -`); rejects with nft's message on failure. */
export type NftRunner = (script: string) => Promise<void>;

export const VIP_FILTER_TABLE = 'hotstandby';
const NFT_TIMEOUT_MS = 5_000;

export class NftError extends Error {
  override readonly name = 'NftError';
}

/** `nft -f -` with the script on stdin. */
export const runNft: NftRunner = (script) =>
  new Promise((resolve, reject) => {
    const child = spawn('nft', ['-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), NFT_TIMEOUT_MS);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
    });
    child.stdin.on('error', () => {
      // EPIPE when nft exits early: its exit status and stderr say why
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new NftError(err.code === 'ENOENT' ? 'nft not found: no_accept needs nftables (the nft command)' : `nft: ${err.message}`, { cause: err }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new NftError(`nft ${signal !== null ? `killed (${signal})` : `exit ${code}`}: ${stderr.trim().split('\n').slice(0, 3).join(' | ')}`));
    });
    child.stdin.end(script);
  });

function ruleset(table: string): string {
  const nd = 'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept';
  return [
    `table inet ${table} {`,
    '  set vips4 { type ipv4_addr; }',
    '  set vips6 { type ipv6_addr; }',
    '  chain in {',
    '    type filter hook input priority -1; policy accept;',
    '    meta l4proto 112 accept',
    `    ${nd}`,
    '    ip daddr @vips4 drop',
    '    ip6 daddr @vips6 drop',
    '  }',
    '  chain out {',
    '    type filter hook output priority -1; policy accept;',
    '    meta l4proto 112 accept',
    `    ${nd}`,
    '    ip saddr @vips4 drop',
    '    ip6 saddr @vips6 drop',
    '  }',
    '}',
    '',
  ].join('\n');
}

function elements(table: string, verb: 'add' | 'delete', addresses: readonly string[]): string {
  const v4 = addresses.filter((a) => !isIPv6(a));
  const v6 = addresses.filter((a) => isIPv6(a));
  const lines: string[] = [];
  if (v4.length > 0) lines.push(`${verb} element inet ${table} vips4 { ${v4.join(', ')} }`);
  if (v6.length > 0) lines.push(`${verb} element inet ${table} vips6 { ${v6.join(', ')} }`);
  return lines.join('\n') + '\n';
}

/** The VIPs whose traffic is dropped, kept in one nftables table; calls must be serialised per address by the caller. */
export class NftVipFilter {
  readonly table: string;
  readonly #run: NftRunner;
  /** The table exists (created by us in this run). */
  #created: Promise<void> | undefined;
  readonly #dropped = new Set<string>();

  constructor(run: NftRunner = runNft, table = VIP_FILTER_TABLE) {
    this.#run = run;
    this.table = table;
  }

  /** Addresses whose traffic is dropped now. */
  get dropped(): readonly string[] {
    return [...this.#dropped];
  }

  /** Deletes the table a previous run left (a crash); resolves false when there was none. */
  async clear(): Promise<boolean> {
    try {
      await this.#run(`delete table inet ${this.table}\n`);
      return true;
    } catch (err) {
      if (err instanceof NftError && /No such file or directory/.test(err.message)) return false;
      throw err;
    }
  }

  /** Starts dropping traffic addressed to `addresses` (creating the table on first use). */
  async drop(addresses: readonly string[]): Promise<void> {
    const add = addresses.filter((a) => !this.#dropped.has(a));
    if (add.length === 0) return;
    await this.#ensureTable();
    await this.#run(elements(this.table, 'add', add));
    for (const a of add) this.#dropped.add(a);
  }

  /** Accepts traffic to `addresses` again. */
  async accept(addresses: readonly string[]): Promise<void> {
    const del = addresses.filter((a) => this.#dropped.has(a));
    if (del.length === 0) return;
    await this.#run(elements(this.table, 'delete', del));
    for (const a of del) this.#dropped.delete(a);
  }

  /** Deletes the table (graceful stop); a no-op when this run never created it. */
  async close(): Promise<void> {
    if (this.#created === undefined) return;
    this.#created = undefined;
    this.#dropped.clear();
    await this.clear();
  }

  #ensureTable(): Promise<void> {
    this.#created ??= this.#run(ruleset(this.table)).catch((err: unknown) => {
      this.#created = undefined; // try again on the next change
      throw err;
    });
    return this.#created;
  }
}
