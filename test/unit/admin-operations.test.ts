import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  Kind,
  NoDeprecatedCustomRule,
  parse,
  validate,
  type DocumentNode,
  type OperationDefinitionNode,
} from "graphql";
import { describe, expect, it } from "vitest";
import { ADMIN_OPERATIONS } from "../../app/shopify-admin/operations";
import { ADMIN_SCHEMA_FILE, loadAdminSchema as adminSchema } from "../../app/shopify-admin/schema.server";

/** Deprecated fields we still need, each with the reason (see the comment in operations.ts). */
const ALLOWED_DEPRECATIONS = [
  // SMS marketing consent: every field that carries it is deprecated in 2026-07, none replaces it.
  /CustomerPhoneNumber\.marketing(State|OptInLevel|UpdatedAt)/,
];

function validationErrors(document: DocumentNode): string[] {
  return validate(adminSchema(), document).map((error) => error.message);
}

const entries = Object.entries(ADMIN_OPERATIONS);

describe("Admin API documents against Shopify's 2026-07 schema", () => {
  it("uses the vendored schema file Shopify published (vendor/shopify/README.md)", () => {
    const sha256 = createHash("sha256").update(readFileSync(ADMIN_SCHEMA_FILE)).digest("hex");
    expect(sha256).toBe("5bcde995c89c59acdb2ee494378d96f45ce7378a16ec829a74b71d696a08ef19");
  });

  it.each(entries)("%s is one named operation that validates", (name, source) => {
    const document = parse(source);
    const operations = document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    expect(operations.map((operation) => operation.name?.value)).toEqual([name]);
    expect(validationErrors(document)).toEqual([]);
  });

  it.each(entries)("%s uses no deprecated field beyond the documented exceptions", (_name, source) => {
    const deprecated = validate(adminSchema(), parse(source), [NoDeprecatedCustomRule]).map(
      (error) => error.message,
    );
    const unexpected = deprecated.filter(
      (message) => !ALLOWED_DEPRECATIONS.some((allowed) => allowed.test(message)),
    );
    expect(unexpected).toEqual([]);
  });

  it("catches a misspelled field, as Shopify would reject it", () => {
    const misspelled = ADMIN_OPERATIONS.CustomerProfile.replace("displayName", "displayNme");
    expect(validationErrors(parse(misspelled))).toEqual([
      'Cannot query field "displayNme" on type "Customer". Did you mean "displayName"?',
    ]);
  });

  it("catches a deprecated field added by mistake", () => {
    const withDeprecated = ADMIN_OPERATIONS.CustomerProfile.replace(
      "verifiedEmail",
      "verifiedEmail\n      email",
    );
    const messages = validate(adminSchema(), parse(withDeprecated), [NoDeprecatedCustomRule]).map(
      (error) => error.message,
    );
    expect(messages).toContainEqual(expect.stringMatching(/Customer\.email is deprecated/));
  });
});
