// A real local SMTP server (smtp-server) that parses what it receives (mailparser). It can be taken
// down and brought back on the same port (an outage drill), or answer 451 for a while.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export const SMTP_USER = 'alerts';
export const SMTP_PASS = 'pa55word';

export class SmtpStub {
  readonly received: ParsedMail[] = [];
  /** RCPT TO addresses per received message. */
  readonly envelopes: string[][] = [];
  /** The next this-many messages are refused with 451 (temporary). */
  tempFailures = 0;
  #server: SMTPServer | undefined;
  #port = 0;
  #waiters: { n: number; resolve: () => void }[] = [];

  private constructor(private readonly requireAuth: boolean) {}

  /** `requireAuth: false` is keepalived's way: plain SMTP, no AUTH. */
  static async start(opts: { requireAuth?: boolean } = {}): Promise<SmtpStub> {
    const stub = new SmtpStub(opts.requireAuth ?? true);
    await stub.resume();
    return stub;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return this.requireAuth ? `smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${this.#port}` : `smtp://127.0.0.1:${this.#port}`;
  }

  async resume(): Promise<void> {
    if (this.#server) throw new Error('smtp stub already running');
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: !this.requireAuth,
      logger: false,
      onAuth: (auth, _session, cb) => (auth.username === SMTP_USER && auth.password === SMTP_PASS ? cb(null, { user: auth.username }) : cb(new Error('bad credentials'))),
      onData: (stream, session, cb) => {
        if (this.tempFailures > 0) {
          this.tempFailures--;
          stream.resume();
          stream.on('end', () => cb(Object.assign(new Error('try again later'), { responseCode: 451 })));
          return;
        }
        simpleParser(stream).then(
          (mail) => {
            this.received.push(mail);
            this.envelopes.push(session.envelope.rcptTo.map((r) => r.address));
            cb();
            this.#waiters = this.#waiters.filter((w) => (this.received.length >= w.n ? (w.resolve(), false) : true));
          },
          (err: Error) => cb(err),
        );
      },
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.server.address() as AddressInfo).port;
  }

  /** Stops listening (connections refused) until resume(). */
  async stop(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  waitForReceived(n: number, timeoutMs = 15_000): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`smtp stub: ${this.received.length} received, waited for ${n}`)), timeoutMs);
      this.#waiters.push({ n, resolve: () => (clearTimeout(t), resolve()) });
    });
  }
}
