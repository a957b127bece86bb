// The tutorial end to end: two vrrp-nodes in network namespaces on one LAN, the tutorial's configs
// verbatim, and a drill — crash the master, restart it, cut the VRRP LAN, heal it — with what a
// person should see at each step checked, not just shown.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '@hotstandby/lab';
import { createLab } from '@hotstandby/lab';
import { askNode } from '@hotstandby/vrrp-node/control';
import { TUTORIAL_INSTANCES, TUTORIAL_NODES, tutorialConfig } from './configs.js';
import type { NodeLogLine } from './node-process.js';
import { NodeProcess } from './node-process.js';
import type { NodeView } from './view.js';
import { renderView } from './view.js';
import type { ManagedProcess } from './lab-services.js';
import { auditorGet, NATS_URL, startAuditor, startNats, startNotifier } from './lab-services.js';

/**
 * The notifier's subjects for VRID 51's split brain, alone or grouped with the VRID's other alerts
 * that arrived with it (`[hotstandby] Flapping, Split brain: VRID 51 on 10.10.10.0/24 (2 alerts)`).
 */
const SPLIT_BRAIN_RAISED = /^\[hotstandby\] [^:]*\bSplit brain\b[^:]*: VRID 51 /;
const SPLIT_BRAIN_RESOLVED = /^Resolved: \[hotstandby\] [^:]*\bSplit brain\b[^:]*: VRID 51 /;

export interface TutorialOptions {
  readonly mutual: boolean;
  /** Print each step's outcome; redraw the live view (TTY) — false in --drill on a pipe. */
  readonly out: (text: string) => void;
  readonly live: boolean;
}

export interface StepResult {
  readonly step: string;
  readonly ok: boolean;
  readonly detail: string;
}

interface OpenAlert {
  id: string;
  kind: string;
  vrid: number | null;
  nodes: string[];
}

interface MastershipInterval {
  node: string;
  from: string;
  to: string | null;
  startReason: string;
  endReason: string | null;
}

interface InstanceStatus {
  name: string;
  state: string;
  lastFailoverLatencyMs: number | null;
}

export class Tutorial {
  readonly results: StepResult[] = [];
  readonly events: string[] = [];
  /** Subjects of the notifier's messages, in order (its console channel). */
  readonly notices: string[] = [];
  readonly #o: TutorialOptions;
  #lab: Lab | undefined;
  readonly #nodes = new Map<string, NodeProcess>();
  #status = new Map<string, InstanceStatus[]>();
  #vips = new Map<string, string[]>();
  #timer: NodeJS.Timeout | undefined;
  #step = 'starting';
  readonly #services: ManagedProcess[] = [];
  readonly #startedAt = new Date();

  constructor(options: TutorialOptions) {
    this.#o = options;
  }

  get instances(): readonly { name: string; vrid: number; vip: string }[] {
    return TUTORIAL_INSTANCES.slice(0, this.#o.mutual ? 2 : 1);
  }

  async setUp(): Promise<void> {
    this.#lab = await createLab({
      name: 'tutorial',
      nodes: TUTORIAL_NODES.map((n) => ({ name: n.name, addresses: [`${n.address}/24`] })),
    });
    const dir = mkdtempSync(join(tmpdir(), 'hotstandby-tutorial-'));
    this.#o.out(`lab ${this.#lab.prefix}*: node1 10.10.10.126, node2 10.10.10.127, NATS and the auditor on 10.10.10.1 (files in ${dir})\n`);
    this.#services.push(await startNats(this.#lab, dir));
    this.#o.out(`NATS JetStream is up at ${NATS_URL}; starting the auditor (embedded PGlite unless DATABASE_URL is set)...\n`);
    this.#services.push(await startAuditor(this.#lab, dir));
    const channels = [process.env.SLACK_WEBHOOK_URL ? 'Slack' : '', process.env.SMTP_URL ? 'e-mail' : '', 'the console'].filter(Boolean).join(', ');
    this.#o.out(`the auditor is up; starting the notifier (alerts to ${channels})...\n`);
    this.#services.push(
      await startNotifier(this.#lab, dir, (subject) => {
        this.notices.push(subject);
        this.events.push(`${new Date().toISOString().slice(11, 23)} notifier: ${subject}`);
      }),
    );
    for (const n of TUTORIAL_NODES) {
      const p = new NodeProcess(this.#lab, n.name, join(dir, n.name), tutorialConfig(n.name, { mutual: this.#o.mutual }), ['--nats', NATS_URL], (node, l) => this.#log(node, l));
      this.#nodes.set(n.name, p);
    }
    if (this.#o.live) this.#timer = setInterval(() => void this.#refresh().then(() => this.#o.out('\x1b[H\x1b[2J' + this.render())), 1000);
  }

  async tearDown(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    for (const p of this.#nodes.values()) await p.stop();
    for (const s of this.#services.reverse()) s.child.kill('SIGTERM');
    await this.#lab?.destroy();
  }

  /** The drill. Each step waits for what a person should then see, or fails with what it saw. */
  async drill(): Promise<boolean> {
    const vi1 = TUTORIAL_INSTANCES[0];
    const vi2 = TUTORIAL_INSTANCES[1];
    const node = (n: string): NodeProcess => this.#nodes.get(n)!;

    // 30 s: each node starts under tsx from source, seconds apiece on a loaded machine.
    await this.#expect('start both nodes: node1 becomes MASTER of VI_1 and holds 10.10.10.129', 30_000, async () => {
      if (!node('node1').running) node('node1').start();
      if (!node('node2').running) node('node2').start();
      return Promise.resolve();
    }, () => this.#master(vi1.name) === 'node1' && this.#holders(vi1.vip).join() === 'node1' && (!this.#o.mutual || (this.#master(vi2.name) === 'node2' && this.#holders(vi2.vip).join() === 'node2')));

    await this.#expect('crash node1 (kill -9): node2 takes over VI_1 at Master_Down_Interval (RFC: 3.613 s)', 10_000, async () => {
      // Let node1's takeover reach the auditor before the crash, as in life (a crash 0.3 s after
      // becoming master is replayed from the outbox at restart, and the auditor keeps it out of the
      // old boot's mastership: see the auditor's per-boot rule).
      await new Promise((r) => setTimeout(r, 2000));
      await node('node1').crash();
    }, () => this.#master(vi1.name) === 'node2' && this.#holders(vi1.vip).includes('node2'), () => {
      const ms = this.#status.get('node2')?.find((i) => i.name === 'VI_1')?.lastFailoverLatencyMs;
      // kill -9 leaves the VIP on the dead node's interface, as with keepalived; a real crash takes the
      // machine (and its interface) down with it, and the restart below removes it.
      const stale = this.#holders(vi1.vip).includes('node1') ? '; the VIP is still configured on the dead node1, as keepalived leaves it' : '';
      return `${ms !== null && ms !== undefined ? `measured failover ${ms.toFixed(3)} ms (last advert heard → MASTER)` : ''}${stale}`;
    });

    await this.#expect('restart node1: it removes its stale VIP and preempts VI_1 back', 15_000, async () => {
      node('node1').start();
      return Promise.resolve();
    }, () => this.#master(vi1.name) === 'node1' && this.#holders(vi1.vip).join() === 'node1');

    await this.#expect('cut VRRP between the nodes (nftables drops IP protocol 112): both become MASTER — split brain', 10_000, () => this.#lab!.partition(), () => this.#masters(vi1.name).length === 2);

    await this.#expect('the auditor, which sees both nodes, raises a split-brain alert for VRID 51', 15_000, () => Promise.resolve(), () => this.#openAlerts.some((a) => a.kind === 'split-brain' && a.vrid === 51), () => {
      const a = this.#openAlerts.find((x) => x.kind === 'split-brain');
      return a ? `alert ${a.id}: nodes ${a.nodes.join(', ')}` : '';
    });

    // The notifier groups alerts for a few seconds (groupWindowMs 5 s) before the message goes out.
    await this.#expect('the notifier sends the split-brain alert (console; Slack and e-mail when configured)', 20_000, () => Promise.resolve(), () => this.#notice(SPLIT_BRAIN_RAISED) !== undefined, () => this.#notice(SPLIT_BRAIN_RAISED) ?? '');

    await this.#expect('heal the LAN: node2 hears node1 again and steps down — one MASTER', 10_000, () => this.#lab!.heal(), () => this.#masters(vi1.name).join() === 'node1' && this.#holders(vi1.vip).join() === 'node1');

    await this.#expect('the auditor resolves the split-brain alert', 15_000, () => Promise.resolve(), () => !this.#openAlerts.some((a) => a.kind === 'split-brain'));

    await this.#expect('the notifier sends the resolved follow-up', 20_000, () => Promise.resolve(), () => this.#notice(SPLIT_BRAIN_RESOLVED) !== undefined, () => this.#notice(SPLIT_BRAIN_RESOLVED) ?? '');

    await this.#expect('the auditor answers who was master when, for every step above', 60_000, () => Promise.resolve(), () => this.#history.length >= 4, () => '\n' + this.historyTable(), () => `the auditor returned ${this.#history.length} interval(s):\n${this.historyTable()}`);

    return this.results.every((r) => r.ok);
  }

  render(footer?: string): string {
    const nodes: NodeView[] = TUTORIAL_NODES.map((n) => ({
      name: n.name,
      address: n.address,
      running: this.#nodes.get(n.name)?.running ?? false,
      states: Object.fromEntries((this.#status.get(n.name) ?? []).map((i) => [i.name, i.state])),
      vips: this.#vips.get(n.name) ?? [],
    }));
    return renderView({ title: `hotstandby tutorial — ${this.#step}`, instances: this.instances, nodes, events: this.events, ...(footer ? { footer } : {}) });
  }

  async #expect(step: string, timeoutMs: number, act: () => Promise<void>, ok: () => boolean, detail: () => string = () => '', failure: () => string = () => ''): Promise<void> {
    this.#step = step;
    this.#o.out(`\n== ${step}\n`);
    await act();
    const until = Date.now() + timeoutMs;
    let passed = false;
    while (Date.now() < until) {
      await this.#refresh();
      if (ok()) {
        passed = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const d = passed ? detail() : `not seen within ${timeoutMs / 1000} s${failure() ? `; ${failure()}` : ''}`;
    this.results.push({ step, ok: passed, detail: d });
    this.#o.out(this.render());
    this.#o.out(`${passed ? 'OK' : 'FAILED'}: ${step}${d ? ` — ${d}` : ''}\n`);
  }

  #openAlerts: OpenAlert[] = [];
  #history: MastershipInterval[] = [];

  /** "Who was master when" for VI_1, as the auditor answers it. */
  historyTable(): string {
    const rows = this.#history.map((h) => `  ${h.from.slice(11, 23)} → ${(h.to ?? 'now').slice(11, 23).padEnd(12)} ${h.node.padEnd(26)} ${h.startReason}${h.endReason ? ` … ${h.endReason}` : ''}`);
    return ['  from         → to           master                     why it started … why it ended', ...rows].join('\n');
  }

  #notice(re: RegExp): string | undefined {
    return this.notices.find((n) => re.test(n));
  }

  #master(instance: string): string | undefined {
    const m = this.#masters(instance);
    return m.length === 1 ? m[0] : undefined;
  }

  #masters(instance: string): string[] {
    return TUTORIAL_NODES.filter((n) => this.#nodes.get(n.name)?.running && this.#status.get(n.name)?.some((i) => i.name === instance && i.state === 'MASTER')).map((n) => n.name);
  }

  #holders(vip: string): string[] {
    return TUTORIAL_NODES.filter((n) => this.#vips.get(n.name)?.includes(vip)).map((n) => n.name);
  }

  /** One refresh at a time: the view and the checks read what the last refresh saw. */
  #refreshing: Promise<void> | undefined;
  #lastAuditorQuery = 0;

  #refresh(): Promise<void> {
    this.#refreshing ??= this.#doRefresh().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #doRefresh(): Promise<void> {
    const lab = this.#lab;
    if (!lab) return;
    for (const n of TUTORIAL_NODES) {
      const p = this.#nodes.get(n.name)!;
      let vips: string[] | undefined;
      if (p.running) {
        try {
          const s = (await askNode(`${p.runDir}/control.sock`, 'status', 3000)) as { instances: (InstanceStatus & { installedVirtualAddresses: string[] })[] };
          this.#status.set(n.name, s.instances);
          vips = s.instances.flatMap((i) => i.installedVirtualAddresses);
        } catch {
          // starting or stopping: keep what we saw last
        }
      } else {
        this.#status.set(n.name, []);
      }
      // A dead node cannot say what it holds: read its interface (kill -9 leaves VIPs behind).
      if (vips === undefined) {
        try {
          vips = (await lab.addresses(n.name)).map((a) => a.address);
        } catch {
          vips = [];
        }
      }
      this.#vips.set(n.name, vips.filter((a) => this.instances.some((i) => i.vip === a)));
    }
    if (Date.now() - this.#lastAuditorQuery >= 1000) {
      this.#lastAuditorQuery = Date.now();
      const alerts = (await auditorGet(lab, '/api/v1/alerts?state=open')) as { alerts?: OpenAlert[] } | undefined;
      if (alerts?.alerts) this.#openAlerts = alerts.alerts;
      const hist = (await auditorGet(lab, `/api/v1/history?vrid=51&from=${encodeURIComponent(this.#startedAt.toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)) as { intervals?: MastershipInterval[] } | undefined;
      if (hist?.intervals) this.#history = hist.intervals;
    }
  }

  #log(node: string, l: NodeLogLine): void {
    if (/Entering .* STATE/.test(l.msg)) {
      const ms = typeof l.failoverMs === 'number' ? `, failover ${l.failoverMs} ms` : '';
      this.events.push(`${l.time.slice(11, 23)} ${node} ${l.msg.replace('Entering ', '→ ').replace(' STATE', '')} (${String(l.reason)}${ms})`);
    } else if (l.level === 'error' || l.level === 'warn') {
      this.events.push(`${l.time.slice(11, 23)} ${node} ${l.level}: ${l.msg}`);
    }
  }
}
