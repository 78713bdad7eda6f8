import { describe, expect, it } from "vitest";
import {
  addCalendarMonths,
  daysLeft,
  deadlineAlert,
  extendedDueDate,
  initialDueDate,
  planExtension,
} from "../../app/domain/deadlines";
import { ExtensionNotAllowedError } from "../../app/domain/errors";

const d = (iso: string) => new Date(iso);

describe("deadlines", () => {
  it.each([
    ["2026-03-15T09:30:00.000Z", "2026-04-15T09:30:00.000Z"],
    ["2026-01-31T12:00:00.000Z", "2026-02-28T12:00:00.000Z"],
    ["2028-01-31T12:00:00.000Z", "2028-02-29T12:00:00.000Z"],
    ["2026-12-20T00:00:00.000Z", "2027-01-20T00:00:00.000Z"],
    ["2026-08-31T23:59:59.999Z", "2026-09-30T23:59:59.999Z"],
  ])("GDPR: received %s is due %s (one calendar month, clamped)", (received, due) => {
    expect(initialDueDate("gdpr", d(received)).toISOString()).toBe(due);
  });

  it("CCPA: due 45 days after receipt", () => {
    expect(initialDueDate("ccpa", d("2026-03-01T10:00:00.000Z")).toISOString()).toBe(
      "2026-04-15T10:00:00.000Z",
    );
  });

  it("extends GDPR by two further months and CCPA by 45 days", () => {
    expect(extendedDueDate("gdpr", d("2026-02-28T12:00:00.000Z")).toISOString()).toBe(
      "2026-04-28T12:00:00.000Z",
    );
    expect(extendedDueDate("ccpa", d("2026-04-15T10:00:00.000Z")).toISOString()).toBe(
      "2026-05-30T10:00:00.000Z",
    );
  });

  it("needs a real reason for an extension, and allows only one", () => {
    const base = { regime: "gdpr" as const, dueAt: d("2026-04-15T00:00:00.000Z"), alreadyExtended: false };
    expect(planExtension({ ...base, reason: "  Many orders to collect  " })).toEqual({
      dueAt: d("2026-06-15T00:00:00.000Z"),
      reason: "Many orders to collect",
    });
    expect(() => planExtension({ ...base, reason: "   " })).toThrow(ExtensionNotAllowedError);
    expect(() => planExtension({ ...base, reason: "ok" })).toThrow(/needs a reason/);
    expect(() => planExtension({ ...base, alreadyExtended: true, reason: "Complex request" })).toThrow(
      /already extended once/,
    );
  });

  it("counts whole days left, negative once overdue", () => {
    const due = d("2026-04-15T10:00:00.000Z");
    expect(daysLeft(due, d("2026-04-08T10:00:00.000Z"))).toBe(7);
    expect(daysLeft(due, d("2026-04-15T09:00:00.000Z"))).toBe(0);
    expect(daysLeft(due, d("2026-04-16T11:00:00.000Z"))).toBe(-2);
  });

  it("adds negative months too (used for look-backs)", () => {
    expect(addCalendarMonths(d("2026-03-31T00:00:00.000Z"), -1).toISOString()).toBe(
      "2026-02-28T00:00:00.000Z",
    );
  });
});

describe("deadline alerts", () => {
  const now = new Date("2026-04-01T12:00:00.000Z");
  const at = (days: number) => new Date(now.getTime() + days * 86_400_000);
  const base = { now, open: true, dueSoonFlagged: false, overdueFlagged: false };

  it.each([
    { dueAt: at(30), expected: null },
    { dueAt: at(7.01), expected: null },
    { dueAt: at(7), expected: "due_soon" },
    { dueAt: at(0.5), expected: "due_soon" },
    { dueAt: at(0), expected: "overdue" },
    { dueAt: at(-3), expected: "overdue" },
  ])("a deadline $dueAt gives $expected", ({ dueAt, expected }) => {
    expect(deadlineAlert({ ...base, dueAt })).toBe(expected);
  });

  it("alerts once each, and never for a closed request", () => {
    expect(deadlineAlert({ ...base, dueAt: at(3), dueSoonFlagged: true })).toBeNull();
    expect(deadlineAlert({ ...base, dueAt: at(-1), dueSoonFlagged: true })).toBe("overdue");
    expect(deadlineAlert({ ...base, dueAt: at(-1), overdueFlagged: true })).toBeNull();
    expect(deadlineAlert({ ...base, dueAt: at(-1), open: false })).toBeNull();
  });
});
