// The node's local control socket (a Unix socket in its run dir): one JSON request per line, one JSON
// answer per line. `vrrp-node status` is its client. Only root (the socket is 0600) can ask.
import { createServer, type Server, type Socket } from 'node:net';
import { chmodSync, rmSync } from 'node:fs';

export type ControlHandler = (request: { cmd: string }) => unknown;

export class ControlServer {
  readonly #server: Server;
  readonly #path: string;
  readonly #sockets = new Set<Socket>();

  constructor(path: string, handler: ControlHandler) {
    this.#path = path;
    this.#server = createServer((sock) => {
      this.#sockets.add(sock);
      sock.on('close', () => this.#sockets.delete(sock));
      sock.on('error', () => sock.destroy());
      let buf = '';
      sock.setEncoding('utf8');
      sock.on('data', (d: string) => {
        buf += d;
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          sock.write(JSON.stringify(answer(handler, line)) + '\n');
        }
        if (buf.length > 65536) sock.destroy();
      });
    });
  }

  listen(): Promise<void> {
    rmSync(this.#path, { force: true }); // a stale socket of a crashed node
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#path, () => {
        chmodSync(this.#path, 0o600);
        resolve();
      });
    });
  }

  close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

function answer(handler: ControlHandler, line: string): unknown {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch {
    return { error: 'request is not JSON' };
  }
  if (typeof request !== 'object' || request === null || typeof (request as { cmd?: unknown }).cmd !== 'string') {
    return { error: 'request needs a "cmd" string' };
  }
  try {
    return { ok: true, result: handler(request as { cmd: string }) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
