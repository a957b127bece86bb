// A query's two prepared forms — without and with a domain filter — made once per database handle, on
// first use. Prepared, a call is one round trip that binds and executes a named server-side statement:
// drizzle runs an unprepared query as Parse+Describe, wait, Bind+Execute (two round trips) and Postgres
// plans it every time — together several times the index lookup itself (bench/query.bench.ts).
import type { Executor } from '../project/store.js';

export function preparedPerDomain<P>(name: string, build: (db: Executor, inDomain: boolean) => { prepare(name: string): P }): (db: Executor, inDomain: boolean) => P {
  const byHandle = new WeakMap<Executor, { any: P; inDomain: P }>();
  return (db, inDomain) => {
    let s = byHandle.get(db);
    if (!s) byHandle.set(db, (s = { any: build(db, false).prepare(name), inDomain: build(db, true).prepare(`${name}_in_domain`) }));
    return inDomain ? s.inDomain : s.any;
  };
}
