#!/usr/bin/env node
// Runs the built CLI (npm run build -w services/auditor). During development:
//   node --conditions=source --import tsx services/auditor/src/cli/run.ts <command>
import '../dist/cli/run.js';
