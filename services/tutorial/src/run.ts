// Entry point for running from source: the same main() as bin/tutorial.js.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
