export { deadLetters } from './table.js';
export type { DeadLetterRow } from './types.js';
