// The notifier's drizzle schema (Postgres schema `notifier`); migrations in ../../drizzle (committed).
export { NOTIFIER_SCHEMA, notifierSchema } from './namespace.js';
export { deliveries } from './deliveries/index.js';
export type { DeliveryRow, DeliveryStatus, NewDeliveryRow } from './deliveries/index.js';
export { deadLetters } from './dead-letters/index.js';
export type { DeadLetterRow } from './dead-letters/index.js';
