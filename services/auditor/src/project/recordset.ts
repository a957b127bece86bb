// Set-based writes: many rows travel as ONE text parameter holding a JSON array, and Postgres turns it
// back into rows with jsonb_to_recordset. One statement and one parameter per batch, whatever its size —
// no 65535-parameter limit, no per-row bind work in the driver — and it runs the same on postgres.js and
// PGlite (plain SQL, a text parameter).
import { sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';

/**
 * `jsonb_to_recordset($1::text::jsonb) AS <alias>(<columns>)` over `rows`. `columns` is a column
 * definition list (`id text, vrid smallint, …`) naming the JSON keys; it is SQL, so it must be a constant.
 */
export function recordset(rows: readonly object[], alias: string, columns: string): SQL {
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as ${sql.raw(alias)}(${sql.raw(columns)})`;
}

/** `execute` answers an array (postgres.js) or `{ rows }` (PGlite). */
export function resultRows<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  if (Array.isArray(rows)) return rows as T[];
  throw new TypeError('execute returned neither an array nor { rows }');
}
