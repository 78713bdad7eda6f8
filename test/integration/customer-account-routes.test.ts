import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { storeExport } from "../../app/exports/export-store.server";
import { getExportStorage, getKeyring } from "../../app/keys.server";
import { loader as downloadLoader } from "../../app/routes/customer-account.download.$token";
import { action as ticketAction } from "../../app/routes/customer-account.exports.$exportId.ticket";
import { action as fileAction, loader as listLoader } from "../../app/routes/customer-account.requests";
import { action as confirmAction } from "../../app/routes/customer-account.requests.$id.confirm";
import { action as resendAction } from "../../app/routes/customer-account.requests.$id.resend";
import { createSubjectReader } from "../../app/services/subjects.server";
import { OTHER_SHOP, SHOP, TEST_APP_URL } from "../helpers/constants";
import { customerToken, extensionRequest } from "../helpers/customer-account";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { respond } from "../helpers/staff";

beforeEach(resetDatabase);

interface Listed {
  requests: { id: string; type: string; phase: string; export: { id: string; state: string } | null }[];
}

async function list(token: string | null) {
  return respond(() =>
    listLoader({ request: extensionRequest("/customer-account/requests", token), params: {}, context: {} }),
  );
}

async function file(token: string | null, json: unknown) {
  return respond(() =>
    fileAction({
      request: extensionRequest("/customer-account/requests", token, { json }),
      params: {},
      context: {},
    }),
  );
}

async function ticket(token: string | null, exportId: string) {
  return respond(() =>
    ticketAction({
      request: extensionRequest(`/customer-account/exports/${exportId}/ticket`, token, { method: "POST" }),
      params: { exportId },
      context: {},
    }),
  );
}

async function download(url: string) {
  const token = url.split("/").at(-1)!;
  return respond(() => downloadLoader({ request: new Request(url), params: { token }, context: {} }));
}

/** An access request of `customerId` in `domain` with a finished export. */
async function requestWithExport(domain: string, customerId: string, content = `export of ${customerId}`) {
  const { shop, request } = await createTestRequest({
    domain,
    customerId,
    email: `c${customerId}@example.com`,
  });
  async function* source() {
    yield Buffer.from(content);
  }
  const file = await storeExport(getDb(), getKeyring(), getExportStorage(), {
    shopId: shop.id,
    requestId: request.id,
    fileName: `privacy-export-${request.id}.zip`,
    source: source(),
    actor: "system:worker",
    now: new Date(),
  });
  return { shop, request, file };
}

const ids = async (response: Response) =>
  ((await response.json()) as Listed).requests.map((r) => r.id).sort();

describe("GET /customer-account/requests", () => {
  it("lists only the signed-in customer's requests in the shop the token names", async () => {
    // GIVEN customer 5 and customer 6 in the first shop, and a customer 5 in the second shop
    const mine = await createTestRequest({ domain: SHOP, customerId: "5" });
    const alsoMine = await createTestRequest({ domain: SHOP, customerId: "5", type: "erasure" });
    await createTestRequest({ domain: SHOP, customerId: "6" });
    const otherShopsFive = await createTestRequest({ domain: OTHER_SHOP, customerId: "5" });

    // WHEN each of them opens the page
    const first = await list(await customerToken({ shop: SHOP, customerId: "5" }));
    const second = await list(await customerToken({ shop: OTHER_SHOP, customerId: "5" }));

    // THEN each sees exactly their own requests, with CORS for the extension's null origin
    expect(first.status).toBe(200);
    expect(first.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await ids(first)).toEqual([mine.request.id, alsoMine.request.id].sort());
    expect(await ids(second)).toEqual([otherShopsFive.request.id]);
  });

  it("shows the customer the status in plain words and the history, without staff or internal steps", async () => {
    const { request } = await createTestRequest({ domain: SHOP, customerId: "5" });

    const response = await list(await customerToken({ shop: SHOP, customerId: "5" }));
    const body = (await response.json()) as {
      requests: { id: string; phase: string; dueAt: string; history: { kind: string }[] }[];
    };

    expect(body.requests[0]).toMatchObject({
      id: request.id,
      phase: "in_review",
      dueAt: request.dueAt.toISOString(),
    });
    expect(body.requests[0]!.history.map((entry) => entry.kind)).toEqual(["received"]);
    expect(JSON.stringify(body)).not.toMatch(/staff:|c5@example\.com|emailCipher|subjectId/);
  });

  it("refuses a forged token, another app's token and a token naming no customer, with CORS on each refusal", async () => {
    await createTestRequest({ domain: SHOP, customerId: "5" });
    const cases = [
      {
        token: await customerToken({ shop: SHOP, customerId: "5", secret: "not-the-app-secret" }),
        code: "session",
      },
      {
        token: await customerToken({ shop: SHOP, customerId: "5", claims: { aud: "another-app" } }),
        code: "session",
      },
      { token: await customerToken({ shop: SHOP, customerId: null }), code: "signed_out" },
      {
        token: await customerToken({
          shop: SHOP,
          customerId: null,
          claims: { sub: "gid://shopify/StaffMember/5" },
        }),
        code: "signed_out",
      },
      {
        token: await customerToken({ shop: SHOP, customerId: "5", claims: { exp: Date.now() / 1000 - 60 } }),
        code: "session",
      },
    ];
    for (const { token, code } of cases) {
      const response = await list(token);
      expect(response.status, code).toBe(401);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(await response.json()).toMatchObject({ error: code });
    }
    const missing = await list(null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("answers 404 for a shop where the app is not installed, or was uninstalled", async () => {
    await createTestRequest({ domain: SHOP, customerId: "5" });
    await getDb().shop.update({ where: { domain: SHOP }, data: { uninstalledAt: new Date() } });

    for (const shop of [SHOP, "never-installed.myshopify.com"]) {
      const response = await list(await customerToken({ shop, customerId: "5" }));
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: "not_installed" });
    }
  });

  it("answers the extension's preflight with CORS and no body", async () => {
    const response = await respond(() =>
      fileAction({
        request: extensionRequest("/customer-account/requests", null, {
          method: "OPTIONS",
          headers: {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization",
          },
        }),
        params: {},
        context: {},
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/);
  });
});

describe("POST /customer-account/requests", () => {
  it("files a request for the token's customer and shop, verified by their sign-in, and asks Shopify for their address", async () => {
    await getDb().shop.create({ data: { domain: SHOP } });

    const response = await file(await customerToken({ shop: SHOP, customerId: "5" }), {
      type: "access",
      country: "DE",
    });

    expect(response.status).toBe(201);
    const { request } = (await response.json()) as { request: { id: string; phase: string } };
    const row = await getDb().privacyRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(row).toMatchObject({
      customerId: "5",
      source: "customer_account",
      status: "pending_review",
      regime: "gdpr",
      type: "access",
    });
    expect(await getDb().job.findMany({ where: { requestId: row.id }, select: { kind: true } })).toEqual([
      { kind: "storefront_lookup" },
    ]);
  });

  it("makes an erasure wait for the one-time code, and a US customer's request runs under CCPA", async () => {
    await getDb().shop.create({ data: { domain: SHOP } });

    const response = await file(await customerToken({ shop: SHOP, customerId: "5" }), {
      type: "erasure",
      country: "US",
    });

    const { request } = (await response.json()) as { request: { id: string; phase: string } };
    expect(request.phase).toBe("confirm");
    expect(await getDb().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "awaiting_verification",
      regime: "ccpa",
    });
  });

  it("refuses a body over 16 KiB with 413 and stores nothing, also when it is sent chunked and never ends", async () => {
    await getDb().shop.create({ data: { domain: SHOP } });
    const token = await customerToken({ shop: SHOP, customerId: "5" });
    const large = await file(token, { type: "access", message: "x".repeat(17 * 1024) });
    // A body without Content-Length that would never end: it must be cut off at the limit, not read whole.
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new TextEncoder().encode(`{"message":"${"y".repeat(4096)}`)),
    });
    const chunked = await respond(() =>
      fileAction({
        request: new Request(`${TEST_APP_URL}/customer-account/requests`, {
          method: "POST",
          headers: { Origin: "null", Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
          body: endless,
          duplex: "half",
        } as RequestInit),
        params: {},
        context: {},
      }),
    );
    expect([large.status, chunked.status]).toEqual([413, 413]);
    expect(await getDb().privacyRequest.count()).toBe(0);
  });

  it("never takes the customer from the body, and refuses text with direction or control characters", async () => {
    await getDb().shop.create({ data: { domain: SHOP } });
    const token = await customerToken({ shop: SHOP, customerId: "5" });

    const withCustomer = await file(token, { type: "access", customerId: "6" });
    const withBidi = await file(token, { type: "access", message: "refund \u202egnp.exe" });
    const badCorrection = await file(token, { type: "rectification", corrections: { firstName: "A\u0000" } });
    const notJson = await respond(() =>
      fileAction({
        request: extensionRequest("/customer-account/requests", token, {
          method: "POST",
          headers: { "Content-Type": "text/plain" },
        }),
        params: {},
        context: {},
      }),
    );

    expect([withCustomer.status, withBidi.status, badCorrection.status, notJson.status]).toEqual([
      400, 400, 400, 415,
    ]);
    expect(withCustomer.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await getDb().privacyRequest.count()).toBe(0);
  });

  it("refuses a second open request of the same kind, naming the first", async () => {
    await getDb().shop.create({ data: { domain: SHOP } });
    const token = await customerToken({ shop: SHOP, customerId: "5" });
    const first = (await (await file(token, { type: "access" })).json()) as { request: { id: string } };

    const again = await file(token, { type: "access" });

    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: "duplicate", requestId: first.request.id });
    expect(await getDb().privacyRequest.count()).toBe(1);
  });
});

describe("export download from the customer account", () => {
  it("gives the customer a one-time link to their own export, streams it once, and audits the download as theirs", async () => {
    const { file: exported, request } = await requestWithExport(SHOP, "5", "the zip bytes");
    const token = await customerToken({ shop: SHOP, customerId: "5" });

    const listed = (await (await list(token)).json()) as Listed;
    expect(listed.requests[0]!.export).toMatchObject({ id: exported.id, state: "ready" });
    const issued = await ticket(token, exported.id);
    expect(issued.status).toBe(200);
    const { url } = (await issued.json()) as { url: string };
    expect(url.startsWith(`${TEST_APP_URL}/customer-account/download/`)).toBe(true);

    const first = await download(url);
    expect(first.status).toBe(200);
    expect(first.headers.get("Content-Type")).toBe("application/zip");
    expect(await first.text()).toBe("the zip bytes");
    const replay = await download(url);
    expect(replay.status).toBe(410);

    const audited = await getDb().auditEvent.findMany({
      where: { requestId: request.id, action: "export.downloaded" },
    });
    expect(audited.map((event) => event.actor)).toEqual(["requester:customer_account"]);
    expect(await getDb().exportLink.findFirstOrThrow()).toMatchObject({ downloads: 1, customerId: "5" });
  });

  it("never gives a link to another customer's export, or to another shop's", async () => {
    const theirs = await requestWithExport(SHOP, "6");
    const otherShops = await requestWithExport(OTHER_SHOP, "5");

    const asFive = await customerToken({ shop: SHOP, customerId: "5" });
    const asFiveInOtherShopForTheFirstShopsExport = await customerToken({
      shop: OTHER_SHOP,
      customerId: "6",
    });

    expect((await ticket(asFive, theirs.file.id)).status).toBe(404);
    expect((await ticket(asFive, otherShops.file.id)).status).toBe(404);
    expect((await ticket(asFiveInOtherShopForTheFirstShopsExport, theirs.file.id)).status).toBe(404);
    expect(await getDb().exportLink.count()).toBe(0);
  });

  it("holds an export the shop releases by hand until an approver released it, and refuses an expired one", async () => {
    const held = await requestWithExport(SHOP, "5");
    await getDb().shopSettings.create({
      data: {
        shopId: held.shop.id,
        verificationPolicy: "email_confirmation",
        autoApproveCustomerAccess: false,
        notificationEmails: "[]",
        exportRetentionDays: 7,
        holdExportsForRelease: true,
      },
    });
    const token = await customerToken({ shop: SHOP, customerId: "5" });

    expect((await ticket(token, held.file.id)).status).toBe(409);
    await getDb().exportFile.update({ where: { id: held.file.id }, data: { releasedAt: new Date() } });
    expect((await ticket(token, held.file.id)).status).toBe(200);
    await getDb().exportFile.update({
      where: { id: held.file.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await ticket(token, held.file.id)).status).toBe(410);
  });

  it("answers 404 for a token that was never issued or is malformed", async () => {
    expect((await download(`${TEST_APP_URL}/customer-account/download/${"a".repeat(43)}`)).status).toBe(404);
    expect((await download(`${TEST_APP_URL}/customer-account/download/..%2F..%2Fetc`)).status).toBe(404);
  });
});

/** The code the lookup job will email, read the way the send job reads it (sealed with the person's key). */
async function pendingCode(requestId: string) {
  const request = await getDb().privacyRequest.findUniqueOrThrow({ where: { id: requestId } });
  const verification = await getDb().storefrontVerification.findUniqueOrThrow({ where: { requestId } });
  return createSubjectReader(getDb(), getKeyring())(
    request.subjectId,
    "verification-code",
    verification.codeCipher,
  );
}

async function confirm(token: string, requestId: string, code: string) {
  return respond(() =>
    confirmAction({
      request: extensionRequest(`/customer-account/requests/${requestId}/confirm`, token, { json: { code } }),
      params: { id: requestId },
      context: {},
    }),
  );
}

describe("confirming an erasure from the customer account", () => {
  it("moves the erasure on with the code from the email, in the page's language, and only for the customer who filed it", async () => {
    await getDb().shop.create({ data: { domain: SHOP } });
    const five = await customerToken({ shop: SHOP, customerId: "5" });
    const six = await customerToken({ shop: SHOP, customerId: "6" });
    const filed = await file(five, { type: "erasure", locale: "de-DE" });
    const { request } = (await filed.json()) as { request: { id: string } };
    expect(await getDb().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      locale: "de",
      status: "awaiting_verification",
    });
    const code = (await pendingCode(request.id))!;
    expect(code).toMatch(/^\d{6}$/);

    // Another customer of the shop, even holding the right code, gets nothing
    expect((await confirm(six, request.id, code)).status).toBe(404);
    // A wrong code counts as a try and says how many are left
    const wrong = await confirm(five, request.id, code === "000000" ? "111111" : "000000");
    expect(wrong.status).toBe(400);
    // (the other customer's attempt did not count)
    expect(await wrong.json()).toMatchObject({ error: "code_wrong", attemptsLeft: 4 });

    const right = await confirm(five, request.id, code);
    expect(right.status).toBe(200);
    expect(await right.json()).toMatchObject({ request: { id: request.id, phase: "in_review" } });
    expect((await getDb().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe(
      "pending_review",
    );
  });

  it("sends a new code at most a minute apart, and refuses one for a request that waits for none", async () => {
    await getDb().shop.create({ data: { domain: SHOP } });
    const token = await customerToken({ shop: SHOP, customerId: "5" });
    const erasure = ((await (await file(token, { type: "erasure" })).json()) as { request: { id: string } })
      .request;
    const access = ((await (await file(token, { type: "access" })).json()) as { request: { id: string } })
      .request;
    const resend = (id: string) =>
      respond(() =>
        resendAction({
          request: extensionRequest(`/customer-account/requests/${id}/resend`, token, { method: "POST" }),
          params: { id },
          context: {},
        }),
      );

    expect((await resend(erasure.id)).status).toBe(429); // the first code went a moment ago
    expect((await resend(access.id)).status).toBe(404);
  });
});
