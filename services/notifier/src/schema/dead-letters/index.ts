import type { deadLetters } from './table.js';

export { deadLetters } from './table.js';
export type DeadLetterRow = typeof deadLetters.$inferSelect;
