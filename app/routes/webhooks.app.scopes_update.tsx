import type { ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { appScopesUpdatePayload, describeIssues } from "../domain/app-webhook-payloads";
import { getEnv } from "../env.server";
import { recordScopesUpdate } from "../services/shops.server";
import { receiveAppWebhook } from "../webhooks/app-webhooks.server";
import { fromFetchRequest, textAnswer, toFetchResponse } from "../webhooks/inbound.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const received = await receiveAppWebhook(
    fromFetchRequest(request),
    "app/scopes_update",
    getEnv().SHOPIFY_API_SECRET,
  );
  if (!received.ok) return toFetchResponse(received.answer);
  const parsed = appScopesUpdatePayload.safeParse(received.payload);
  if (!parsed.success)
    return toFetchResponse(textAnswer(400, describeIssues("app/scopes_update", parsed.error)));
  await recordScopesUpdate(getDb(), received.shop, parsed.data.current);
  return new Response(null, { status: 200 });
};
