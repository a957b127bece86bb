// `npm start` / hotstandby-tutorial: the tutorial's two-node failover, end to end, on this machine.
//   (no flag)   run the drill with a live view, then stay up until Ctrl-C
//   --drill     run the drill unattended; exit 0 only if every step behaved as expected
//   --mutual    the mutual hot standby: VI_2 (vrid 52, VIP 10.10.10.130) with priorities swapped
import { parseArgs } from 'node:util';
import { checkPrerequisites } from './prereqs.js';
import { Tutorial } from './tutorial.js';

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: argv, options: { drill: { type: 'boolean' }, mutual: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (err) {
    process.stderr.write(`hotstandby-tutorial: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write('usage: npm start [-- --drill] [-- --mutual]\n');
    return 0;
  }
  const pre = await checkPrerequisites();
  if (!pre.ok) {
    process.stderr.write(pre.message + '\n');
    return 1;
  }
  const out = (t: string): void => void process.stdout.write(t);
  const t = new Tutorial({ mutual: values.mutual === true, out, live: process.stdout.isTTY && values.drill !== true });
  let stopping = false;
  const cleanup = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    out('\nstopping: removing every namespace and process the tutorial made...\n');
    await t.tearDown();
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanup().then(() => process.exit(143)));
  try {
    await t.setUp();
    const ok = await t.drill();
    out('\nwhat happened (transitions, as the nodes logged them):\n' + t.events.map((e) => `  ${e}\n`).join(''));
    const failed = t.results.filter((r) => !r.ok);
    out(failed.length === 0 ? '\nevery step behaved as expected\n' : `\n${failed.length} step(s) did not:\n${failed.map((f) => `  - ${f.step}: ${f.detail}\n`).join('')}`);
    if (values.drill === true) {
      await cleanup();
      return ok ? 0 : 1;
    }
    out('\nthe lab stays up; Ctrl-C to stop and clean up.\n');
    await new Promise(() => undefined);
    return 0;
  } catch (err) {
    process.stderr.write(`hotstandby-tutorial: ${err instanceof Error ? err.stack : String(err)}\n`);
    await cleanup();
    return 1;
  }
}
