import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { action as verifyChain, loader as auditPage } from "../../app/routes/app.audit._index";
import { loader as auditExport } from "../../app/routes/app.audit.export";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { embeddedRequest, respond, signedInStaff, type TestStaff } from "../helpers/staff";

beforeEach(resetDatabase);

const approver = () => signedInStaff({ userId: "410", role: "approver" });

const loadPage = async (staff: TestStaff, query: string) =>
  respond(async () =>
    auditPage({ request: await embeddedRequest(staff, `/app/audit?${query}`), params: {}, context: {} }),
  );

const verify = async (staff: TestStaff, form: Record<string, string> = {}) =>
  respond(async () =>
    verifyChain({ request: await embeddedRequest(staff, "/app/audit", { form }), params: {}, context: {} }),
  );

const newestEvent = () => getDb().auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });

/** The NDJSON download, split into its header line and its events. */
async function downloadLines(staff: TestStaff, query = "") {
  const response = await download(staff, query);
  expect(response.status).toBe(200);
  const [header, ...events] = (await response.text())
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { header: header as { chainHead: { seq: number; hash: string; anchor: string } }, events };
}

/** An insider with write access to the database, but not the key, deletes rows. */
const deleteEventsSql = (where: string) =>
  getDb().$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE ${where}`);

const download = async (staff: TestStaff, query = "") =>
  respond(async () =>
    auditExport({
      request: await embeddedRequest(staff, `/app/audit/export?${query}`),
      params: {},
      context: {},
    }),
  );

describe("audit log filters", () => {
  // Issue 8, finding 14: these reached the query as Invalid Date (or a number Prisma refuses) and gave 500.
  it.each([
    ["an impossible month and day", "from=2026-13-45", "from"],
    ["February 30th", "to=2026-02-30", "to"],
    ["a start after the end", "from=2026-03-02&to=2026-03-01", "to"],
    ["a 5,000-character actor", `actor=${"a".repeat(5000)}`, "actor"],
    ["a 101-character request id", `requestId=${"r".repeat(101)}`, "requestId"],
    ["a 30-digit page cursor", `before=${"9".repeat(30)}`, "before"],
  ])(
    "GIVEN the audit page asked for %s WHEN it loads THEN it answers 400 naming the field",
    async (_label, query, field) => {
      const staff = await approver();
      await createTestRequest();

      const response = await loadPage(staff, query);

      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: string; filterErrors: Record<string, string> };
      expect(body.error).toMatch(new RegExp(`^Bad filter: ${field}: `));
      expect(Object.keys(body.filterErrors)).toEqual([field]);
    },
  );

  it.each([
    ["an impossible month and day", "from=2026-13-45", "from"],
    ["February 30th", "from=2026-02-30", "from"],
    ["a start after the end", "from=2026-03-02&to=2026-03-01", "to"],
    ["a 5,000-character actor", `actor=${"a".repeat(5000)}`, "actor"],
  ])(
    "GIVEN the NDJSON export asked for %s WHEN it runs THEN it answers 400 naming the field and records no export",
    async (_label, query, field) => {
      const staff = await approver();
      await createTestRequest();

      const response = await download(staff, query);

      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(
        new RegExp(`^Bad filter: ${field}: `),
      );
      expect(await getDb().auditEvent.count({ where: { action: "audit.exported" } })).toBe(0);
    },
  );

  it("GIVEN events today WHEN the page is filtered to a range including today, and to one before it THEN only the first shows them", async () => {
    const staff = await approver();
    await createTestRequest();
    const today = new Date().toISOString().slice(0, 10);

    const including = (await (await loadPage(staff, `from=${today}&to=${today}`)).json()) as {
      events: unknown[];
    };
    const before = (await (await loadPage(staff, "from=2020-01-01&to=2020-12-31")).json()) as {
      events: unknown[];
    };

    expect(including.events).toHaveLength(1);
    expect(before.events).toHaveLength(0);
  });
});

describe("verifying the chain on the audit page", () => {
  it("GIVEN a shop with events WHEN 'Verify chain' is pressed THEN the verdict carries the current head", async () => {
    const viewer = await signedInStaff({ userId: "411" });
    await createTestRequest();
    await createTestRequest();
    const newest = await newestEvent();

    const response = await verify(viewer);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      count: 2,
      head: { seq: 2, hash: newest.hash },
      anchor: null,
    });
  });

  it("GIVEN a head saved earlier WHEN more events are recorded and the chain is verified against it THEN it still holds", async () => {
    const viewer = await signedInStaff({ userId: "411" });
    await createTestRequest();
    const saved = await newestEvent();
    await createTestRequest();

    const response = await verify(viewer, { anchor: ` ${saved.seq}:${saved.hash.toUpperCase()} ` });

    expect(await response.json()).toMatchObject({
      ok: true,
      count: 2,
      anchor: { seq: saved.seq, hash: saved.hash },
    });
  });

  // Issue 8, finding 13, on the merchant's side: the anchor is what they kept.
  it("GIVEN a head saved earlier WHEN the newest events are deleted in SQL THEN 'Verify chain' passes but the saved anchor does not", async () => {
    const viewer = await signedInStaff({ userId: "411" });
    for (let i = 0; i < 3; i += 1) await createTestRequest();
    const saved = await newestEvent();
    await deleteEventsSql("seq > 1");

    const alone = await verify(viewer);
    const anchored = await verify(viewer, { anchor: `${saved.seq}:${saved.hash}` });

    expect(await alone.json()).toMatchObject({ ok: true, count: 1 });
    expect(anchored.status).toBe(200);
    expect(await anchored.json()).toEqual({
      ok: false,
      count: 1,
      head: { seq: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      badEvent: null,
      reason: "the chain ends at event 1, but the anchor names event 3: the newest 2 events were removed",
    });
  });

  it("GIVEN a head saved earlier WHEN every event is deleted in SQL THEN the saved anchor reports the emptied chain", async () => {
    const viewer = await signedInStaff({ userId: "411" });
    await createTestRequest();
    const saved = await newestEvent();
    await deleteEventsSql("1 = 1");

    const response = await verify(viewer, { anchor: `${saved.seq}:${saved.hash}` });

    expect(await response.json()).toMatchObject({
      ok: false,
      count: 0,
      reason: expect.stringMatching(/^the chain is empty, but the anchor .* every event was removed$/),
    });
  });

  it.each([
    ["no hash", "42"],
    ["a short hash", `1:${"a".repeat(63)}`],
    ["two anchors", `1:${"a".repeat(64)} 2:${"b".repeat(64)}`],
    ["a 10 kB paste", "1:".padEnd(10_000, "a")],
  ])(
    "GIVEN a saved anchor with %s WHEN verified THEN it answers 400 naming the anchor field",
    async (_label, text) => {
      const viewer = await signedInStaff({ userId: "411" });
      await createTestRequest();

      const response = await verify(viewer, { anchor: text });

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: expect.stringMatching(/^anchor: an anchor is <event number>:<64 hex characters>/),
      });
    },
  );
});

describe("NDJSON export of the audit log", () => {
  it("GIVEN an approver WHEN they download the log THEN the download is audited and its first line is the head, which is that audit event", async () => {
    const staff = await approver();
    await createTestRequest();

    const { header, events } = await downloadLines(staff);

    const recorded = await newestEvent();
    expect(recorded).toMatchObject({ seq: 2, action: "audit.exported", actor: `staff:${staff.userId}` });
    expect(header).toEqual({
      chainHead: { seq: 2, hash: recorded.hash, anchor: `2:${recorded.hash}` },
      shop: staff.shop,
      exportedAt: recorded.occurredAt.toISOString(),
      filter: {},
    });
    expect(events.map((event) => [event.seq, event.hash])).toEqual([
      [1, expect.any(String)],
      [2, recorded.hash],
    ]);
  });

  it("GIVEN a filtered download WHEN it is made THEN the filter is recorded in the audit event and the header, and the head still covers the whole chain", async () => {
    const staff = await approver();
    const { request } = await createTestRequest();
    await createTestRequest();

    const { header, events } = await downloadLines(staff, `requestId=${request.id}&from=2026-01-01`);

    expect(events.map((event) => event.requestId)).toEqual([request.id]);
    expect(header.chainHead.seq).toBe(3);
    expect(header).toMatchObject({
      filter: { requestId: request.id, occurredAtOrAfter: "2026-01-01T00:00:00.000Z" },
    });
    expect(JSON.parse((await newestEvent()).data)).toEqual({
      requestId: request.id,
      from: "2026-01-01T00:00:00.000Z",
    });
  });

  it("GIVEN the merchant kept a download WHEN the newest events are later deleted in SQL THEN the anchor in its first line fails verification", async () => {
    const staff = await approver();
    await createTestRequest();
    await createTestRequest();
    const { header } = await downloadLines(staff);
    expect((await (await verify(staff, { anchor: header.chainHead.anchor })).json()).ok).toBe(true);

    await deleteEventsSql("seq >= 2");

    expect(await (await verify(staff, { anchor: header.chainHead.anchor })).json()).toMatchObject({
      ok: false,
      reason: "the chain ends at event 1, but the anchor names event 3: the newest 2 events were removed",
    });
  });

  it("GIVEN events recorded while a download streams WHEN it completes THEN it holds no event newer than its head", async () => {
    const staff = await approver();
    await createTestRequest();
    const response = await download(staff);
    await createTestRequest();

    const [header, ...events] = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { seq: number; chainHead?: { seq: number } });

    expect(header!.chainHead!.seq).toBe(2);
    expect(events.map((event) => event.seq)).toEqual([1, 2]);
  });
});
