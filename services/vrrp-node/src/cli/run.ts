// Entry point for running from source (tests, the lab): the same main() as bin/vrrp-node.js.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
