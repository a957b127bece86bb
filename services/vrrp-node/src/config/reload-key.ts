// What "this part of the configuration did not change" means for a SIGHUP reload. keepalived keeps an
// instance's state across a reload when its definition is the same; where in the file it is written is
// not part of the definition. So a comparison key drops every `location` (the file:line:column kept for
// diagnostics), at any depth — a notify script's `user` or a VIP keeps its own — and a comment or a
// blank line added above an instance does not restart it.

/** A string equal for two values that differ only in where they were written. */
export function reloadKey(value: unknown): string {
  return JSON.stringify(value, (k, v: unknown) => (k === 'location' ? undefined : v)) ?? 'undefined';
}
