// How e2e tests start vrrp-node: the built bin when dist is at least as new as every source file of
// the packages it runs (npm test builds first; starting from dist takes a fraction of a second), and
// the sources under tsx otherwise (a developer who edited src and did not rebuild still tests their
// change). HS_E2E_FROM_SOURCE=1 forces the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = ['services/vrrp-node', 'libs/protocol', 'libs/events', 'libs/netio', 'libs/telemetry', 'libs/telemetry-sdk'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestSource(p) : s.mtimeMs);
  }
  return newest;
}

function distIsFresh(): boolean {
  for (const pkg of PACKAGES) {
    const dist = join(ROOT, pkg, 'dist');
    if (!existsSync(join(dist, 'index.js'))) return false;
    if (newestSource(join(ROOT, pkg, 'src')) > statSync(join(dist, 'index.js')).mtimeMs) return false;
  }
  return true;
}

let cached: string[] | undefined;

export function vrrpNodeArgv(): string[] {
  if (cached) return cached;
  cached =
    process.env.HS_E2E_FROM_SOURCE !== '1' && distIsFresh()
      ? [process.execPath, join(ROOT, 'services/vrrp-node/bin/vrrp-node.js')]
      : [process.execPath, '--conditions=source', '--import', 'tsx', join(ROOT, 'services/vrrp-node/src/cli/run.ts')];
  return cached;
}
