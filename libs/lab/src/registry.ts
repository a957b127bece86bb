// Who owns which lab namespaces, so that a crashed run's leftovers can be removed without ever touching a
// namespace that belongs to a live run (ours in parallel, or somebody else's).
//
// Each lab writes /run/hotstandby-labs/<prefix>.pid BEFORE it creates its first namespace: the creator's
// pid and its start time (field 22 of /proc/<pid>/stat), so a recycled pid does not look alive.
// A namespace is stale only if its name starts with a prefix whose pid file names a dead creator.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, runSync } from './command.js';

export const LAB_RUN_DIR = '/run/hotstandby-labs';
/** Every lab prefix starts with this; sweepStale never looks at anything else. */
export const LAB_FAMILY = 'hs-';

function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces and parentheses: count fields after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[22 - 3];
  } catch {
    return undefined;
  }
}

function pidFile(prefix: string): string {
  return join(LAB_RUN_DIR, `${prefix}.pid`);
}

export function writeOwner(prefix: string): void {
  mkdirSync(LAB_RUN_DIR, { recursive: true });
  writeFileSync(pidFile(prefix), `${process.pid} ${startTime(process.pid) ?? ''}\n`);
}

export function removeOwner(prefix: string): void {
  rmSync(pidFile(prefix), { force: true });
}

function ownerAlive(prefix: string): boolean {
  let text: string;
  try {
    text = readFileSync(pidFile(prefix), 'utf8');
  } catch {
    return true; // no pid file: not provably ours, so never swept
  }
  const [pidText, started] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const now = startTime(pid);
  if (now === undefined) return false;
  return started === undefined || started === '' || started === now;
}

/** Names of all network namespaces on the machine (`ip netns list`), e.g. `hs-3fa9c1-lan`. */
export async function listNamespaces(): Promise<string[]> {
  const { stdout } = await run(['ip', 'netns', 'list']);
  return stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((n) => n !== '');
}

/** Kills (SIGKILL, by pid) every process still inside a namespace, then deletes it. */
export async function deleteNamespace(ns: string): Promise<void> {
  const pids = await run(['ip', 'netns', 'pids', ns], { check: false });
  for (const pid of pids.stdout.split('\n').map(Number).filter((p) => Number.isInteger(p) && p > 0 && p !== process.pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const del = await run(['ip', 'netns', 'del', ns], { check: false });
  if (del.code !== 0 && !/No such file|Cannot remove|not exist/i.test(del.stderr)) {
    throw new Error(`ip netns del ${ns}: ${del.stderr.trim()}`);
  }
}

export function deleteNamespaceSync(ns: string): void {
  let pids = '';
  try {
    pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', timeout: 5_000 });
  } catch {
    // namespace already gone
  }
  for (const pid of pids.split('\n').map(Number).filter((p) => Number.isInteger(p) && p > 0 && p !== process.pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  runSync(['ip', 'netns', 'del', ns]);
}

/**
 * Removes namespaces left behind by crashed runs: only those whose name starts with a prefix of the
 * given family (default `hs-`) that has a pid file whose creator is dead. Returns the deleted names.
 */
export async function sweepStale(family: string = LAB_FAMILY): Promise<string[]> {
  if (!family.startsWith(LAB_FAMILY)) throw new Error(`sweepStale: family must start with ${LAB_FAMILY}`);
  let files: string[];
  try {
    files = readdirSync(LAB_RUN_DIR);
  } catch {
    return [];
  }
  const dead = files
    .filter((f) => f.endsWith('.pid'))
    .map((f) => f.slice(0, -'.pid'.length))
    .filter((prefix) => prefix.startsWith(family) && !ownerAlive(prefix));
  if (dead.length === 0) return [];
  const namespaces = await listNamespaces();
  const removed: string[] = [];
  for (const prefix of dead) {
    for (const ns of namespaces.filter((n) => n.startsWith(prefix))) {
      await deleteNamespace(ns);
      removed.push(ns);
    }
    removeOwner(prefix);
  }
  return removed;
}
