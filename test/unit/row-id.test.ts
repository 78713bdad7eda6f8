import { describe, expect, it } from "vitest";
import { z } from "zod";
import { newRowId } from "../../app/security/row-id";

describe("row ids (UUID version 7)", () => {
  it("GIVEN ids made over time THEN each is a valid UUID v7 and they sort by the time they were made", () => {
    const ids = [0, 1, 2, 1_000, 86_400_000].map((offset) => newRowId(Date.UTC(2026, 10, 30) + offset));
    for (const id of ids) {
      expect(z.string().uuid().safeParse(id).success).toBe(true);
      expect(id[14]).toBe("7");
      expect("89ab").toContain(id[19]!);
    }
    expect([...ids].sort()).toEqual(ids);
  });

  it("GIVEN many ids in the same millisecond THEN none repeats", () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => newRowId(now)));
    expect(ids.size).toBe(10_000);
  });

  it("GIVEN the time in the id THEN it reads back as the millisecond it was made", () => {
    const at = Date.UTC(2026, 10, 30, 12, 34, 56, 789);
    expect(parseInt(newRowId(at).replace(/-/g, "").slice(0, 12), 16)).toBe(at);
  });
});
