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
 *
 * With `concurrency` above 1 (PostgreSQL, where transactions run side by side), up to that many
 * batches are written at once, each of shops no other batch holds: a batch locks its shops until
 * it commits, so a second batch for the same shop would only wait on the database instead of
 * here. A batch's statements are round trips, and while one batch waits for its answers the next
 * is written; with one writer, intake on PostgreSQL left half the machine idle.
 */
export function createIntakeBatcher(
  /** Writes the items `take()` returns, calling it once it is ready to write. */
  ingestBatch: (take: () => IntakeItem[]) => Promise<IntakeOutcome[]>,
  options: { maxBatch?: number; gatherMs?: number; now?: () => number; concurrency?: number } = {},
) {
  const maxBatch = options.maxBatch ?? 200;
  const gatherMs = options.gatherMs ?? 5;
  const now = options.now ?? (() => performance.now());
  const concurrency = options.concurrency ?? 1;
  type Waiting = {
    item: IntakeItem;
    resolve: (outcome: IntakeOutcome) => void;
    reject: (error: unknown) => void;
  };
  const waiting: Waiting[] = [];
  /** Shops in a batch being written: their next deliveries wait for it (they would wait for its lock). */
  const shopsBeingWritten = new Set<string>();
  let writers = 0;
  /** One writer at a time gathers and takes, so two never take from the queue at once. */
  let gathering = false;

  const isFree = (entry: Waiting) => !shopsBeingWritten.has(entry.item.meta.shop);
  const hasFreeItem = () => waiting.some(isFree);

  async function gather() {
    const deadline = now() + gatherMs;
    let quietTurns = 0;
    while (quietTurns < 2 && waiting.length < maxBatch && now() < deadline) {
      const before = waiting.length;
      await nextTurn();
      quietTurns = waiting.length > before ? 0 : quietTurns + 1;
    }
  }

  /** Up to maxBatch deliveries, in arrival order, of shops no other batch is writing. */
  function takeFree(): Waiting[] {
    const batch: Waiting[] = [];
    for (let i = 0; i < waiting.length && batch.length < maxBatch;) {
      if (isFree(waiting[i]!)) batch.push(...waiting.splice(i, 1));
      else i += 1;
    }
    return batch;
  }

  async function write() {
    writers += 1;
    while (!gathering && hasFreeItem()) {
      gathering = true;
      await gather();
      let batch: Waiting[] | undefined;
      const shops = new Set<string>();
      const take = () => {
        if (!batch) {
          batch = takeFree();
          for (const entry of batch) shops.add(entry.item.meta.shop);
          for (const shop of shops) shopsBeingWritten.add(shop);
          gathering = false;
          startWriter();
        }
        return batch.map((entry) => entry.item);
      };
      try {
        const outcomes = await ingestBatch(take);
        batch!.forEach((entry, i) => entry.resolve(outcomes[i]!));
      } catch (error) {
        // Also when the write failed before taking anything: those callers must not wait forever.
        take();
        for (const entry of batch!) entry.reject(error);
      } finally {
        for (const shop of shops) shopsBeingWritten.delete(shop);
      }
    }
    writers -= 1;
    startWriter();
  }

  function startWriter() {
    if (writers < concurrency && !gathering && hasFreeItem()) void write();
  }

  return {
    submit(item: IntakeItem): Promise<IntakeOutcome> {
      return new Promise((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        startWriter();
      });
    },
  };
}

export type IntakeBatcher = ReturnType<typeof createIntakeBatcher>;
