// The tutorial's management side, inside the lab's bridge namespace: NATS with JetStream on the LAN's
// 10.10.10.1 (so the nodes reach it, and a VRRP-only partition leaves it reachable — the usual real
// split brain), the auditor next to it with its API on that namespace's loopback, and the notifier
// (console channel, plus Slack / e-mail when SLACK_WEBHOOK_URL / SMTP_URL are set).
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from '@hotstandby/lab';

export const MGMT_ADDRESS = '10.10.10.1';
export const NATS_URL = `nats://${MGMT_ADDRESS}:4222`;
export const AUDITOR_URL = 'http://127.0.0.1:8480';

/** How to run one of our services: built (dist) when the tutorial runs built, from source under tsx otherwise. */
export function serviceCommand(service: 'vrrp-node' | 'auditor' | 'notifier'): string[] {
  const bin = { 'vrrp-node': 'vrrp-node', auditor: 'vrrp-auditor', notifier: 'vrrp-notifier' }[service];
  if (fileURLToPath(import.meta.url).endsWith('.ts')) {
    return [process.execPath, '--conditions=source', '--import', 'tsx', fileURLToPath(new URL(`../../${service}/src/cli/run.ts`, import.meta.url))];
  }
  return [process.execPath, fileURLToPath(new URL(`../../${service}/bin/${bin}.js`, import.meta.url))];
}

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly output: string[];
}

function track(name: string, child: ChildProcess): ManagedProcess {
  const output: string[] = [];
  const keep = (d: Buffer): void => {
    output.push(...d.toString().split('\n').filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, child, output };
}

export async function startNats(lab: Lab, dir: string): Promise<ManagedProcess> {
  await lab.exec(lab.lan, ['ip', 'addr', 'add', `${MGMT_ADDRESS}/24`, 'dev', 'br0']);
  const store = join(dir, 'nats');
  mkdirSync(store, { recursive: true });
  const p = track('nats-server', lab.spawn(lab.lan, ['nats-server', '-a', MGMT_ADDRESS, '-p', '4222', '-js', '-sd', store]));
  await waitFor(() => Promise.resolve(p.output.some((l) => l.includes('Server is ready'))), 10_000, 'nats-server to listen', p);
  return p;
}

export async function startAuditor(lab: Lab, dir: string): Promise<ManagedProcess> {
  const data = join(dir, 'auditor');
  mkdirSync(data, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, NATS_URL, AUDITOR_DATA_DIR: data };
  if (process.env.DATABASE_URL === undefined) delete env.DATABASE_URL;
  const p = track('auditor', lab.spawn(lab.lan, [...serviceCommand('auditor'), 'serve', '--listen', '127.0.0.1:8480'], { env }));
  await waitFor(async () => (await auditorGet(lab, '/healthz')) !== undefined, 180_000, 'the auditor to answer /healthz', p);
  return p;
}

/**
 * The notifier beside the auditor, its send records in embedded PGlite unless DATABASE_URL is set.
 * Messages always go to its stdout too (NOTIFIER_CONSOLE=1): `onMessage` gets each one's subject line
 * (`[hotstandby] Split brain: …`, `Resolved: [hotstandby] …`).
 */
export async function startNotifier(lab: Lab, dir: string, onMessage: (subject: string) => void): Promise<ManagedProcess> {
  const data = join(dir, 'notifier');
  mkdirSync(data, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, NATS_URL, NOTIFIER_DATA_DIR: data, NOTIFIER_CONSOLE: '1', AUDITOR_URL };
  if (process.env.DATABASE_URL === undefined) delete env.DATABASE_URL;
  const p = track('notifier', lab.spawn(lab.lan, [...serviceCommand('notifier'), 'serve'], { env }));
  if (p.child.stdout) {
    // The console channel frames each message as `----- <subject>` … `-----`.
    createInterface({ input: p.child.stdout }).on('line', (l) => {
      if (l.startsWith('----- ')) onMessage(l.slice(6));
    });
  }
  await waitFor(() => Promise.resolve(p.output.some((l) => l.startsWith('vrrp-notifier: serving'))), 180_000, 'the notifier to serve', p);
  return p;
}

/** GET on the auditor's API from inside the bridge namespace (its loopback). */
export async function auditorGet(lab: Lab, path: string): Promise<unknown> {
  const r = await lab.exec(lab.lan, ['curl', '-sf', '--max-time', '10', `${AUDITOR_URL}${path}`], { check: false, timeoutMs: 12_000 });
  if (r.code !== 0) return undefined;
  try {
    return JSON.parse(r.stdout) as unknown;
  } catch {
    return undefined;
  }
}

async function waitFor(ok: () => Promise<boolean>, timeoutMs: number, what: string, p: ManagedProcess): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (p.child.exitCode !== null) throw new Error(`${p.name} exited (${p.child.exitCode}) while waiting for ${what}:\n${p.output.slice(-10).join('\n')}`);
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}:\n${p.output.slice(-10).join('\n')}`);
}
