// Auditor read path at fleet scale: "who was master of (domain, VRID) at T", the history of a router and a
// page of the event log, over a dataset of ≥10M events and ≥1M mastership intervals (bench/query-dataset.ts,
// generated in SQL into the migrated schema), measured the way an API caller waits for them.
//
// Views of "master at T" (each over random (domain, VRID, T), 5% of them inside a split-brain overlap;
// every answer is checked against the dataset's formula — one master, or both in an overlap):
// - GET /api/v1/master over HTTP keep-alive, against the real API (startApi + openDatabase as `serve`
//   builds them) in a child process (bench/api-server.ts): what a caller sees — through node:http's client,
//   and through a minimal one (the API's share without ~0.2 ms of client CPU per request);
// - masterAt() in this process: the query path without HTTP;
// - the server's execution time (EXPLAIN ANALYZE of the same statement): the index's share.
// Then /api/v1/history (a 1-hour window) and /api/v1/events (a filtered first page, and the next page
// through its cursor), with the plan's top lines so that a full scan shows. Also the API process's CPU
// per request (less sensitive to load than latency) and the load average.
//
//   node --conditions=source --import tsx services/auditor/bench/query.bench.ts [options]
//     --events N      rows in events (default 10000000)        --intervals N  mastership rows (default 1000000)
//     --queries N     requests per view (default 5000)         --quick        2e5 events, 2e4 intervals, 1000 queries
//     --warmup N      unmeasured requests before each master/history view (default 3000, --quick 500): a
//                     fresh API process is still compiling after 500 (README: p99 ~3 ms there, ~1.7 after 3000)
//     --keep          keep the generated database (hs_bench_query_<events>_<intervals>) and reuse it next time
//                     (also AUDITOR_BENCH_KEEP=1); without it a fresh database is made and dropped
//     --domains N     LANs (default 100; each a node pair with VRIDs 51 and 52)
//     --generate-only make the kept database and stop (generation needs no bench lock: run it first, then
//                     measure under `flock /tmp/hs-bench.lock`)
//
// Full size (10M events, 1M intervals) on the project's 2-core VM: generation 27 min at load average 8-10
// (printed step by step; mostly the 10M-row INSERT and the index builds), the database 11.6 GiB; the
// measurements about 3 min. Results and how they were obtained: services/auditor/README.md.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { openDatabase } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { decodeCursor, eventsQuery } from '../src/query/events.js';
import { historyQuery } from '../src/query/history.js';
import { masterAt, masterAtQuery } from '../src/query/master-at.js';
import { toIso } from '../src/time/micros.js';
import type { Dataset } from './query-dataset.js';
import { domainName, generateDataset, plan } from './query-dataset.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string' },
    intervals: { type: 'string' },
    queries: { type: 'string' },
    warmup: { type: 'string' },
    domains: { type: 'string' },
    quick: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'generate-only': { type: 'boolean', default: false },
  },
});
const quick = args.quick;
const EVENTS = Number(args.events ?? (quick ? 200_000 : 10_000_000));
const INTERVALS = Number(args.intervals ?? (quick ? 20_000 : 1_000_000));
const QUERIES = Number(args.queries ?? (quick ? 1000 : 5000));
const WARMUP = Number(args.warmup ?? (quick ? 500 : 3000));
const DOMAINS = Number(args.domains ?? (quick ? 10 : 100));
const GENERATE_ONLY = args['generate-only'];
const KEEP = args.keep || GENERATE_ONLY || process.env.AUDITOR_BENCH_KEEP === '1';
const PG = `postgres://${process.env.PGUSER ?? 'postgres'}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? 5432}`;

// ---- the database: reuse a kept one whose comment says it is complete, else generate -------------------

async function prepareDatabase(): Promise<{ url: string; dataset: Dataset; drop: () => Promise<void> }> {
  const name = KEEP ? `hs_bench_query_${EVENTS}_${INTERVALS}_${DOMAINS}` : `hs_bench_query_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(`${PG}/postgres`, { max: 1, onnotice: () => {} });
  const drop = async (): Promise<void> => {
    const a = postgres(`${PG}/postgres`, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists "${name}" with (force)`);
    await a.end();
  };
  try {
    const found = await admin<{ comment: string | null }[]>`select shobj_description(oid, 'pg_database') as comment from pg_database where datname = ${name}`;
    const url = `${PG}/${name}`;
    if (found.length === 1 && found[0]!.comment?.startsWith('{')) {
      const dataset = JSON.parse(found[0]!.comment) as Dataset;
      console.log(`reusing database ${name} (generated in ${dataset.generatedSeconds.toFixed(0)} s; drop it with: psql -c 'drop database "${name}"')`);
      const database = await openDatabase({ url, max: 1 });
      await migrateDatabase(database); // a migration added since it was generated applies here
      await database.close();
      return { url, dataset, drop: async () => {} };
    }
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
    const database = await openDatabase({ url, max: 1 });
    try {
      await migrateDatabase(database);
      const p = plan({ events: EVENTS, intervals: INTERVALS, domains: DOMAINS });
      console.log(`generating ~${EVENTS} events and ${p.intervals} intervals into ${name} (${p.routers} routers, heartbeat every ${p.heartbeatS.toFixed(1)} s per node):`);
      const dataset = await generateDataset(database.db, { events: EVENTS, intervals: INTERVALS, domains: DOMAINS }, (l) => console.log(l));
      await admin.unsafe(`comment on database "${name}" is '${JSON.stringify(dataset)}'`);
      return { url, dataset, drop: KEEP ? async () => {} : drop };
    } finally {
      await database.close();
    }
  } finally {
    await admin.end();
  }
}

// ---- what the dataset says the answer is ---------------------------------------------------------------

interface Probe {
  domain: string;
  vrid: number;
  at: number;
  /** Node ids expected MASTER at `at`, sorted. */
  masters: string[];
}

function probe(ds: Dataset, d: number, k: number, at: number): Probe {
  const off = ((d * ds.vrids.length + k) * ds.intervalS) / ds.routers + 0.000137 * (d + 1);
  const rel = (at - ds.t0) / 1e6 - off;
  const perRouter = ds.intervalRows / ds.routers;
  const i = Math.floor(rel / ds.intervalS);
  const node = (j: number) => `lb-${String(d).padStart(3, '0')}${j % 2 === 0 ? 'a' : 'b'}`;
  const masters = i < 0 ? [] : [node(Math.min(i, perRouter - 1))];
  // The previous master of every 97th handover stays 3 s into the next interval (query-dataset.ts).
  if (i >= 1 && i < perRouter && (i - 1) % 97 === 50 && rel - i * ds.intervalS < 3) masters.push(node(i - 1));
  return { domain: domainName(d), vrid: ds.vrids[k]!, at, masters: masters.sort() };
}

function randomProbe(ds: Dataset, splitBrain: boolean): Probe {
  const d = Math.floor(Math.random() * ds.domains);
  const k = Math.floor(Math.random() * ds.vrids.length);
  if (!splitBrain) return probe(ds, d, k, ds.t0 + Math.floor(Math.random() * ds.spanUs));
  const perRouter = ds.intervalRows / ds.routers;
  const handovers = Math.floor((perRouter - 2 - 50) / 97) + 1;
  const i = 51 + 97 * Math.floor(Math.random() * handovers);
  const off = ((d * ds.vrids.length + k) * ds.intervalS) / ds.routers + 0.000137 * (d + 1);
  return probe(ds, d, k, ds.t0 + Math.round((off + i * ds.intervalS + Math.random() * 2.9) * 1e6));
}

function probes(ds: Dataset, n: number): Probe[] {
  return Array.from({ length: n }, (_, q) => randomProbe(ds, q % 20 === 0));
}

function check(p: Probe, nodes: string[]): void {
  const got = [...nodes].sort();
  if (got.join() !== p.masters.join()) throw new Error(`master of ${p.domain} VRID ${p.vrid} at ${toIso(p.at)}: expected [${p.masters.join()}], got [${got.join()}]`);
}

// ---- measuring ----------------------------------------------------------------------------------------

interface Row {
  view: string;
  ms: number[];
  /** The API process's CPU per request (HTTP views). */
  cpuMsPerReq?: number;
  /** This process's CPU per request: the HTTP client, or masterAt() and postgres.js in process. */
  benchCpuMsPerReq?: number;
}

const selfCpuMs = (since: NodeJS.CpuUsage): number => ((u) => (u.user + u.system) / 1000)(process.cpuUsage(since));

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/** utime + stime of a process, ms (from /proc, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function timed<T>(n: number, warmup: number, run: (q: number) => Promise<T>): Promise<number[]> {
  const ms: number[] = [];
  for (let q = 0; q < n + warmup; q++) {
    const t = performance.now();
    await run(q);
    if (q >= warmup) ms.push(performance.now() - t);
  }
  return ms;
}

async function startApiProcess(url: string): Promise<{ base: string; pid: number; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL('./api-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], { env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`api-server exited with ${code}`)));
  });
  return {
    base,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/**
 * The least a caller can spend on HTTP: one keep-alive socket, a request written as one string, the answer
 * taken by its content-length. node:http's client costs this process ~0.2 ms of CPU per request (its
 * parser, IncomingMessage and streams) — on a 2-core VM shared by client, API and Postgres that is in the
 * latency too; this view shows the API's share without it.
 */
function minimalClient(base: string): { get(path: string): Promise<unknown>; close(): void } {
  const { hostname, port } = new URL(base);
  const socket = connect({ host: hostname, port: Number(port), noDelay: true });
  let buf: Buffer = Buffer.alloc(0);
  let waiting: { resolve: (v: unknown) => void; reject: (e: Error) => void; path: string } | undefined;
  const settle = (): void => {
    const end = buf.indexOf('\r\n\r\n');
    if (!waiting || end === -1) return;
    const head = buf.subarray(0, end).toString('latin1');
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) return waiting.reject(new Error(`GET ${waiting.path}: no content-length`));
    const total = end + 4 + Number(length[1]);
    if (buf.length < total) return;
    const body = buf.subarray(end + 4, total).toString('utf8');
    buf = buf.subarray(total);
    const w = waiting;
    waiting = undefined;
    if (!head.startsWith('HTTP/1.1 200 ')) w.reject(new Error(`GET ${w.path}: ${head.split('\r\n')[0]} ${body}`));
    else w.resolve(JSON.parse(body));
  };
  socket.on('data', (d: Buffer) => {
    buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
    settle();
  });
  socket.on('error', (e) => waiting?.reject(e));
  return {
    get: (path) =>
      new Promise((resolve, reject) => {
        waiting = { resolve, reject, path };
        socket.write(`GET ${path} HTTP/1.1\r\nhost: ${hostname}\r\n\r\n`);
      }),
    close: () => socket.destroy(),
  };
}

function get(base: string, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode} ${body}`));
        else resolve(JSON.parse(body));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The plan's node lines, compact: "Limit ← Index Scan using events_router_at_id_idx (rows 101, removed 0)". */
async function planSummary(sqlc: postgres.Sql, q: { sql: string; params: unknown[] }): Promise<string> {
  const [row] = await sqlc.unsafe(`explain (analyze, buffers, format json) ${q.sql}`, q.params as never[]);
  type Node = { 'Node Type': string; 'Index Name'?: string; 'Actual Rows': number; 'Rows Removed by Filter'?: number; Plans?: Node[] };
  const top = (Object.values(row!)[0] as { Plan: Node; 'Execution Time': number }[])[0]!;
  const parts: string[] = [];
  const walk = (n: Node): void => {
    parts.push(`${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''} (${n['Actual Rows']} rows${n['Rows Removed by Filter'] ? `, ${n['Rows Removed by Filter']} filtered out` : ''})`);
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(top.Plan);
  return `${top['Execution Time'].toFixed(2)} ms: ${parts.join(' ← ')}`;
}

async function main(): Promise<void> {
  const { url, dataset: ds, drop } = await prepareDatabase();
  if (GENERATE_ONLY) return;
  const database = await openDatabase({ url, max: 1 });
  const sqlc = postgres(url, { max: 1, onnotice: () => {} });
  const api = await startApiProcess(url);
  const rows: Row[] = [];
  const plans: string[] = [];
  try {
    const size = await sqlc<{ bytes: string }[]>`select pg_database_size(current_database()) as bytes`;
    console.log(
      `dataset: ${ds.eventRows} events, ${ds.intervalRows} mastership intervals (${ds.routers} routers = ${ds.domains} LANs × VRIDs ${ds.vrids.join('/')}, ` +
        `${(ds.spanUs / 86400e6).toFixed(1)} days, a handover every ${ds.intervalS} s per router, heartbeat every ${ds.heartbeatS.toFixed(1)} s per node), ` +
        `${(Number(size[0]!.bytes) / 2 ** 30).toFixed(1)} GiB, generated in ${ds.generatedSeconds.toFixed(0)} s`,
    );
    // Steady state, as a long-running API is: after 500 requests the fresh API child (and this client)
    // still compile and grow their heaps on V8's background threads, which on 2 vCPUs compete with the
    // request chain (perf sched: they held the CPUs during most >0.5 ms run-queue waits of the chain);
    // GET /api/v1/master's p99 after 500 warm-up requests was 2.96-3.51 ms, after 3000 1.62-1.69 ms
    // (3 alternated pairs, same load).
    const warm = WARMUP;

    // 1. GET /api/v1/master — the figure that counts.
    const masterPath = (p: Probe): string => `/api/v1/master?vrid=${p.vrid}&domain=${encodeURIComponent(p.domain)}&at=${toIso(p.at)}`;
    let ps = probes(ds, QUERIES + warm);
    let cpu0 = cpuMs(api.pid);
    let self0 = process.cpuUsage();
    rows.push({
      view: 'GET /api/v1/master (HTTP keep-alive, node:http)',
      ms: await timed(QUERIES, warm, async (q) => {
        const p = ps[q]!;
        const r = (await get(api.base, masterPath(p))) as { masters: { node: string }[] };
        check(p, r.masters.map((m) => m.node));
      }),
      cpuMsPerReq: (cpuMs(api.pid) - cpu0) / (QUERIES + warm),
      benchCpuMsPerReq: selfCpuMs(self0) / (QUERIES + warm),
    });
    // 1b. The same through the minimal client: the API's latency without node:http's client CPU.
    ps = probes(ds, QUERIES + warm);
    const minimal = minimalClient(api.base);
    cpu0 = cpuMs(api.pid);
    self0 = process.cpuUsage();
    rows.push({
      view: 'GET /api/v1/master (HTTP keep-alive, minimal client)',
      ms: await timed(QUERIES, warm, async (q) => {
        const p = ps[q]!;
        const r = (await minimal.get(masterPath(p))) as { masters: { node: string }[] };
        check(p, r.masters.map((m) => m.node));
      }),
      cpuMsPerReq: (cpuMs(api.pid) - cpu0) / (QUERIES + warm),
      benchCpuMsPerReq: selfCpuMs(self0) / (QUERIES + warm),
    });
    minimal.close();
    // 2. masterAt() in process.
    ps = probes(ds, QUERIES + warm);
    self0 = process.cpuUsage();
    rows.push({
      view: 'masterAt() in process (postgres.js)',
      ms: await timed(QUERIES, warm, async (q) => {
        const p = ps[q]!;
        check(p, (await masterAt(database.db, p)).map((m) => m.node));
      }),
      benchCpuMsPerReq: selfCpuMs(self0) / (QUERIES + warm),
    });
    // 3. The server's execution time of the same statement.
    ps = probes(ds, Math.min(QUERIES, 1000));
    const exec: number[] = [];
    const stmt = masterAtQuery(database.db, true).toSQL();
    for (const p of ps) {
      const params = stmt.params.map((x) => (x as { name?: string }).name === 'vrid' ? p.vrid : (x as { name?: string }).name === 'domain' ? p.domain : toIso(p.at));
      const [r] = await sqlc.unsafe(`explain (analyze, format json) ${stmt.sql}`, params);
      exec.push((Object.values(r!)[0] as { 'Execution Time': number }[])[0]!['Execution Time']);
    }
    rows.push({ view: 'server execution (EXPLAIN ANALYZE)', ms: exec });
    {
      const p = ps[0]!;
      plans.push(`master at T: ${await planSummary(sqlc, { sql: stmt.sql, params: [p.vrid, p.domain, toIso(p.at)] })}`);
    }

    // 4. History of one router over an hour (≈ 8 intervals, with the takeover latency joined from events).
    const hour = 3600e6;
    const hist = probes(ds, QUERIES + warm).map((p) => ({ ...p, from: Math.min(p.at, ds.t0 + ds.spanUs - hour) }));
    cpu0 = cpuMs(api.pid);
    rows.push({
      view: 'GET /api/v1/history (1 h of a router)',
      ms: await timed(QUERIES, warm, async (q) => {
        const h = hist[q]!;
        const r = (await get(api.base, `/api/v1/history?vrid=${h.vrid}&domain=${encodeURIComponent(h.domain)}&from=${toIso(h.from)}&to=${toIso(h.from + hour)}`)) as { intervals: unknown[] };
        if (r.intervals.length < 7) throw new Error(`history: ${r.intervals.length} intervals in an hour`);
      }),
      cpuMsPerReq: (cpuMs(api.pid) - cpu0) / (QUERIES + warm),
    });
    {
      const h = hist[0]!;
      const hs = historyQuery(database.db, true).toSQL();
      const values: Record<string, unknown> = { vrid: h.vrid, domain: h.domain, from: toIso(h.from), to: toIso(h.from + hour), limit: 10_000 };
      plans.push(`history 1 h: ${await planSummary(sqlc, { sql: hs.sql, params: hs.params.map((x) => values[(x as { name: string }).name]) })}`);
    }

    // 5. Event log pages: a router's transitions, and a node's events (mostly ~1 KiB heartbeats), from a
    //    random time; then the page after it through the cursor the first answered.
    const pages = Math.max(100, Math.floor(QUERIES / 5));
    const filters = [
      { name: 'router transitions', q: (p: Probe) => `vrid=${p.vrid}&domain=${encodeURIComponent(p.domain)}&kind=transition`, f: (p: Probe) => ({ vrid: p.vrid, domain: p.domain, kind: 'transition' }) },
      { name: 'one node', q: (p: Probe) => `node=${p.masters[0] ?? 'lb-000a'}`, f: (p: Probe) => ({ node: p.masters[0] ?? 'lb-000a' }) },
      { name: 'a VRID on every LAN', q: (p: Probe) => `vrid=${p.vrid}`, f: (p: Probe) => ({ vrid: p.vrid }) },
    ];
    for (const f of filters) {
      const starts = probes(ds, pages + 50).map((p) => ({ p, from: Math.min(p.at, ds.t0 + ds.spanUs - 24 * hour) }));
      const nexts: string[] = [];
      cpu0 = cpuMs(api.pid);
      rows.push({
        view: `GET /api/v1/events ${f.name}, page 1`,
        ms: await timed(pages, 50, async (q) => {
          const s = starts[q]!;
          const r = (await get(api.base, `/api/v1/events?${f.q(s.p)}&from=${toIso(s.from)}&limit=100`)) as { events: unknown[]; next: string | null };
          if (r.events.length !== 100 || r.next === null) throw new Error(`events: a page of ${r.events.length}`);
          nexts.push(`/api/v1/events?${f.q(s.p)}&from=${toIso(s.from)}&limit=100&cursor=${r.next}`);
        }),
        cpuMsPerReq: (cpuMs(api.pid) - cpu0) / (pages + 50),
      });
      cpu0 = cpuMs(api.pid);
      rows.push({
        view: `GET /api/v1/events ${f.name}, cursor page`,
        ms: await timed(pages, 50, async (q) => {
          const r = (await get(api.base, nexts[q]!)) as { events: unknown[] };
          if (r.events.length !== 100) throw new Error(`events: a cursor page of ${r.events.length}`);
        }),
        cpuMsPerReq: (cpuMs(api.pid) - cpu0) / (pages + 50),
      });
      const s = starts[0]!;
      const body = (await get(api.base, nexts[0]!.replace(/&cursor=.*$/, ''))) as { next: string };
      const cursor = decodeCursor(body.next);
      const filter = { ...f.f(s.p), from: s.from, limit: 100 };
      plans.push(`events ${f.name}, page 1: ${await planSummary(sqlc, eventsQuery(database.db, filter).toSQL())}`);
      if (cursor.ok) plans.push(`events ${f.name}, cursor page: ${await planSummary(sqlc, eventsQuery(database.db, { ...filter, cursor: cursor.value }).toSQL())}`);
    }
  } finally {
    await api.stop();
    agent.destroy();
    await sqlc.end();
    await database.close();
    await drop();
  }

  const l = loadavg();
  console.log(`\n${QUERIES} requests per view (events: ${Math.max(100, Math.floor(QUERIES / 5))}), after ${WARMUP} warm-up requests (events: 50); load average ${l.map((x) => x.toFixed(2)).join(' ')} on 2 CPUs`);
  const f = (x: number) => x.toFixed(3).padStart(8);
  const c = (x: number | undefined) => (x === undefined ? '' : x.toFixed(3)).padStart(9);
  console.log(`| ${'view'.padEnd(53)} |   p50 ms |   p90 ms |   p99 ms |   max ms | API CPU ms | bench CPU |`);
  console.log(`| ${'-'.repeat(53)} | -------- | -------- | -------- | -------- | ---------- | --------- |`);
  for (const r of rows) {
    console.log(`| ${r.view.padEnd(53)} | ${f(pct(r.ms, 50))} | ${f(pct(r.ms, 90))} | ${f(pct(r.ms, 99))} | ${f(Math.max(...r.ms))} |  ${c(r.cpuMsPerReq)} | ${c(r.benchCpuMsPerReq)} |`);
  }
  console.log('API CPU: the API process per request (HTTP views); bench CPU: this process per request (the HTTP client, or masterAt() in process); Postgres not included.');
  console.log('plans (EXPLAIN ANALYZE of one request of each):');
  for (const p of plans) console.log(`  ${p}`);
}

await main();
