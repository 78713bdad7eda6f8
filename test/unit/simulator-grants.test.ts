import { describe, expect, it } from "vitest";
import { ACCESS_SCOPES } from "../../app/api-version";
import { PROTECTED_FIELDS } from "../../app/domain/access-requirements";
import { parseGrants } from "../../simulator/store";

describe("a simulated store's grants from the demo's settings", () => {
  it("grants everything the app requests, fully approved, when nothing is set", () => {
    expect(parseGrants({})).toEqual({
      scopes: new Set(ACCESS_SCOPES),
      protectedCustomerData: { level1: true, fields: new Set(PROTECTED_FIELDS) },
    });
  });

  it.each([
    { text: { scopes: "read_customers, read_orders" }, scopes: ["read_customers", "read_orders"] },
    { text: { scopes: "" }, scopes: [] },
  ])("takes the scopes listed: $text.scopes", ({ text, scopes }) => {
    expect([...parseGrants(text).scopes]).toEqual(scopes);
  });

  it.each([
    { approval: "all", level1: true, fields: [...PROTECTED_FIELDS] },
    { approval: "none", level1: false, fields: [] },
    { approval: "level1", level1: true, fields: [] },
    { approval: "name, email", level1: true, fields: ["name", "email"] },
  ])("reads protected customer data approval '$approval'", ({ approval, level1, fields }) => {
    expect(parseGrants({ protectedCustomerData: approval }).protectedCustomerData).toEqual({
      level1,
      fields: new Set(fields),
    });
  });

  it.each([
    { text: { scopes: "read_orders,all the orders" }, message: /Not access scopes: all the orders/ },
    { text: { protectedCustomerData: "name,birthday" }, message: /not birthday/ },
  ])("refuses what it does not understand ($message)", ({ text, message }) => {
    expect(() => parseGrants(text)).toThrow(message);
  });
});
