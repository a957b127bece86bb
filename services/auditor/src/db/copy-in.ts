// `COPY <table> FROM … WITH (FORMAT binary)` inside a drizzle transaction, on either driver: drizzle has
// no COPY, so this reaches the transaction's own connection through its session — postgres.js streams
// the data over COPY FROM STDIN (`.writable()`), PGlite reads it as the `/dev/blob` file of the query.
// Same data (db/copy-binary.ts), same statement apart from the source, same transaction as the caller's.
import { is } from 'drizzle-orm';
import { PgliteSession } from 'drizzle-orm/pglite/session';
import { PostgresJsSession } from 'drizzle-orm/postgres-js/session';
import type { PGliteInterface, Transaction } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import type { Db } from './database.js';


/** Copies binary COPY `data` into `target` (`table (col, …)`, SQL: a constant). Answers when the server has it. */
export async function copyIn(tx: Pick<Db, '_'>, target: string, data: Uint8Array): Promise<void> {
  const session = tx._.session;
  if (is(session, PostgresJsSession)) {
    const client = (session as unknown as { client: Sql }).client;
    const stream = await client.unsafe(`copy ${target} from stdin with (format binary)`).writable();
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.once('finish', resolve);
      stream.end(data);
    });
    return;
  }
  if (is(session, PgliteSession)) {
    // PgliteSession keeps the client (the database or the open transaction) in a private field.
    const client = (session as unknown as { client: PGliteInterface | Transaction }).client;
    await client.query(`copy ${target} from '/dev/blob' with (format binary)`, [], { blob: new Blob([data]) });
    return;
  }
  throw new TypeError(`copyIn: unsupported drizzle session ${session.constructor.name}`);
}
