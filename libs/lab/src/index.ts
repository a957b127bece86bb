// @hotstandby/lab: network-namespace LANs for the end-to-end tests and the tutorial.
export { createLab, sweepStale, CommandError } from './lab.js';
export type { Lab, LabSpec, LabNodeSpec, LabSpawnOptions, LabAddress, Capture, CaptureOptions, PartitionOptions, CommandOptions, CommandResult } from './lab.js';
export { run } from './command.js';
export { LAB_FAMILY, LAB_RUN_DIR, listNamespaces } from './registry.js';
