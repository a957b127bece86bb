// Asks a running node over its control socket. Errors say which socket and what to check.
import { connect } from 'node:net';

export class ControlError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ControlError';
  }
}

export function askNode(socketPath: string, cmd: string, timeoutMs = 3000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const sock = connect(socketPath);
    let buf = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new ControlError(`no answer from ${socketPath} within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(JSON.stringify({ cmd }) + '\n'));
    sock.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      sock.end();
      try {
        const msg = JSON.parse(buf.slice(0, nl)) as { ok?: boolean; result?: unknown; error?: string };
        if (msg.ok === true) resolve(msg.result);
        else reject(new ControlError(`node answered: ${msg.error ?? 'unknown error'}`));
      } catch (cause) {
        reject(new ControlError(`bad answer from ${socketPath}`, { cause }));
      }
    });
    sock.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const hint = err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? ' (is vrrp-node running with this config / --run-dir?)' : '';
      reject(new ControlError(`cannot reach ${socketPath}: ${err.code ?? err.message}${hint}`, { cause: err }));
    });
  });
}
