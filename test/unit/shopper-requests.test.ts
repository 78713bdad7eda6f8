import { describe, expect, it } from "vitest";
import { REQUEST_STATUSES } from "../../app/domain/request-lifecycle";
import {
  customerIdFromSub,
  regimeForCountry,
  shopFromDest,
  shopperHistory,
  shopperPhase,
  shopperRequestInput,
} from "../../app/domain/shopper-requests";

describe("who a customer account session token names", () => {
  it.each([
    ["gid://shopify/Customer/42", "42"],
    ["gid://shopify/Customer/0", null],
    ["gid://shopify/Customer/42/x", null],
    ["gid://shopify/StaffMember/42", null],
    ["42", null],
    [42, null],
    [undefined, null],
  ])("sub %j is customer %j", (sub, expected) => {
    expect(customerIdFromSub(sub)).toBe(expected);
  });

  it.each([
    ["shop-1.myshopify.com", "shop-1.myshopify.com"],
    ["https://shop-1.myshopify.com", "shop-1.myshopify.com"],
    ["https://shop-1.myshopify.com.evil.example", null],
    ["http://shop-1.myshopify.com", null],
    ["shop-1.example.com", null],
    ["", null],
  ])("dest %j is shop %j", (dest, expected) => {
    expect(shopFromDest(dest)).toBe(expected);
  });
});

describe("the customer's view of a request", () => {
  it("says something for every status, and never that the store's own work failed", () => {
    for (const status of REQUEST_STATUSES) expect(shopperPhase(status)).toBeTruthy();
    expect(shopperPhase("failed")).toBe("delayed");
    expect(shopperPhase("awaiting_verification")).toBe("confirm");
  });

  it("keeps only the steps a customer understands, with the reasons they are owed", () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
    const history = shopperHistory([
      { action: "request.received", actor: "shopify", occurredAt: at(0), data: {} },
      { action: "request.approve", actor: "staff:1", occurredAt: at(1), data: {} },
      { action: "request.start", actor: "system:worker", occurredAt: at(2), data: {} },
      {
        action: "request.fail",
        actor: "system:worker",
        occurredAt: at(3),
        data: { reason: "ACCESS_DENIED" },
      },
      { action: "request.retry", actor: "staff:1", occurredAt: at(4), data: {} },
      { action: "request.start", actor: "system:worker", occurredAt: at(5), data: {} },
      {
        action: "request.deadline_extended",
        actor: "staff:1",
        occurredAt: at(6),
        data: { to: "2026-03-01T00:00:00.000Z", reason: "Many orders to gather" },
      },
      { action: "deadline.due_soon", actor: "system:deadlines", occurredAt: at(7), data: {} },
      { action: "export.created", actor: "system:worker", occurredAt: at(8), data: {} },
      { action: "export.downloaded", actor: "staff:1", occurredAt: at(9), data: {} },
      { action: "export.downloaded", actor: "requester:customer_account", occurredAt: at(10), data: {} },
      { action: "request.complete", actor: "system:worker", occurredAt: at(11), data: {} },
    ]);
    expect(history.map((entry) => entry.kind)).toEqual([
      "received",
      "approved",
      "started",
      "extended",
      "export_ready",
      "downloaded",
      "completed",
    ]);
    expect(history[3]).toMatchObject({ reason: "Many orders to gather", dueAt: "2026-03-01T00:00:00.000Z" });
    expect(JSON.stringify(history)).not.toMatch(/ACCESS_DENIED|staff/);
  });

  it("runs a US customer's request under CCPA and everyone else's under the GDPR's shorter deadline", () => {
    expect(regimeForCountry("US")).toBe("ccpa");
    expect(regimeForCountry("us")).toBe("ccpa");
    expect(regimeForCountry("DE")).toBe("gdpr");
    expect(regimeForCountry(undefined)).toBe("gdpr");
  });
});

describe("what the page may post", () => {
  it("takes a type and an optional message, and nothing that names a customer", () => {
    expect(shopperRequestInput.safeParse({ type: "access" }).success).toBe(true);
    expect(shopperRequestInput.safeParse({ type: "access", customerId: "6" }).success).toBe(false);
    expect(shopperRequestInput.safeParse({ type: "delete_everything" }).success).toBe(false);
  });

  it("asks a correction for what to correct, and nothing else for corrections", () => {
    expect(shopperRequestInput.safeParse({ type: "rectification" }).success).toBe(false);
    expect(
      shopperRequestInput.safeParse({ type: "rectification", corrections: { lastName: "Müller" } }).success,
    ).toBe(true);
    expect(shopperRequestInput.safeParse({ type: "access", corrections: { lastName: "X" } }).success).toBe(
      false,
    );
  });

  it.each(["\u202e", "\u2066", "\u200b", "\u0007", "\u2028"])("refuses a message holding U+%s", (char) => {
    expect(shopperRequestInput.safeParse({ type: "access", message: `hi ${char} there` }).success).toBe(
      false,
    );
  });
});
