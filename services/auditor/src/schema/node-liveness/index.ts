export { nodeLiveness } from './table.js';
export type { NodeLivenessRow } from './types.js';
