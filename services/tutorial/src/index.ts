export { renderView } from './view.js';
export type { NodeView, ViewModel } from './view.js';
