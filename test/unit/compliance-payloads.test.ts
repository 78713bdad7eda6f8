import { describe, expect, it } from "vitest";
import {
  parseCompliancePayload,
  PayloadError,
  toComplianceTopic,
  type ComplianceTopic,
} from "../../app/domain/compliance-payloads";
import { samplePayload } from "../helpers/webhooks";

const TOPICS: ComplianceTopic[] = ["customers/data_request", "customers/redact", "shop/redact"];
const SHOP = "x.myshopify.com";
const sample = (topic: ComplianceTopic) => samplePayload(topic, SHOP);

describe("compliance payloads", () => {
  it("maps the library's normalised topics back to Shopify's", () => {
    expect(toComplianceTopic("CUSTOMERS_DATA_REQUEST")).toBe("customers/data_request");
    expect(toComplianceTopic("customers/redact")).toBe("customers/redact");
    expect(toComplianceTopic("SHOP_REDACT")).toBe("shop/redact");
    expect(toComplianceTopic("ORDERS_CREATE")).toBeNull();
  });

  it.each(TOPICS)("accepts Shopify's sample %s payload under its own topic", (topic) => {
    expect(parseCompliancePayload(topic, sample(topic)).topic).toBe(topic);
  });

  it("turns numeric ids (numbers or digit strings, as tools send them) into strings, blank fields into null", () => {
    const parsed = parseCompliancePayload("customers/redact", {
      shop_id: "954889",
      shop_domain: "X.myshopify.com",
      customer: { id: "191167", email: " ", phone: null },
      orders_to_redact: [299938, "280263"],
    });
    expect(parsed.payload).toEqual({
      shop_id: "954889",
      shop_domain: "x.myshopify.com",
      customer: { id: "191167", email: null, phone: null },
      orders_to_redact: ["299938", "280263"],
    });
  });

  it("names each bad field", () => {
    expect(() =>
      parseCompliancePayload("customers/data_request", {
        shop_id: -1,
        customer: {},
        orders_requested: [],
        data_request: { id: "x" },
      }),
    ).toThrow(PayloadError);
    expect(() =>
      parseCompliancePayload("customers/data_request", {
        shop_id: -1,
        customer: {},
        orders_requested: [],
        data_request: { id: "x" },
      }),
    ).toThrow(
      /shop_id .*; shop_domain Required; customer needs an id or an email; data_request.id must be a numeric id/,
    );
    expect(() => parseCompliancePayload("shop/redact", null)).toThrow(/body Expected object/);
  });
});

describe("topic-bound payloads: the topic header is not signed, so the body's shape must match it", () => {
  const replays = TOPICS.flatMap((signedFor) =>
    TOPICS.filter((deliveredAs) => deliveredAs !== signedFor).map((deliveredAs) => ({
      signedFor,
      deliveredAs,
    })),
  );

  it.each(replays)(
    "refuses Shopify's $signedFor sample delivered as $deliveredAs",
    ({ signedFor, deliveredAs }) => {
      expect(() => parseCompliancePayload(deliveredAs, sample(signedFor))).toThrow(
        new RegExp(`This body is a ${signedFor} payload delivered as ${deliveredAs}`),
      );
    },
  );

  it.each([
    [
      "customers/data_request",
      { orders_to_redact: [] },
      /body has keys customers\/data_request does not carry: "orders_to_redact"/,
    ],
    [
      "customers/redact",
      { data_request: { id: 1 } },
      /body has keys customers\/redact does not carry: "data_request"/,
    ],
    ["shop/redact", { customer: { id: 1 } }, /body has keys shop\/redact does not carry: "customer"/],
    ["shop/redact", { extra: true }, /body has keys shop\/redact does not carry: "extra"/],
    [
      "customers/redact",
      { customer: { id: 1, email: "a@example.com", name: "Ann" } },
      /customer has keys .*"name"/,
    ],
    [
      "customers/data_request",
      { data_request: { id: 1, requested_by: "x" } },
      /data_request has keys .*"requested_by"/,
    ],
  ] as const)("refuses a %s body with a key it does not carry (%o)", (topic, extra, message) => {
    expect(() => parseCompliancePayload(topic, { ...sample(topic), ...extra })).toThrow(message);
  });

  it.each([
    ["customers/data_request", "data_request", /data_request Required/],
    ["customers/data_request", "orders_requested", /orders_requested Required/],
    ["customers/redact", "orders_to_redact", /orders_to_redact Required/],
    ["customers/redact", "customer", /customer Required/],
    ["shop/redact", "shop_id", /shop_id Required/],
  ] as const)("refuses a %s body without %s", (topic, key, message) => {
    const { [key]: _dropped, ...rest } = sample(topic);
    expect(() => parseCompliancePayload(topic, rest)).toThrow(message);
  });

  it("keeps the message short however many fields are wrong and whatever the keys are called", () => {
    const body = {
      ...sample("customers/data_request"),
      orders_requested: Array.from({ length: 5000 }, () => "not-an-id"),
      ["<script>".repeat(50)]: 1,
    };
    const error = (() => {
      try {
        parseCompliancePayload("customers/data_request", body);
      } catch (thrown) {
        return thrown as Error;
      }
    })();
    expect(error?.message.length).toBeLessThan(1200);
    expect(error?.message).toMatch(/and 4991 more$/);
  });
});

describe("shopper contact details on the way in", () => {
  it.each([
    [
      "a 5,000-character email",
      { email: `${"a".repeat(4988)}@example.com` },
      /customer.email is longer than 254/,
    ],
    [
      "a right-to-left override in the email",
      { email: "\u202Emoc.elpmaxe@nhoj" },
      /customer.email contains control/,
    ],
    [
      "markup in the email",
      { email: "<img src=x onerror=alert(1)>@example.com" },
      /customer.email has characters/,
    ],
    ["letters in the phone", { phone: "555-CALL-NOW" }, /customer.phone may hold only digits/],
    ["a 40-character phone", { phone: "1".repeat(40) }, /customer.phone is longer than 32/],
    [
      "a 21-digit customer id",
      { id: "1".repeat(21) },
      /customer.id must be a numeric id of at most 20 digits/,
    ],
  ])("refuses %s, naming the field", (_name, fields, message) => {
    for (const topic of ["customers/data_request", "customers/redact"] as const) {
      const body = sample(topic);
      expect(() =>
        parseCompliancePayload(topic, { ...body, customer: { ...(body.customer as object), ...fields } }),
      ).toThrow(message);
    }
  });

  it("refuses a shop domain that is not a myshopify.com domain", () => {
    expect(() =>
      parseCompliancePayload("shop/redact", { shop_id: 1, shop_domain: "evil.example.com" }),
    ).toThrow(/shop_domain must be a shop's myshopify.com domain/);
  });
});
