import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { ACCESS_SCOPES, SCOPES_OUTSIDE_ADMIN_API } from "../../app/api-version";
import { expandScopes } from "../../app/domain/access-requirements";
import {
  ADMIN_OPERATION_ACCESS,
  ADMIN_OPERATIONS,
  type AdminOperationName,
} from "../../app/shopify-admin/operations";
import { loadAdminSchema } from "../../app/shopify-admin/schema.server";
import { documentAccess } from "../../simulator/access-rules";

const names = Object.keys(ADMIN_OPERATIONS) as AdminOperationName[];
const satisfied = (rules: { anyOf: readonly string[] }[], scopes: Iterable<string>) => {
  const granted = expandScopes(scopes);
  return rules.every((rule) => rule.anyOf.some((scope) => granted.has(scope)));
};

describe("what each Admin operation needs from Shopify", () => {
  it("is declared for every operation the app sends", () => {
    expect(Object.keys(ADMIN_OPERATION_ACCESS).sort()).toEqual([...names].sort());
  });

  it.each(names)("%s declares exactly the scopes the simulator's rules (Shopify's docs) require", (name) => {
    // GIVEN the rules the document runs into on its way through the schema
    const found = documentAccess(loadAdminSchema(), parse(ADMIN_OPERATIONS[name]));
    const declared = ADMIN_OPERATION_ACCESS[name];
    // THEN the declared scopes meet every rule…
    expect(satisfied(found.rules, declared.scopes)).toBe(true);
    // …and none of them is superfluous
    for (const scope of declared.scopes)
      expect(
        satisfied(
          found.rules,
          declared.scopes.filter((other) => other !== scope),
        ),
        `${name} declares ${scope} but no rule needs it`,
      ).toBe(false);
    expect([...found.widenedBy].sort()).toEqual([...(declared.widenedBy ?? [])].sort());
    expect([...found.protectedFields].sort()).toEqual([...(declared.protectedFields ?? [])].sort());
  });

  it("adds up to exactly the scopes the app requests (shopify.app.toml), less those for other APIs", () => {
    const used = new Set(
      Object.values(ADMIN_OPERATION_ACCESS).flatMap((access) => [
        ...access.scopes,
        ...(access.widenedBy ?? []),
      ]),
    );
    expect([...used].sort()).toEqual(
      ACCESS_SCOPES.filter((scope) => !SCOPES_OUTSIDE_ADMIN_API.includes(scope)).sort(),
    );
  });
});
