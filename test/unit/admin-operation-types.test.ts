import { describe, expect, it } from "vitest";
import type { AdminClient } from "../../app/shopify-admin/admin-client.server";
import { ADMIN_OPERATIONS } from "../../app/shopify-admin/operations";
import { loadAdminSchema } from "../../app/shopify-admin/schema.server";
import { generateAdminTypes } from "../../scripts/codegen-admin-types";

describe("operation types generated from the schema", () => {
  it("types variables and results with the schema's nullability, enums and scalars", () => {
    const code = generateAdminTypes(loadAdminSchema(), ADMIN_OPERATIONS);
    expect(code).toContain(
      "export interface CustomerProfileVariables {\n  customerId: string;\n  addressesFirst: number;\n  metafieldsFirst: number;\n}",
    );
    // customer(id:) may return null; its id may not; numberOfOrders is an UnsignedInt64 string.
    expect(code).toMatch(
      /export type CustomerProfileResult = \{\n {2}customer: \{\n {4}id: string;\n {4}firstName: string \| null;/,
    );
    expect(code).toMatch(/numberOfOrders: string;/);
    expect(code).toMatch(
      /status: "CANCELED" \| "CANCELING" \| "COMPLETED" \| "CREATED" \| "EXPIRED" \| "FAILED" \| "RUNNING";/,
    );
    expect(code).toContain("export interface CustomerInput {");
    expect(
      Object.keys(ADMIN_OPERATIONS).every((name) =>
        code.includes(`  ${name}: { variables: ${name}Variables; result: ${name}Result };`),
      ),
    ).toBe(true);
  });

  it("is deterministic", () => {
    expect(generateAdminTypes(loadAdminSchema(), ADMIN_OPERATIONS)).toBe(
      generateAdminTypes(loadAdminSchema(), ADMIN_OPERATIONS),
    );
  });
});

// Compile-time checks, run by `npm run typecheck`: each line must be a type error, or tsc fails.
export async function misusesTheTypesCatch(client: AdminClient) {
  // @ts-expect-error customerId is an ID (string), not a number
  await client.request("CustomerProfile", { customerId: 1, addressesFirst: 1, metafieldsFirst: 1 });
  // @ts-expect-error a required variable is missing
  await client.request("CustomerOrders", { customerId: "gid://shopify/Customer/1", first: 10 });
  const { data } = await client.request("CustomerProfile", {
    customerId: "gid://shopify/Customer/1",
    addressesFirst: 1,
    metafieldsFirst: 1,
  });
  // @ts-expect-error customer may be null
  void data.customer.id;
  // @ts-expect-error the document does not select a field named "emial"
  void data.customer?.emial;
}
