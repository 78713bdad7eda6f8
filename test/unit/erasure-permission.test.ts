import { describe, expect, it } from "vitest";
import { ERASE_CUSTOMER_DATA_SCOPE, erasurePermissionProblem, parseScopes } from "../../app/domain/roles";

const ALL = ["read_customers", "write_customers", ERASE_CUSTOMER_DATA_SCOPE];
const WITHOUT = ["read_customers", "write_customers"];
const merchantErasure = { type: "erasure", source: "merchant" };

describe("Shopify's permission to erase customer data", () => {
  it.each([
    ["approve", "a merchant-recorded erasure", merchantErasure, ALL, null],
    ["approve", "a merchant-recorded erasure", merchantErasure, WITHOUT, "cannot approve this erasure"],
    ["approve", "a storefront erasure", { type: "erasure", source: "storefront" }, WITHOUT, "cannot approve"],
    ["approve", "a merchant-recorded erasure", merchantErasure, null, "Shopify has not said"],
    ["retry", "a failed merchant erasure", merchantErasure, WITHOUT, "cannot retry this erasure"],
    [
      "retry",
      "Shopify's own customers/redact",
      { type: "erasure", source: "shopify_webhook" },
      WITHOUT,
      null,
    ],
    ["approve", "an access request", { type: "access", source: "merchant" }, WITHOUT, null],
    ["approve", "a rectification", { type: "rectification", source: "merchant" }, null, null],
    ["deny", "a merchant-recorded erasure", merchantErasure, WITHOUT, null],
    ["cancel", "a merchant-recorded erasure", merchantErasure, null, null],
  ] as const)(
    "GIVEN a staff member who may %s %s with scopes %j WHEN checked THEN the problem is %j",
    (intent, _what, request, userScopes, problem) => {
      const found = erasurePermissionProblem({ action: `request.${intent}`, request, userScopes });
      if (problem === null) expect(found).toBeNull();
      else expect(found).toContain(problem);
    },
  );

  it("GIVEN the refusal WHEN read by the merchant THEN it says who can fix it", () => {
    expect(
      erasurePermissionProblem({ action: "request.approve", request: merchantErasure, userScopes: WITHOUT }),
    ).toMatch(/store owner can give you that permission in Shopify \(Settings › Users\)/);
  });

  it.each([
    [null, null],
    [undefined, null],
    ["", []],
    ["read_customers, write_customer_data_erasure", ["read_customers", ERASE_CUSTOMER_DATA_SCOPE]],
    ["write_customer_data_erasure_extra", ["write_customer_data_erasure_extra"]],
  ])("GIVEN the scope list %j WHEN parsed THEN %j", (scope, scopes) => {
    expect(parseScopes(scope)).toEqual(scopes);
  });

  it("GIVEN a scope that only starts like the permission WHEN checked THEN it does not count", () => {
    expect(
      erasurePermissionProblem({
        action: "request.approve",
        request: merchantErasure,
        userScopes: parseScopes("write_customer_data_erasure_extra"),
      }),
    ).not.toBeNull();
  });
});
