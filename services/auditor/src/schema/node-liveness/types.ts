import type { nodeLiveness } from './table.js';

export type NodeLivenessRow = typeof nodeLiveness.$inferSelect;
