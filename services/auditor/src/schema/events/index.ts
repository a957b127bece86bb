export { events } from './table.js';
export type { EventRow, NewEventRow } from './types.js';
