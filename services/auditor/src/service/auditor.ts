// `vrrp-auditor serve`: the consumer, the detectors (per event, plus a clock tick for deadlines that
// pass while the bus is quiet), alert publication and the HTTP API, in one process.
//
// A Postgres outage (restart, crash) does not stop the process: the consumer holds the batch and
// retries it, ticks probe at the same pace, DatabaseHealth logs one line when the database goes and one
// when it is back, /healthz answers 503 meanwhile. After any failed write the projector is reloaded from
// the committed projections before it is used again (it may hold events that did not commit). Started
// while Postgres or NATS is away, it waits for them (untilDatabase, waitOnFirstConnect) instead of exiting.
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
import { DatabaseHealth } from './database-health.js';
import { isDatabaseUnavailable, retryDelayMs, rootMessage } from '../db/unavailable.js';

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
  /** Rejects if the consumer breaks (the process should exit and be restarted). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** How long a first NATS connection may take before the log says it is waiting. */
const NATS_SLOW_MS = 2000;

/**
 * `work` once the database answers: retried with backoff while it is unavailable (db/unavailable.ts),
 * one log line when the wait starts and one when it ends; any other error is thrown at once.
 */
async function untilDatabase<T>(work: () => Promise<T>, log: (line: string) => void): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      const result = await work();
      if (failures > 0) log('auditor: database available, starting');
      return result;
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      if (failures === 0) log(`auditor: database unavailable at start (${rootMessage(err)}); retrying until it answers`);
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(failures + 1)));
    }
  }
}

export async function startAuditor(opts: AuditorOptions): Promise<RunningAuditor> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const { db } = opts.database;
  // Started while Postgres or NATS is away (a host booting, a restart): wait for them, as the running
  // service waits out an outage, instead of exiting — with one line saying what it waits for.
  await untilDatabase(() => migrateDatabase(opts.database), log);
  const natsSlow = setTimeout(() => log(`auditor: NATS at ${opts.natsUrl} not reachable yet; still trying`), NATS_SLOW_MS);
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: opts.natsUrl, name: 'vrrp-auditor', maxReconnectAttempts: -1, waitOnFirstConnect: true });
  } finally {
    clearTimeout(natsSlow);
  }
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm);
  await ensureConsumer(jsm);
  const js = jetstream(nc);

  let projector = new Projector(await untilDatabase(() => loadView(db, opts.cfg), log), opts.cfg);
  /** Set by a failed write: the projector may hold events or decisions that did not commit. */
  let stale = false;
  const serial = new Serial();
  const health = new DatabaseHealth(log);
  /** Runs `job` alone, with a projector that matches what is committed. */
  const withProjector = <T>(job: () => Promise<T>): Promise<T> =>
    serial.run(async () => {
      if (stale) {
        projector = new Projector(await loadView(db, opts.cfg), opts.cfg);
        stale = false;
        health.succeeded();
      }
      return job();
    });
  let ingested = 0;
  let duplicates = 0;
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
    process: withProjector,
    onBatch: async (r: BatchResult) => {
      health.succeeded();
      ingested += r.inserted;
      duplicates += r.duplicates;
      if (r.decisions.length > 0) await publish();
    },
    onError: (err) => {
      stale = true;
      lastError = String((err as Error).cause ?? err);
      // The database being away is logged once per outage (DatabaseHealth); the batch is retried.
      if (!health.failed(err)) log(`auditor: batch failed, will be redelivered: ${lastError}`);
    },
  });

  const tick = async (): Promise<void> => {
    if (!health.mayTry()) return; // the database is away: probe at the retry pace, not every tick
    const decided = await withProjector(async () => {
      const changes = projector.tick(Date.now() * 1000);
      if (changes.length === 0 && projector.touchedNodes.size === 0) return false;
      await db.transaction(async (tx) => {
        await writeChanges(tx, changes);
        await writeLiveness(tx, projector);
      });
      health.succeeded();
      return changes.some((c) => c.type === 'alert');
    });
    if (decided) await publish();
  };
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    tick()
      .catch((err: unknown) => {
        stale = true;
        if (!health.failed(err)) log(`auditor: detector tick failed: ${String(err)}`);
      })
      .finally(() => (ticking = false));
  }, opts.tickMs ?? 100);

  const api = await startApi({
    db,
    host: opts.host,
    port: opts.port,
    token: opts.token,
    health: () => ({
      ok: health.available,
      database: opts.database.kind,
      ...health.state(),
      ingest: health.available ? 'running' : 'paused (database unavailable)',
      nats: nc.isClosed() ? 'closed' : 'connected',
      ingested,
      duplicates,
      redelivered: consumer.stats.redelivered,
      lastError,
    }),
  });
  log(`auditor: listening on ${api.url}, database ${opts.database.where}, NATS ${opts.natsUrl}`);

  return {
    url: api.url,
    done: consumer.done,
    stop: async () => {
      clearInterval(timer);
      await api.close();
      await consumer.stop();
      await serial.run(() => Promise.resolve());
      await nc.drain();
    },
  };
}
