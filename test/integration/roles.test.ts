import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { ROLES, type Role } from "../../app/domain/roles";
import { storeExport } from "../../app/exports/export-store.server";
import { getExportStorage, getKeyring } from "../../app/keys.server";
import { action as auditAction, loader as auditLoader } from "../../app/routes/app.audit._index";
import { loader as auditExport } from "../../app/routes/app.audit.export";
import { loader as downloadExport } from "../../app/routes/app.exports.$exportId";
import { action as requestAction } from "../../app/routes/app.requests.$id/route";
import { loader as indexLoader } from "../../app/routes/app.requests._index";
import { action as newRequest } from "../../app/routes/app.requests.new";
import { action as settingsAction, loader as settingsLoader } from "../../app/routes/app.settings";
import { transitionRequest } from "../../app/services/requests.server";
import { countAllRows } from "../helpers/db";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { embeddedRequest, respond, signedInStaff, type TestStaff } from "../helpers/staff";

beforeEach(resetDatabase);

const USER: Record<Role | "owner", string> = { viewer: "201", approver: "202", admin: "203", owner: "200" };

async function asStaff(who: Role | "owner"): Promise<TestStaff> {
  return signedInStaff({ userId: USER[who], owner: who === "owner", role: who === "owner" ? null : who });
}

async function requestIn(status: "pending_review" | "awaiting_verification" | "failed") {
  if (status === "awaiting_verification")
    return (await createTestRequest({ source: "storefront", verified: false, email: "sam@example.com" }))
      .request;
  const { request } = await createTestRequest({ email: "sam@example.com" });
  if (status === "failed") {
    await getDb().$transaction(async (tx) => {
      for (const event of ["approve", "start", "fail"] as const) {
        await transitionRequest(tx, getKeyring(), {
          shopId: request.shopId,
          requestId: request.id,
          event,
          actor: "system:test",
          now: new Date(),
        });
      }
    });
  }
  return request;
}

const lastEvent = () => getDb().auditEvent.findFirst({ orderBy: [{ seq: "desc" }] });
const statusOf = async (id: string) =>
  (await getDb().privacyRequest.findUniqueOrThrow({ where: { id } })).status;

interface Case {
  action: string;
  allowed: Role[];
  /** Reading changes nothing, so there is no event to name the staff member. */
  readOnly?: boolean;
  /** Sets the scene, performs the action as `staff`, and returns the response and a check of its effect. */
  run: (staff: TestStaff) => Promise<{ response: Response; effect: () => Promise<void> }>;
}

const postIntent =
  (
    intent: string,
    extra: Record<string, string> = {},
    status: "pending_review" | "awaiting_verification" | "failed" = "pending_review",
    expected?: string,
  ) =>
  async (staff: TestStaff) => {
    const request = await requestIn(status);
    const response = await respond(async () =>
      requestAction({
        request: await embeddedRequest(staff, `/app/requests/${request.id}`, { form: { intent, ...extra } }),
        params: { id: request.id },
        context: {},
      }),
    );
    return {
      response,
      effect: async () => {
        if (expected) expect(await statusOf(request.id)).toBe(expected);
        else
          expect(
            (await getDb().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).extendedAt,
          ).not.toBeNull();
        // Approved again (approve, retry): its execution is queued with it.
        if (expected === "approved")
          expect(
            await getDb().job.count({
              where: { kind: "execute_request", status: "queued", payload: { contains: request.id } },
            }),
          ).toBe(1);
      },
    };
  };

const CASES: Case[] = [
  {
    action: "request.view",
    allowed: ["viewer", "approver", "admin"],
    readOnly: true,
    run: async (staff) => {
      await requestIn("pending_review");
      const response = await respond(async () =>
        indexLoader({
          request: await embeddedRequest(staff, "/app/requests?status=pending_review"),
          params: {},
          context: {},
        }),
      );
      return {
        response: response.clone(),
        effect: async () =>
          expect(((await response.json()) as { requests: unknown[] }).requests).toHaveLength(1),
      };
    },
  },
  {
    action: "request.create",
    allowed: ["approver", "admin"],
    run: async (staff) => {
      const form = {
        type: "access",
        regime: "gdpr",
        channel: "email",
        receivedOn: new Date().toISOString().slice(0, 10),
        email: "new@example.com",
        verified: "on",
      };
      const response = await respond(async () =>
        newRequest({
          request: await embeddedRequest(staff, "/app/requests/new", { form }),
          params: {},
          context: {},
        }),
      );
      return { response, effect: async () => expect(await getDb().privacyRequest.count()).toBe(1) };
    },
  },
  {
    action: "request.verify",
    allowed: ["approver", "admin"],
    run: postIntent("verify", {}, "awaiting_verification", "pending_review"),
  },
  {
    action: "request.approve",
    allowed: ["approver", "admin"],
    run: postIntent("approve", {}, "pending_review", "approved"),
  },
  {
    action: "request.deny",
    allowed: ["approver", "admin"],
    run: postIntent("deny", { reason: "We hold no data on this person" }, "pending_review", "denied"),
  },
  {
    action: "request.extend",
    allowed: ["approver", "admin"],
    run: postIntent("extend", { reason: "Complex request across many orders" }),
  },
  {
    action: "request.cancel",
    allowed: ["approver", "admin"],
    run: postIntent("cancel", { reason: "Withdrawn by the shopper" }, "pending_review", "canceled"),
  },
  {
    action: "request.retry",
    allowed: ["approver", "admin"],
    run: postIntent("retry", {}, "failed", "approved"),
  },
  {
    action: "export.download",
    allowed: ["approver", "admin"],
    run: async (staff) => {
      const request = await requestIn("pending_review");
      async function* zip() {
        yield Buffer.from("PK\u0003\u0004 zip");
      }
      const file = await storeExport(getDb(), getKeyring(), getExportStorage(), {
        shopId: request.shopId,
        requestId: request.id,
        fileName: "export.zip",
        source: zip(),
        actor: "system:worker",
        now: new Date(),
      });
      const response = await respond(async () =>
        downloadExport({
          request: await embeddedRequest(staff, `/app/exports/${file.id}`),
          params: { exportId: file.id },
          context: {},
        }),
      );
      return { response, effect: async () => expect((await lastEvent())!.action).toBe("export.downloaded") };
    },
  },
  {
    action: "audit.view",
    allowed: ["viewer", "approver", "admin"],
    readOnly: true,
    run: async (staff) => {
      await requestIn("pending_review");
      const response = await respond(async () =>
        auditLoader({ request: await embeddedRequest(staff, "/app/audit"), params: {}, context: {} }),
      );
      return {
        response: response.clone(),
        effect: async () => expect(((await response.json()) as { events: unknown[] }).events).toHaveLength(1),
      };
    },
  },
  {
    action: "audit.verify",
    allowed: ["viewer", "approver", "admin"],
    readOnly: true,
    run: async (staff) => {
      await requestIn("pending_review");
      const response = await respond(async () =>
        auditAction({
          request: await embeddedRequest(staff, "/app/audit", { form: {} }),
          params: {},
          context: {},
        }),
      );
      return {
        response: response.clone(),
        effect: async () => expect(await response.json()).toMatchObject({ ok: true, count: 1 }),
      };
    },
  },
  {
    action: "audit.export",
    allowed: ["approver", "admin"],
    run: async (staff) => {
      await requestIn("pending_review");
      const response = await respond(async () =>
        auditExport({ request: await embeddedRequest(staff, "/app/audit/export"), params: {}, context: {} }),
      );
      return {
        response: response.clone(),
        effect: async () => {
          const [header, ...lines] = (await response.text())
            .trim()
            .split("\n")
            .map((line) => JSON.parse(line) as { action: string; chainHead?: { seq: number } });
          expect(header!.chainHead).toMatchObject({ seq: 2 });
          expect(lines.map((line) => line.action)).toEqual(["request.received", "audit.exported"]);
        },
      };
    },
  },
  {
    action: "settings.view",
    allowed: ["viewer", "approver", "admin"],
    readOnly: true,
    run: async (staff) => {
      const response = await respond(async () =>
        settingsLoader({ request: await embeddedRequest(staff, "/app/settings"), params: {}, context: {} }),
      );
      return {
        response: response.clone(),
        effect: async () =>
          expect(await response.json()).toMatchObject({ preferences: { exportRetentionDays: 7 } }),
      };
    },
  },
  {
    action: "settings.update",
    allowed: ["admin"],
    run: async (staff) => {
      const form = {
        intent: "preferences",
        verificationPolicy: "manual_review",
        autoApproveCustomerAccess: "",
        notificationEmails: "dpo@store.example",
        exportRetentionDays: "14",
        teamEmailLanguage: "en",
      };
      const response = await respond(async () =>
        settingsAction({
          request: await embeddedRequest(staff, "/app/settings", { form }),
          params: {},
          context: {},
        }),
      );
      return {
        response,
        effect: async () =>
          expect(await getDb().shopSettings.findFirst()).toMatchObject({
            verificationPolicy: "manual_review",
            exportRetentionDays: 14,
          }),
      };
    },
  },
  {
    action: "settings.update (assign a role)",
    allowed: ["admin"],
    run: async (staff) => {
      await signedInStaff({ userId: "999" }); // has opened the app, so can be given a role
      const form = { intent: "assign-role", userId: "999", role: "approver" };
      const response = await respond(async () =>
        settingsAction({
          request: await embeddedRequest(staff, "/app/settings", { form }),
          params: {},
          context: {},
        }),
      );
      return {
        response,
        effect: async () =>
          expect(await getDb().staffRole.findFirst({ where: { userId: "999" } })).toMatchObject({
            role: "approver",
          }),
      };
    },
  },
];

const matrix = CASES.flatMap((testCase) =>
  ROLES.map((role) => ({ ...testCase, role, allowed: testCase.allowed.includes(role) })),
);

describe("roles: every role × action", () => {
  it.each(matrix)("$role → $action: allowed=$allowed", async ({ role, allowed, run, readOnly }) => {
    const staff = await asStaff(role);
    const { response, effect } = await run(staff);

    if (allowed) {
      expect([200, 302]).toContain(response.status);
      await effect();
      if (!readOnly) expect((await lastEvent())!.actor).toBe(`staff:${staff.userId}`);
    } else {
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({
        error: expect.stringContaining(`Your role (${role}) does not allow`),
      });
      // The effect did not happen, and no event names this staff member.
      await expect(effect()).rejects.toThrow();
      expect(await getDb().auditEvent.count({ where: { actor: `staff:${staff.userId}` } })).toBe(0);
    }
  });

  it("a forged POST by a viewer changes no row anywhere", async () => {
    const viewer = await asStaff("viewer");
    const request = await requestIn("pending_review");
    const before = await countAllRows();
    for (const form of [
      { intent: "approve" } as Record<string, string>,
      { intent: "deny", reason: "Forged denial reason" },
      { intent: "extend", reason: "Forged extension" },
      { intent: "cancel" },
    ]) {
      const response = await respond(async () =>
        requestAction({
          request: await embeddedRequest(viewer, `/app/requests/${request.id}`, { form }),
          params: { id: request.id },
          context: {},
        }),
      );
      expect(response.status).toBe(403);
    }
    expect(await countAllRows()).toEqual(before);
    expect(await getDb().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "pending_review",
      extendedAt: null,
      statusReason: null,
    });
  });

  it("exports only the audit events matching the filter, in chain order", async () => {
    const admin = await asStaff("admin");
    const first = await requestIn("pending_review");
    await requestIn("pending_review");
    const response = await respond(async () =>
      auditExport({
        request: await embeddedRequest(admin, `/app/audit/export?requestId=${first.id}`),
        params: {},
        context: {},
      }),
    );
    const [, ...lines] = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { requestId: string; seq: number });
    expect(lines.map((line) => [line.requestId, line.seq])).toEqual([[first.id, 1]]);
  });

  it("the store owner is an admin whatever a row says", async () => {
    const owner = await asStaff("owner");
    await getDb().staffRole.create({
      data: {
        shopId: (await getDb().shop.findFirstOrThrow()).id,
        userId: owner.userId,
        role: "viewer",
        assignedBy: "staff:1",
      },
    });
    const form = {
      intent: "preferences",
      verificationPolicy: "manual_review",
      notificationEmails: "",
      exportRetentionDays: "3",
      teamEmailLanguage: "en",
    };
    const response = await respond(async () =>
      settingsAction({
        request: await embeddedRequest(owner, "/app/settings", { form }),
        params: {},
        context: {},
      }),
    );
    expect(response.status).toBe(200);
    expect((await lastEvent())!.actor).toBe(`staff:${owner.userId}`);
  });

  it("a staff member without a role is a viewer", async () => {
    const staff = await signedInStaff({ userId: "300" });
    const request = await requestIn("pending_review");
    const response = await respond(async () =>
      requestAction({
        request: await embeddedRequest(staff, `/app/requests/${request.id}`, { form: { intent: "approve" } }),
        params: { id: request.id },
        context: {},
      }),
    );
    expect(response.status).toBe(403);
    expect(await statusOf(request.id)).toBe("pending_review");
  });
});
