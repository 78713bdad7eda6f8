import { describe, expect, it } from "vitest";
import { median, weeklyCounts } from "../../app/domain/dashboard";
import { classifySearch, decodeCursor, encodeCursor, parseIndexQuery } from "../../app/domain/request-index";
import { availableIntents } from "../../app/domain/request-forms";
import { can, effectiveRole, ROLES, STAFF_ACTIONS } from "../../app/domain/roles";

describe("index query", () => {
  it("accepts the index's own parameters and ignores Shopify's", () => {
    const parsed = parseIndexQuery(
      new URLSearchParams("status=pending_review&due=overdue&shop=x.myshopify.com&host=abc&embedded=1&sort="),
    );
    expect(parsed.success && parsed.data).toEqual({
      status: "pending_review",
      due: "overdue",
      sort: "received_desc",
    });
  });

  it("names what is wrong with a bad filter", () => {
    const parsed = parseIndexQuery(new URLSearchParams("status=lost&sort=random"));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.message)).toEqual([
      expect.stringContaining("Unknown status; use one of received, awaiting_verification"),
      expect.stringContaining("Unknown sort; use one of received_desc"),
    ]);
  });

  it.each([
    ["ann@example.com", { kind: "email", email: "ann@example.com" }],
    ["  1234567 ", { kind: "customer", customerId: "1234567" }],
    ["gid://shopify/Customer/42", { kind: "customer", customerId: "42" }],
    ["ann", { kind: "invalid", message: "Search by a full email address or a Shopify customer id" }],
  ])("search %j", (q, expected) => {
    expect(classifySearch(q)).toEqual(expected);
  });

  it("round-trips a cursor and rejects a tampered one", () => {
    const cursor = { at: "2026-11-01T10:00:00.000Z", id: "req-1" };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor("not-base64-json")).toBeNull();
    expect(decodeCursor(Buffer.from(JSON.stringify(["yesterday", "x"])).toString("base64url"))).toBeNull();
  });
});

describe("dashboard figures", () => {
  it("median of odd, even and no values", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it("counts requests per week, the last week ending now, ignoring older ones", () => {
    const now = new Date("2026-11-27T00:00:00Z");
    const days = (n: number) => new Date(now.getTime() - n * 86_400_000);
    const weeks = weeklyCounts([days(1), days(2), days(8), days(20), days(400)], now, 3);
    expect(weeks.map((week) => week.count)).toEqual([1, 1, 2]);
    expect(weeks[0]!.weekStart).toBe("2026-11-06");
  });
});

describe("roles", () => {
  it("each role may do everything the one below it may", () => {
    for (const action of STAFF_ACTIONS) {
      const allowed = ROLES.map((role) => can(role, action));
      expect(allowed).toEqual([...allowed].sort()); // false… then true…
    }
    expect(can("viewer", "request.approve")).toBe(false);
    expect(can("approver", "settings.update")).toBe(false);
    expect(can("admin", "settings.update")).toBe(true);
  });

  it("the owner is admin; unknown or missing assignments are viewer", () => {
    expect(effectiveRole({ accountOwner: true, assigned: "viewer" })).toBe("admin");
    expect(effectiveRole({ accountOwner: false, assigned: "approver" })).toBe("approver");
    expect(effectiveRole({ accountOwner: false, assigned: "superuser" })).toBe("viewer");
    expect(effectiveRole({ accountOwner: false, assigned: null })).toBe("viewer");
  });
});

describe("a request page's buttons", () => {
  it.each([
    ["pending_review", false, "approver", ["approve", "deny", "cancel", "extend"]],
    ["pending_review", true, "approver", ["approve", "deny", "cancel"]],
    ["pending_review", false, "viewer", []],
    ["awaiting_verification", false, "admin", ["verify", "deny", "cancel", "extend"]],
    ["failed", false, "approver", ["retry", "cancel", "extend"]],
    ["completed", false, "admin", []],
  ] as const)("%s (extended: %s) for a %s: %j", (status, extended, role, expected) => {
    expect(availableIntents({ status, extended, role })).toEqual(expected);
  });
});
