import { defineConfig } from 'drizzle-kit';

// `npm run db:generate -w services/notifier` writes SQL migrations into drizzle/ (committed).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './drizzle',
  schemaFilter: ['notifier'],
  migrations: { table: '__drizzle_migrations', schema: 'notifier' },
});
