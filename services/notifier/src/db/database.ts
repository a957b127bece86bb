// The send-record store: Postgres through postgres.js + drizzle. Postgres because a commit is durable
// (fsync'd WAL) before it returns, which is what "recorded before the ack" needs to survive kill -9.
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import * as schema from '../schema/index.js';

export type Schema = typeof schema;
export type Db = PostgresJsDatabase<Schema>;

export interface Database {
  readonly db: Db;
  /** For the start-up line: where the data lives (no password). */
  readonly where: string;
  close(): Promise<void>;
}

export async function openDatabase(url: string, opts: { max?: number } = {}): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { max: opts.max ?? 4, onnotice: () => {} });
  const db = drizzle(client, { schema });
  const u = new URL(url);
  return { db, where: `postgres://${u.host}${u.pathname}`, close: () => client.end({ timeout: 5 }) };
}
