// The lab lives in libs/lab (the tutorial uses it at run time); tests keep importing it from here.
export { createLab, sweepStale, CommandError } from '@hotstandby/lab';
export type { Lab, LabSpec, LabNodeSpec, LabSpawnOptions, LabAddress, Capture, CaptureOptions, PartitionOptions, CommandOptions, CommandResult } from '@hotstandby/lab';
