// Golden transcripts: every packet and transition of each scenario, with virtual µs timestamps.
// A change in behaviour shows up as a diff to review. REWRITE_TRANSCRIPTS=1 regenerates the files.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarios } from './scenarios.js';

const dir = join(import.meta.dirname, 'transcripts');
const rewrite = process.env['REWRITE_TRANSCRIPTS'] === '1';

describe('golden transcripts', () => {
  for (const [name, run] of Object.entries(scenarios)) {
    test(name, () => {
      const text = `${run().transcript.join('\n')}\n`;
      const file = join(dir, `${name}.txt`);
      if (rewrite) {
        writeFileSync(file, text);
        return;
      }
      assert.ok(existsSync(file), `${file} is missing: run with REWRITE_TRANSCRIPTS=1 and review it`);
      assert.equal(text, readFileSync(file, 'utf8'), `${name}: transcript differs (REWRITE_TRANSCRIPTS=1 to accept, then review the diff)`);
    });
  }
});
