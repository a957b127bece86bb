// The query benchmark's dataset: a fleet's event log and the mastership intervals it implies, generated
// in SQL (generate_series) straight into the auditor's real schema (the committed migrations).
//
// Shape (`domains` LANs, default 100): each LAN has a node pair lb-NNNa / lb-NNNb running two VRRP
// instances, VRID 51 and 52 — the same VRIDs on every LAN, as keepalived's examples have it, so "who was
// master of VRID 51" needs the domain to be one answer. Per router (domain, VRID) the master alternates
// a, b, a, … every `intervalS` seconds; every 97th handover is a split brain (the old master steps down
// 3 s after the new one took over: two overlapping intervals). Events:
// - transition: one BACKUP→MASTER (master-no-response, with failoverLatencyUs) opening each interval and
//   one MASTER→BACKUP (higher-priority-received) closing it — the interval's start/end event ids;
// - heartbeat: every node, periodically, with both instances (state from the interval in force, VIPs,
//   counters) — about 1 KiB of JSON, as libs/events heartbeatEventSchema has it.
// Ids are `<node>.<boot>.<seq>` with a dense seq per node in time order; rows are inserted in `at` order
// (as ingest would), with the table's indexes dropped during the load and recreated exactly as the
// migrations defined them (read back from pg_indexes), which is several times faster than maintaining them.
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/database.js';
import { resultRows } from '../src/project/recordset.js';

export interface DatasetSize {
  /** Rows in `events` (about: heartbeats are rounded per node). */
  events: number;
  /** Rows in `mastership` (about: rounded up to a whole number per router). */
  intervals: number;
  domains: number;
}

export interface Dataset extends DatasetSize {
  routers: number;
  vrids: readonly number[];
  /** Start of the first interval, epoch µs; the data spans [t0, t0 + spanUs). */
  t0: number;
  spanUs: number;
  intervalS: number;
  heartbeatS: number;
  /** Exact row counts after generation. */
  eventRows: number;
  intervalRows: number;
  generatedSeconds: number;
}

export const VRIDS = [51, 52] as const;
const INTERVAL_S = 480;
const T0_S = Date.UTC(2026, 0, 1) / 1000;

export function domainName(d: number): string {
  return `10.${1 + Math.floor(d / 250)}.${d % 250}.0/24`;
}

/** The same formula as the SQL below: `10.<1 + d/250>.<d%250>.0/24`. */
const DOMAIN_SQL = `'10.' || (1 + d / 250) || '.' || (d % 250) || '.0/24'`;

export function plan(size: DatasetSize): Omit<Dataset, 'eventRows' | 'intervalRows' | 'generatedSeconds'> {
  const routers = size.domains * VRIDS.length;
  const perRouter = Math.ceil(size.intervals / routers);
  const transitions = routers * (2 * perRouter - 1);
  const nodes = size.domains * 2;
  const beatsPerNode = Math.max(1, Math.ceil((size.events - transitions) / nodes));
  const spanS = perRouter * INTERVAL_S;
  return {
    ...size,
    intervals: routers * perRouter,
    routers,
    vrids: VRIDS,
    t0: T0_S * 1e6,
    spanUs: spanS * 1e6,
    intervalS: INTERVAL_S,
    heartbeatS: spanS / beatsPerNode,
  };
}

/** Runs each `;`-separated statement (the extended protocol takes one at a time; VACUUM wants no transaction). */
async function exec(db: Db, text: string): Promise<void> {
  for (const statement of text.split(/;\s*(?=\S)/)) await db.execute(sql.raw(statement));
}

/** Drops `table`'s indexes and unique/primary constraints; answers the statements that recreate them. */
async function dropIndexes(db: Db, table: string): Promise<string[]> {
  const constraints = resultRows<{ name: string; def: string }>(
    await db.execute(sql`select conname as name, pg_get_constraintdef(oid) as def from pg_constraint where conrelid = ${table}::regclass and contype in ('p', 'u')`),
  );
  const indexes = resultRows<{ name: string; def: string }>(
    await db.execute(sql`
      select i.indexname as name, i.indexdef as def from pg_indexes i
      where i.tablename = ${table} and i.schemaname = 'public'
        and not exists (select 1 from pg_constraint c where c.conrelid = ${table}::regclass and c.conname = i.indexname)`),
  );
  for (const c of constraints) await exec(db, `alter table ${table} drop constraint "${c.name}"`);
  for (const i of indexes) await exec(db, `drop index "${i.name}"`);
  return [...constraints.map((c) => `alter table ${table} add constraint "${c.name}" ${c.def}`), ...indexes.map((i) => i.def)];
}

/** Fills an empty, migrated database. `log` gets one line per step with its duration. */
export async function generateDataset(db: Db, size: DatasetSize, log: (line: string) => void): Promise<Dataset> {
  const p = plan(size);
  const perRouter = p.intervals / p.routers;
  const started = performance.now();
  const step = async (what: string, text: string): Promise<void> => {
    const t = performance.now();
    await exec(db, text);
    log(`  ${what}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  // Session settings for a bulk load (this connection only).
  await exec(db, `set work_mem = '512MB'; set maintenance_work_mem = '1GB'; set synchronous_commit = off`);

  // Intervals: router (d, k) has VRID 51 + k; interval i starts at t0 + off + i·L, where off spreads the
  // routers' handovers over L; the master is node a for even i. Every 97th handover overlaps by 3 s.
  await step(
    'intervals (staging)',
    `create unlogged table bench_iv as
     select d, k, 51 + k as vrid, i, ${DOMAIN_SQL} as domain,
            'lb-' || lpad(d::text, 3, '0') || case when i % 2 = 0 then 'a' else 'b' end as node_id,
            i % 2 as x,
            to_timestamp(${T0_S} + off + i * ${INTERVAL_S}) as from_at,
            case when i = ${perRouter - 1} then null
                 else to_timestamp(${T0_S} + off + (i + 1) * ${INTERVAL_S} + case when i % 97 = 50 then 3.0 else 0 end) end as to_at
     from generate_series(0, ${p.domains - 1}) d, generate_series(0, ${VRIDS.length - 1}) k,
          lateral (select ((d * ${VRIDS.length} + k) * ${INTERVAL_S}.0 / ${p.routers}) + 0.000137 * (d + 1) as off) o,
          generate_series(0, ${perRouter - 1}) i`,
  );
  // Event skeletons (no payload yet): transitions at interval boundaries, heartbeats every H per node.
  // kind 0 = transition up (opens interval i), 1 = transition down (closes it), 2 = heartbeat.
  await step(
    'event skeletons (staging)',
    `create unlogged table bench_sk as
     select node_id, from_at as at, 0 as kind, d, k, i, x from bench_iv
     union all
     select node_id, to_at, 1, d, k, i, x from bench_iv where to_at is not null
     union all
     select 'lb-' || lpad(d::text, 3, '0') || case when x = 0 then 'a' else 'b' end, to_timestamp(${T0_S} + 0.25 + x * 0.5 + d * 0.001 + j * ${p.heartbeatS}), 2, d, null, j, x
     from generate_series(0, ${p.domains - 1}) d, generate_series(0, 1) x, generate_series(0, ${Math.round(p.spanUs / 1e6 / p.heartbeatS) - 1}) j`,
  );
  await step(
    'seq per node (window sort)',
    `create unlogged table bench_ev as
     select *, row_number() over (partition by node_id order by at, kind, k) - 1 as seq from bench_sk order by at, node_id, seq`,
  );
  await exec(db, 'drop table bench_sk; analyze bench_iv; analyze bench_ev');

  const evIndexes = await dropIndexes(db, 'events');
  // Payloads as libs/events schemas have them. Boot id: 12 hex digits of ms + 8 "random" hex digits.
  const bootOf = (t: string) => `lpad(to_hex(${T0_S * 1000 - 86_400_000}::bigint), 12, '0') || lpad(to_hex(${t}d * 7919 + ${t}x * 104729 + 268435456), 8, '0')`;
  const boot = bootOf('');
  const wall = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const mono = `((date_part('epoch', at) - ${T0_S - 86_400}) * 1e9)::bigint::text`;
  const envelope = `'id', node_id || '.' || ${boot} || '.' || seq, 'schema', 1, 'nodeId', node_id, 'bootId', ${boot}, 'seq', seq, 'at', ${wall('at')}, 'mono', ${mono}`;
  const addr = (host: string) => `'10.' || (1 + d / 250) || '.' || (d % 250) || '.' || ${host}`;
  // Whether node x is MASTER of router (d, k) at `at`: the interval index from the same formula as bench_iv.
  const isMaster = (kk: number) => {
    const off = `((d * ${VRIDS.length} + ${kk}) * ${INTERVAL_S}.0 / ${p.routers}) + 0.000137 * (d + 1)`;
    const idx = `floor((date_part('epoch', at) - ${T0_S} - (${off})) / ${INTERVAL_S})::int`;
    return `(${idx} >= 0 and ${idx} % 2 = x)`;
  };
  // A heartbeat's instance list depends on (d, x) and the two states: built once per combination (800
  // for 100 LANs) and joined, since building 16M JSON objects row by row is most of the load time.
  const instance = (kk: number, master: string) => {
    const vip = `jsonb_build_array(${addr(`${100 + kk}`)})`;
    return `jsonb_build_object('instance', 'VI_${VRIDS[kk]}', 'vrid', ${VRIDS[kk]}, 'family', 'ipv4', 'interface', 'eth0', 'domain', ${DOMAIN_SQL},
      'state', case when ${master} then 'MASTER' else 'BACKUP' end, 'basePriority', 150 - x * 50, 'effectivePriority', 150 - x * 50,
      'installedVips', case when ${master} then ${vip} else '[]'::jsonb end, 'intendedVips', case when ${master} then ${vip} else '[]'::jsonb end,
      'advertsSent', 1234567 + d * 31 + x, 'advertsReceived', 1234567 + d * 37 + x, 'becameMaster', 2500 + x, 'releasedMaster', 2500 - x)`;
  };
  await step(
    'heartbeat instance lists (staging)',
    `create unlogged table bench_hb as
     select d as hd, x as hx, m0, m1, jsonb_build_array(${instance(0, 'm0')}, ${instance(1, 'm1')}) as instances
     from generate_series(0, ${p.domains - 1}) d, generate_series(0, 1) x, (values (false), (true)) a (m0), (values (false), (true)) b (m1);
     analyze bench_hb`,
  );
  const transition = `jsonb_build_object(${envelope}, 'instance', 'VI_' || (51 + k), 'vrid', 51 + k, 'family', 'ipv4', 'interface', 'eth0', 'domain', ${DOMAIN_SQL},
      'kind', 'transition', 'from', case when kind = 0 then 'BACKUP' else 'MASTER' end, 'to', case when kind = 0 then 'MASTER' else 'BACKUP' end,
      'reason', case when kind = 0 then 'master-no-response' else 'higher-priority-received' end, 'basePriority', 150 - x * 50, 'effectivePriority', 150 - x * 50,
      'masterAddress', ${addr(`case when x = 0 then 12 else 11 end`)}, 'intervalCs', 100)
      || case when kind = 0 then jsonb_build_object('failoverLatencyUs', 3000000 + (i * 7919) % 700000) else '{}'::jsonb end`;
  const heartbeat = `jsonb_build_object(${envelope}, 'kind', 'heartbeat', 'periodMs', ${Math.round(p.heartbeatS * 1000)}, 'instances', h.instances)`;
  await step(
    'events (insert, payloads built in SQL)',
    `insert into events (id, node_id, boot_id, seq, kind, domain, vrid, instance, at, stream_seq, received_at, payload)
     select node_id || '.' || ${boot} || '.' || seq, node_id, ${boot}, seq, case when kind = 2 then 'heartbeat' else 'transition' end,
            case when kind = 2 then null else ${DOMAIN_SQL} end, case when kind = 2 then null else 51 + k end,
            case when kind = 2 then null else 'VI_' || (51 + k) end, at, row_number() over (order by at, node_id, seq), at + interval '3 ms',
            case when kind = 2 then ${heartbeat} else ${transition} end
     from bench_ev e left join bench_hb h on e.kind = 2 and h.hd = e.d and h.hx = e.x and h.m0 = ${isMaster(0)} and h.m1 = ${isMaster(1)}
     order by at, node_id, seq`,
  );
  const ivIndexes = await dropIndexes(db, 'mastership');
  await step(
    'mastership (insert)',
    `insert into mastership (domain, vrid, node_id, instance, from_at, to_at, start_reason, end_reason, start_event_id, end_event_id, interval_cs)
     select v.domain, v.vrid, v.node_id, 'VI_' || v.vrid, v.from_at, v.to_at, 'master-no-response', case when v.to_at is null then null else 'higher-priority-received' end,
            v.node_id || '.' || ${bootOf('v.')} || '.' || s.seq, v.node_id || '.' || ${bootOf('v.')} || '.' || e.seq, 100
     from bench_iv v
     join bench_ev s on s.kind = 0 and s.d = v.d and s.k = v.k and s.i = v.i
     left join bench_ev e on e.kind = 1 and e.d = v.d and e.k = v.k and e.i = v.i
     order by v.from_at`,
  );
  await exec(db, 'drop table bench_ev; drop table bench_iv; drop table bench_hb');
  const t = performance.now();
  for (const def of [...evIndexes, ...ivIndexes]) await exec(db, def);
  log(`  indexes (${evIndexes.length + ivIndexes.length}, as migrated): ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await step('vacuum analyze', 'vacuum analyze events; vacuum analyze mastership');
  const counts = resultRows<{ e: string; m: string }>(await db.execute(sql`select (select count(*) from events) as e, (select count(*) from mastership) as m`))[0]!;
  return { ...p, eventRows: Number(counts.e), intervalRows: Number(counts.m), generatedSeconds: (performance.now() - started) / 1000 };
}
