#!/usr/bin/env node
// Compile eagerly before the daemon's modules load (src/cli/eager-code.ts), hence the dynamic import.
import { compileEagerly } from '../dist/cli/eager-code.js';

compileEagerly();
const { main } = await import('../dist/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
