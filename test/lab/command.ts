export { run, CommandError } from '@hotstandby/lab';
export type { CommandOptions, CommandResult } from '@hotstandby/lab';
