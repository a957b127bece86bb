// What other packages (tests, the tutorial) may use of vrrp-node without running it.
export type { NodeStatus, InstanceStatus } from './daemon/status.js';
