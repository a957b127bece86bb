export { alerts } from './table.js';
export type { AlertRow, NewAlertRow } from './types.js';
