// A vrrp-node process inside a lab namespace, logging JSON lines the tutorial watches. Its control
// socket lives in the file system, so status is asked directly from outside the namespace.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from '@hotstandby/lab';

/** The vrrp-node entry point: built (dist) when the tutorial runs built, source under tsx otherwise. */
export function vrrpNodeCommand(): string[] {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    return [process.execPath, '--conditions=source', '--import', 'tsx', fileURLToPath(new URL('../../vrrp-node/src/cli/run.ts', import.meta.url))];
  }
  return [process.execPath, fileURLToPath(new URL('../../vrrp-node/bin/vrrp-node.js', import.meta.url))];
}

export interface NodeLogLine {
  readonly time: string;
  readonly level: string;
  readonly msg: string;
  readonly [k: string]: unknown;
}

export class NodeProcess {
  readonly name: string;
  readonly configPath: string;
  readonly runDir: string;
  #child: ChildProcess | undefined;
  #exit: Promise<void> = Promise.resolve();
  readonly #lab: Lab;
  readonly #args: readonly string[];
  readonly #onLog: (node: string, line: NodeLogLine) => void;

  constructor(lab: Lab, name: string, dir: string, config: string, args: readonly string[], onLog: (node: string, line: NodeLogLine) => void) {
    this.#lab = lab;
    this.name = name;
    mkdirSync(dir, { recursive: true });
    this.configPath = join(dir, 'keepalived.conf');
    this.runDir = join(dir, 'run');
    writeFileSync(this.configPath, config);
    this.#args = args;
    this.#onLog = onLog;
  }

  get running(): boolean {
    const c = this.#child;
    return c !== undefined && c.exitCode === null && c.signalCode === null;
  }

  start(): void {
    const child = this.#lab.spawn(this.name, [...vrrpNodeCommand(), '-f', this.configPath, '--run-dir', this.runDir, '--log-format', 'json', ...this.#args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.#child = child;
    this.#exit = new Promise((resolve) => child.once('exit', () => resolve()));
    let buf = '';
    child.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const raw = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          this.#onLog(this.name, JSON.parse(raw) as NodeLogLine);
        } catch {
          this.#onLog(this.name, { time: new Date().toISOString(), level: 'raw', msg: raw });
        }
      }
    });
  }

  async crash(): Promise<void> {
    if (this.running && this.#child?.pid !== undefined) process.kill(this.#child.pid, 'SIGKILL');
    await this.#exit;
  }

  async stop(): Promise<void> {
    if (this.running && this.#child?.pid !== undefined) process.kill(this.#child.pid, 'SIGTERM');
    await this.#exit;
  }
}
