// A fresh database per test run on the always-running Postgres (127.0.0.1:5432, trust auth), dropped
// at the end. Fails loudly when the server is not there: tests never skip silently.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export interface TestDatabase {
  /** postgres://…/hs_test_<random> */
  readonly url: string;
  readonly name: string;
  /** Drops the database (terminating leftover connections). Idempotent. */
  drop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const HOST = process.env.PGHOST ?? '127.0.0.1';
const PORT = Number(process.env.PGPORT ?? 5432);

function adminUrl(user: string): string {
  return `postgres://${user}@${HOST}:${PORT}/postgres`;
}

async function connectAdmin(): Promise<{ sql: postgres.Sql; user: string }> {
  const errors: string[] = [];
  for (const user of [process.env.PGUSER, 'postgres', 'root'].filter((u): u is string => !!u)) {
    const sql = postgres(adminUrl(user), { max: 1, onnotice: () => {}, connect_timeout: 5 });
    try {
      await sql`select 1`;
      return { sql, user };
    } catch (err) {
      errors.push(`${user}: ${(err as Error).message}`);
      await sql.end({ timeout: 1 });
    }
  }
  throw new Error(`test/support/postgres: no Postgres at ${HOST}:${PORT} (${errors.join('; ')})`);
}

export async function createTestDatabase(prefix = 'hs_test'): Promise<TestDatabase> {
  const { sql, user } = await connectAdmin();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await sql.unsafe(`CREATE DATABASE "${name}"`);
  await sql.end({ timeout: 5 });
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    const admin = await connectAdmin();
    try {
      await admin.sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.sql.end({ timeout: 5 });
    }
  };
  return {
    url: `postgres://${user}@${HOST}:${PORT}/${name}`,
    name,
    drop,
    [Symbol.asyncDispose]: drop,
  };
}
