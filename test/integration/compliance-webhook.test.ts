import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { getKeyring } from "../../app/keys.server";
import { action, loader } from "../../app/routes/webhooks.compliance";
import { listRequests } from "../../app/services/request-queries.server";
import { OTHER_SHOP, SHOP, TEST_APP_URL } from "../helpers/constants";
import { countAllRows, EMPTY_COUNTS } from "../helpers/db";
import { resetDatabase } from "../helpers/reset";
import { mswServer } from "../setup/test-env";
import { samplePayload, signedWebhook, type SampleTopic } from "../helpers/webhooks";

const post = (request: Request) => action({ request, params: {}, context: {} });

beforeEach(resetDatabase);

describe("compliance webhooks: accepted deliveries", () => {
  it("records customers/data_request as an access request pending review, due one month later", async () => {
    // GIVEN Shopify's sample payload, signed with the app secret
    const request = signedWebhook({
      topic: "customers/data_request",
      shop: SHOP,
      body: samplePayload("customers/data_request", SHOP),
    });

    // WHEN it is delivered
    const response = await post(request);

    // THEN it is acknowledged and stored as an access request
    expect(response.status).toBe(200);
    const [stored] = await listRequests(getDb(), getKeyring(), { shopDomain: SHOP });
    expect(stored).toMatchObject({
      type: "access",
      status: "pending_review",
      source: "shopify_webhook",
      regime: "gdpr",
      customerId: "191167",
      email: "john@example.com",
      phone: "555-625-1199",
      shopifyDataRequestId: "9999",
    });
    const received = new Date(stored!.receivedAt);
    const due = new Date(stored!.dueAt);
    expect(due.getUTCMonth()).toBe((received.getUTCMonth() + 1) % 12);
    const counts = await countAllRows();
    expect(counts).toMatchObject({
      shops: 1,
      requests: 1,
      deliveries: 1,
      jobs: 0,
      auditEvents: 1,
      subjects: 1,
    });
  });

  it("records customers/redact as an approved erasure with a job for the worker", async () => {
    const response = await post(
      signedWebhook({ topic: "customers/redact", shop: SHOP, body: samplePayload("customers/redact", SHOP) }),
    );

    expect(response.status).toBe(200);
    const [stored] = await listRequests(getDb(), getKeyring(), { shopDomain: SHOP });
    expect(stored).toMatchObject({
      type: "erasure",
      status: "approved",
      customerId: "191167",
      email: "john@example.com",
    });
    const jobs = await getDb().job.findMany();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: "execute_request", status: "queued" });
    expect(JSON.parse(jobs[0]!.payload)).toEqual({ shopId: expect.any(String), requestId: stored!.id });
  });

  it("records shop/redact as a purge job and no privacy request", async () => {
    const response = await post(
      signedWebhook({ topic: "shop/redact", shop: SHOP, body: samplePayload("shop/redact", SHOP) }),
    );

    expect(response.status).toBe(200);
    expect(await getDb().privacyRequest.count()).toBe(0);
    const [job] = await getDb().job.findMany();
    expect(job).toMatchObject({ kind: "purge_shop", status: "queued" });
  });

  it("never stores personal data in clear: email, phone and payload are sealed", async () => {
    await post(
      signedWebhook({
        topic: "customers/data_request",
        shop: SHOP,
        body: samplePayload("customers/data_request", SHOP),
      }),
    );

    const db = getDb();
    const dump = JSON.stringify([
      await db.privacyRequest.findMany(),
      await db.webhookDelivery.findMany(),
      await db.auditEvent.findMany(),
      await db.dataSubject.findMany(),
    ]);
    expect(dump).not.toContain("john@example.com");
    expect(dump).not.toContain("555-625-1199");
  });

  it("accepts a customer known only by email (Shopify says some records hold nothing else)", async () => {
    const body = {
      ...samplePayload("customers/data_request", SHOP),
      customer: { email: "only@example.com" },
    };
    const response = await post(signedWebhook({ topic: "customers/data_request", shop: SHOP, body }));

    expect(response.status).toBe(200);
    const [stored] = await listRequests(getDb(), getKeyring(), { shopDomain: SHOP });
    expect(stored).toMatchObject({ customerId: null, email: "only@example.com", phone: null });
  });
});

describe("compliance webhooks: idempotency", () => {
  it("treats a redelivery with the same X-Shopify-Webhook-Id as a no-op", async () => {
    const webhookId = randomUUID();
    const body = samplePayload("customers/redact", SHOP);

    const first = await post(signedWebhook({ topic: "customers/redact", shop: SHOP, body, webhookId }));
    const before = await countAllRows();
    const second = await post(signedWebhook({ topic: "customers/redact", shop: SHOP, body, webhookId }));

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ status: "duplicate", reason: "webhook_id" });
    expect(await countAllRows()).toEqual(before);
  });

  it("treats the same data_request.id under a new webhook id as the same request", async () => {
    const body = samplePayload("customers/data_request", SHOP);

    await post(signedWebhook({ topic: "customers/data_request", shop: SHOP, body }));
    const again = await post(signedWebhook({ topic: "customers/data_request", shop: SHOP, body }));

    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "duplicate", reason: "data_request_id" });
    expect(await getDb().privacyRequest.count()).toBe(1);
    expect(await getDb().auditEvent.count()).toBe(1);
  });

  it("keeps one request when duplicates race each other", async () => {
    const webhookId = randomUUID();
    const body = samplePayload("customers/data_request", SHOP);

    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        post(
          signedWebhook({
            topic: "customers/data_request",
            shop: SHOP,
            body,
            webhookId: i % 2 ? webhookId : randomUUID(),
          }),
        ),
      ),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(await getDb().privacyRequest.count()).toBe(1);
  });

  it("scopes data_request ids per shop: the same id in two shops is two requests", async () => {
    await post(
      signedWebhook({
        topic: "customers/data_request",
        shop: SHOP,
        body: samplePayload("customers/data_request", SHOP),
      }),
    );
    await post(
      signedWebhook({
        topic: "customers/data_request",
        shop: OTHER_SHOP,
        body: samplePayload("customers/data_request", OTHER_SHOP),
      }),
    );

    expect(await listRequests(getDb(), getKeyring(), { shopDomain: SHOP })).toHaveLength(1);
    expect(await listRequests(getDb(), getKeyring(), { shopDomain: OTHER_SHOP })).toHaveLength(1);
  });
});

describe("compliance webhooks: rejected deliveries store nothing", () => {
  const topics: SampleTopic[] = ["customers/data_request", "customers/redact", "shop/redact"];
  const valid = (topic: SampleTopic = "customers/data_request") => ({
    topic,
    shop: SHOP,
    body: samplePayload(topic, SHOP),
  });

  const cases: { name: string; request: () => Request; status: number; message: RegExp }[] = [
    ...topics.map((topic) => ({
      name: `${topic} signed with the wrong secret`,
      request: () => signedWebhook({ ...valid(topic), secret: "not-the-app-secret" }),
      status: 401,
      message: /HMAC/,
    })),
    {
      name: "a body changed after signing",
      request: () => {
        const signed = signedWebhook(valid());
        const tampered = JSON.stringify({
          ...samplePayload("customers/data_request", SHOP),
          customer: { id: 1, email: "evil@example.com" },
        });
        return new Request(signed.url, { method: "POST", headers: signed.headers, body: tampered });
      },
      status: 401,
      message: /HMAC/,
    },
    {
      name: "a missing HMAC header",
      request: () => signedWebhook({ ...valid(), headers: { "X-Shopify-Hmac-Sha256": null } }),
      status: 401,
      message: /Missing X-Shopify-Hmac-Sha256 header/,
    },
    {
      name: "a missing HMAC header and a missing topic",
      request: () =>
        signedWebhook({ ...valid(), headers: { "X-Shopify-Hmac-Sha256": null, "X-Shopify-Topic": null } }),
      status: 401,
      message: /Missing X-Shopify-Hmac-Sha256 header/,
    },
    {
      name: "an unsigned empty body",
      request: () =>
        signedWebhook({
          topic: "customers/redact",
          shop: SHOP,
          body: "",
          headers: { "X-Shopify-Hmac-Sha256": null },
        }),
      status: 401,
      message: /Missing X-Shopify-Hmac-Sha256 header/,
    },
    {
      name: "a missing X-Shopify-Webhook-Id",
      request: () => signedWebhook({ ...valid(), headers: { "X-Shopify-Webhook-Id": null } }),
      status: 400,
      message: /Missing Shopify webhook headers: X-Shopify-Webhook-Id$/,
    },
    {
      name: "a missing X-Shopify-Topic",
      request: () => signedWebhook({ ...valid(), headers: { "X-Shopify-Topic": null } }),
      status: 400,
      message: /Missing Shopify webhook headers: X-Shopify-Topic$/,
    },
    {
      name: "a signed body that is not JSON",
      request: () => signedWebhook({ topic: "customers/redact", shop: SHOP, body: "{not json" }),
      status: 400,
      message: /not valid JSON/,
    },
    {
      name: "a signed empty body",
      request: () => signedWebhook({ topic: "customers/redact", shop: SHOP, body: "" }),
      status: 400,
      message: /Body is empty/,
    },
    {
      name: "a signed payload missing required fields",
      request: () =>
        signedWebhook({
          topic: "customers/data_request",
          shop: SHOP,
          body: { shop_domain: SHOP, customer: { id: 1 } },
        }),
      status: 400,
      message: /Invalid customers\/data_request payload: shop_id .*data_request/,
    },
    {
      name: "a customer with neither id nor email",
      request: () =>
        signedWebhook({
          topic: "customers/redact",
          shop: SHOP,
          body: { ...samplePayload("customers/redact", SHOP), customer: { phone: "1" } },
        }),
      status: 400,
      message: /customer needs an id or an email/,
    },
    {
      name: "a payload for another shop than the shop header",
      request: () =>
        signedWebhook({
          topic: "customers/redact",
          shop: SHOP,
          body: samplePayload("customers/redact", OTHER_SHOP),
        }),
      status: 400,
      message:
        /Payload shop_domain second-store.myshopify.com does not match the X-Shopify-Shop-Domain header/,
    },
    {
      name: "a payload with unknown keys",
      request: () =>
        signedWebhook({
          topic: "customers/redact",
          shop: SHOP,
          body: { ...samplePayload("customers/redact", SHOP), note: "<b>hi</b>" },
        }),
      status: 400,
      message: /body has keys customers\/redact does not carry: "note"/,
    },
    {
      name: "a topic that is not a compliance topic",
      request: () =>
        signedWebhook({ topic: "orders/create", shop: SHOP, body: samplePayload("customers/redact", SHOP) }),
      status: 400,
      message: /not a compliance topic/,
    },
    {
      name: "a Content-Type other than JSON",
      request: () => signedWebhook({ ...valid(), headers: { "Content-Type": "text/plain" } }),
      status: 415,
      message: /application\/json/,
    },
    {
      name: "a body over the size cap",
      request: () => {
        const body = {
          ...samplePayload("customers/data_request", SHOP),
          orders_requested: Array.from({ length: 40_000 }, (_, i) => 1_000_000 + i),
        };
        return signedWebhook({ topic: "customers/data_request", shop: SHOP, body });
      },
      status: 413,
      message: /larger than/,
    },
  ];

  it.each(cases)("rejects $name with $status", async ({ request, status, message }) => {
    const response = await post(request());

    expect(response.status).toBe(status);
    expect(await response.text()).toMatch(message);
    expect(await countAllRows()).toEqual(EMPTY_COUNTS);
  });

  it("rejects a chunked body over the cap even without Content-Length", async () => {
    const signed = signedWebhook(valid());
    const big = new TextEncoder().encode(" ".repeat(300 * 1024));
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(big);
        controller.close();
      },
    });
    const headers = new Headers(signed.headers);
    headers.delete("content-length");
    const response = await post(
      new Request(signed.url, { method: "POST", headers, body: stream, duplex: "half" } as RequestInit),
    );

    expect(response.status).toBe(413);
    expect(await countAllRows()).toEqual(EMPTY_COUNTS);
  });

  it("answers GET and a signed PUT with 405", async () => {
    const get = await loader({
      request: new Request(`${TEST_APP_URL}/webhooks/compliance`),
      params: {},
      context: {},
    });
    const signed = signedWebhook(valid());
    const put = await post(
      new Request(signed.url, { method: "PUT", headers: signed.headers, body: await signed.text() }),
    );

    for (const response of [get, put]) {
      expect(response.status).toBe(405);
      expect(await response.text()).toBe("Compliance webhooks must be POSTed");
    }
    expect(await countAllRows()).toEqual(EMPTY_COUNTS);
  });
});

describe("compliance webhooks: stored rows", () => {
  it("stores rows written in bulk exactly as the ORM reads them back (dates, defaults, ids)", async () => {
    const before = new Date();
    await post(
      signedWebhook({ topic: "customers/redact", shop: SHOP, body: samplePayload("customers/redact", SHOP) }),
    );
    const db = getDb();

    const request = await db.privacyRequest.findFirstOrThrow();
    const job = await db.job.findFirstOrThrow();
    const delivery = await db.webhookDelivery.findFirstOrThrow();
    const event = await db.auditEvent.findFirstOrThrow();
    const subject = await db.dataSubject.findFirstOrThrow();

    for (const date of [
      request.receivedAt,
      request.createdAt,
      request.updatedAt,
      job.runAt,
      job.createdAt,
      delivery.receivedAt,
      event.occurredAt,
      subject.createdAt,
    ]) {
      expect(date).toBeInstanceOf(Date);
      expect(Math.abs(date.getTime() - before.getTime())).toBeLessThan(10_000);
    }
    expect(job).toMatchObject({ status: "queued", attempts: 0, maxAttempts: 8, leaseToken: null });
    // A due job is found by the same date comparison the worker uses.
    expect(await db.job.count({ where: { runAt: { lte: new Date(Date.now() + 1000) } } })).toBe(1);
    expect(await db.job.count({ where: { runAt: { lte: new Date(before.getTime() - 60_000) } } })).toBe(0);
    expect(delivery).toMatchObject({
      requestId: request.id,
      subjectId: request.subjectId,
      outcome: "request_created",
      redactedAt: null,
    });
  });
});

describe("compliance webhooks need no session (issue 8, finding 4)", () => {
  const longAgo = new Date(Date.now() - 100 * 24 * 3600 * 1000);
  const anHourAgo = new Date(Date.now() - 3600 * 1000);
  const sessions = [
    {
      name: "its offline token expired (a refresh would call Shopify)",
      refreshTokenExpires: new Date(Date.now() + 24 * 3600 * 1000),
    },
    { name: "it has been dormant ~100 days (its refresh token expired too)", refreshTokenExpires: longAgo },
  ];

  it.each(sessions)(
    "accepts every topic for a shop whose $name, and calls nobody",
    async ({ refreshTokenExpires }) => {
      // GIVEN the shop's offline session, stored by expiring offline tokens, has expired
      await getDb().session.create({
        data: {
          id: `offline_${SHOP}`,
          shop: SHOP,
          state: "",
          isOnline: false,
          accessToken: "shpat_expired",
          expires: anHourAgo,
          refreshToken: "shprt_old",
          refreshTokenExpires,
        },
      });
      const outbound: string[] = [];
      const record = ({ request }: { request: Request }) => void outbound.push(request.url);
      mswServer.events.on("request:start", record);

      try {
        // WHEN Shopify delivers each compliance topic
        const statuses = [];
        for (const topic of ["customers/data_request", "customers/redact", "shop/redact"] as const)
          statuses.push(
            (await post(signedWebhook({ topic, shop: SHOP, body: samplePayload(topic, SHOP) }))).status,
          );

        // THEN each is stored and acknowledged, and nothing left the machine (no token refresh)
        expect(statuses).toEqual([200, 200, 200]);
        expect(await getDb().webhookDelivery.count()).toBe(3);
        expect(outbound).toEqual([]);
      } finally {
        mswServer.events.removeListener("request:start", record);
      }
    },
  );
});

describe("compliance webhooks: a body is accepted only under its own topic (issue 8, finding 9)", () => {
  const topics: SampleTopic[] = ["customers/data_request", "customers/redact", "shop/redact"];
  const replays = topics.flatMap((signedFor) =>
    topics
      .filter((deliveredAs) => deliveredAs !== signedFor)
      .map((deliveredAs) => ({ signedFor, deliveredAs })),
  );

  it.each(replays)(
    "refuses Shopify's signed $signedFor sample re-sent as $deliveredAs with 400, changing nothing",
    async ({ signedFor, deliveredAs }) => {
      // GIVEN a shop with a recorded data request and an erasure awaiting the worker
      for (const topic of ["customers/data_request", "customers/redact"] as const)
        expect(
          (await post(signedWebhook({ topic, shop: SHOP, body: samplePayload(topic, SHOP) }))).status,
        ).toBe(200);
      const before = await countAllRows();
      const jobsBefore = await getDb().job.findMany({ orderBy: { id: "asc" } });

      // WHEN a genuine signed body is replayed under another topic's header
      const response = await post(
        signedWebhook({ topic: deliveredAs, shop: SHOP, body: samplePayload(signedFor, SHOP) }),
      );

      // THEN it is refused, and no row (no purge or erasure job above all) was added or changed
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(
        `This body is a ${signedFor} payload delivered as ${deliveredAs}`,
      );
      expect(await countAllRows()).toEqual(before);
      expect(await getDb().job.findMany({ orderBy: { id: "asc" } })).toEqual(jobsBefore);
    },
  );
});

describe("compliance webhooks: shopper contact details are checked on the way in (issue 8, finding 14)", () => {
  it.each([
    [
      "a 5,000-character email",
      { email: `${"a".repeat(4988)}@example.com` },
      /customer.email is longer than 254 characters/,
    ],
    [
      "a right-to-left override hiding the address",
      { email: "\u202Emoc.elpmaxe@nhoj" },
      /customer.email contains control or invisible formatting characters/,
    ],
    [
      "markup in the email",
      { email: "<script>alert(1)</script>@example.com" },
      /customer.email has characters/,
    ],
    ["a phone with letters", { phone: "555 CALL NOW" }, /customer.phone may hold only digits/],
  ])("refuses %s with 400 naming the field, storing nothing", async (_name, fields, message) => {
    const body = samplePayload("customers/data_request", SHOP);
    const response = await post(
      signedWebhook({
        topic: "customers/data_request",
        shop: SHOP,
        body: { ...body, customer: { ...(body.customer as object), ...fields } },
      }),
    );

    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(message);
    expect(await countAllRows()).toEqual(EMPTY_COUNTS);
  });

  it("accepts ids sent as strings by tools, as Shopify's numbers", async () => {
    const response = await post(
      signedWebhook({
        topic: "customers/redact",
        shop: SHOP,
        body: {
          ...samplePayload("customers/redact", SHOP),
          shop_id: "954889",
          customer: { id: "191167" },
          orders_to_redact: ["1"],
        },
      }),
    );

    expect(response.status).toBe(200);
    expect(await getDb().privacyRequest.findFirstOrThrow()).toMatchObject({ customerId: "191167" });
  });
});
