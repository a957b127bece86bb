// Every notifier table lives in the Postgres schema `notifier`, so the notifier can share a database
// with the auditor (which has its own `dead_letters`) without a name clash; its migration journal too.
import { pgSchema } from 'drizzle-orm/pg-core';

export const NOTIFIER_SCHEMA = 'notifier';
export const notifierSchema = pgSchema(NOTIFIER_SCHEMA);
