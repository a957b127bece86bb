// `vrrp-auditor serve`: the consumer, the detectors (per event, plus a clock tick for deadlines that
// pass while the bus is quiet), alert publication and the HTTP API, in one process.
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Database } from '../db/database.js';
import { migrateDatabase } from '../db/migrate.js';
import type { DetectConfig } from '../detect/config.js';
import { publishPendingAlerts } from '../alerts/publish.js';
import { startApi } from '../api/server.js';
import type { BatchResult } from '../ingest/batch.js';
import { startConsumer } from '../ingest/consumer.js';
import type { RunningConsumer } from '../ingest/consumer.js';
import { ensureConsumer, ensureStreams } from '../ingest/streams.js';
import { Projector } from '../project/projector.js';
import { loadView, writeChanges, writeLiveness } from '../project/store.js';
import { Serial } from './serial.js';

export interface AuditorOptions {
  database: Database;
  natsUrl: string;
  host: string;
  port: number;
  token?: string | undefined;
  cfg: DetectConfig;
  tickMs?: number;
  log?: (line: string) => void;
}

export interface RunningAuditor {
  url: string;
  stop(): Promise<void>;
}

export async function startAuditor(opts: AuditorOptions): Promise<RunningAuditor> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const { db } = opts.database;
  await migrateDatabase(opts.database);
  const nc: NatsConnection = await connect({ servers: opts.natsUrl, name: 'vrrp-auditor', maxReconnectAttempts: -1 });
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm);
  await ensureConsumer(jsm);
  const js = jetstream(nc);

  let projector = new Projector(await loadView(db, opts.cfg), opts.cfg);
  const serial = new Serial();
  let ingested = 0;
  let lastError: string | null = null;

  const publish = async (): Promise<void> => {
    try {
      await publishPendingAlerts(db, js);
    } catch (err) {
      // Committed alerts stay marked unpublished and go out on the next attempt.
      log(`auditor: alert publication failed (will retry): ${String(err)}`);
    }
  };
  await publish();

  const consumer: RunningConsumer = await startConsumer(nc, db, () => projector, {
    process: (run) => serial.run(run),
    onBatch: async (r: BatchResult) => {
      ingested += r.inserted;
      if (r.decisions.length > 0) await publish();
    },
    onError: async (err) => {
      lastError = String((err as Error).cause ?? err);
      log(`auditor: batch failed, will be redelivered: ${lastError}`);
      // The projector may have applied events that did not commit: reload the committed view.
      await serial.run(async () => {
        projector = new Projector(await loadView(db, opts.cfg), opts.cfg);
      });
    },
  });

  const tick = async (): Promise<void> => {
    const decided = await serial.run(async () => {
      const changes = projector.tick(Date.now() * 1000);
      if (changes.length === 0 && projector.touchedNodes.size === 0) return false;
      await db.transaction(async (tx) => {
        await writeChanges(tx, changes);
        await writeLiveness(tx, projector);
      });
      return changes.some((c) => c.type === 'alert');
    });
    if (decided) await publish();
  };
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    tick()
      .catch(async (err: unknown) => {
        log(`auditor: detector tick failed: ${String(err)}`);
        await serial.run(async () => {
          projector = new Projector(await loadView(db, opts.cfg), opts.cfg);
        });
      })
      .finally(() => (ticking = false));
  }, opts.tickMs ?? 100);

  const api = await startApi({
    db,
    host: opts.host,
    port: opts.port,
    token: opts.token,
    health: () => ({ database: opts.database.kind, nats: nc.isClosed() ? 'closed' : 'connected', ingested, lastError }),
  });
  log(`auditor: listening on ${api.url}, database ${opts.database.where}, NATS ${opts.natsUrl}`);

  return {
    url: api.url,
    stop: async () => {
      clearInterval(timer);
      await api.close();
      await consumer.stop();
      await serial.run(() => Promise.resolve());
      await nc.drain();
    },
  };
}
