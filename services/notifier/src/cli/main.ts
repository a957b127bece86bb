// `vrrp-notifier serve | test --channel … | migrate`. Settings come from the environment (secrets)
// and optionally a routes file and keepalived.conf; see README.md.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Channel } from '../alert/notice.js';
import { CHANNELS } from '../alert/notice.js';
import { channelSettings } from '../config/env.js';
import type { ChannelSettings } from '../config/env.js';
import { readKeepalivedEmail } from '../config/keepalived.js';
import { parseRoutesFile } from '../config/routes.js';
import type { RoutesFile } from '../config/routes.js';
import { defaultDataDir, openDatabase } from '../db/database.js';
import type { Database } from '../db/database.js';
import { migrateDatabase } from '../db/migrate.js';
import type { Failpoint } from '../deliver/worker.js';
import { startNotifier } from '../service/notifier.js';
import { senderFor } from '../service/senders.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `usage: vrrp-notifier <command> [options]

  serve    consume alerts from NATS and deliver them
           --config routes.json        routing (kinds/severities/domains → channels) and delivery knobs
           --keepalived-conf FILE      seed e-mail from global_defs (notification_email, _from, smtp_server)
           --durable NAME              JetStream durable consumer name (default: notifier)
           --ack-wait-ms N             redelivery delay of unacked alerts (default: 30000)
  test     send a test message: --channel slack|email|console  (plus --keepalived-conf)
  migrate  create/upgrade the notifier's tables (serve does this too)

environment:
  NATS_URL            nats://127.0.0.1:4222 by default
  DATABASE_URL        Postgres for the send records; without it, embedded PGlite in
  NOTIFIER_DATA_DIR   (default ~/.local/share/hotstandby/notifier; one process at a time)
  SLACK_WEBHOOK_URL   Slack incoming webhook
  SMTP_URL            smtp://user:pass@host:587 (smtps:// for implicit TLS)
  ALERT_EMAIL_TO      comma-separated recipients      ALERT_EMAIL_FROM  sender address
  AUDITOR_URL         base URL of the auditor, for timeline links
  NOTIFIER_CONSOLE=1  print every message on stdout too
With neither SLACK_WEBHOOK_URL nor SMTP_URL (nor keepalived smtp_server), alerts go to stdout.`;

type Env = Readonly<Record<string, string | undefined>>;

async function loadChannels(keepalivedConf: string | undefined, env: Env): Promise<ChannelSettings> {
  let seed;
  if (keepalivedConf) {
    const k = readKeepalivedEmail(await readFile(keepalivedConf, 'utf8'));
    if (!k.ok) throw new UsageError(`${keepalivedConf}:${k.line}: ${k.reason}`);
    seed = k.value;
  }
  const c = channelSettings(env, seed);
  if (!c.ok) throw new UsageError(c.reason);
  return c.value;
}

async function loadRoutes(file: string | undefined): Promise<RoutesFile | undefined> {
  if (!file) return undefined;
  const r = parseRoutesFile(await readFile(file, 'utf8'));
  if (!r.ok) throw new UsageError(`${file}: ${r.reason}`);
  return r.value;
}

/**
 * Fault injection for the crash drills: HS_NOTIFIER_FAILPOINT=after-record | after-send[:channel]
 * makes the process SIGKILL itself there (after the send records are committed but before the
 * JetStream ack; after a server accepted a message but before it is recorded as sent).
 */
function failpointFrom(env: Env): Failpoint | undefined {
  const at = env['HS_NOTIFIER_FAILPOINT'];
  if (!at) return undefined;
  return (name, channel) => {
    if (at === name || (channel && at === `${name}:${channel}`)) process.kill(process.pid, 'SIGKILL');
  };
}

function positiveInt(v: string, name: string): number {
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw new UsageError(`${name} must be a positive integer, got ${v}`);
  return Number(v);
}

/** Postgres when DATABASE_URL is set; otherwise embedded PGlite in NOTIFIER_DATA_DIR, and a line that says so. */
async function openStore(env: Env, opts: { max?: number } = {}): Promise<Database> {
  const url = env['DATABASE_URL'];
  if (url) return openDatabase({ url, ...opts });
  const dataDir = defaultDataDir(env);
  console.error(`vrrp-notifier: no DATABASE_URL: send records in embedded PGlite at ${dataDir} (one process; set DATABASE_URL for Postgres)`);
  return openDatabase({ dataDir });
}

export async function main(argv: readonly string[], env: Env = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      'keepalived-conf': { type: 'string' },
      durable: { type: 'string' },
      'ack-wait-ms': { type: 'string' },
      channel: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case 'migrate': {
      const db = await openStore(env, { max: 1 });
      try {
        await migrateDatabase(db);
        console.log(`vrrp-notifier: migrated ${db.where}`);
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'test': {
      const channel = values.channel as Channel | undefined;
      if (!channel || !CHANNELS.includes(channel)) throw new UsageError('test needs --channel slack|email|console');
      const channels = await loadChannels(values['keepalived-conf'], env);
      if (channel !== 'console' && !channels[channel]) throw new UsageError(`${channel} is not configured (${channel === 'slack' ? 'SLACK_WEBHOOK_URL' : 'SMTP_URL, ALERT_EMAIL_TO, ALERT_EMAIL_FROM'})`);
      const at = new Date().toISOString();
      const send = senderFor(channel, channels, { auditorUrl: env['AUDITOR_URL'] });
      const outcome = await send({ notice: { type: 'test', channel, at }, ref: `test:${channel}:${at}`, possibleDuplicate: false });
      if (!outcome.ok) {
        console.error(`vrrp-notifier: test message to ${channel} failed: ${outcome.reason}`);
        return 1;
      }
      console.error(`vrrp-notifier: test message sent to ${channel}`);
      return 0;
    }
    case 'serve': {
      const channels = await loadChannels(values['keepalived-conf'], env);
      const routes = await loadRoutes(values.config);
      const db = await openStore(env);
      await migrateDatabase(db);
      const failpoint = failpointFrom(env);
      const notifier = await startNotifier({
        db,
        natsUrl: env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
        channels,
        routes,
        auditorUrl: env['AUDITOR_URL'],
        ...(values.durable ? { durable: values.durable } : {}),
        ...(values['ack-wait-ms'] ? { ackWaitMs: positiveInt(values['ack-wait-ms'], '--ack-wait-ms') } : {}),
        ...(failpoint ? { failpoint } : {}),
      });
      console.error(`vrrp-notifier: serving; store ${db.where}; ${channels.sources.join('; ')}`);
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      await notifier.stop();
      await db.close();
      console.error('vrrp-notifier: stopped');
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}
