import type { ActionFunctionArgs } from "@remix-run/node";
import { logger } from "../logger.server";
import { authenticate } from "../shopify.server";
import { handleComplianceWebhook, type WebhookContext } from "../webhooks/compliance-webhook.server";
import { getIntake } from "../webhooks/intake.server";

// customers/data_request, customers/redact and shop/redact (shopify.app.toml `compliance_topics`).
export const action = ({ request }: ActionFunctionArgs) =>
  handleComplianceWebhook(request, {
    ingest: (item) => getIntake().submit(item),
    logger,
    authenticate: (signed) => authenticate.webhook(signed) as Promise<WebhookContext>,
  });

export const loader = () => new Response("Compliance webhooks must be POSTed", { status: 405 });
