import { describe, expect, it } from "vitest";
import { IllegalTransitionError } from "../../app/domain/errors";
import {
  allowedEvents,
  initialStatus,
  isTerminal,
  nextStatus,
  OPEN_STATUSES,
  REQUEST_EVENTS,
  REQUEST_STATUSES,
  TERMINAL_STATUSES,
  type RequestStatus,
} from "../../app/domain/request-lifecycle";

// Written out by hand, independently of TRANSITIONS: every legal move, and nothing else.
// Columns: request_verification, verify, approve, deny, cancel, start, complete, fail, return_to_review, retry, supersede
const _ = null;
const C = "canceled";
const EXPECTED: Record<RequestStatus, (RequestStatus | null)[]> = {
  // prettier-ignore
  received:              ["awaiting_verification", "pending_review", _, _, C, _, _, _, _, _, C],
  // prettier-ignore
  awaiting_verification: [_, "pending_review", _, "denied", C, _, _, _, _, _, C],
  // prettier-ignore
  pending_review:        [_, _, "approved", "denied", C, _, _, _, _, _, C],
  // prettier-ignore
  approved:              [_, _, _, _, C, "in_progress", _, "failed", _, _, C],
  // prettier-ignore
  in_progress:           [_, _, _, _, _, _, "completed", "failed", "pending_review", _, C],
  // prettier-ignore
  failed:                [_, _, _, _, C, _, _, _, _, "approved", C],
  // prettier-ignore
  completed:             [_, _, _, _, _, _, _, _, _, _, _],
  // prettier-ignore
  denied:                [_, _, _, _, _, _, _, _, _, _, _],
  // prettier-ignore
  canceled:              [_, _, _, _, _, _, _, _, _, _, _],
};

const pairs = REQUEST_STATUSES.flatMap((status) =>
  REQUEST_EVENTS.map((event, column) => ({ status, event, expected: EXPECTED[status][column] ?? null })),
);

describe("request state machine", () => {
  it("has a row for every status and a column for every event", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...REQUEST_STATUSES].sort());
    for (const row of Object.values(EXPECTED)) expect(row).toHaveLength(REQUEST_EVENTS.length);
    expect(pairs).toHaveLength(REQUEST_STATUSES.length * REQUEST_EVENTS.length);
  });

  it.each(pairs.filter((p) => p.expected))("$status + $event → $expected", ({ status, event, expected }) => {
    expect(nextStatus(status, event)).toBe(expected);
  });

  it.each(pairs.filter((p) => !p.expected))("$status + $event is illegal", ({ status, event }) => {
    expect(() => nextStatus(status, event)).toThrow(IllegalTransitionError);
    try {
      nextStatus(status, event);
    } catch (error) {
      expect(error).toMatchObject({
        from: status,
        event,
        message: `A request in status "${status}" cannot take the event "${event}"`,
      });
    }
  });

  it("lists the allowed events of each status from the same table", () => {
    for (const status of REQUEST_STATUSES) {
      const expected = REQUEST_EVENTS.filter((_event, column) => EXPECTED[status][column]);
      expect(allowedEvents(status).sort()).toEqual([...expected].sort());
    }
  });

  it("treats completed, denied and canceled as final, and everything else as open", () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(["canceled", "completed", "denied"]);
    expect(OPEN_STATUSES).toHaveLength(REQUEST_STATUSES.length - 3);
    expect(isTerminal("completed")).toBe(true);
    expect(isTerminal("failed")).toBe(false);
  });

  it("lets every open request reach a final status", () => {
    for (const start of OPEN_STATUSES) {
      const seen = new Set<RequestStatus>([start]);
      const queue: RequestStatus[] = [start];
      while (queue.length) {
        const current = queue.shift()!;
        for (const event of allowedEvents(current)) {
          const to = nextStatus(current, event);
          if (!seen.has(to)) {
            seen.add(to);
            queue.push(to);
          }
        }
      }
      expect([...seen].some(isTerminal)).toBe(true);
    }
  });
});

describe("initial status", () => {
  it.each([
    { source: "shopify_webhook", type: "erasure", verified: true, expected: "approved" },
    { source: "shopify_webhook", type: "access", verified: true, expected: "pending_review" },
    { source: "storefront", type: "erasure", verified: false, expected: "awaiting_verification" },
    { source: "storefront", type: "access", verified: true, expected: "pending_review" },
    { source: "merchant", type: "rectification", verified: true, expected: "pending_review" },
    { source: "merchant", type: "sale_opt_out", verified: false, expected: "awaiting_verification" },
  ] as const)("$source $type (verified: $verified) starts $expected", ({ expected, ...input }) => {
    expect(initialStatus(input)).toBe(expected);
  });
});
