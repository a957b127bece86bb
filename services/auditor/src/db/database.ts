// One handle type for both drivers: postgres.js against a real server (DATABASE_URL) and PGlite, the
// embedded zero-setup default. Both are drizzle PgDatabase instances over the same schema.
import { mkdirSync } from 'node:fs';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from '../schema/index.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  readonly db: Db;
  readonly kind: 'postgres' | 'pglite';
  /** For the start-up line: where the data lives (no password). */
  readonly where: string;
  close(): Promise<void>;
}

export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
}

export interface OpenOptions {
  /** postgres://… ; when absent, PGlite in `dataDir`. */
  url?: string | undefined;
  dataDir?: string | undefined;
  /** postgres.js pool size. */
  max?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const client = postgres(opts.url, { max: opts.max ?? 4, onnotice: () => {} });
    const db = drizzle(client, { schema }) as unknown as Db;
    const u = new URL(opts.url);
    return {
      db,
      kind: 'postgres',
      where: `postgres://${u.host}${u.pathname}`,
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dataDir = opts.dataDir ?? defaultDataDir();
  mkdirSync(dataDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
  const { drizzle } = await import('drizzle-orm/pglite');
  const client = new PGlite(dataDir, { extensions: { btree_gist } });
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', where: `pglite:${dataDir}`, close: () => client.close() };
}

export function defaultDataDir(): string {
  return process.env.AUDITOR_DATA_DIR ?? `${process.env.HOME ?? '.'}/.local/share/hotstandby/auditor`;
}
