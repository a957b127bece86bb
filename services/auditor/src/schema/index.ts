// The auditor's database schema: one folder per table (table.ts, types.ts, index.ts). drizzle-kit reads
// this file to generate migrations into ../../drizzle (committed; `vrrp-auditor migrate` applies them).
export { events } from './events/index.js';
export type { EventRow, NewEventRow } from './events/index.js';
export { mastership } from './mastership/index.js';
export type { MastershipRow, NewMastershipRow } from './mastership/index.js';
export { alerts } from './alerts/index.js';
export type { AlertRow, NewAlertRow } from './alerts/index.js';
export { nodeLiveness } from './node-liveness/index.js';
export type { NodeLivenessRow } from './node-liveness/index.js';
export { deadLetters } from './dead-letters/index.js';
export type { DeadLetterRow } from './dead-letters/index.js';
