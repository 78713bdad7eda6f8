import type { ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { appUninstalledPayload, describeIssues } from "../domain/app-webhook-payloads";
import { getEnv } from "../env.server";
import { recordUninstall } from "../services/shops.server";
import { receiveAppWebhook } from "../webhooks/app-webhooks.server";
import { fromFetchRequest, textAnswer, toFetchResponse } from "../webhooks/inbound.server";

// Webhooks can arrive more than once, and after the app was already uninstalled: both are no-ops.
// No session is loaded: it may be expired, or already deleted by an earlier delivery.
export const action = async ({ request }: ActionFunctionArgs) => {
  const received = await receiveAppWebhook(
    fromFetchRequest(request),
    "app/uninstalled",
    getEnv().SHOPIFY_API_SECRET,
  );
  if (!received.ok) return toFetchResponse(received.answer);
  const parsed = appUninstalledPayload.safeParse(received.payload);
  if (!parsed.success)
    return toFetchResponse(textAnswer(400, describeIssues("app/uninstalled", parsed.error)));
  const signedShop = parsed.data.myshopify_domain?.toLowerCase();
  if (signedShop && signedShop !== received.shop)
    return toFetchResponse(
      textAnswer(
        400,
        `Payload myshopify_domain ${signedShop} does not match the signed shop ${received.shop}`,
      ),
    );
  await recordUninstall(getDb(), received.shop, new Date());
  return new Response(null, { status: 200 });
};
