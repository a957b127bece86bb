// Test support: the pipeline drills' common setup — the tutorial pair (node1 priority 100, node2 99) in a
// lab of its own, both publishing their events to a nats-server inside that lab — and its teardown.
import { createLab } from '../lab/lab.js';
import type { Lab, LabNodeSpec } from '../lab/lab.js';
import { LabNats } from './lab-services.js';
import { teardownInOrder } from './teardown.js';
import type { LabNatsOptions } from './lab-services.js';
import { VrrpNodeProcess, tutorialConfig, waitDrained } from './vrrp-node-process.js';
import type { VrrpNodeOptions } from './vrrp-node-process.js';

export interface PublishingPairOptions {
  /** More lab nodes beside node1 (10.10.10.126) and node2 (10.10.10.127): a flooder, … */
  extraNodes?: LabNodeSpec[];
  nats?: LabNatsOptions;
  /** The pair's keepalived.conf by role (default: the tutorial's). */
  config?: (role: 'master' | 'backup') => string;
  /** The nodes' process options (default: `--nats URL`). */
  nodeOptions?: (natsUrl: string) => VrrpNodeOptions;
}

export class PublishingPair {
  private constructor(
    readonly lab: Lab,
    readonly nats: LabNats,
    readonly node1: VrrpNodeProcess,
    readonly node2: VrrpNodeProcess,
  ) {}

  /** Creates the lab and starts NATS; the nodes are made but not started (startSettled). */
  static async open(name: string, o: PublishingPairOptions = {}): Promise<PublishingPair> {
    const lab = await createLab({
      name,
      nodes: [{ name: 'node1', addresses: ['10.10.10.126/24'] }, { name: 'node2', addresses: ['10.10.10.127/24'] }, ...(o.extraNodes ?? [])],
    });
    try {
      const nats = await LabNats.start(lab, o.nats);
      const options = o.nodeOptions?.(nats.url) ?? { args: ['--nats', nats.url] };
      const config = o.config ?? ((role) => tutorialConfig(role));
      return new PublishingPair(lab, nats, new VrrpNodeProcess(lab, 'node1', config('master'), options), new VrrpNodeProcess(lab, 'node2', config('backup'), options));
    } catch (e) {
      await lab.destroy();
      throw e;
    }
  }

  /** Starts both nodes; resolves with node1 MASTER, node2 BACKUP and both outboxes drained to NATS. */
  async startSettled(): Promise<void> {
    this.node1.start();
    this.node2.start();
    await this.node1.waitState('VI_1', 'MASTER');
    await this.node2.waitState('VI_1', 'BACKUP');
    await waitDrained(this.node1);
    await waitDrained(this.node2);
  }

  /** Stops the nodes, then `beforeNats` (services that use NATS), then NATS and the lab: each even if one before failed. */
  async dispose(beforeNats?: () => Promise<void>): Promise<void> {
    await teardownInOrder(
      () => this.node1.stop(),
      () => this.node2.stop(),
      () => beforeNats?.(),
      () => this.nats.dispose(),
      () => this.lab.destroy(),
    );
  }
}
