export type { Advertisement, Family, IpAddress, IpFacts, VrrpState, VrrpVersion } from './types.js';
export { effectivePriority, OWNER_PRIORITY } from './track/priority.js';
export type { EffectivePriority, TrackerView } from './track/priority.js';
export { initialRiseFall, recordResult } from './track/rise-fall.js';
export type { RiseFallConfig, RiseFallState, TrackHealth } from './track/rise-fall.js';
