// Child for journal.test.ts: opens the outbox with a long batching window, appends N events and
// kills itself with SIGKILL before any batch could be written — the worst moment for a crash.
import { Outbox } from '../../../src/outbox/outbox.js';
import { transitionDraft } from '../drafts.js';

const [dir, n] = [process.argv[2]!, Number(process.argv[3])];
const outbox = await Outbox.open({ dir, nodeId: 'LVS_DEVEL@10.10.10.126', flushIntervalMs: 60_000, flushBatch: 1_000_000 });
const ids = Array.from({ length: n }, (_, i) => outbox.append(transitionDraft(i)));
process.stdout.write(JSON.stringify(ids) + '\n', () => process.kill(process.pid, 'SIGKILL'));
