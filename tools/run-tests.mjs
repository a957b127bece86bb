#!/usr/bin/env node
// Runs every *.test.ts under the given folders (default: test/) with node's own test runner,
// TypeScript through tsx, and workspace packages resolved to their sources (the "source" condition).
// Node 20's --test takes no globs, hence this finder.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const passThrough = args.filter((a) => a.startsWith('--'));
const roots = args.filter((a) => !a.startsWith('--'));
if (roots.length === 0) roots.push('test');

function find(dir, out) {
  if (!statSync(dir).isDirectory()) return dir.endsWith('.test.ts') ? [...out, dir] : out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
const files = roots.filter((r) => existsSync(r)).flatMap((r) => find(r, [])).sort();
if (files.length === 0) {
  console.error(`run-tests: no *.test.ts under ${roots.join(', ')}`);
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--conditions=source', '--import', 'tsx', '--test', ...(passThrough.some((a) => a.startsWith('--test-concurrency')) ? [] : ['--test-concurrency=1']), ...passThrough, ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
