#!/usr/bin/env node
// Runs the built CLI (npm run build -w services/notifier). During development:
//   node --conditions=source --import tsx services/notifier/src/cli/run.ts <command>
import '../dist/cli/run.js';
