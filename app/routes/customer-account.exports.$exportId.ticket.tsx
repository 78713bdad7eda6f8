import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { customerAccountContext, refusal, withCors } from "../customer-account-context.server";
import { getEnv } from "../env.server";
import { issueAccountTicket } from "../exports/export-links.server";

/**
 * POST /customer-account/exports/:exportId/ticket: the signed-in customer asks to download one
 * of their own exports. The answer is a URL that works once, for a few minutes, which the page
 * opens (a download cannot carry the session token).
 */
/** Remix sends OPTIONS to the loader: the preflight is answered there (GET is not a way in). */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await customerAccountContext(request);
  return refusal(405, "invalid", "Use POST to ask for a download");
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { db, caller } = await customerAccountContext(request);
  if (request.method !== "POST") return refusal(405, "invalid", "Use POST to ask for a download");
  const outcome = await issueAccountTicket(db, {
    shopId: caller.shopId,
    customerId: caller.customerId,
    exportId: params.exportId ?? "",
    now: new Date(),
  });
  if (outcome.status !== 200) {
    const code = { 404: "not_found", 409: "held", 410: "expired" }[outcome.status];
    return refusal(outcome.status, code, outcome.message);
  }
  return withCors(
    json({
      url: `${getEnv().SHOPIFY_APP_URL}/customer-account/download/${outcome.token}`,
      expiresAt: outcome.expiresAt.toISOString(),
    }),
  );
};
