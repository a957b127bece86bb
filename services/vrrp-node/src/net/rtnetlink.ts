// One rtnetlink request/answer exchange over the npm `netlink` package (0.3.0), with kernel errors as
// typed values instead of the package's `Error('Request rejected: EEXIST')` strings.
//
// Pitfalls of netlink 0.3.0 handled here (see also addresses.ts / links.ts):
// - RtNetlinkSocket.request() rejects with a plain Error whose only errno trace is the message text; we
//   go one layer down (NetlinkSocket.request with checkError:false) and read the errno ourselves.
// - RtNetlinkSocket's 'message' event drops the netlink header, so RTM_NEWADDR and RTM_DELADDR look the
//   same; monitors listen on the inner NetlinkSocket instead (links.ts).
// - A socket only sees its own network namespace: the one the process was in when it was created.
// - The kernel does not echo a change to the socket that made it (netlink_broadcast skips the sender's
//   port), so a monitor must use a socket of its own to see our own VIP changes too.
import { AttrStream, MessageType, createRtNetlink, parseError, rt } from 'netlink';
import type { NetlinkMessage, RtNetlinkSocket } from 'netlink';
import { getSystemErrorName } from 'node:util';

export type { RtNetlinkSocket } from 'netlink';

/** A request the kernel refused; `code` is the errno name (EEXIST, EADDRNOTAVAIL, ENODEV, EPERM …). */
export class RtnetlinkError extends Error {
  constructor(
    readonly operation: string,
    /** Positive errno. */
    readonly errno: number,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(`${operation}: ${code} (errno ${errno})`, options);
    this.name = 'RtnetlinkError';
  }
}

const REQUEST_TIMEOUT_MS = 5_000;

/** A socket for requests. Unreferenced by default: an idle request socket must not keep the process alive. */
export function openRequestSocket(): RtNetlinkSocket {
  // The options type of 0.3.0 marks recvBufferSize/sendBufferSize as required; passing none is fine.
  return createRtNetlink();
}

/**
 * Sends one request and returns the parsed answer messages (none for a plain ACK, several for a dump).
 * Throws RtnetlinkError when the kernel answers with a non-zero errno.
 */
export async function rtRequest(
  sock: RtNetlinkSocket,
  operation: string,
  type: rt.MessageType,
  message: rt.Message,
  flags = 0,
): Promise<rt.Message[]> {
  const body = new AttrStream();
  switch (message.kind) {
    case 'address':
      rt.formatAddressMessage(message, body);
      break;
    case 'link':
      rt.formatLinkMessage(message, body);
      break;
    default:
      throw new Error(`rtRequest: unsupported message kind ${message.kind}`);
  }
  let answer: NetlinkMessage[];
  try {
    [answer] = await sock.socket.request(type, body.bufs, { flags, checkError: false, timeout: REQUEST_TIMEOUT_MS });
  } catch (e) {
    throw new Error(`${operation}: netlink request failed`, { cause: e });
  }
  const out: rt.Message[] = [];
  for (const m of answer) {
    if (m.type === (MessageType.ERROR as number)) {
      const errno = -parseError(m.data, m.flags).errno;
      if (errno !== 0) throw new RtnetlinkError(operation, errno, errnoName(errno));
      continue;
    }
    if (m.type === (MessageType.DONE as number)) continue;
    out.push(rt.parseMessage(m.type, m.data));
  }
  return out;
}

function errnoName(errno: number): string {
  try {
    return getSystemErrorName(-errno);
  } catch {
    return `E${errno}`;
  }
}
