// The auditor's HTTP API alone — the same openDatabase (pool size as `vrrp-auditor serve`) and startApi
// as `serve`, without the NATS consumer and detectors — for bench/query.bench.ts, which runs it as a
// child process so that the client's event loop and the server's do not share a thread.
//   DATABASE_URL=postgres://… node --conditions=source --import tsx bench/api-server.ts
// Prints one JSON line {"url": …} when listening; stops on SIGTERM.
import { startApi } from '../src/api/server.js';
import { openDatabase } from '../src/db/database.js';

const database = await openDatabase({ url: process.env.DATABASE_URL });
const api = await startApi({ db: database.db, host: '127.0.0.1', port: 0, health: () => ({ database: database.kind }) });
console.log(JSON.stringify({ url: api.url }));
process.once('SIGTERM', () => {
  void api.close().then(() => database.close());
});
