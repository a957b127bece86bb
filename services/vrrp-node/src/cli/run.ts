// Entry point for running from source (tests, the lab): the same as bin/vrrp-node.js.
import { compileEagerly } from './eager-code.js';

compileEagerly();
const { main } = await import('./main.js');

process.exitCode = await main(process.argv.slice(2));
