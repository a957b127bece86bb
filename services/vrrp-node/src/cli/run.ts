// Entry point for running from source (tests, the lab): the same as bin/vrrp-node.js.
import { setDaemonV8Flags } from './v8-flags.js';

setDaemonV8Flags();
const { main } = await import('./main.js');

process.exitCode = await main(process.argv.slice(2));
