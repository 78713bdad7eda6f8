import { afterEach, describe, expect, it, vi } from "vitest";
import type { IntakeItem, IntakeOutcome } from "../../app/services/compliance-intake.server";
import { createIntakeBatcher } from "../../app/services/intake-batcher.server";

const item = (webhookId: string) => ({ meta: { webhookId } }) as unknown as IntakeItem;
const recorded = (requestId: string): IntakeOutcome => ({ status: "recorded", requestId, jobId: null });
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A batch writer that records what each transaction took. */
function recordingWriter(hold?: Promise<void>) {
  const batches: string[][] = [];
  const write = async (take: () => IntakeItem[]) => {
    const items = take();
    batches.push(items.map((i) => i.meta.webhookId));
    if (hold && batches.length === 1) await hold;
    return items.map((i) => recorded(`r-${i.meta.webhookId}`));
  };
  return { batches, write };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("intake batcher (group commit)", () => {
  it("writes a lone delivery after two quiet event-loop turns, with no timer", async () => {
    // GIVEN timers that never fire: only event-loop turns can move the batcher on
    vi.useFakeTimers({ toFake: ["setTimeout", "setInterval", "Date"] });
    const { batches, write } = recordingWriter();
    const batcher = createIntakeBatcher(write);

    // WHEN one delivery arrives and nothing else
    const outcome = batcher.submit(item("a"));
    for (let turn = 0; turn < 3; turn += 1) await nextTurn();

    // THEN it is written by then, alone
    expect(batches).toEqual([["a"]]);
    expect(await outcome).toEqual(recorded("r-a"));
  });

  it("gathers deliveries arriving on successive turns (a burst on new connections) into one transaction", async () => {
    const { batches, write } = recordingWriter();
    const batcher = createIntakeBatcher(write);

    // WHEN deliveries reach the queue one per turn, as a busy server accepts new connections
    const submissions = [batcher.submit(item("a"))];
    for (const id of ["b", "c", "d"]) {
      await nextTurn();
      submissions.push(batcher.submit(item(id)));
    }
    await Promise.all(submissions);

    // THEN they share one transaction
    expect(batches).toEqual([["a", "b", "c", "d"]]);
  });

  it("stops gathering after gatherMs even while deliveries keep arriving", async () => {
    let clock = 0;
    const { batches, write } = recordingWriter();
    const batcher = createIntakeBatcher(write, { gatherMs: 5, now: () => clock });

    // WHEN a delivery arrives on every turn, 1 ms apart, for 12 turns
    const submissions = [batcher.submit(item("0"))];
    for (let i = 1; i < 12; i += 1) {
      await nextTurn();
      clock += 1;
      submissions.push(batcher.submit(item(String(i))));
    }
    await Promise.all(submissions);

    // THEN the first transaction took what arrived within 5 ms, and the rest followed
    expect(batches[0]!.length).toBeGreaterThanOrEqual(5);
    expect(batches[0]!.length).toBeLessThanOrEqual(7);
    expect(batches.flat()).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
  });

  it("puts deliveries that arrive during a write into the next transaction, answering each after its own", async () => {
    let finishFirst!: () => void;
    const { batches, write } = recordingWriter(new Promise<void>((resolve) => (finishFirst = resolve)));
    const batcher = createIntakeBatcher(write);

    const first = batcher.submit(item("a"));
    while (batches.length === 0) await nextTurn();
    const later = ["b", "c", "d"].map((id) => batcher.submit(item(id)));
    let laterAnswered = false;
    void Promise.all(later).then(() => (laterAnswered = true));
    for (let turn = 0; turn < 5; turn += 1) await nextTurn();
    expect(laterAnswered).toBe(false);
    finishFirst();

    expect(await first).toEqual(recorded("r-a"));
    expect(await Promise.all(later)).toEqual([recorded("r-b"), recorded("r-c"), recorded("r-d")]);
    expect(batches).toEqual([["a"], ["b", "c", "d"]]);
  });

  it("takes the batch only when the writer is ready, so late arrivals still join", async () => {
    const batches: number[] = [];
    const batcher = createIntakeBatcher(async (take) => {
      await new Promise((resolve) => setTimeout(resolve, 10)); // waiting for the connection
      const items = take();
      batches.push(items.length);
      return items.map(() => recorded("r"));
    });
    const submissions = [batcher.submit(item("a"))];
    await new Promise((resolve) => setTimeout(resolve, 2));
    submissions.push(batcher.submit(item("b")), batcher.submit(item("c")));
    await Promise.all(submissions);
    expect(batches).toEqual([3]);
  });

  it("rejects every caller of a failed write, including when it failed before taking", async () => {
    let calls = 0;
    const batcher = createIntakeBatcher(async (take) => {
      calls += 1;
      if (calls === 1) throw new Error("database is locked");
      return take().map(() => recorded("r"));
    });
    const results = await Promise.allSettled([batcher.submit(item("a")), batcher.submit(item("b"))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(await batcher.submit(item("c"))).toEqual(recorded("r"));
  });

  it("caps the batch size", async () => {
    const batches: number[] = [];
    const batcher = createIntakeBatcher(
      async (take) => {
        const items = take();
        batches.push(items.length);
        return items.map(() => recorded("r"));
      },
      { maxBatch: 2 },
    );
    await Promise.all(["a", "b", "c", "d", "e"].map((id) => batcher.submit(item(id))));
    expect(batches).toEqual([2, 2, 1]);
  });
});

describe("intake batcher with several writers (PostgreSQL)", () => {
  const forShop = (webhookId: string, shop: string) =>
    ({ meta: { webhookId, shop } }) as unknown as IntakeItem;

  /** A writer whose batches stay open until released, recording what each took and how many ran at once. */
  function heldWriter() {
    const batches: string[][] = [];
    const releases: (() => void)[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const write = async (take: () => IntakeItem[]) => {
      const items = take();
      batches.push(items.map((i) => i.meta.webhookId));
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running -= 1;
      return items.map((i) => recorded(`r-${i.meta.webhookId}`));
    };
    const settle = async () => {
      for (let turn = 0; turn < 10; turn += 1) await nextTurn();
    };
    return { batches, releases, write, settle, mostAtOnce: () => mostAtOnce };
  }

  it("writes another shop's delivery while a shop's batch is open, and holds the same shop's until that batch commits", async () => {
    const writer = heldWriter();
    const batcher = createIntakeBatcher(writer.write, { concurrency: 4 });
    // GIVEN a batch for shop A open
    const a1 = batcher.submit(forShop("a1", "a"));
    await writer.settle();
    expect(writer.batches).toEqual([["a1"]]);
    // WHEN deliveries for A and B arrive
    const later = [batcher.submit(forShop("a2", "a")), batcher.submit(forShop("b1", "b"))];
    await writer.settle();
    // THEN B's is written at once, A's waits
    expect(writer.batches).toEqual([["a1"], ["b1"]]);
    writer.releases[0]!();
    await a1;
    await writer.settle();
    expect(writer.batches).toEqual([["a1"], ["b1"], ["a2"]]);
    writer.releases[1]!();
    writer.releases[2]!();
    expect(await Promise.all(later)).toEqual([recorded("r-a2"), recorded("r-b1")]);
  });

  it("never writes more batches at once than its concurrency, and answers every delivery", async () => {
    const writer = heldWriter();
    const batcher = createIntakeBatcher(writer.write, { concurrency: 2 });
    const outcomes: Promise<IntakeOutcome>[] = [];
    // GIVEN two batches open, for shops a and b
    for (const shop of ["a", "b"]) {
      outcomes.push(batcher.submit(forShop(`${shop}1`, shop)));
      await writer.settle();
    }
    // WHEN deliveries for c and d arrive
    outcomes.push(batcher.submit(forShop("c1", "c")), batcher.submit(forShop("d1", "d")));
    await writer.settle();
    // THEN they wait for a writer, and share the next batch when one is free
    expect(writer.batches).toEqual([["a1"], ["b1"]]);
    writer.releases[0]!();
    await writer.settle();
    expect(writer.batches).toEqual([["a1"], ["b1"], ["c1", "d1"]]);
    writer.releases[1]!();
    writer.releases[2]!();
    expect((await Promise.all(outcomes)).map((outcome) => outcome.requestId)).toEqual([
      "r-a1",
      "r-b1",
      "r-c1",
      "r-d1",
    ]);
    expect(writer.mostAtOnce()).toBe(2);
  });
});
