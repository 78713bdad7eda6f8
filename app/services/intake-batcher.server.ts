import type { IntakeItem, IntakeOutcome } from "./compliance-intake.server";

/**
 * Group commit for webhook intake. SQLite runs one write transaction at a time, so deliveries
 * that arrive while one is being written wait and then share the next transaction instead of
 * queueing one by one. Before taking a batch the drain yields one turn of the event loop: with
 * better-sqlite3 a whole transaction runs as one chain of microtasks, so without that turn the
 * other requests (waiting on socket reads and HMAC checks) could never reach the queue in time
 * and every batch would hold one delivery. An idle server adds one loop turn, no timer.
 * Every caller still resolves only after the transaction holding its delivery has committed;
 * if that transaction fails, every caller in it gets the error (and answers 5xx, so Shopify
 * retries).
 */
export function createIntakeBatcher(
  /** Writes the items `take()` returns, calling it once it is ready to write. */
  ingestBatch: (take: () => IntakeItem[]) => Promise<IntakeOutcome[]>,
  options: { maxBatch?: number } = {},
) {
  const maxBatch = options.maxBatch ?? 200;
  type Waiting = {
    item: IntakeItem;
    resolve: (outcome: IntakeOutcome) => void;
    reject: (error: unknown) => void;
  };
  const waiting: Waiting[] = [];
  let writing = false;

  async function drain() {
    writing = true;
    while (waiting.length) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      let batch: Waiting[] | undefined;
      const take = () => {
        batch ??= waiting.splice(0, maxBatch);
        return batch.map((entry) => entry.item);
      };
      try {
        const outcomes = await ingestBatch(take);
        batch!.forEach((entry, i) => entry.resolve(outcomes[i]!));
      } catch (error) {
        // Also when the write failed before taking anything: those callers must not wait forever.
        take();
        for (const entry of batch!) entry.reject(error);
      }
    }
    writing = false;
  }

  return {
    submit(item: IntakeItem): Promise<IntakeOutcome> {
      return new Promise((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}

export type IntakeBatcher = ReturnType<typeof createIntakeBatcher>;
