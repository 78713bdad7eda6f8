import type { ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { recordUninstall } from "../services/shops.server";
import { authenticate } from "../shopify.server";

// Webhooks can arrive more than once, and after the app was already uninstalled: both are no-ops.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticate.webhook(request);
  await recordUninstall(getDb(), shop, new Date());
  return new Response(null, { status: 200 });
};
