import { describe, expect, it } from "vitest";
import { describeEvent } from "../../app/domain/timeline";

const at = "2026-11-30T10:00:00.000Z";
const say = (action: string, actor: string, data: Record<string, unknown>) =>
  describeEvent({ action, actor, occurredAt: at, data }, new Map()).sentence;

describe("storefront steps in the merchant's words", () => {
  it.each([
    [
      "request.received",
      "shopper",
      {
        source: "storefront",
        regime: "gdpr",
        dueAt: "2026-12-30T10:00:00Z",
        status: "awaiting_verification",
        verification: "email_code",
        loggedIn: false,
      },
      "Received from the storefront form; GDPR deadline 30 Dec 2026; waiting for the requester to enter the code sent to the address they gave",
    ],
    [
      "request.received",
      "shopper",
      {
        source: "storefront",
        regime: "gdpr",
        dueAt: "2026-12-30T10:00:00Z",
        status: "awaiting_verification",
        verification: "staff",
      },
      "Received from the storefront form; GDPR deadline 30 Dec 2026; waiting for your team to verify who asked (verification by hand)",
    ],
    [
      "request.received",
      "shopper",
      { source: "gpc", regime: "ccpa", dueAt: "2027-01-14T10:00:00Z", status: "pending_review" },
      "A Global Privacy Control signal from the signed-in customer's browser: an opt-out of the sale and sharing of their data; CCPA deadline 14 Jan 2027",
    ],
    [
      "request.verify",
      "shopper",
      { method: "email_code", loggedIn: true },
      "The requester confirmed it with the code sent to their account's email address",
    ],
    [
      "request.customer_lookup",
      "system:storefront",
      { by: "email", customerFound: true, customerId: "42" },
      "Shopify has a customer with this email address (customer 42)",
    ],
    [
      "request.customer_lookup",
      "system:storefront",
      { by: "email", customerFound: false },
      "No customer in Shopify has this email address: review it as a request from someone who is not a customer",
    ],
    [
      "request.customer_lookup",
      "system:storefront",
      { by: "logged_in_customer", customerFound: true, accountHasEmail: true },
      "Found the signed-in customer's email address in Shopify",
    ],
    [
      "request.code_rejected",
      "shopper",
      { attempt: 2, attemptsLeft: 3 },
      "A wrong code was entered (3 tries left)",
    ],
    [
      "request.code_locked",
      "shopper",
      {},
      "A fifth wrong code locked the code: only a new code can confirm the request",
    ],
    ["request.code_resent", "shopper", {}, "The requester asked for a new code"],
    ["request.approve", "system:storefront", {}, "Approved by Privacy Desk"],
    [
      "settings.storefront_texts_updated",
      "staff:7",
      { locale: "de", changed: ["page.title", "form.submit"] },
      "Storefront texts in German (2 texts) changed by Staff member 7",
    ],
    [
      "request.complete",
      "system:storefront",
      { shopify: { dataSaleOptOut: false, reason: "no customer in Shopify has this email address" } },
      "Completed: no customer in Shopify has this email address, so there was nothing to opt out there; this request is the record of the opt-out",
    ],
  ])("GIVEN %s by %s with %j THEN %s", (action, actor, data, sentence) => {
    expect(say(action, actor, data)).toBe(sentence);
  });
});
