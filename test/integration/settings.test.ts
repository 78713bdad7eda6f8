import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { action, loader } from "../../app/routes/app.settings";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { countAllRows } from "../helpers/db";
import { resetDatabase } from "../helpers/reset";
import { embeddedRequest, respond, signedInStaff, type TestStaff } from "../helpers/staff";

beforeEach(resetDatabase);

async function post(staff: TestStaff, form: Record<string, string>) {
  const response = await respond(async () =>
    action({ request: await embeddedRequest(staff, "/app/settings", { form }), params: {}, context: {} }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function roster(staff: TestStaff) {
  const response = await respond(async () =>
    loader({ request: await embeddedRequest(staff, "/app/settings"), params: {}, context: {} }),
  );
  return ((await response.json()) as { roster: Record<string, unknown>[] }).roster;
}

const roleRows = (shop: string) =>
  getDb().staffRole.findMany({ where: { shop: { domain: shop } }, select: { userId: true, role: true } });

/** The owner of SHOP, an approver and a viewer, all named; and a staff member of another shop only. */
async function team() {
  const owner = await signedInStaff({
    userId: "10",
    owner: true,
    name: { firstName: "Olivia", lastName: "Martin" },
  });
  await signedInStaff({ userId: "11", role: "approver", name: { firstName: "Arjun", lastName: "Patel" } });
  await signedInStaff({ userId: "12", name: { firstName: "Vera", lastName: "Lindqvist" } });
  await signedInStaff({
    shop: OTHER_SHOP,
    userId: "20",
    role: "approver",
    name: { firstName: "Other", lastName: "Shop" },
  });
  return owner;
}

describe("Settings: staff roles by name", () => {
  it("GIVEN staff who opened the app here WHEN Settings is read THEN each is named with their role and who gave it; another shop's staff are absent", async () => {
    const owner = await team();
    await getDb().staffRole.updateMany({ where: { userId: "11" }, data: { assignedBy: "staff:10" } });

    expect(await roster(owner)).toEqual([
      expect.objectContaining({
        userId: "10",
        name: "Olivia Martin",
        isOwner: true,
        role: "admin",
        assigned: false,
      }),
      expect.objectContaining({
        userId: "11",
        name: "Arjun Patel",
        role: "approver",
        assigned: true,
        assignedBy: "Olivia Martin",
      }),
      expect.objectContaining({
        userId: "12",
        name: "Vera Lindqvist",
        role: "viewer",
        assigned: false,
        assignedBy: null,
      }),
    ]);
  });

  it("GIVEN a role row for someone who never opened the app here WHEN Settings is read THEN they are listed by id, so the role can be removed", async () => {
    const owner = await team();
    const shopId = (await getDb().shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
    await getDb().staffRole.create({
      data: { shopId, userId: "77", role: "admin", assignedBy: "operator:cli" },
    });

    expect(await roster(owner)).toContainEqual(
      expect.objectContaining({
        userId: "77",
        name: "Staff member 77",
        role: "admin",
        assignedBy: "an operator",
        openedApp: false,
      }),
    );
  });

  it("GIVEN the owner WHEN they pick Vera and 'approver' THEN she is an approver, audited", async () => {
    const owner = await team();

    const { status, body } = await post(owner, { intent: "assign-role", userId: "12", role: "approver" });

    expect(status).toBe(200);
    expect(body).toEqual({ ok: true, message: "Vera Lindqvist is now an approver" });
    expect(await roleRows(SHOP)).toContainEqual({ userId: "12", role: "approver" });
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "staff.role_assigned" } });
    expect([event.actor, JSON.parse(event.data)]).toEqual(["staff:10", { userId: "12", role: "approver" }]);
  });

  it.each([
    [
      "a staff member of another shop only",
      { userId: "20", role: "admin" },
      "Choose a staff member who has opened Privacy Desk in this store",
    ],
    [
      "an id nobody here has",
      { userId: "4242", role: "approver" },
      "Choose a staff member who has opened Privacy Desk in this store",
    ],
    ["themselves", { userId: "10", role: "viewer" }, "You cannot change your own role"],
    [
      "a viewer's role to remove",
      { userId: "12", role: "none" },
      "Vera Lindqvist has no role to remove (they are a viewer)",
    ],
  ])(
    "GIVEN the owner WHEN they pick %s THEN 422 saying why, and nothing is written",
    async (_case, pick, message) => {
      const owner = await team();
      const before = await countAllRows();

      const { status, body } = await post(owner, { intent: "assign-role", ...pick });

      expect(status).toBe(422);
      expect(body).toMatchObject({ error: message, fieldErrors: { userId: message } });
      expect(await countAllRows()).toEqual(before);
      expect(await roleRows(OTHER_SHOP)).toEqual([{ userId: "20", role: "approver" }]);
    },
  );

  it("GIVEN an admin who is not the owner WHEN they pick the owner THEN 422: the owner is always an admin", async () => {
    await team();
    const admin = await signedInStaff({ userId: "13", role: "admin" });

    const { status, body } = await post(admin, { intent: "assign-role", userId: "10", role: "viewer" });

    expect(status).toBe(422);
    expect(body.error).toBe("Olivia Martin owns the store and is always an admin");
  });

  it("GIVEN the same person with roles in two shops WHEN one shop removes theirs THEN the other shop's role stays", async () => {
    const owner = await team();
    await signedInStaff({ shop: OTHER_SHOP, userId: "11", role: "admin" });

    const { status, body } = await post(owner, { intent: "assign-role", userId: "11", role: "none" });

    expect([status, body.message]).toEqual([200, "Arjun Patel is a viewer again"]);
    expect(await roleRows(SHOP)).toEqual([]);
    expect(await roleRows(OTHER_SHOP)).toEqual(
      expect.arrayContaining([
        { userId: "11", role: "admin" },
        { userId: "20", role: "approver" },
      ]),
    );
  });

  it("GIVEN a notification address with a hidden right-to-left override WHEN saved THEN 400 naming the field", async () => {
    const owner = await team();

    const { status, body } = await post(owner, {
      intent: "preferences",
      verificationPolicy: "manual_review",
      notificationEmails: "dpo@store.example, moc.evil\u202E@store.example",
      exportRetentionDays: "7",
    });

    expect(status).toBe(400);
    expect(body).toMatchObject({
      fieldErrors: {
        notificationEmails: expect.stringContaining("contains control or invisible formatting characters"),
      },
    });
  });
});
