import { describe, expect, it } from "vitest";
import {
  accessDenialOf,
  AdminApiError,
  createAdminClient,
  isAccessRefusal,
  paginate,
  type QueryCost,
} from "../../app/shopify-admin/admin-client.server";

const SHOP = "first-store.myshopify.com";

/** A clock that only moves when the client sleeps. */
function fakeTime() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
    advance: (ms: number) => (t += ms),
  };
}

const cost = (
  requested: number,
  available: number,
  restoreRate = 50,
  maximum = 1000,
  actual: number | null = requested,
): QueryCost => ({
  requestedQueryCost: requested,
  actualQueryCost: actual,
  throttleStatus: { maximumAvailable: maximum, currentlyAvailable: available, restoreRate },
});

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

function clientWith(responses: (Response | Error)[], time = fakeTime()) {
  const calls: { url: string; init: RequestInit }[] = [];
  const client = createAdminClient({
    shop: SHOP,
    apiVersion: "2026-07",
    accessToken: async () => "shpat_offline",
    fetch: async (url, init) => {
      calls.push({ url: String(url), init: init! });
      const next = responses.shift();
      if (!next) throw new Error("no more responses");
      if (next instanceof Error) throw next;
      return next;
    },
    sleep: time.sleep,
    now: time.now,
    random: () => 1,
  });
  return { client, calls, time };
}

const PROFILE = { customerId: "gid://shopify/Customer/1", addressesFirst: 10, metafieldsFirst: 10 };
const ORDERS = { customerId: "gid://shopify/Customer/1", first: 10, lineItemsFirst: 5 };

describe("Admin API client", () => {
  it("sends the named operation with the offline token to the shop's versioned endpoint", async () => {
    const { client, calls } = clientWith([
      json({ data: { customer: { id: "gid://shopify/Customer/1" } }, extensions: { cost: cost(5, 995) } }),
    ]);

    const { data } = await client.request("CustomerProfile", PROFILE);

    expect(data.customer?.id).toBe("gid://shopify/Customer/1");
    expect(calls[0]!.url).toBe(`https://${SHOP}/admin/api/2026-07/graphql.json`);
    expect((calls[0]!.init.headers as Record<string, string>)["X-Shopify-Access-Token"]).toBe(
      "shpat_offline",
    );
    const body = JSON.parse(String(calls[0]!.init.body));
    expect(body).toMatchObject({
      operationName: "CustomerProfile",
      variables: { customerId: "gid://shopify/Customer/1" },
    });
    expect(body.query).toContain("query CustomerProfile(");
  });

  it("waits for the bucket to hold the next call's cost instead of sending it to be throttled", async () => {
    const { client, time } = clientWith([
      json({ data: {}, extensions: { cost: cost(100, 10, 50) } }),
      json({ data: {}, extensions: { cost: cost(100, 0, 50) } }),
    ]);

    await client.request("CustomerOrders", ORDERS);
    await client.request("CustomerOrders", ORDERS);

    // 10 points left, 100 needed, 50 restored per second: 1.8 s.
    expect(time.sleeps).toEqual([1800]);
    expect(client.throttleWaitMs()).toBe(1800);
  });

  it("waits for the requested cost, which Shopify needs up front, not the refunded actual cost", async () => {
    const { client, time } = clientWith([
      json({ data: {}, extensions: { cost: cost(300, 100, 50, 1000, 40) } }),
      json({ data: {}, extensions: { cost: cost(300, 0, 50, 1000, 40) } }),
    ]);
    await client.request("CustomerOrders", ORDERS);
    await client.request("CustomerOrders", ORDERS);
    expect(time.sleeps).toEqual([4000]);
  });

  it("counts the time that passed since Shopify's report", async () => {
    const { client, time } = clientWith([
      json({ data: {}, extensions: { cost: cost(100, 10, 50) } }),
      json({ data: {}, extensions: { cost: cost(100, 0, 50) } }),
    ]);
    await client.request("CustomerOrders", ORDERS);
    time.advance(1000); // 50 points came back meanwhile
    await client.request("CustomerOrders", ORDERS);
    expect(time.sleeps).toEqual([800]);
  });

  it("retries a THROTTLED reply after the time the bucket needs", async () => {
    const throttled = {
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: { cost: cost(200, 20, 100, 1000, null) },
    };
    const { client, time } = clientWith([
      json(throttled),
      json({ data: { ok: true }, extensions: { cost: cost(200, 0, 100) } }),
    ]);

    const { data } = await client.request("CustomerOrders", ORDERS);

    expect(data).toEqual({ ok: true }); // the fake Shopify answers anything
    expect(time.sleeps).toEqual([1800]);
  });

  it("honours Retry-After on 429 and backs off on 5xx and network errors", async () => {
    const { client, time, calls } = clientWith([
      new Response("slow down", { status: 429, headers: { "Retry-After": "2" } }),
      new Response("oops", { status: 502 }),
      new TypeError("fetch failed"),
      json({ data: { ok: true } }),
    ]);

    const { data } = await client.request("CustomerProfile", PROFILE);

    expect(data).toEqual({ ok: true }); // the fake Shopify answers anything
    expect(calls).toHaveLength(4);
    // Retry-After 2 s, then exponential backoff (random = 1): 500 ms × 2^(attempt-1).
    expect(time.sleeps).toEqual([2000, 1000, 2000]);
  });

  it("gives up after the attempt limit with the last problem named", async () => {
    const { client } = clientWith(Array.from({ length: 6 }, () => new Response("down", { status: 503 })));
    const error = await client.request("CustomerProfile", PROFILE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({
      kind: "exhausted",
      message: "CustomerProfile did not succeed after 6 attempts: Shopify answered 503",
    });
  });

  it("does not wait after its last attempt (a page waiting on it is not held up)", async () => {
    const { client, time } = clientWith([new Response("down", { status: 503 }), new Error("ECONNRESET")]);
    const error = await client.request("CustomerProfile", PROFILE).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "exhausted" });
    expect(time.sleeps).toHaveLength(5); // between the six attempts (the default), none after the last
  });

  it("fails at once on errors that retrying cannot fix", async () => {
    const invalid = clientWith([
      json({
        errors: [
          {
            message: "Field 'displayNme' doesn't exist on type 'Customer'",
            extensions: { code: "undefinedField" },
          },
        ],
      }),
    ]);
    await expect(invalid.client.request("CustomerProfile", PROFILE)).rejects.toMatchObject({
      kind: "graphql",
      message: expect.stringMatching(/doesn't exist/),
    });
    expect(invalid.calls).toHaveLength(1);

    const denied = clientWith([
      json({
        errors: [{ message: "Access denied for customer field.", extensions: { code: "ACCESS_DENIED" } }],
      }),
    ]);
    await expect(denied.client.request("CustomerProfile", PROFILE)).rejects.toMatchObject({
      kind: "access_denied",
    });
    expect(denied.calls).toHaveLength(1);

    const unauthorized = clientWith([new Response("[API] Invalid API key or access token", { status: 401 })]);
    await expect(unauthorized.client.request("CustomerProfile", PROFILE)).rejects.toMatchObject({
      kind: "http",
      details: { status: 401 },
    });
    expect(unauthorized.calls).toHaveLength(1);
  });

  it("does not retry when there is no token to send (no offline session)", async () => {
    let fetched = 0;
    const time = fakeTime();
    const client = createAdminClient({
      shop: SHOP,
      apiVersion: "2026-07",
      accessToken: async () => {
        throw new Error("Could not find a session for shop");
      },
      fetch: async () => {
        fetched += 1;
        return json({ data: {} });
      },
      sleep: time.sleep,
      now: time.now,
    });
    await expect(client.request("CustomerProfile", PROFILE)).rejects.toThrow(/Could not find a session/);
    expect(fetched).toBe(0);
    expect(time.sleeps).toEqual([]);
  });

  it("returns userErrors as data for the caller to judge", async () => {
    const payload = {
      customerRequestDataErasure: {
        customerId: null,
        userErrors: [{ field: ["customerId"], message: "Customer does not exist", code: "DOES_NOT_EXIST" }],
      },
    };
    const { client } = clientWith([json({ data: payload })]);
    expect(
      (await client.request("CustomerRequestDataErasure", { customerId: "gid://shopify/Customer/9" })).data,
    ).toEqual(payload);
  });

  it("never gets THROTTLED across a long run against a real leaky bucket", async () => {
    // A fake Shopify: bucket of 1,000 points restoring 50/s; each call costs 150.
    const time = fakeTime();
    const bucket = { available: 1000, at: time.now() };
    let throttled = 0;
    const client = createAdminClient({
      shop: SHOP,
      apiVersion: "2026-07",
      accessToken: async () => "t",
      sleep: time.sleep,
      now: time.now,
      random: () => 0.5,
      fetch: async () => {
        bucket.available = Math.min(1000, bucket.available + ((time.now() - bucket.at) / 1000) * 50);
        bucket.at = time.now();
        if (bucket.available < 150) {
          throttled += 1;
          return json({
            errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
            extensions: { cost: cost(150, bucket.available, 50, 1000, null) },
          });
        }
        bucket.available -= 150;
        return json({ data: {}, extensions: { cost: cost(150, bucket.available, 50) } });
      },
    });

    for (let i = 0; i < 60; i += 1) await client.request("CustomerOrders", ORDERS);

    expect(throttled).toBe(0);
    // 60 × 150 = 9,000 points; 1,000 were in the bucket, the rest restore at 50/s: ≥ 160 s.
    expect(time.now() - 1_000_000).toBeGreaterThanOrEqual(160_000);
    expect(time.now() - 1_000_000).toBeLessThan(165_000);
  });
});

describe("paginate", () => {
  it("walks every page of a connection with the cursor Shopify returned", async () => {
    const pages = [
      { nodes: [1, 2], pageInfo: { hasNextPage: true, endCursor: "c1" } },
      { nodes: [3], pageInfo: { hasNextPage: true, endCursor: "c2" } },
      { nodes: [4], pageInfo: { hasNextPage: false, endCursor: "c3" } },
    ];
    const cursors: (string | null)[] = [];
    const seen: number[] = [];
    for await (const node of paginate(async (after) => {
      cursors.push(after);
      return pages.shift() ?? null;
    }))
      seen.push(node);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(cursors).toEqual([null, "c1", "c2"]);
  });
});

describe("the Admin API client on Shopify's ACCESS_DENIED answers", () => {
  it.each([
    {
      case: "a missing scope, as Shopify names it in requiredAccess",
      errors: [
        {
          message:
            "Access denied for dataSaleOptOut field. Required access: `write_privacy_settings` access scope.",
          path: ["dataSaleOptOut"],
          extensions: {
            code: "ACCESS_DENIED",
            documentation: "https://shopify.dev/api/usage/access-scopes",
            requiredAccess: "`write_privacy_settings` access scope.",
          },
        },
      ],
      kind: "access_denied",
      access: {
        requiredScopes: ["write_privacy_settings"],
        protectedData: { customerObject: false, fields: [] },
      },
      message: /lacks the write_privacy_settings permission/,
    },
    {
      case: "any of several scopes, named only in the message",
      errors: [
        {
          message:
            "Access denied for orders field. Required access: Any of `read_orders`, `read_marketplace_orders` access scopes.",
          extensions: { code: "ACCESS_DENIED" },
        },
      ],
      kind: "access_denied",
      access: {
        requiredScopes: ["read_orders", "read_marketplace_orders"],
        protectedData: { customerObject: false, fields: [] },
      },
      message: /lacks the read_orders permission/,
    },
    {
      case: "level 2 fields withheld, one error each",
      errors: [
        "This app is not approved to use the firstName field.",
        "This app is not approved to use the email field.",
        "This app is not approved to access the MailingAddress object.",
      ].map((message) => ({ message, extensions: { code: "ACCESS_DENIED" } })),
      kind: "protected_customer_data",
      access: {
        requiredScopes: [],
        protectedData: { customerObject: false, fields: ["name", "email", "address"] },
      },
      message: /withholds names, email addresses and addresses from the app/,
    },
    {
      case: "no level 1 approval",
      errors: [
        {
          message:
            "This app is not approved to access the Customer object. See https://shopify.dev/docs/apps/launch/protected-customer-data for more details.",
          extensions: { code: "ACCESS_DENIED" },
        },
      ],
      kind: "protected_customer_data",
      access: { requiredScopes: [], protectedData: { customerObject: true, fields: [] } },
      message: /withholds customer records/,
    },
  ])("$case", async ({ errors, kind, access, message }) => {
    // GIVEN Shopify answers the call with ACCESS_DENIED errors
    const { client, calls } = clientWith([json({ data: null, errors })]);
    // WHEN the app makes it
    const error = await client.request("CustomerProfile", PROFILE).catch((e: unknown) => e);
    // THEN it fails at once with a typed error naming what is missing, and a message that says how to fix it
    expect(error).toBeInstanceOf(AdminApiError);
    expect(isAccessRefusal(error)).toBe(true);
    expect(error).toMatchObject({ kind, details: { access, operation: "CustomerProfile" } });
    expect((error as Error).message).toMatch(message);
    expect(calls).toHaveLength(1);
  });

  it("leaves a response mixing ACCESS_DENIED with other errors a plain GraphQL error", () => {
    expect(
      accessDenialOf([
        { message: "Access denied for customer field.", extensions: { code: "ACCESS_DENIED" } },
        { message: "Internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } },
      ]),
    ).toBeNull();
  });
});
