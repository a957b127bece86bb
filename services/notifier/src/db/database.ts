// The send-record store, one handle type for two drivers: Postgres through postgres.js (DATABASE_URL)
// and embedded PGlite in a data directory, the zero-setup default. Both are drizzle PgDatabase
// instances over the same schema and migrations.
//
// What "recorded before the ack" needs is a commit that survives kill -9 once it returns. Postgres
// gives that (fsync'd WAL). PGlite runs the same Postgres in WebAssembly over Node's file system: a
// commit's WAL is written to the data directory before the query returns, so it survives the
// process being killed (the crash drills run on both); it is one process's store — a second process
// on the same directory is refused (data-dir-lock.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from '../schema/index.js';
import { lockDataDir } from './data-dir-lock.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  readonly db: Db;
  readonly kind: 'postgres' | 'pglite';
  /** For the start-up line: where the data lives (no password). */
  readonly where: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… ; when absent, PGlite in `dataDir`. */
  readonly url?: string | undefined;
  readonly dataDir?: string | undefined;
  /** postgres.js pool size. */
  readonly max?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const client = postgres(opts.url, { max: opts.max ?? 4, onnotice: () => {} });
    const db = drizzle(client, { schema }) as unknown as Db;
    const u = new URL(opts.url);
    return { db, kind: 'postgres', where: `postgres://${u.host}${u.pathname}`, close: () => client.end({ timeout: 5 }) };
  }
  const dataDir = opts.dataDir ?? defaultDataDir();
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(join(dataDir, 'vrrp-notifier.pid'));
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const client = await PGlite.create(join(dataDir, 'pgdata'));
    const db = drizzle(client, { schema }) as unknown as Db;
    return {
      db,
      kind: 'pglite',
      where: `pglite:${dataDir}`,
      close: async () => {
        try {
          await client.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

/** NOTIFIER_DATA_DIR, else beside the auditor's default under ~/.local/share/hotstandby. */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env['NOTIFIER_DATA_DIR'] ?? `${env['HOME'] ?? '.'}/.local/share/hotstandby/notifier`;
}
