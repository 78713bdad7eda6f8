import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { PAGE_SIZE, requestIndexQuery } from "../../app/domain/request-index";
import { getKeyring } from "../../app/keys.server";
import { requestIndexPage } from "../../app/services/request-index.server";
import { createRequest } from "../../app/services/requests.server";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { signedInStaff } from "../helpers/staff";

beforeEach(resetDatabase);

const DAY = 86_400_000;
const now = new Date("2026-11-27T12:00:00Z");
const query = (input: Record<string, string> = {}) => requestIndexQuery.parse(input);

async function seed(count: number) {
  let shop = { id: "", domain: "" };
  for (let i = 0; i < count; i += 1) {
    ({ shop } = await createTestRequest({
      email: `shopper${i}@example.com`,
      customerId: String(1000 + i),
      type: i % 3 === 0 ? "erasure" : "access",
      source: i % 2 === 0 ? "merchant" : "storefront",
      regime: "gdpr",
      // One a day, oldest first: shopper0 was received `count` days ago.
      receivedAt: new Date(now.getTime() - (count - i) * DAY),
    }));
  }
  return shop;
}

describe("requests index", () => {
  it("walks every request exactly once, forwards and back, newest first", async () => {
    const shop = await seed(PAGE_SIZE * 2 + 5);
    const seen: string[] = [];
    let after: string | undefined;
    const cursors: (string | undefined)[] = [];
    for (;;) {
      const page = await requestIndexPage(getDb(), getKeyring(), shop, query(after ? { after } : {}), now);
      cursors.push(after);
      seen.push(...page.requests.map((r) => r.email!));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(PAGE_SIZE * 2 + 5);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen[0]).toBe(`shopper${PAGE_SIZE * 2 + 4}@example.com`);

    // Back from the last page gives the middle page again.
    const last = await requestIndexPage(getDb(), getKeyring(), shop, query({ after: cursors[2]! }), now);
    const back = await requestIndexPage(getDb(), getKeyring(), shop, query({ before: last.previous! }), now);
    expect(back.requests.map((r) => r.email)).toEqual(seen.slice(PAGE_SIZE, PAGE_SIZE * 2));
    expect(back.next).not.toBeNull();
    // Back once more reaches the first page, which has nothing before it.
    const first = await requestIndexPage(getDb(), getKeyring(), shop, query({ before: back.previous! }), now);
    expect(first.requests.map((r) => r.email)).toEqual(seen.slice(0, PAGE_SIZE));
    expect(first.previous).toBeNull();
    expect((await requestIndexPage(getDb(), getKeyring(), shop, query(), now)).previous).toBeNull();
  });

  it("filters by type, source and due window, and sorts by deadline", async () => {
    const shop = await seed(40);
    const erasures = await requestIndexPage(
      getDb(),
      getKeyring(),
      shop,
      query({ type: "erasure", source: "merchant" }),
      now,
    );
    expect(erasures.requests.every((r) => r.type === "erasure" && r.source === "merchant")).toBe(true);
    expect(erasures.requests).toHaveLength(7); // i ≡ 0 (mod 6) below 40

    // GDPR: one month. Received 40…31 days ago → overdue; within 7 days of the deadline → due soon.
    const overdue = await requestIndexPage(
      getDb(),
      getKeyring(),
      shop,
      query({ due: "overdue", sort: "due_asc" }),
      now,
    );
    expect(overdue.requests.length).toBeGreaterThan(0);
    expect(overdue.requests.every((r) => Date.parse(r.dueAt) < now.getTime())).toBe(true);
    const dues = overdue.requests.map((r) => r.dueAt);
    expect(dues).toEqual([...dues].sort());
    const soon = await requestIndexPage(getDb(), getKeyring(), shop, query({ due: "due_soon" }), now);
    expect(
      soon.requests.every(
        (r) => Date.parse(r.dueAt) >= now.getTime() && Date.parse(r.dueAt) < now.getTime() + 7 * DAY,
      ),
    ).toBe(true);
    expect(soon.requests.length + overdue.requests.length).toBeLessThan(40);
  });

  it("finds a request by email (any case) or customer id, only in its own shop", async () => {
    const shop = await seed(10);
    await createTestRequest({ domain: OTHER_SHOP, email: "shopper3@example.com", customerId: "1003" });
    const byEmail = await requestIndexPage(
      getDb(),
      getKeyring(),
      shop,
      query({ q: "Shopper3@Example.com" }),
      now,
    );
    expect(byEmail.requests.map((r) => [r.email, r.shop])).toEqual([
      ["shopper3@example.com", "first-store.myshopify.com"],
    ]);
    const byId = await requestIndexPage(getDb(), getKeyring(), shop, query({ q: "1007" }), now);
    expect(byId.requests.map((r) => r.customerId)).toEqual(["1007"]);
    const vague = await requestIndexPage(getDb(), getKeyring(), shop, query({ q: "shopper" }), now);
    expect(vague).toMatchObject({
      requests: [],
      searchProblem: "Search by a full email address or a Shopify customer id",
    });
  });

  it("names who recorded each request by hand, from this shop's staff only", async () => {
    // GIVEN requests recorded by a named staff member, by one who opened the app only in another
    // shop, and one from the storefront
    await signedInStaff({ userId: "50", role: "approver", name: { firstName: "Arjun", lastName: "Patel" } });
    await signedInStaff({
      shop: OTHER_SHOP,
      userId: "51",
      name: { firstName: "Elsewhere", lastName: "Person" },
    });
    const shop = await getDb().shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const record = (actor: `staff:${string}` | "system:storefront", source: "merchant" | "storefront") =>
      getDb().$transaction((tx) =>
        createRequest(
          tx,
          getKeyring(),
          {
            shopId: shop.id,
            type: "access",
            source,
            regime: "gdpr",
            verified: true,
            receivedAt: now,
            customerId: "7",
            email: null,
            phone: null,
          },
          actor,
        ),
      );
    const byArjun = await record("staff:50", "merchant");
    const byStranger = await record("staff:51", "merchant");
    await record("system:storefront", "storefront");

    // WHEN the index is read
    const page = await requestIndexPage(getDb(), getKeyring(), shop, query(), now);

    // THEN staff-recorded requests name their recorder; the storefront one is not in the map
    expect(page.recordedBy).toEqual({
      [byArjun.request.id]: "Arjun Patel",
      [byStranger.request.id]: "Staff member 51",
    });
  });
});
