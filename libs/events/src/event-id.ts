// Event ids: `<nodeId>.<bootId>.<seq>` (DESIGN.md rule 2). The same string is the JetStream msgID
// (de-duplication) and the auditor's unique key. A node id may contain dots (host names, addresses), so
// ids are parsed from the right: the boot id never contains a dot, the seq is decimal digits.

/** A boot id names one run of the daemon: 12 hex digits of wall-clock ms, then 8 random hex digits. */
export const BOOT_ID_PATTERN = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * Time-sortable, so a person reading two boots of the same node sees which came first.
 * `random` must be 4 bytes from a CSPRNG (the caller owns randomness; this library has no I/O).
 */
export function makeBootId(epochMs: number, random: Uint8Array): string {
  if (random.length < 4) throw new RangeError('makeBootId: need 4 random bytes');
  const time = Math.floor(epochMs).toString(16).padStart(12, '0');
  const rnd = Array.from(random.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
  return time + rnd;
}

export function makeEventId(nodeId: string, bootId: string, seq: number): string {
  if (!BOOT_ID_PATTERN.test(bootId)) throw new RangeError(`makeEventId: bad bootId ${JSON.stringify(bootId)}`);
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`makeEventId: bad seq ${seq}`);
  return `${nodeId}.${bootId}.${seq}`;
}

export type EventIdParts = { nodeId: string; bootId: string; seq: number };

export function parseEventId(id: string): { ok: true; parts: EventIdParts } | { ok: false; reason: string } {
  const lastDot = id.lastIndexOf('.');
  const bootDot = lastDot > 0 ? id.lastIndexOf('.', lastDot - 1) : -1;
  if (bootDot <= 0) return { ok: false, reason: 'expected <nodeId>.<bootId>.<seq>' };
  const nodeId = id.slice(0, bootDot);
  const bootId = id.slice(bootDot + 1, lastDot);
  const seqText = id.slice(lastDot + 1);
  if (!BOOT_ID_PATTERN.test(bootId)) return { ok: false, reason: 'bad bootId' };
  if (!/^(0|[1-9]\d{0,15})$/.test(seqText) || !Number.isSafeInteger(Number(seqText))) return { ok: false, reason: 'bad seq' };
  return { ok: true, parts: { nodeId, bootId, seq: Number(seqText) } };
}
