// CPU time and resident memory of a set of processes, read from /proc (Linux), the way `ps` and
// `top` compute them: CPU% = Δ(utime + stime) / Δwall; RSS = VmRSS.
import { readFileSync } from 'node:fs';

/** Linux reports utime/stime in USER_HZ ticks, 100 per second on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

interface Sample {
  readonly cpuTicks: number;
  readonly rssKb: number;
}

function sample(pid: number): Sample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Split after the ")" that ends the command name (which may itself hold spaces): the first field
    // then is state (field 3 of proc(5)), so utime (14) and stime (15) are at 11 and 12.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return { cpuTicks: Number(fields[11]) + Number(fields[12]), rssKb: rss ? Number(rss[1]) : 0 };
  } catch {
    return undefined; // gone
  }
}

export interface Usage {
  /** Share of one core over the window, in percent. */
  readonly cpuPercent: number;
  /** Sum of the processes' VmRSS at the end of the window, MiB. */
  readonly rssMiB: number;
}

/** Samples `pids` at the start and end of a `windowMs` window (sleeping in between). */
export async function measureUsage(pids: readonly number[], windowMs: number): Promise<Usage> {
  const t0 = performance.now();
  const before = pids.map(sample);
  await new Promise((r) => setTimeout(r, windowMs));
  const after = pids.map(sample);
  const seconds = (performance.now() - t0) / 1000;
  let ticks = 0;
  let rssKb = 0;
  for (const [i, a] of after.entries()) {
    const b = before[i];
    if (a === undefined || b === undefined) throw new Error(`process ${pids[i]} exited during the measurement`);
    ticks += a.cpuTicks - b.cpuTicks;
    rssKb += a.rssKb;
  }
  return { cpuPercent: (ticks / TICKS_PER_SECOND / seconds) * 100, rssMiB: rssKb / 1024 };
}
