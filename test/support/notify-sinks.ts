// Test support: where the notifier's Slack posts and e-mails land in a namespace lab. The notifier runs
// in the lab's bridge namespace (it must reach NATS on 10.10.10.1), and that namespace's loopback is
// not the host's, so the sinks run there too: one child process (lab.spawn) with the notifier's own
// Slack stand-in (checks the Block Kit payload) and a real SMTP server (smtp-server, each message
// parsed back with mailparser), which prints what it receives as JSON lines on stdout.
//
// This file is also that child: `node --import tsx notify-sinks.ts serve-sinks`.
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../lab/lab.js';
import { terminateChild } from './terminate-child.js';

const SELF = fileURLToPath(import.meta.url);
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface SinkSlackPost {
  /** The header block's text. */
  readonly header: string;
  readonly text: string;
  readonly blocks: readonly { type: string; [k: string]: unknown }[];
}

export interface SinkEmail {
  readonly subject: string;
  readonly messageId: string | undefined;
  readonly inReplyTo: string | undefined;
  readonly references: readonly string[];
  readonly from: string;
  /** RCPT TO of the SMTP envelope. */
  readonly envelopeTo: readonly string[];
  readonly text: string;
  readonly possibleDuplicate: string | undefined;
}

type SinkLine =
  | { type: 'ready'; slackUrl: string; smtpUrl: string }
  | { type: 'slack'; post: SinkSlackPost }
  | { type: 'slack-invalid'; reason: string }
  | { type: 'email'; mail: SinkEmail };

export class LabNotifySinks {
  readonly slack: SinkSlackPost[] = [];
  readonly email: SinkEmail[] = [];
  /** Payloads the Slack stand-in refused (400 invalid_payload), with the reason. */
  readonly invalid: string[] = [];
  /** stderr of the child, for failure messages. */
  readonly stderr = { text: '' };
  slackUrl = '';
  smtpUrl = '';
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  /** Starts the sinks in the lab's bridge namespace; resolves with their URLs (127.0.0.1 there). */
  static async start(lab: Lab, timeoutMs = 60_000): Promise<LabNotifySinks> {
    const child = lab.spawn(lab.lan, [process.execPath, '--conditions=source', '--import', 'tsx', SELF, 'serve-sinks'], { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO_ROOT });
    const sinks = new LabNotifySinks(child);
    child.stderr?.on('data', (c: Buffer) => (sinks.stderr.text += c.toString()));
    createInterface({ input: child.stdout! }).on('line', (l) => sinks.#onLine(l));
    await sinks.waitFor('the sinks to listen', () => sinks.slackUrl !== '', timeoutMs);
    return sinks;
  }

  #onLine(l: string): void {
    let m: SinkLine;
    try {
      m = JSON.parse(l) as SinkLine;
    } catch {
      this.stderr.text += `(stdout) ${l}\n`;
      return;
    }
    if (m.type === 'ready') {
      this.slackUrl = m.slackUrl;
      this.smtpUrl = m.smtpUrl;
    } else if (m.type === 'slack') this.slack.push(m.post);
    else if (m.type === 'slack-invalid') this.invalid.push(m.reason);
    else this.email.push(m.mail);
  }

  /** Polls `ok` until true; fails with `what` (and the child's stderr) after `timeoutMs` or if the child exits. */
  async waitFor(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!ok()) {
      if (this.#child.exitCode !== null || this.#child.signalCode !== null) throw new Error(`notify sinks exited while waiting for ${what}:\n${this.stderr.text}`);
      if (Date.now() > until) throw new Error(`not seen within ${timeoutMs} ms: ${what} (slack: ${JSON.stringify(this.slack.map((p) => p.header))}; e-mail: ${JSON.stringify(this.email.map((e) => e.subject))})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGTERM by pid, and wait for the exit. */
  async stop(): Promise<void> {
    await terminateChild(this.#child);
  }
}

// ---- the child (runs inside the lab) ----

async function serveSinks(): Promise<void> {
  const { SlackStub, headerOf } = await import('../../services/notifier/test/support/slack-stub.js');
  const { SmtpStub } = await import('../../services/notifier/test/support/smtp-stub.js');
  const slack = await SlackStub.start();
  const smtp = await SmtpStub.start();
  const out = (line: SinkLine): void => void process.stdout.write(JSON.stringify(line) + '\n');
  out({ type: 'ready', slackUrl: slack.url, smtpUrl: smtp.url });
  let posted = 0;
  let invalid = 0;
  let received = 0;
  const flush = (): void => {
    for (; posted < slack.posted.length; posted++) {
      const p = slack.posted[posted]!;
      out({ type: 'slack', post: { header: headerOf(p), text: p.text, blocks: p.blocks } });
    }
    for (; invalid < slack.invalid.length; invalid++) out({ type: 'slack-invalid', reason: slack.invalid[invalid]! });
    for (; received < smtp.received.length; received++) {
      const m = smtp.received[received]!;
      const dup = m.headers.get('x-hotstandby-possible-duplicate');
      out({
        type: 'email',
        mail: {
          subject: m.subject ?? '',
          messageId: m.messageId,
          inReplyTo: m.inReplyTo,
          references: m.references === undefined ? [] : [m.references].flat(),
          from: m.from?.text ?? '',
          envelopeTo: smtp.envelopes[received] ?? [],
          text: m.text ?? '',
          possibleDuplicate: typeof dup === 'string' ? dup : undefined,
        },
      });
    }
  };
  const timer = setInterval(flush, 50);
  await new Promise<void>((resolve) => process.once('SIGTERM', resolve));
  clearInterval(timer);
  flush();
  await Promise.allSettled([slack.close(), smtp.stop()]);
}

if (process.argv[1] === SELF && process.argv[2] === 'serve-sinks') {
  serveSinks().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`notify-sinks: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
