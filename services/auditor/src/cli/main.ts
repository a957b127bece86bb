// vrrp-auditor: serve | migrate | rebuild | who | history. Configuration from flags or the environment
// (DATABASE_URL, NATS_URL, AUDITOR_TOKEN, AUDITOR_DATA_DIR). Without DATABASE_URL the embedded PGlite
// database is used, and the start-up line says so.
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/database.js';
import type { Database } from '../db/database.js';
import { migrateDatabase } from '../db/migrate.js';
import { DEFAULT_DETECT_CONFIG } from '../detect/config.js';
import { rebuildProjections } from '../project/rebuild.js';
import { history } from '../query/history.js';
import { masterAt } from '../query/master-at.js';
import type { Interval } from '../query/master-at.js';
import { startAuditor } from '../service/auditor.js';
import { parseDuration, parseTimestamp, toIso } from '../time/micros.js';
import { table } from './table.js';
import { startTelemetry } from '@hotstandby/telemetry-sdk';

const USAGE = `usage: vrrp-auditor <command> [options]

  serve   [--listen HOST:PORT] [--nats URL] [--database URL]   consumer + detectors + HTTP API
  migrate [--database URL]                                     apply the SQL migrations
  rebuild [--database URL]                                     recompute projections from events
  who     --vrid N --at TIME [--domain D] [--json]             who was MASTER at TIME
  history --vrid N [--since 24h | --from TIME [--to TIME]] [--domain D] [--json]

TIME: ISO-8601 or "YYYY-MM-DD HH:MM[:SS[.ffffff]]" (UTC unless a zone is given).
Environment: DATABASE_URL (else embedded PGlite in AUDITOR_DATA_DIR), NATS_URL (nats://127.0.0.1:4222),
AUDITOR_TOKEN (bearer token, required when --listen is not loopback).`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

async function open(url: string | undefined): Promise<Database> {
  const database = await openDatabase({ url: url ?? process.env.DATABASE_URL });
  if (database.kind === 'pglite') console.error(`vrrp-auditor: DATABASE_URL not set, using embedded PGlite at ${database.where.slice('pglite:'.length)}`);
  return database;
}

function vridOf(v: string | undefined): number {
  if (v === undefined) throw new UsageError('--vrid is required');
  if (!/^\d{1,3}$/.test(v) || Number(v) < 1 || Number(v) > 255) throw new UsageError(`--vrid must be 1-255, got ${v}`);
  return Number(v);
}

function timeOf(name: string, v: string): number {
  const t = parseTimestamp(v);
  if (t === undefined) throw new UsageError(`--${name}: not a time: ${v}`);
  return t;
}

function printIntervals(rows: Interval[], json: boolean, empty: string): void {
  if (json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  if (rows.length === 0) {
    console.log(empty);
    return;
  }
  console.log(
    table(
      ['NODE', 'INSTANCE', 'VRID', 'DOMAIN', 'FROM', 'TO', 'WHY (START / END)', 'FAILOVER'],
      rows.map((r) => [
        r.node,
        r.instance,
        String(r.vrid),
        r.domain,
        r.from,
        r.to ?? '(still)',
        `${r.startReason} / ${r.endReason ?? '-'}`,
        r.failoverLatencyUs !== undefined && r.failoverLatencyUs !== null ? `${(r.failoverLatencyUs / 1000).toFixed(1)} ms` : '-',
      ]),
    ),
  );
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      listen: { type: 'string' },
      nats: { type: 'string' },
      database: { type: 'string' },
      vrid: { type: 'string' },
      at: { type: 'string' },
      domain: { type: 'string' },
      since: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (!command || values.help || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  switch (command) {
    case 'migrate': {
      const db = await open(values.database);
      try {
        await migrateDatabase(db);
        console.error(`vrrp-auditor: migrations applied (${db.where})`);
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'rebuild': {
      const db = await open(values.database);
      try {
        await migrateDatabase(db);
        const tty = process.stderr.isTTY;
        const r = await rebuildProjections(db.db, {
          cfg: DEFAULT_DETECT_CONFIG,
          now: Date.now() * 1000,
          onProgress: ({ done, total, elapsedMs }) => {
            if (!tty) return;
            const rate = done / Math.max(elapsedMs / 1000, 0.001);
            const left = (total - done) / Math.max(rate, 1);
            process.stderr.write(`\rrebuild: ${done}/${total} events, ${Math.round(rate)} events/s, ${left.toFixed(0)} s left   `);
          },
        });
        if (tty) process.stderr.write('\n');
        console.error(`vrrp-auditor: rebuilt projections from ${r.events} events (${r.alerts} alerts)`);
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'who': {
      const vrid = vridOf(values.vrid);
      if (!values.at) throw new UsageError('--at is required');
      const at = timeOf('at', values.at);
      const db = await open(values.database);
      try {
        const rows = await masterAt(db.db, { vrid, at, domain: values.domain });
        if (!values.json && rows.length > 1) console.log(`SPLIT BRAIN: ${rows.length} masters of VRID ${vrid} at ${toIso(at)}`);
        printIntervals(rows, values.json, `no known MASTER of VRID ${vrid} at ${toIso(at)}`);
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'history': {
      const vrid = vridOf(values.vrid);
      const now = Date.now() * 1000;
      let from: number;
      const to = values.to ? timeOf('to', values.to) : now;
      if (values.from) from = timeOf('from', values.from);
      else {
        const d = parseDuration(values.since ?? '24h');
        if (d === undefined) throw new UsageError(`--since: not a duration (e.g. 24h, 90m): ${values.since}`);
        from = to - d;
      }
      if (from >= to) throw new UsageError('the start must be before the end');
      const db = await open(values.database);
      try {
        printIntervals(await history(db.db, { vrid, from, to, domain: values.domain }), values.json, `no MASTER of VRID ${vrid} between ${toIso(from)} and ${toIso(to)}`);
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'serve': {
      const listen = values.listen ?? '127.0.0.1:8480';
      const m = /^(.*):(\d{1,5})$/.exec(listen);
      if (!m) throw new UsageError(`--listen must be HOST:PORT, got ${listen}`);
      // OpenTelemetry, once, for this process (off unless OTEL_* configures it).
      const telemetry = await startTelemetry({ serviceName: 'vrrp-auditor' });
      const db = await open(values.database);
      const auditor = await startAuditor({
        database: db,
        natsUrl: values.nats ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
        host: m[1]!.replace(/^\[(.*)\]$/, '$1'),
        port: Number(m[2]),
        token: process.env.AUDITOR_TOKEN,
        cfg: DEFAULT_DETECT_CONFIG,
      });
      // Until a signal; a broken consumer ends the process (exit 1) for the service manager to restart.
      let stopping = false;
      const consumerEnded = auditor.done.then(() => {
        if (!stopping) throw new Error('the event consumer ended unexpectedly');
      });
      await Promise.race([
        new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        }),
        consumerEnded,
      ]);
      stopping = true;
      await auditor.stop();
      await db.close();
      await telemetry.shutdown();
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}
