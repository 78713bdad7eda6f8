import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import {
  ExtensionNotAllowedError,
  IllegalTransitionError,
  RequestNotFoundError,
} from "../../app/domain/errors";
import { getKeyring } from "../../app/keys.server";
import { verifyShopChain } from "../../app/services/audit-log.server";
import { extendDeadline, transitionRequest } from "../../app/services/requests.server";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";

beforeEach(resetDatabase);

const newAccessRequest = (domain = SHOP) =>
  createTestRequest({ domain, receivedAt: new Date("2026-03-01T10:00:00.000Z"), email: "pat@example.com" });

const events = (requestId: string) =>
  getDb().auditEvent.findMany({ where: { requestId }, orderBy: { seq: "asc" } });

describe("request transitions", () => {
  it("moves a request and records who did it, in the same transaction", async () => {
    const { shop, request } = await newAccessRequest();
    const now = new Date("2026-03-02T10:00:00.000Z");

    await getDb().$transaction((tx) =>
      transitionRequest(tx, getKeyring(), {
        shopId: shop.id,
        requestId: request.id,
        event: "approve",
        actor: "staff:42",
        now,
      }),
    );

    expect((await getDb().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe(
      "approved",
    );
    const [, approved] = await events(request.id);
    expect(approved).toMatchObject({ action: "request.approve", actor: "staff:42", occurredAt: now });
    expect(JSON.parse(approved!.data)).toEqual({ from: "pending_review", to: "approved" });
    expect((await verifyShopChain(getDb(), getKeyring(), shop.id)).ok).toBe(true);
  });

  it("refuses an illegal transition with a typed error and changes nothing", async () => {
    const { shop, request } = await newAccessRequest();

    const attempt = getDb().$transaction((tx) =>
      transitionRequest(tx, getKeyring(), {
        shopId: shop.id,
        requestId: request.id,
        event: "complete",
        actor: "staff:42",
        now: new Date(),
      }),
    );

    await expect(attempt).rejects.toBeInstanceOf(IllegalTransitionError);
    expect((await getDb().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe(
      "pending_review",
    );
    expect(await events(request.id)).toHaveLength(1);
  });

  it("does not find another shop's request", async () => {
    const { request } = await newAccessRequest(OTHER_SHOP);
    const mine = await getDb().shop.create({ data: { domain: SHOP } });

    const attempt = getDb().$transaction((tx) =>
      transitionRequest(tx, getKeyring(), {
        shopId: mine.id,
        requestId: request.id,
        event: "deny",
        actor: "staff:1",
        now: new Date(),
      }),
    );

    await expect(attempt).rejects.toBeInstanceOf(RequestNotFoundError);
    expect((await getDb().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe(
      "pending_review",
    );
  });

  it("extends a CCPA deadline by 45 days once, with a reason, and audits it", async () => {
    const { shop, request } = await newAccessRequest();
    expect(request.dueAt.toISOString()).toBe("2026-04-15T10:00:00.000Z");
    const extend = (reason: string) =>
      getDb().$transaction((tx) =>
        extendDeadline(tx, getKeyring(), {
          shopId: shop.id,
          requestId: request.id,
          reason,
          actor: "staff:9",
          now: new Date(),
        }),
      );

    await expect(extend("  ")).rejects.toBeInstanceOf(ExtensionNotAllowedError);
    await extend("Orders span three systems");
    await expect(extend("Again, please")).rejects.toThrow(/already extended once/);

    const stored = await getDb().privacyRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored).toMatchObject({
      dueAt: new Date("2026-05-30T10:00:00.000Z"),
      extensionReason: "Orders span three systems",
    });
    const last = (await events(request.id)).at(-1)!;
    expect(last.action).toBe("request.deadline_extended");
    expect(JSON.parse(last.data)).toMatchObject({
      from: "2026-04-15T10:00:00.000Z",
      to: "2026-05-30T10:00:00.000Z",
    });
  });

  it("refuses to extend a request that is already closed", async () => {
    const { shop, request } = await newAccessRequest();
    await getDb().$transaction((tx) =>
      transitionRequest(tx, getKeyring(), {
        shopId: shop.id,
        requestId: request.id,
        event: "deny",
        actor: "staff:1",
        now: new Date(),
        reason: "Not a customer",
      }),
    );
    const attempt = getDb().$transaction((tx) =>
      extendDeadline(tx, getKeyring(), {
        shopId: shop.id,
        requestId: request.id,
        reason: "Need more time",
        actor: "staff:1",
        now: new Date(),
      }),
    );
    await expect(attempt).rejects.toThrow(/denied request has no deadline left/);
  });
});
