import { describe, expect, it } from "vitest";
import { isDemoStaffKey } from "../../server/demo/demo-staff";

describe("demo staff keys", () => {
  it("accepts the four demo staff members and nothing inherited", () => {
    // GIVEN the names the stand-in admin's ?as= and cookie may carry
    // WHEN checked THEN only the own keys pass; `in` used to let "toString" and "__proto__" through
    expect(["owner", "approver", "limited", "viewer"].every(isDemoStaffKey)).toBe(true);
    for (const name of ["toString", "__proto__", "constructor", "hasOwnProperty", "", "OWNER", 1, null]) {
      expect(isDemoStaffKey(name)).toBe(false);
    }
  });
});
