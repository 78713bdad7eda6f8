import { describe, expect, it } from "vitest";
import { actorName, staffDisplayName } from "../../app/domain/staff-names";
import { describeEvent, formatBytes, formatDateTime, formatDay } from "../../app/domain/timeline";

const NAMES = new Map([
  ["9002", "Arjun Patel"],
  ["9001", "Olivia Martin"],
]);
const AT = "2026-12-07T14:05:09.000Z";
const sentence = (action: string, actor: string, data: Record<string, unknown> = {}) =>
  describeEvent({ action, actor, occurredAt: AT, data }, NAMES).sentence;

describe("the timeline in a merchant's words", () => {
  it.each([
    [
      "request.received",
      "shopify",
      {
        source: "shopify_webhook",
        type: "access",
        regime: "gdpr",
        dueAt: "2027-01-07T00:00:00Z",
        status: "pending_review",
      },
      "Shopify passed on the customer's request for their data (customers/data_request); GDPR deadline 7 Jan 2027",
    ],
    [
      "request.received",
      "shopify",
      { source: "shopify_webhook", type: "erasure", regime: "ccpa", dueAt: "2027-01-21T00:00:00Z" },
      "Shopify asked for the customer's data to be erased (customers/redact); CCPA deadline 21 Jan 2027",
    ],
    [
      "request.received",
      "system:storefront",
      {
        source: "storefront",
        regime: "gdpr",
        dueAt: "2027-01-07T00:00:00Z",
        status: "awaiting_verification",
      },
      "Received from the storefront form; GDPR deadline 7 Jan 2027; waiting for the requester to verify",
    ],
    [
      "request.received",
      "staff:9001",
      { source: "merchant", regime: "gdpr", dueAt: "2027-01-07T00:00:00Z" },
      "Recorded by Olivia Martin; GDPR deadline 7 Jan 2027",
    ],
    [
      "request.recorded_by_staff",
      "staff:9001",
      { channel: "phone", verified: true },
      "Olivia Martin recorded it from a phone call; identity verified",
    ],
    [
      "request.recorded_by_staff",
      "staff:9001",
      { channel: "mail", verified: false },
      "Olivia Martin recorded it from a letter; identity not yet verified",
    ],
    ["request.request_verification", "system:storefront", {}, "Asked the requester to confirm who they are"],
    ["request.verify", "staff:9002", {}, "Requester's identity verified by Arjun Patel"],
    ["request.approve", "staff:9002", {}, "Approved by Arjun Patel"],
    [
      "request.approve",
      "staff:9002",
      { reviewedSnapshotHash: "ab".repeat(32) },
      "Approved by Arjun Patel, against the customer record in Shopify they reviewed",
    ],
    ["request.approve", "staff:7777", {}, "Approved by Staff member 7777"],
    ["request.deny", "staff:9002", { reason: "Not the account holder" }, "Denied by Arjun Patel"],
    ["request.cancel", "operator:cli", {}, "Canceled by an operator"],
    [
      "export.downloaded",
      "requester:customer_account",
      { exportId: "x" },
      "Export downloaded by the requester, from their customer account",
    ],
    ["export.released", "staff:9002", { exportId: "x" }, "Export released to the requester by Arjun Patel"],
    ["export.links_revoked", "staff:9002", { links: 2 }, "2 download links revoked by Arjun Patel"],
    ["request.start", "system:worker", {}, "Privacy Desk started carrying it out"],
    [
      "request.complete",
      "system:worker",
      { exportId: "x", orders: 12, sizeBytes: 524288 },
      "Completed: the export holds 12 orders",
    ],
    [
      "request.complete",
      "system:worker",
      { exportId: "x", orders: 1 },
      "Completed: the export holds 1 order",
    ],
    [
      "request.complete",
      "system:worker",
      { redacted: { requests: 1 }, shopify: { erasure: "requested" } },
      "Completed: Shopify is erasing the customer, and Privacy Desk erased what it held on them",
    ],
    [
      "request.complete",
      "system:worker",
      { redacted: {}, shopify: { erasure: "customer_does_not_exist" } },
      "Completed: Shopify no longer had this customer, and Privacy Desk erased what it held on them",
    ],
    [
      "request.complete",
      "system:worker",
      { redacted: { requests: 2 } },
      "Completed: Privacy Desk erased everything it held on this person",
    ],
    [
      "request.complete",
      "system:worker",
      { fieldsChanged: ["firstName", "email"] },
      "Completed: corrected in Shopify (first name, email)",
    ],
    [
      "request.complete",
      "system:worker",
      { shopify: { dataSaleOptOut: true, customerId: "gid://x" } },
      "Completed: opted out of the sale and sharing of their data in Shopify",
    ],
    ["request.complete", "system:worker", {}, "Completed"],
    ["request.fail", "system:worker", { reason: "Shopify answered FAILED_TO_REQUEST" }, "Failed"],
    ["request.return_to_review", "system:worker", { reason: "The record changed" }, "Sent back for review"],
    ["request.retry", "staff:9002", {}, "Retried by Arjun Patel"],
    [
      "request.deadline_extended",
      "staff:9001",
      { from: "2027-01-07T00:00:00Z", to: "2027-03-07T00:00:00Z", reason: "Many systems" },
      "Deadline extended to 7 Mar 2027 by Olivia Martin",
    ],
    [
      "deadline.due_soon",
      "system:deadlines",
      { dueAt: "2026-12-10T00:00:00Z", daysLeft: 3 },
      "Deadline in 3 days (10 Dec 2026)",
    ],
    [
      "request.due_soon",
      "system:deadlines",
      { dueAt: "2026-12-08T00:00:00Z", daysLeft: 1 },
      "Deadline in 1 day (8 Dec 2026)",
    ],
    [
      "deadline.due_soon",
      "system:deadlines",
      { dueAt: "2026-12-07T20:00:00Z", daysLeft: 0 },
      "Deadline today (7 Dec 2026)",
    ],
    [
      "deadline.overdue",
      "system:deadlines",
      { dueAt: "2026-12-01T00:00:00Z", daysLeft: -6 },
      "Deadline passed (1 Dec 2026) with the request still open",
    ],
    ["request.overdue", "system:deadlines", {}, "Deadline passed with the request still open"],
    [
      "export.created",
      "system:worker",
      { exportId: "x", sizeBytes: 524288, expiresAt: "2026-12-07T10:00:00Z" },
      "Export ready, 0.5 MB, kept until 7 Dec 2026",
    ],
    ["export.downloaded", "staff:9002", { exportId: "x" }, "Export downloaded by Arjun Patel"],
    [
      "export.expired",
      "system:retention",
      { exportId: "x", retentionDays: 7 },
      "Export deleted after being kept 7 days",
    ],
    ["settings.updated", "staff:9001", { exportRetentionDays: 14 }, "Settings changed by Olivia Martin"],
    [
      "staff.role_assigned",
      "staff:9001",
      { userId: "9002", role: "approver" },
      "Olivia Martin made Arjun Patel an approver",
    ],
    [
      "staff.role_assigned",
      "staff:9001",
      { userId: "5555", role: "none" },
      "Olivia Martin removed Staff member 5555's role (a viewer again)",
    ],
    ["audit.exported", "staff:9002", {}, "Audit log exported by Arjun Patel"],
    ["request.escalated_to_dpo", "staff:9002", { level: 2 }, "Escalated to dpo, by Arjun Patel"],
    ["toString", "shopify", {}, "ToString, by Shopify"],
  ])("GIVEN %s by %s with %j WHEN described THEN %j", (action, actor, data, expected) => {
    expect(sentence(action, actor, data)).toBe(expected);
  });

  it("GIVEN reasons and erased details WHEN described THEN they are kept apart from the sentence, with the time", () => {
    expect(
      describeEvent(
        {
          action: "request.deny",
          actor: "staff:9002",
          occurredAt: AT,
          data: { from: "pending_review", to: "denied", reason: "We hold no data\non this person" },
          piiErased: true,
        },
        NAMES,
      ),
    ).toEqual({
      sentence: "Denied by Arjun Patel",
      detail: "We hold no data\non this person\nPersonal details recorded with this step have been erased.",
      at: "7 Dec 2026, 14:05 UTC",
      tone: null,
    });
    expect(
      describeEvent({ action: "request.fail", actor: "system:worker", occurredAt: AT, data: {} }, NAMES),
    ).toMatchObject({
      detail: null,
      tone: "critical",
    });
  });

  it.each([
    [0, "0 bytes"],
    [1, "1 byte"],
    [1023, "1023 bytes"],
    [1024, "1 KB"],
    [48 * 1024, "48 KB"],
    [100 * 1024, "0.1 MB"],
    [524288, "0.5 MB"],
    [12.34 * 1024 * 1024, "12.3 MB"],
  ])("GIVEN %i bytes WHEN written THEN %s", (bytes, written) => {
    expect(formatBytes(bytes)).toBe(written);
  });

  it("GIVEN dates WHEN written THEN day month year in UTC, and a bad date is left as it is", () => {
    expect(formatDay("2026-12-07T23:59:59Z")).toBe("7 Dec 2026");
    expect(formatDay("2027-01-01T00:00:00+02:00")).toBe("31 Dec 2026");
    expect(formatDateTime("2026-03-05T04:03:00Z")).toBe("5 Mar 2026, 04:03 UTC");
    expect(formatDay("not a date")).toBe("not a date");
  });
});

describe("who did it, named for the merchant", () => {
  it.each([
    ["staff:9002", "Arjun Patel"],
    ["staff:123", "Staff member 123"],
    ["shopify", "Shopify"],
    ["system:worker", "Privacy Desk"],
    ["system:retention", "Privacy Desk"],
    ["system:deadlines", "Privacy Desk"],
    ["operator:cli", "an operator"],
    ["requester:customer_account", "the requester, from their customer account"],
    ["requester:email_link", "the requester, from the emailed link"],
    ["someone\u202Eelse", "someoneelse"],
  ])("GIVEN the actor %j WHEN named THEN %j", (actor, name) => {
    expect(actorName(actor, NAMES)).toBe(name);
  });

  it.each([
    [{ userId: "1", firstName: "Arjun", lastName: "Patel", email: "a@x.example" }, "Arjun Patel"],
    [{ userId: "1", firstName: "Arjun", lastName: null, email: null }, "Arjun"],
    [{ userId: "1", firstName: null, lastName: null, email: "a@x.example" }, "a@x.example"],
    [{ userId: "1", firstName: "", lastName: " ", email: null }, "Staff member 1"],
    [{ userId: "1", firstName: "Ev\u202Eil", lastName: "Name\n", email: null }, "Evil Name"],
  ])("GIVEN the session's user %j WHEN named THEN %j", (person, name) => {
    expect(staffDisplayName(person)).toBe(name);
  });
});
