// Everything the delivery tests run against, all real and local: nats-server (random port, temp
// store), a fresh Postgres database, the Slack stand-in and an SMTP server. close() removes it all.
import { setTimeout as sleep } from 'node:timers/promises';
import { gt, max } from 'drizzle-orm';
import { jetstream } from '@nats-io/jetstream';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { alertMessageId, alertSubject } from '@hotstandby/events';
import type { Alert } from '@hotstandby/events';
import { NatsServer } from '../../../../test/support/nats-server.js';
import { createTestDatabase } from '../../../../test/support/postgres.js';
import type { TestDatabase } from '../../../../test/support/postgres.js';
import type { ChannelSettings } from '../../src/config/env.js';
import { channelSettings } from '../../src/config/env.js';
import type { Database } from '../../src/db/database.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { deadLetters, deliveries } from '../../src/schema/index.js';
import type { DeadLetterRow, DeliveryRow } from '../../src/schema/index.js';
import type { NotifierOptions } from '../../src/service/notifier.js';
import { ensureAlertStream } from '../../src/ingest/streams.js';
import { jetstreamManager } from '@nats-io/jetstream';
import { SlackStub } from './slack-stub.js';
import { SmtpStub } from './smtp-stub.js';

export const FROM = 'keepalived@lab.example';
export const TO = 'oncall@lab.example';

export interface Rig {
  readonly nats: NatsServer;
  readonly pg: TestDatabase;
  readonly database: Database;
  readonly slack: SlackStub;
  readonly smtp: SmtpStub;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  /** The environment a notifier child process gets. */
  readonly env: Record<string, string>;
  readonly channels: ChannelSettings;
  publish(alert: Alert, msgID?: string): Promise<void>;
  publishRaw(subject: string, data: string): Promise<void>;
  /** Send records and dead letters from here on are this test's (the store is shared by the suite). */
  mark(): Promise<void>;
  rows(): Promise<DeliveryRow[]>;
  deadLetters(): Promise<DeadLetterRow[]>;
  /** Waits until `n` send records exist (since mark()) and none is pending or sending. */
  settled(n: number, timeoutMs?: number): Promise<DeliveryRow[]>;
  close(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const nats = await NatsServer.start();
  const pg = await createTestDatabase('hs_notifier');
  const database = await openDatabase(pg.url);
  await migrateDatabase(database);
  const slack = await SlackStub.start();
  const smtp = await SmtpStub.start();
  const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1 });
  await ensureAlertStream(await jetstreamManager(nc));
  const js = jetstream(nc);
  const env = {
    NATS_URL: nats.url,
    DATABASE_URL: pg.url,
    SLACK_WEBHOOK_URL: slack.url,
    SMTP_URL: smtp.url,
    ALERT_EMAIL_TO: TO,
    ALERT_EMAIL_FROM: FROM,
    AUDITOR_URL: 'http://auditor.lab:8080',
  };
  const c = channelSettings(env);
  if (!c.ok) throw new Error(c.reason);
  let since = { delivery: 0, deadLetter: 0 };
  const rows = (): Promise<DeliveryRow[]> => database.db.select().from(deliveries).where(gt(deliveries.id, since.delivery)).orderBy(deliveries.id);
  return {
    nats,
    pg,
    database,
    slack,
    smtp,
    nc,
    js,
    env,
    channels: c.value,
    publish: async (alert, msgID) => {
      await js.publish(alertSubject(alert.kind, alert.domain), JSON.stringify(alert), { msgID: msgID ?? alertMessageId(alert) });
    },
    publishRaw: async (subject, data) => {
      await js.publish(subject, data);
    },
    mark: async () => {
      const [d] = await database.db.select({ m: max(deliveries.id) }).from(deliveries);
      const [l] = await database.db.select({ m: max(deadLetters.id) }).from(deadLetters);
      since = { delivery: d?.m ?? 0, deadLetter: l?.m ?? 0 };
    },
    rows,
    deadLetters: () => database.db.select().from(deadLetters).where(gt(deadLetters.id, since.deadLetter)).orderBy(deadLetters.id),
    settled: async (n, timeoutMs = 20_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = await rows();
        if (r.length >= n && r.every((x) => x.status === 'sent' || x.status === 'dead')) return r;
        if (Date.now() > until) throw new Error(`not settled: ${JSON.stringify(r.map((x) => [x.id, x.channel, x.kind, x.status, x.attempts, x.lastError]))}`);
        await sleep(50);
      }
    },
    close: async () => {
      await nc.close();
      await Promise.allSettled([slack.close(), smtp.stop(), database.close()]);
      await pg.drop();
      await nats.dispose();
    },
  };
}

/** Small timings so drills take seconds: group window 100 ms, backoff from 20 ms. */
export function quick(rig: Rig, over: Partial<NotifierOptions> = {}): NotifierOptions {
  return {
    db: rig.database,
    nc: rig.nc,
    channels: rig.channels,
    auditorUrl: rig.env.AUDITOR_URL,
    groupWindowMs: 100,
    retry: { baseMs: 20, capMs: 200, maxAttempts: 100, maxElapsedMs: 30_000 },
    rateLimit: { slack: { burst: 100, perMinute: 6000 }, email: { burst: 100, perMinute: 6000 } },
    idlePollMs: 200,
    sendTimeoutMs: 5_000,
    log: () => {},
    ...over,
  };
}

/** Routes file content with the same small timings, for a notifier child process. */
export const QUICK_ROUTES = JSON.stringify({
  groupWindowMs: 100,
  retry: { baseMs: 20, capMs: 200, maxAttempts: 100, maxElapsedMs: 30000 },
  rateLimit: { slack: { burst: 100, perMinute: 6000 }, email: { burst: 100, perMinute: 6000 } },
});
