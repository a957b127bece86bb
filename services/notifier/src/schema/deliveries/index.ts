export { deliveries } from './table.js';
export type { DeliveryRow, NewDeliveryRow, DeliveryStatus } from './types.js';
