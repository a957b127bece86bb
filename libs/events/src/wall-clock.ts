// `at` is wall-clock UTC, ISO-8601 with exactly six fractional digits (µs): failover latency is measured
// in fractions of a millisecond (DESIGN.md "Facts measured"), so milliseconds are too coarse to order
// events from one node. The caller passes microseconds since the Unix epoch (this library reads no clock).

export const WALL_CLOCK_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function formatWallClockMicros(epochMicros: bigint): string {
  const ms = epochMicros / 1000n;
  const micros = epochMicros % 1000n;
  const iso = new Date(Number(ms)).toISOString(); // 2024-01-01T00:00:00.123Z
  return `${iso.slice(0, -1)}${micros.toString().padStart(3, '0')}Z`;
}

/** Inverse of formatWallClockMicros; undefined for text that does not match the pattern. */
export function parseWallClockMicros(text: string): bigint | undefined {
  if (!WALL_CLOCK_PATTERN.test(text)) return undefined;
  const ms = Date.parse(`${text.slice(0, 23)}Z`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1000n + BigInt(text.slice(23, 26));
}
