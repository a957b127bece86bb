#!/usr/bin/env node
// V8 flags (eager compilation, no memory reducer: src/cli/v8-flags.ts) must be set before the
// daemon's modules load, hence the dynamic import.
import { setDaemonV8Flags } from '../dist/cli/v8-flags.js';

setDaemonV8Flags();
const { main } = await import('../dist/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
