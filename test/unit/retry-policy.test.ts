import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "../../app/domain/retry-policy";

describe("retry backoff", () => {
  it("doubles per attempt between half and all of the step, capped", () => {
    const policy = { baseDelayMs: 1_000, maxDelayMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelayMs(a, 1, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
    expect([1, 2, 3].map((a) => backoffDelayMs(a, 0, policy))).toEqual([500, 1_000, 2_000]);
    expect(backoffDelayMs(2, 0.5, policy)).toBe(1_500);
  });
});
