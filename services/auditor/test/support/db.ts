// A migrated auditor database on the real Postgres (a fresh database per test file, dropped after).
import { createTestDatabase } from '../../../../test/support/postgres.js';
import type { TestDatabase } from '../../../../test/support/postgres.js';
import { openDatabase } from '../../src/db/database.js';
import type { Database } from '../../src/db/database.js';
import { migrateDatabase } from '../../src/db/migrate.js';

export interface AuditorTestDb {
  pg: TestDatabase;
  database: Database;
  close(): Promise<void>;
}

export async function auditorTestDb(): Promise<AuditorTestDb> {
  const pg = await createTestDatabase();
  const database = await openDatabase({ url: pg.url });
  await migrateDatabase(database);
  return {
    pg,
    database,
    close: async () => {
      await database.close();
      await pg.drop();
    },
  };
}
