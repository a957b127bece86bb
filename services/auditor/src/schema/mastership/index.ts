export { mastership } from './table.js';
export type { MastershipRow, NewMastershipRow } from './types.js';
