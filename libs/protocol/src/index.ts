export type { Advertisement, Family, IpAddress, IpFacts, VrrpState, VrrpVersion } from './types.js';
