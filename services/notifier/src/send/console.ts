// The console channel: the rendered message on stdout (or any writable, for tests).
import type { Writable } from 'node:stream';
import type { SendOutcome } from './outcome.js';

export function sendConsole(text: string, out: Writable = process.stdout): Promise<SendOutcome> {
  return new Promise((resolve) => {
    out.write(text, (err) => resolve(err ? { ok: false, retryable: true, ambiguous: false, reason: `console: ${err.message}` } : { ok: true }));
  });
}
