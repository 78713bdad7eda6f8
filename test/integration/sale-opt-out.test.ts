import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { approveRequest, transitionRequest } from "../../app/services/requests.server";
import { getRequestWithEvents } from "../../app/services/request-queries.server";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { simulatedShopify } from "../helpers/simulated-shopify";
import { testExportStorage } from "../helpers/worker-deps";

beforeEach(resetDatabase);

async function approvedOptOut(email: string) {
  const { shop, request } = await createTestRequest({ type: "sale_opt_out", customerId: null, email });
  await getDb().$transaction((tx) =>
    approveRequest(tx, getKeyring(), {
      shopId: shop.id,
      requestId: request.id,
      actor: "staff:1",
      now: new Date(),
    }),
  );
  return request.id;
}

function worker() {
  const { customer, simulator, admin } = simulatedShopify({ email: "opt.out@example.com" });
  return {
    customer,
    simulator,
    run: createWorker({ db: getDb(), keyring: getKeyring(), logger, exports: testExportStorage(), admin }),
  };
}

describe("CCPA sale/share opt-out", () => {
  it("approval queues the work; the worker records the opt-out in Shopify and completes the request", async () => {
    const { customer, run } = worker();
    const requestId = await approvedOptOut("Opt.Out@example.com");
    expect(await getDb().job.count({ where: { kind: "execute_request" } })).toBe(1);

    await run.drain();

    expect(customer.dataSaleOptOut).toBe(true);
    const request = await getRequestWithEvents(getDb(), getKeyring(), { id: requestId });
    expect(request!.status).toBe("completed");
    expect(request!.events.map((e) => `${e.actor} ${e.action}`)).toEqual([
      "staff:1 request.received",
      "staff:1 request.approve",
      "system:worker request.start",
      "system:worker request.complete",
    ]);
    expect(request!.events[3]!.data).toMatchObject({
      shopify: { dataSaleOptOut: true, customerId: `gid://shopify/Customer/${customer.id}` },
    });
  });

  it("finishes on retry when the worker died after starting it (Shopify's opt-out is idempotent)", async () => {
    const { customer, run } = worker();
    const requestId = await approvedOptOut("opt.out@example.com");
    const request = await getDb().privacyRequest.findUniqueOrThrow({ where: { id: requestId } });
    // A previous worker started the request, then died before Shopify answered.
    await getDb().$transaction((tx) =>
      transitionRequest(tx, getKeyring(), {
        shopId: request.shopId,
        requestId,
        event: "start",
        actor: "system:worker",
        now: new Date(),
      }),
    );
    customer.dataSaleOptOut = true; // and Shopify had in fact recorded it

    await run.drain();

    expect((await getDb().privacyRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe(
      "completed",
    );
    const starts = await getDb().auditEvent.count({ where: { requestId, action: "request.start" } });
    expect(starts).toBe(1);
  });

  it("fails the request with Shopify's message when Shopify refuses", async () => {
    const { run } = worker();
    const requestId = await approvedOptOut("nobody@example.com");

    await run.drain();

    const request = await getRequestWithEvents(getDb(), getKeyring(), { id: requestId });
    expect(request).toMatchObject({
      status: "failed",
      statusReason: "Shopify refused the opt-out: Customer not found",
    });
    expect(request!.events.at(-1)!.data).toMatchObject({
      shopifyUserErrors: [{ message: "Customer not found", code: "FAILED" }],
    });
  });
});
