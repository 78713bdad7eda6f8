import { describe, expect, it } from "vitest";
import { pooledRandomBytes } from "../../app/security/random-pool";

describe("random bytes cut from a pool", () => {
  it("GIVEN many draws across several refills THEN each has its size and no two are alike", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i += 1) {
      const bytes = pooledRandomBytes(i % 2 ? 12 : 32);
      expect(bytes).toHaveLength(i % 2 ? 12 : 32);
      seen.add(bytes.toString("hex"));
    }
    expect(seen.size).toBe(3000);
  });

  it("GIVEN a value handed out WHEN the pool is refilled THEN the value does not change", () => {
    const key = pooledRandomBytes(32);
    const copy = Buffer.from(key);
    for (let i = 0; i < 1000; i += 1) pooledRandomBytes(32);
    expect(key.equals(copy)).toBe(true);
  });

  it("GIVEN a size larger than the pool serves THEN it comes straight from the CSPRNG", () => {
    expect(pooledRandomBytes(4096)).toHaveLength(4096);
    expect(() => pooledRandomBytes(-1)).toThrow(RangeError);
  });
});
