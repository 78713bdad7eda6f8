import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { PAGE_SIZE, requestIndexQuery } from "../../app/domain/request-index";
import { getKeyring } from "../../app/keys.server";
import { requestIndexPage } from "../../app/services/request-index.server";
import { OTHER_SHOP } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";

beforeEach(resetDatabase);

const DAY = 86_400_000;
const now = new Date("2026-11-27T12:00:00Z");
const query = (input: Record<string, string> = {}) => requestIndexQuery.parse(input);

async function seed(count: number) {
  let shopId = "";
  for (let i = 0; i < count; i += 1) {
    const { shop } = await createTestRequest({
      email: `shopper${i}@example.com`,
      customerId: String(1000 + i),
      type: i % 3 === 0 ? "erasure" : "access",
      source: i % 2 === 0 ? "merchant" : "storefront",
      regime: "gdpr",
      // One a day, oldest first: shopper0 was received `count` days ago.
      receivedAt: new Date(now.getTime() - (count - i) * DAY),
    });
    shopId = shop.id;
  }
  return shopId;
}

describe("requests index", () => {
  it("walks every request exactly once, forwards and back, newest first", async () => {
    const shopId = await seed(PAGE_SIZE * 2 + 5);
    const seen: string[] = [];
    let after: string | undefined;
    const cursors: (string | undefined)[] = [];
    for (;;) {
      const page = await requestIndexPage(getDb(), getKeyring(), shopId, query(after ? { after } : {}), now);
      cursors.push(after);
      seen.push(...page.requests.map((r) => r.email!));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(PAGE_SIZE * 2 + 5);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen[0]).toBe(`shopper${PAGE_SIZE * 2 + 4}@example.com`);

    // Back from the last page gives the middle page again.
    const last = await requestIndexPage(getDb(), getKeyring(), shopId, query({ after: cursors[2]! }), now);
    const back = await requestIndexPage(
      getDb(),
      getKeyring(),
      shopId,
      query({ before: last.previous! }),
      now,
    );
    expect(back.requests.map((r) => r.email)).toEqual(seen.slice(PAGE_SIZE, PAGE_SIZE * 2));
    expect(back.next).not.toBeNull();
    // Back once more reaches the first page, which has nothing before it.
    const first = await requestIndexPage(
      getDb(),
      getKeyring(),
      shopId,
      query({ before: back.previous! }),
      now,
    );
    expect(first.requests.map((r) => r.email)).toEqual(seen.slice(0, PAGE_SIZE));
    expect(first.previous).toBeNull();
    expect((await requestIndexPage(getDb(), getKeyring(), shopId, query(), now)).previous).toBeNull();
  });

  it("filters by type, source and due window, and sorts by deadline", async () => {
    const shopId = await seed(40);
    const erasures = await requestIndexPage(
      getDb(),
      getKeyring(),
      shopId,
      query({ type: "erasure", source: "merchant" }),
      now,
    );
    expect(erasures.requests.every((r) => r.type === "erasure" && r.source === "merchant")).toBe(true);
    expect(erasures.requests).toHaveLength(7); // i ≡ 0 (mod 6) below 40

    // GDPR: one month. Received 40…31 days ago → overdue; within 7 days of the deadline → due soon.
    const overdue = await requestIndexPage(
      getDb(),
      getKeyring(),
      shopId,
      query({ due: "overdue", sort: "due_asc" }),
      now,
    );
    expect(overdue.requests.length).toBeGreaterThan(0);
    expect(overdue.requests.every((r) => Date.parse(r.dueAt) < now.getTime())).toBe(true);
    const dues = overdue.requests.map((r) => r.dueAt);
    expect(dues).toEqual([...dues].sort());
    const soon = await requestIndexPage(getDb(), getKeyring(), shopId, query({ due: "due_soon" }), now);
    expect(
      soon.requests.every(
        (r) => Date.parse(r.dueAt) >= now.getTime() && Date.parse(r.dueAt) < now.getTime() + 7 * DAY,
      ),
    ).toBe(true);
    expect(soon.requests.length + overdue.requests.length).toBeLessThan(40);
  });

  it("finds a request by email (any case) or customer id, only in its own shop", async () => {
    const shopId = await seed(10);
    await createTestRequest({ domain: OTHER_SHOP, email: "shopper3@example.com", customerId: "1003" });
    const byEmail = await requestIndexPage(
      getDb(),
      getKeyring(),
      shopId,
      query({ q: "Shopper3@Example.com" }),
      now,
    );
    expect(byEmail.requests.map((r) => [r.email, r.shop])).toEqual([
      ["shopper3@example.com", "first-store.myshopify.com"],
    ]);
    const byId = await requestIndexPage(getDb(), getKeyring(), shopId, query({ q: "1007" }), now);
    expect(byId.requests.map((r) => r.customerId)).toEqual(["1007"]);
    const vague = await requestIndexPage(getDb(), getKeyring(), shopId, query({ q: "shopper" }), now);
    expect(vague).toMatchObject({
      requests: [],
      searchProblem: "Search by a full email address or a Shopify customer id",
    });
  });
});
