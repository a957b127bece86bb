import type { deliveries } from './table.js';

export type DeliveryRow = typeof deliveries.$inferSelect;
export type NewDeliveryRow = typeof deliveries.$inferInsert;
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'dead';
