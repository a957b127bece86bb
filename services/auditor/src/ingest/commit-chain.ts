// Batches commit one after another, in the order they were handed in, never two at once (so `pos` and
// the projections follow the stream order, and acks follow their own commit) — but the caller gets
// control back as soon as its batch has STARTED committing, so it can gather and validate the next batch
// while the database stores this one (consumer.ts, bench/ingest.bench.ts).

export class CommitChain {
  private last: Promise<void> = Promise.resolve();
  private failure: { err: unknown } | undefined;

  /**
   * Starts `commit` once every earlier one has settled; resolves then, not when `commit` does. A commit
   * that throws stops the chain: this and later calls, and drain(), reject with its error.
   */
  async enqueue(commit: () => Promise<void>): Promise<void> {
    await this.last;
    this.rethrow();
    this.last = commit().catch((err: unknown) => {
      this.failure ??= { err };
    });
  }

  /** Resolves when every commit handed in has settled (rejects if one threw). */
  async drain(): Promise<void> {
    await this.last;
    this.rethrow();
  }

  private rethrow(): void {
    if (this.failure) throw this.failure.err;
  }
}
