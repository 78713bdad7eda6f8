import { describe, expect, it } from "vitest";
import { ACCESS_SCOPES } from "../../app/api-version";
import {
  blockersFor,
  describeMissingScope,
  expandScopes,
  missingAccess,
  missingScopes,
  orderHistoryCoverage,
  parseScopes,
  SCOPE_REQUIREMENTS,
  type GrantedAccess,
} from "../../app/domain/access-requirements";

const everything: GrantedAccess = {
  scopes: [...ACCESS_SCOPES],
  protectedCustomerData: { state: "approved" },
};
const without = (...scopes: string[]): GrantedAccess => ({
  ...everything,
  scopes: ACCESS_SCOPES.filter((scope) => !scopes.includes(scope)),
});

describe("access requirements", () => {
  it("explains every scope the app requests, and only those", () => {
    expect(SCOPE_REQUIREMENTS.map((requirement) => requirement.scope).sort()).toEqual(
      [...ACCESS_SCOPES].sort(),
    );
  });

  it.each([
    { scopes: "read_orders,write_customers", expanded: ["read_orders", "write_customers", "read_customers"] },
    {
      scopes: " write_orders , read_all_orders",
      expanded: ["write_orders", "read_orders", "read_all_orders"],
    },
    {
      scopes: "unauthenticated_write_checkouts",
      expanded: ["unauthenticated_write_checkouts", "unauthenticated_read_checkouts"],
    },
    { scopes: "", expanded: [] },
    { scopes: "read_customers,,read_customers", expanded: ["read_customers"] },
  ])("a write scope implies its read scope: $scopes", ({ scopes, expanded }) => {
    expect([...expandScopes(parseScopes(scopes))].sort()).toEqual([...expanded].sort());
  });

  it.each([
    { granted: [...ACCESS_SCOPES], missing: [] },
    // What a store that installed the app before issue 8 granted.
    {
      granted: [
        "read_customers",
        "write_customers",
        "read_orders",
        "write_customer_data_erasure",
        "write_app_proxy",
      ],
      missing: ["read_all_orders", "write_privacy_settings"],
    },
    // write_customers covers read_customers.
    {
      granted: [
        "write_customers",
        "read_orders",
        "read_all_orders",
        "write_customer_data_erasure",
        "write_privacy_settings",
        "write_app_proxy",
      ],
      missing: [],
    },
    { granted: [], missing: [...ACCESS_SCOPES] },
  ])("lists what a store did not grant: $missing", ({ granted, missing }) => {
    expect(missingScopes(granted).map((requirement) => requirement.scope)).toEqual(missing);
  });

  it.each([
    {
      capability: "sale_opt_out",
      granted: without("write_privacy_settings"),
      blocked: ["write_privacy_settings"],
    },
    { capability: "erasure", granted: without("write_privacy_settings"), blocked: [] },
    { capability: "access_export", granted: without("read_all_orders"), blocked: [] },
    {
      capability: "complete_order_history",
      granted: without("read_all_orders"),
      blocked: ["read_all_orders"],
    },
    {
      capability: "access_export",
      granted: {
        ...everything,
        protectedCustomerData: { state: "denied", customerObject: false, fields: ["email"] },
      },
      blocked: ["protected_customer_data"],
    },
    {
      capability: "sale_opt_out",
      granted: {
        ...everything,
        protectedCustomerData: { state: "denied", customerObject: false, fields: ["email"] },
      },
      blocked: [],
    },
  ] as const)("says what blocks $capability", ({ capability, granted, blocked }) => {
    expect(blockersFor(capability, granted).map((problem) => problem.key)).toEqual(blocked);
  });

  it("puts withheld customer data first, naming the fields, then each missing scope with what it breaks and the fix", () => {
    const problems = missingAccess({
      scopes: without("write_privacy_settings").scopes,
      protectedCustomerData: { state: "denied", customerObject: false, fields: ["email", "address"] },
    });
    expect(problems.map((problem) => [problem.key, problem.title])).toEqual([
      [
        "protected_customer_data",
        "Shopify has not approved Privacy Desk to read customers' email addresses and addresses",
      ],
      ["write_privacy_settings", "Missing permission: write_privacy_settings"],
    ]);
    expect(problems[1]!.breaks).toMatch(/opt-outs/);
    expect(problems[1]!.fix).toMatch(/approving Privacy Desk's updated access/);
    expect(problems[0]!.fix).toMatch(/Protected customer data access/);
  });

  it.each([
    { state: "approved" },
    { state: "unverified", reason: "no_customers" },
    { state: "unverified", reason: "unavailable" },
  ] as const)(
    "reports nothing about customer data that is approved or could not be checked ($state)",
    (status) => {
      expect(missingAccess({ ...everything, protectedCustomerData: status })).toEqual([]);
    },
  );

  it("says without level 1 approval that customer records are withheld", () => {
    const [problem] = missingAccess({
      ...everything,
      protectedCustomerData: { state: "denied", customerObject: true, fields: [] },
    });
    expect(problem!.title).toBe("Shopify has not approved Privacy Desk to read customer data");
  });

  it.each([
    { scopes: [...ACCESS_SCOPES], complete: true },
    { scopes: ["read_orders", "read_customers"], complete: false },
    { scopes: ["write_orders", "read_all_orders"], complete: true },
  ])("tells whether an export holds the whole order history ($scopes)", ({ scopes, complete }) => {
    const now = new Date("2026-11-30T12:00:00Z");
    const coverage = orderHistoryCoverage(scopes, now);
    expect(coverage.complete).toBe(complete);
    if (!coverage.complete) {
      expect(coverage.since.toISOString()).toBe("2026-10-01T12:00:00.000Z");
      expect(coverage.reason).toMatch(/last 60 days/);
    }
  });

  it("turns a refusal into a sentence naming the permission, what it breaks and the fix", () => {
    expect(describeMissingScope(["write_privacy_settings"])).toMatch(
      /lacks the write_privacy_settings permission.*opt-outs.*approving Privacy Desk's updated access/,
    );
    expect(describeMissingScope(["read_products"])).toBe(
      "Shopify refused the call: Privacy Desk lacks read_products on this store.",
    );
  });
});
