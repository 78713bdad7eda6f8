import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleComplianceWebhook } from "../webhooks/compliance-webhook.server";
import { fromFetchRequest, toFetchResponse } from "../webhooks/inbound.server";
import { complianceWebhookDeps } from "../webhooks/intake.server";

// customers/data_request, customers/redact and shop/redact (shopify.app.toml `compliance_topics`).
// In production the Express layer answers this path first with the same handler
// (server/http-app.ts); under `shopify app dev` (the Vite dev server) this route does.
const handle = async ({ request }: ActionFunctionArgs | LoaderFunctionArgs) =>
  toFetchResponse(await handleComplianceWebhook(fromFetchRequest(request), complianceWebhookDeps()));

export const action = handle;
export const loader = handle;
