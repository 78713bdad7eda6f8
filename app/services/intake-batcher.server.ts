import type { IntakeItem, IntakeOutcome } from "./compliance-intake.server";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Group commit for webhook intake. SQLite runs one write transaction at a time, so deliveries
 * that arrive while one is being written wait and then share the next transaction instead of
 * queueing one by one; a transaction of one delivery costs about as much CPU as one of twenty
 * (ADR 005).
 *
 * Before taking a batch the drain gathers, one event-loop turn at a time, for as long as
 * deliveries keep arriving (the queue grew in one of the last two turns), up to `gatherMs`. A
 * transaction is one synchronous run on better-sqlite3, during which no request is read; and a
 * busy Node accepts one new connection per turn, whose request is read on the turn after. So a
 * burst of senders on new connections reaches the queue one per turn: without gathering, each
 * became a transaction of its own. An idle server adds two loop turns, no timer.
 *
 * Every caller resolves only after the transaction holding its delivery has committed; if that
 * transaction fails, every caller in it gets the error (and answers 5xx, so Shopify retries).
 */
export function createIntakeBatcher(
  /** Writes the items `take()` returns, calling it once it is ready to write. */
  ingestBatch: (take: () => IntakeItem[]) => Promise<IntakeOutcome[]>,
  options: { maxBatch?: number; gatherMs?: number; now?: () => number } = {},
) {
  const maxBatch = options.maxBatch ?? 200;
  const gatherMs = options.gatherMs ?? 5;
  const now = options.now ?? (() => performance.now());
  type Waiting = {
    item: IntakeItem;
    resolve: (outcome: IntakeOutcome) => void;
    reject: (error: unknown) => void;
  };
  const waiting: Waiting[] = [];
  let writing = false;

  async function gather() {
    const deadline = now() + gatherMs;
    let quietTurns = 0;
    while (quietTurns < 2 && waiting.length < maxBatch && now() < deadline) {
      const before = waiting.length;
      await nextTurn();
      quietTurns = waiting.length > before ? 0 : quietTurns + 1;
    }
  }

  async function drain() {
    writing = true;
    while (waiting.length) {
      await gather();
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
