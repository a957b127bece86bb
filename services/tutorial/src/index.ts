export { renderView } from './view.js';
export type { NodeView, ViewModel } from './view.js';
export { tutorialConfig, TUTORIAL_INSTANCES, TUTORIAL_NODES } from './configs.js';
