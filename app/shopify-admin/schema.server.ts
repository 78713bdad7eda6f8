import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

/** Shopify's Admin API 2026-07 schema, vendored (vendor/shopify/README.md). */
export const ADMIN_SCHEMA_FILE = fileURLToPath(
  new URL("../../vendor/shopify/admin_2026-07.json.gz", import.meta.url),
);

let schema: GraphQLSchema | undefined;

export function loadAdminSchema(): GraphQLSchema {
  schema ??= buildClientSchema(
    (JSON.parse(gunzipSync(readFileSync(ADMIN_SCHEMA_FILE)).toString()) as { data: IntrospectionQuery }).data,
  );
  return schema;
}
