// A local HTTP server standing in for a Slack incoming webhook: it checks the Block Kit payload
// (answering 400 invalid_payload like Slack does), records what it "posted", and can be told to
// answer 500 or 429 + Retry-After for a while.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PostedMessage {
  readonly text: string;
  readonly blocks: readonly { type: string; [k: string]: unknown }[];
}

export type StubAnswer = { status: 200 } | { status: 500 } | { status: 429; retryAfterS: number } | { status: 400; body: string };

const BLOCK_TYPES = new Set(['header', 'section', 'context', 'divider', 'actions']);

/** Slack's rules for what we send (the subset we use). Returns the problem, or undefined. */
export function checkPayload(p: unknown): string | undefined {
  if (typeof p !== 'object' || p === null) return 'not an object';
  const { text, blocks } = p as { text?: unknown; blocks?: unknown };
  if (typeof text !== 'string' || text.length === 0) return 'text missing';
  if (!Array.isArray(blocks) || blocks.length === 0 || blocks.length > 50) return 'blocks must be 1-50';
  for (const b of blocks as { type?: unknown; text?: { type?: unknown; text?: unknown }; fields?: unknown[]; elements?: unknown[] }[]) {
    if (typeof b.type !== 'string' || !BLOCK_TYPES.has(b.type)) return `unknown block type ${String(b.type)}`;
    if (b.type === 'header' && (b.text?.type !== 'plain_text' || typeof b.text.text !== 'string' || b.text.text.length > 150)) return 'bad header';
    if (b.type === 'section') {
      if (!b.text && !b.fields) return 'section without text or fields';
      if (b.text && (typeof b.text.text !== 'string' || b.text.text.length > 3000)) return 'bad section text';
      if (b.fields && b.fields.length > 10) return 'more than 10 fields';
    }
    if ((b.type === 'context' || b.type === 'actions') && (!Array.isArray(b.elements) || b.elements.length === 0)) return `${b.type} without elements`;
  }
  return undefined;
}

export class SlackStub {
  readonly posted: PostedMessage[] = [];
  readonly invalid: string[] = [];
  /** Every request, with the status it got. */
  readonly answered: number[] = [];
  /** Answers for the next requests, in order; then 200. */
  readonly script: StubAnswer[] = [];
  #waiters: { n: number; resolve: () => void }[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<SlackStub> {
    const server = createServer();
    const stub = new SlackStub(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void stub.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return stub;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/services/T000/B000/XXXX`;
  }

  /** Resolves once `n` messages have been posted. */
  waitForPosted(n: number, timeoutMs = 15_000): Promise<void> {
    if (this.posted.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`slack stub: ${this.posted.length} posted, waited for ${n}`)), timeoutMs);
      this.#waiters.push({ n, resolve: () => (clearTimeout(t), resolve()) });
    });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const answer = this.script.shift() ?? { status: 200 };
    const reply = (status: number, body: string, headers: Record<string, string> = {}): void => {
      this.answered.push(status);
      res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
    };
    if (req.method !== 'POST' || req.headers['content-type']?.startsWith('application/json') !== true) return reply(400, 'invalid_payload');
    if (answer.status === 500) return reply(500, 'internal_error');
    if (answer.status === 429) return reply(429, 'rate_limited', { 'retry-after': String(answer.retryAfterS) });
    if (answer.status === 400) return reply(400, answer.body);
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      this.invalid.push('not JSON');
      return reply(400, 'invalid_payload');
    }
    const problem = checkPayload(payload);
    if (problem) {
      this.invalid.push(problem);
      return reply(400, 'invalid_payload');
    }
    this.posted.push(payload as PostedMessage);
    reply(200, 'ok');
    this.#waiters = this.#waiters.filter((w) => (this.posted.length >= w.n ? (w.resolve(), false) : true));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The header text of a posted message. */
export function headerOf(m: PostedMessage): string {
  const h = m.blocks.find((b) => b.type === 'header') as { text: { text: string } } | undefined;
  return h?.text.text ?? '';
}
