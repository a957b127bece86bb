// How a node reaches NATS: a typed object (the CLI flags --nats, NATS_URL, ... map onto it later).
// Secrets (password, token, nkey seed, creds) live only here and in the client; describeConnection()
// is what logs and status may show.
import { readFile } from 'node:fs/promises';
import { credsAuthenticator, nkeyAuthenticator } from '@nats-io/transport-node';
import type { Authenticator, NodeConnectionOptions } from '@nats-io/transport-node';

export interface BusConnectionOptions {
  /** One or more server URLs (a cluster), e.g. ['nats://10.0.0.5:4222']. */
  readonly servers: readonly string[];
  readonly user?: string;
  readonly password?: string;
  readonly token?: string;
  /** An nkey seed (`SU...`), inline or as a file path. */
  readonly nkeySeed?: string;
  readonly nkeySeedFile?: string;
  /** A `.creds` file (JWT + seed). */
  readonly credsFile?: string;
  readonly tls?: { readonly caFile?: string; readonly certFile?: string; readonly keyFile?: string };
  /** Connection name shown by the server (`nats server report connections`). Default: the node id. */
  readonly name?: string;
}

/** Turns our options into nats.js ConnectionOptions: reconnect forever, never give up at start-up. */
export async function toNatsOptions(opts: BusConnectionOptions, name: string): Promise<NodeConnectionOptions> {
  const authenticator: Authenticator[] = [];
  if (opts.credsFile) authenticator.push(credsAuthenticator(await readFile(opts.credsFile)));
  const seed = opts.nkeySeed ?? (opts.nkeySeedFile ? (await readFile(opts.nkeySeedFile, 'utf8')).trim() : undefined);
  if (seed) authenticator.push(nkeyAuthenticator(new TextEncoder().encode(seed)));
  return {
    servers: [...opts.servers],
    name: opts.name ?? name,
    user: opts.user,
    pass: opts.password,
    token: opts.token,
    authenticator: authenticator.length > 0 ? authenticator : undefined,
    tls: opts.tls ? { caFile: opts.tls.caFile, certFile: opts.tls.certFile, keyFile: opts.tls.keyFile } : undefined,
    // Reconnect forever (DESIGN.md rule 1: the bus being away is normal, not fatal). The first
    // connection is retried by the publisher's own loop, so that close() never waits on a dead server.
    reconnect: true,
    maxReconnectAttempts: -1,
    waitOnFirstConnect: false,
    reconnectTimeWait: 1000,
    reconnectJitter: 250,
    timeout: 5000,
    pingInterval: 10_000,
    maxPingOut: 3,
  };
}

/** What a log line or status may say about the connection: servers and auth method, never a secret. */
export function describeConnection(opts: BusConnectionOptions): string {
  const auth = opts.credsFile ? 'creds' : opts.nkeySeed || opts.nkeySeedFile ? 'nkey' : opts.token ? 'token' : opts.user ? `user ${opts.user}` : 'none';
  return `${opts.servers.join(',')} (auth: ${auth}${opts.tls ? ', tls' : ''})`;
}
