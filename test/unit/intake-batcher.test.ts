import { describe, expect, it } from "vitest";
import type { IntakeItem, IntakeOutcome } from "../../app/services/compliance-intake.server";
import { createIntakeBatcher } from "../../app/services/intake-batcher.server";

const item = (webhookId: string) => ({ meta: { webhookId } }) as unknown as IntakeItem;
const recorded = (requestId: string): IntakeOutcome => ({ status: "recorded", requestId, jobId: null });

describe("intake batcher (group commit)", () => {
  it("writes a lone delivery at once, and deliveries arriving during a write together in the next", async () => {
    const batches: string[][] = [];
    let finishFirst!: () => void;
    const firstBlocked = new Promise<void>((resolve) => (finishFirst = resolve));
    const batcher = createIntakeBatcher(async (take) => {
      const items = take();
      batches.push(items.map((i) => i.meta.webhookId));
      if (batches.length === 1) await firstBlocked;
      return items.map((i) => recorded(`r-${i.meta.webhookId}`));
    });

    const first = batcher.submit(item("a"));
    await new Promise((resolve) => setImmediate(resolve));
    const later = ["b", "c", "d"].map((id) => batcher.submit(item(id)));
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
