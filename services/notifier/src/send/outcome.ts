// What a sender reports. `ambiguous` means the message may have been delivered although we saw no
// success (a timeout or a dropped connection after the request went out): a retry may then repeat it,
// and is marked as a possible duplicate.
export type SendOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** false: asking again will not help (bad webhook, rejected recipient) — dead-letter now. */
      readonly retryable: boolean;
      readonly ambiguous: boolean;
      readonly reason: string;
      /** The server said when to come back (Slack's 429 Retry-After). */
      readonly retryAfterMs?: number;
    };

/** Failure of a whole channel for one message, after the retry budget: kept with the dead letter. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
}
