// Test support: tear down in order, every step even when one before it failed (a leftover namespace,
// process or cluster is worse than a second error); the first failure is thrown at the end.
export async function teardownInOrder(...steps: (() => unknown)[]): Promise<void> {
  let first: { err: unknown } | undefined;
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      first ??= { err };
    }
  }
  if (first) throw first.err;
}
