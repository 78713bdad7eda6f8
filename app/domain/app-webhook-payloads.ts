import { z } from "zod";
import { numericId } from "./compliance-payloads";

/*
 * app/uninstalled and app/scopes_update. As with compliance webhooks, only the body is signed,
 * so each body must have its own topic's shape: a compliance body replayed to these endpoints
 * is refused. Unknown keys are kept here (these payloads are Shopify's REST resources, which grow).
 */

/**
 * The shop resource. `myshopify_domain` is the signed shop: when Shopify fills it in, it must
 * match the delivery's shop header. Shopify's sample payload (`shopify app webhook trigger`)
 * sends it as null.
 */
export const appUninstalledPayload = z
  .object({
    id: numericId,
    myshopify_domain: z.string().max(255).nullable(),
  })
  .passthrough();

const scope = z.string().regex(/^[a-z_]{1,64}$/, "must be an access scope name");

export const appScopesUpdatePayload = z
  .object({
    previous: z.array(scope).max(200).optional(),
    current: z.array(scope).max(200),
  })
  .passthrough();

/** The message for a 400 that names each bad field. */
export function describeIssues(topic: string, error: z.ZodError): string {
  const problems = error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.join(".") || "body"} ${issue.message}`);
  return `Invalid ${topic} payload: ${problems.join("; ")}`;
}
