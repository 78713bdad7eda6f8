import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import { getDb } from "../../app/db.server";
import { createMailer, type Mailer } from "../../app/services/email/mail-transport.server";
import { digestFor, planDigests, sendDigest } from "../../app/services/digest.server";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";

beforeEach(resetDatabase);

const DAY = 86_400_000;
const NOW = new Date("2026-06-10T08:30:00.000Z");

/** A local SMTP server that keeps every message it is sent, raw, with quoted-printable undone. */
let smtp: SMTPServer;
let received: { to: string[]; raw: string }[] = [];
let refuse = false;
let mailer: Mailer;
beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (refuse) return callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
        const raw = Buffer.concat(chunks)
          .toString("utf8")
          .replace(/\r?\n[ \t]+/g, " ") // unfold header lines
          .replace(/=\r?\n/g, "")
          .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
        received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
  const { port } = smtp.server.address() as { port: number };
  mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: "Privacy Desk <privacy@desk.example>" });
});
afterAll(async () => {
  mailer.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});
beforeEach(() => {
  received = [];
  refuse = false;
});

/** A CCPA request (45 days) that falls due `dueInDays` from NOW (negative: overdue). */
async function due(domain: string, dueInDays: number, status?: string) {
  const { shop, request } = await createTestRequest({
    domain,
    regime: "ccpa",
    receivedAt: new Date(NOW.getTime() + (dueInDays - 45) * DAY),
    email: `shopper-${dueInDays}@example.com`,
  });
  if (status) await getDb().privacyRequest.update({ where: { id: request.id }, data: { status } });
  return { shop, id: request.id };
}

async function notify(shopId: string, addresses: string[]) {
  await getDb().shopSettings.create({
    data: {
      shopId,
      verificationPolicy: "email_confirmation",
      autoApproveCustomerAccess: false,
      notificationEmails: JSON.stringify(addresses),
      exportRetentionDays: 7,
    },
  });
}

const ids = (items: { id: string }[]) => items.map((item) => item.id);

describe("the daily deadline digest", () => {
  it("names each shop's own overdue and soon-due requests only, in the email each shop's addresses receive", async () => {
    // GIVEN two shops, each with an overdue request and one due within 7 days, and more that do not belong in a digest
    const aOverdue = await due(SHOP, -3);
    const aSoon = await due(SHOP, 4);
    await due(SHOP, 20); // not yet
    await due(SHOP, -10, "completed"); // closed: no deadline any more
    const bOverdue = await due(OTHER_SHOP, -1);
    const bSoon = await due(OTHER_SHOP, 6);
    await notify(aOverdue.shop.id, ["dpo@first.example", "owner@first.example"]);
    await notify(bOverdue.shop.id, ["privacy@second.example"]);

    // WHEN each shop's digest is taken
    const first = await digestFor(getDb(), aOverdue.shop.id, NOW);
    const second = await digestFor(getDb(), bOverdue.shop.id, NOW);

    // THEN it names that shop's requests only
    expect(ids(first.overdue)).toEqual([aOverdue.id]);
    expect(ids(first.dueSoon)).toEqual([aSoon.id]);
    expect(ids(second.overdue)).toEqual([bOverdue.id]);
    expect(ids(second.dueSoon)).toEqual([bSoon.id]);

    // WHEN the planner runs at 08:30 UTC and each planned digest is sent over SMTP
    const planned = await planDigests(getDb(), NOW);
    expect(planned.sort()).toEqual([aOverdue.shop.id, bOverdue.shop.id].sort());
    const jobs = await getDb().job.findMany({ where: { kind: "send_digest" } });
    for (const job of jobs)
      await sendDigest(
        { db: getDb(), mail: mailer, now: () => NOW },
        JSON.parse(job.payload) as { shopId: string; day: string },
      );

    // THEN each shop's addresses get one message naming its own requests and nothing of the other's
    expect(received).toHaveLength(2);
    const toFirst = received.find((mail) => mail.to.includes("dpo@first.example"))!;
    const toSecond = received.find((mail) => mail.to.includes("privacy@second.example"))!;
    expect(toFirst.to.sort()).toEqual(["dpo@first.example", "owner@first.example"]);
    expect(toSecond.to).toEqual(["privacy@second.example"]);
    expect(toFirst.raw).toMatch(/Subject: 1 overdue, 1 due within 7 days: privacy requests at first-store/);
    for (const id of [aOverdue.id, aSoon.id]) {
      expect(toFirst.raw).toContain(id);
      expect(toSecond.raw).not.toContain(id);
    }
    for (const id of [bOverdue.id, bSoon.id]) {
      expect(toSecond.raw).toContain(id);
      expect(toFirst.raw).not.toContain(id);
    }
    // AND no shopper's address travels in a digest
    for (const mail of received) expect(mail.raw).not.toMatch(/shopper-.*@example\.com/);
  });

  it("plans one digest per shop and day, not before 07:00 UTC, and none for a shop with no addresses or nothing due", async () => {
    const withAddresses = await due(SHOP, 2);
    await notify(withAddresses.shop.id, ["dpo@first.example"]);
    const withoutAddresses = await due(OTHER_SHOP, -2);
    const { shop: quiet } = await createTestRequest({ domain: "quiet-store.myshopify.com", receivedAt: NOW });
    await notify(quiet.id, ["dpo@quiet.example"]);

    expect(await planDigests(getDb(), new Date("2026-06-10T06:59:00.000Z"))).toEqual([]);
    expect(await planDigests(getDb(), NOW)).toEqual([withAddresses.shop.id]);
    expect(await planDigests(getDb(), new Date(NOW.getTime() + 3_600_000))).toEqual([]);
    expect(await planDigests(getDb(), new Date(NOW.getTime() + DAY))).toEqual([withAddresses.shop.id]);

    expect(await getDb().job.count({ where: { kind: "send_digest" } })).toBe(2);
    expect(await getDb().digestRun.count({ where: { shopId: withoutAddresses.shop.id } })).toBe(0);
  });

  it("leaves a digest the mail server refused to the queue's retries, and sends nothing once nothing is due", async () => {
    const request = await due(SHOP, 1);
    await notify(request.shop.id, ["dpo@first.example"]);
    refuse = true;

    await expect(
      sendDigest(
        { db: getDb(), mail: mailer, now: () => NOW },
        { shopId: request.shop.id, day: "2026-06-10" },
      ),
    ).rejects.toThrow(/451|Try again later/);

    refuse = false;
    await getDb().privacyRequest.update({ where: { id: request.id }, data: { status: "completed" } });
    const outcome = await sendDigest(
      { db: getDb(), mail: mailer, now: () => NOW },
      { shopId: request.shop.id, day: "2026-06-10" },
    );
    expect(outcome.sent).toBe(false);
    expect(received).toEqual([]);
  });
});
