import { ACCESS_SCOPES } from "../app/api-version";
import type { Db, Tx } from "../app/db-types";
import type { RequestEvent, RequestSource, RequestType } from "../app/domain/request-lifecycle";
import { ERASE_CUSTOMER_DATA_SCOPE } from "../app/domain/roles";
import { enqueueJob } from "../app/queue/job-queue.server";
import type { Keyring } from "../app/security/keyring";
import {
  approveRequest,
  createRequest,
  extendDeadline,
  transitionRequest,
} from "../app/services/requests.server";
import { DEMO_SHOP, DEMO_STAFF } from "../server/demo/demo-staff";
import type { SimStore } from "../simulator/store";

const DAY = 86_400_000;

/**
 * The offline session and one online session per demo staff member (what token exchange would
 * have stored, with the scopes Shopify grants each of them), and the roles the owner assigned.
 * Roles changed in the demo's Settings are kept.
 */
async function seedStaff(db: Tx, shopId: string, now: Date) {
  const scope = ACCESS_SCOPES.join(",");
  await db.session.upsert({
    where: { id: `offline_${DEMO_SHOP}` },
    create: {
      id: `offline_${DEMO_SHOP}`,
      shop: DEMO_SHOP,
      state: "",
      isOnline: false,
      accessToken: "shpat_demo_offline",
      scope,
    },
    update: {},
  });
  for (const staff of Object.values(DEMO_STAFF)) {
    const person = {
      firstName: staff.firstName,
      lastName: staff.lastName,
      email: `${staff.firstName.toLowerCase()}@demo-store.example`,
      accountOwner: staff.role === null,
      associatedUserScope: ACCESS_SCOPES.filter(
        (granted) => staff.mayEraseCustomerData || granted !== ERASE_CUSTOMER_DATA_SCOPE,
      ).join(","),
    };
    await db.session.upsert({
      where: { id: `${DEMO_SHOP}_${staff.userId}` },
      create: {
        id: `${DEMO_SHOP}_${staff.userId}`,
        shop: DEMO_SHOP,
        state: "",
        isOnline: true,
        accessToken: `shpua_demo_${staff.userId}`,
        scope,
        expires: new Date(now.getTime() + 3650 * DAY),
        userId: BigInt(staff.userId),
        ...person,
      },
      update: person,
    });
    if (staff.role)
      await db.staffRole.upsert({
        where: { shopId_userId: { shopId, userId: staff.userId } },
        create: {
          shopId,
          userId: staff.userId,
          role: staff.role,
          assignedBy: `staff:${DEMO_STAFF.owner.userId}`,
        },
        update: {},
      });
  }
}

/**
 * The demo store's history: staff with each role, their sessions (what token exchange would have
 * stored), and requests in every status the app reaches, spread over twelve weeks, made through
 * the same services the app uses so the audit chain is real. Runs once per database.
 */
export async function seedDemo(
  db: Db,
  keyring: Keyring,
  store: SimStore,
  now = new Date(),
): Promise<{ seeded: boolean; requests: number }> {
  // All or nothing: a half-seeded demo would never be seeded again.
  return db.$transaction((tx) => seedInTransaction(tx, keyring, store, now), { timeout: 120_000 });
}

async function seedInTransaction(
  db: Tx,
  keyring: Keyring,
  store: SimStore,
  now: Date,
): Promise<{ seeded: boolean; requests: number }> {
  const shop = await db.shop.upsert({
    where: { domain: DEMO_SHOP },
    create: { domain: DEMO_SHOP, scopes: ACCESS_SCOPES.join(",") },
    update: {},
  });
  // Every run: a demo database from an older version gets the current staff and their scopes.
  await seedStaff(db, shop.id, now);
  if ((await db.privacyRequest.count({ where: { shopId: shop.id } })) > 0)
    return { seeded: false, requests: 0 };

  const customers = [...store.customers.values()];
  const owner = `staff:${DEMO_STAFF.owner.userId}` as const;
  let made = 0;
  async function request(input: {
    type: RequestType;
    source: RequestSource;
    daysAgo: number;
    customer: number;
    verified?: boolean;
    regime?: "gdpr" | "ccpa";
    changes?: Record<string, string>;
  }) {
    const customer = customers[input.customer % customers.length]!;
    const receivedAt = new Date(now.getTime() - input.daysAgo * DAY);
    const { request: created } = await createRequest(
      db,
      keyring,
      {
        shopId: shop.id,
        type: input.type,
        source: input.source,
        regime: input.regime ?? (input.customer % 3 === 0 ? "ccpa" : "gdpr"),
        verified: input.verified ?? true,
        receivedAt,
        customerId: String(customer.id),
        email: customer.email,
        phone: null,
        requestedChanges: input.changes,
      },
      input.source === "shopify_webhook"
        ? "shopify"
        : input.source === "storefront"
          ? "system:storefront"
          : owner,
    );
    made += 1;
    return { id: created.id, receivedAt, status: created.status };
  }
  const move = async (id: string, events: RequestEvent[], at: Date, reason?: string) => {
    for (const event of events) {
      await transitionRequest(db, keyring, {
        shopId: shop.id,
        requestId: id,
        event,
        actor: event === "start" || event === "complete" || event === "fail" ? "system:worker" : owner,
        now: at,
        reason: event === "fail" || event === "deny" ? reason : undefined,
      });
    }
  };

  // History: finished requests over the last twelve weeks (for the chart and the median).
  for (let i = 0; i < 36; i += 1) {
    const daysAgo = 82 - i * 2;
    const type: RequestType = (
      ["access", "access", "erasure", "portability", "sale_opt_out", "rectification"] as const
    )[i % 6]!;
    const { id, receivedAt, status } = await request({
      type,
      source: i % 4 === 0 ? "shopify_webhook" : i % 4 === 1 ? "merchant" : "storefront",
      daysAgo,
      customer: i,
      changes: type === "rectification" ? { lastName: "Corrected" } : undefined,
    });
    const done = new Date(receivedAt.getTime() + (2 + (i % 9)) * DAY);
    if (i % 9 === 4 && status === "pending_review")
      await move(id, ["deny"], done, "We could not confirm the requester is the account holder");
    else if (i % 11 === 7 && status === "pending_review") await move(id, ["cancel"], done);
    // Shopify's customers/redact arrives approved; everything else the merchant approved.
    else
      await move(id, status === "approved" ? ["start", "complete"] : ["approve", "start", "complete"], done);
  }

  // Open work, one or more in each status.
  await request({ type: "access", source: "storefront", daysAgo: 1, customer: 2, verified: false });
  await request({ type: "portability", source: "storefront", daysAgo: 3, customer: 5, verified: false });
  await request({ type: "access", source: "shopify_webhook", daysAgo: 2, customer: 0 });
  await request({ type: "sale_opt_out", source: "storefront", daysAgo: 5, customer: 7, regime: "ccpa" });
  await request({ type: "erasure", source: "merchant", daysAgo: 4, customer: 3 });
  // A second one: approving one erasure in the demo still leaves one to look at.
  await request({ type: "erasure", source: "storefront", daysAgo: 2, customer: 15 });
  await request({
    type: "rectification",
    source: "storefront",
    daysAgo: 6,
    customer: 4,
    changes: { firstName: "Alexandra", email: "alexandra.new@example.com" },
  });
  await request({ type: "access", source: "merchant", daysAgo: 26, customer: 6, regime: "gdpr" }); // due within 7 days
  await request({ type: "portability", source: "storefront", daysAgo: 35, customer: 8, regime: "gdpr" }); // overdue
  const extended = await request({
    type: "access",
    source: "storefront",
    daysAgo: 20,
    customer: 9,
    regime: "gdpr",
  });
  await extendDeadline(db, keyring, {
    shopId: shop.id,
    requestId: extended.id,
    reason: "Orders span several systems we must search",
    actor: owner,
    now: new Date(now.getTime() - 2 * DAY),
  });

  // Approved, waiting for its scheduled run; in progress (a worker holds it); failed.
  const approved = await request({ type: "access", source: "shopify_webhook", daysAgo: 1, customer: 1 });
  await transitionRequest(db, keyring, {
    shopId: shop.id,
    requestId: approved.id,
    event: "approve",
    actor: owner,
    now,
  });
  await enqueueJob(db, {
    shopId: shop.id,
    kind: "execute_request",
    payload: { shopId: shop.id, requestId: approved.id },
    runAt: new Date(now.getTime() + 3650 * DAY),
  });

  const running = await request({ type: "portability", source: "storefront", daysAgo: 2, customer: 10 });
  await transitionRequest(db, keyring, {
    shopId: shop.id,
    requestId: running.id,
    event: "approve",
    actor: owner,
    now,
  });
  await transitionRequest(db, keyring, {
    shopId: shop.id,
    requestId: running.id,
    event: "start",
    actor: "system:worker",
    now,
  });
  // Held by a worker that went away: the lease runs out in ten minutes and the app's worker takes over.
  const job = await enqueueJob(db, {
    shopId: shop.id,
    kind: "execute_request",
    payload: { shopId: shop.id, requestId: running.id },
    runAt: now,
  });
  await db.job.update({
    where: { id: job.id },
    data: {
      status: "running",
      attempts: 1,
      leaseToken: "demo-earlier-worker",
      leaseUntil: new Date(now.getTime() + 10 * 60_000),
    },
  });

  const failed = await request({ type: "erasure", source: "merchant", daysAgo: 9, customer: 11 });
  await db.privacyRequest.update({
    where: { id: failed.id },
    data: { reviewedSnapshotHash: "0".repeat(64) },
  });
  await transitionRequest(db, keyring, {
    shopId: shop.id,
    requestId: failed.id,
    event: "approve",
    actor: owner,
    now,
    data: { reviewedSnapshotHash: "0".repeat(64) },
  });
  await transitionRequest(db, keyring, {
    shopId: shop.id,
    requestId: failed.id,
    event: "start",
    actor: "system:worker",
    now,
  });
  await transitionRequest(db, keyring, {
    shopId: shop.id,
    requestId: failed.id,
    event: "fail",
    actor: "system:worker",
    now,
    reason: "Shopify answered FAILED_TO_REQUEST after 8 attempts",
  });

  // One access request approved now: the worker builds its export from the simulated store.
  const fresh = await request({ type: "access", source: "merchant", daysAgo: 3, customer: 12 });
  await approveRequest(db, keyring, { shopId: shop.id, requestId: fresh.id, actor: owner, now });

  return { seeded: true, requests: made };
}
