import { describe, expect, it } from "vitest";
import {
  parseCompliancePayload,
  PayloadError,
  toComplianceTopic,
} from "../../app/domain/compliance-payloads";

describe("compliance payloads", () => {
  it("maps the library's normalised topics back to Shopify's", () => {
    expect(toComplianceTopic("CUSTOMERS_DATA_REQUEST")).toBe("customers/data_request");
    expect(toComplianceTopic("customers/redact")).toBe("customers/redact");
    expect(toComplianceTopic("SHOP_REDACT")).toBe("shop/redact");
    expect(toComplianceTopic("ORDERS_CREATE")).toBeNull();
  });

  it("turns numeric ids into strings and blank fields into null", () => {
    const parsed = parseCompliancePayload("customers/redact", {
      shop_id: 954889,
      shop_domain: "x.myshopify.com",
      customer: { id: "191167", email: " ", phone: null },
    });
    expect(parsed.payload).toEqual({
      shop_id: "954889",
      shop_domain: "x.myshopify.com",
      customer: { id: "191167", email: null, phone: null },
      orders_to_redact: [],
    });
  });

  it("names each bad field", () => {
    expect(() =>
      parseCompliancePayload("customers/data_request", {
        shop_id: -1,
        customer: {},
        data_request: { id: "x" },
      }),
    ).toThrow(PayloadError);
    expect(() =>
      parseCompliancePayload("customers/data_request", {
        shop_id: -1,
        customer: {},
        data_request: { id: "x" },
      }),
    ).toThrow(
      /shop_id .*; shop_domain Required; customer needs an id or an email; data_request.id must be a numeric id/,
    );
    expect(() => parseCompliancePayload("shop/redact", null)).toThrow(/body Expected object/);
  });
});
