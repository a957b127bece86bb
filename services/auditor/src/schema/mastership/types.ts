import type { mastership } from './table.js';

export type MastershipRow = typeof mastership.$inferSelect;
export type NewMastershipRow = typeof mastership.$inferInsert;
