// Where a running node keeps its control socket, pid file and state. Several nodes run on one host
// (the lab runs one per network namespace, and the tutorial's two configs share router_id LVS_DEVEL),
// so the default is per configuration file, not per router_id: /run/hotstandby/<router_id>-<hash of
// the config's absolute path>. `vrrp-node status -f FILE` derives the same directory.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

export const RUN_ROOT = '/run/hotstandby';

export function defaultRunDir(configPath: string, routerId: string | undefined): string {
  const abs = resolve(configPath);
  const hash = createHash('sha256').update(abs).digest('hex').slice(0, 10);
  const id = (routerId ?? 'node').replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${RUN_ROOT}/${id}-${hash}`;
}

export interface RunPaths {
  readonly dir: string;
  readonly socket: string;
  readonly pidFile: string;
  readonly outboxDir: string;
}

export function runPaths(dir: string): RunPaths {
  return { dir, socket: `${dir}/control.sock`, pidFile: `${dir}/vrrp-node.pid`, outboxDir: `${dir}/outbox` };
}
