// A node's identity on the bus. keepalived's `router_id` alone is not unique: the tutorial's two nodes
// both say `router_id LVS_DEVEL`. So the id is `<router_id>@<host>` where host is the host name or the
// primary address, e.g. `LVS_DEVEL@node1` — and that is also how a person sees it (logs, status, alerts).
// keepalived's default router_id is the host name; then the id is just the host (`node1`), not `node1@node1`.

/** What a node id may contain: printable, no whitespace, bounded. Dots are fine (subjects encode them). */
export const NODE_ID_PATTERN = /^[^\s\p{Cc}]{1,200}$/u;

/** Programmer error (bad config reaching here) throws; config validation should have caught it. */
export function makeNodeId(routerId: string | undefined, host: string): string {
  if (!NODE_ID_PATTERN.test(host) || host.includes('@')) throw new RangeError(`makeNodeId: bad host ${JSON.stringify(host)}`);
  if (routerId === undefined || routerId === '' || routerId === host) return host;
  const id = `${routerId}@${host}`;
  if (!NODE_ID_PATTERN.test(id)) throw new RangeError(`makeNodeId: bad router_id ${JSON.stringify(routerId)}`);
  return id;
}

/** Splits at the last `@` (a router_id may contain `@`, a host name or address never does). */
export function parseNodeId(nodeId: string): { routerId: string | undefined; host: string } {
  const at = nodeId.lastIndexOf('@');
  if (at < 0) return { routerId: undefined, host: nodeId };
  return { routerId: nodeId.slice(0, at), host: nodeId.slice(at + 1) };
}
