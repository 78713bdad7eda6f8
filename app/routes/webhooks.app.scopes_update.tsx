import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getDb } from "../db.server";
import { recordScopesUpdate } from "../services/shops.server";
import { authenticate } from "../shopify.server";

const payloadSchema = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload } = await authenticate.webhook(request);
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success)
    return new Response("app/scopes_update payload needs a `current` list of scopes", { status: 400 });
  await recordScopesUpdate(getDb(), shop, parsed.data.current);
  return new Response(null, { status: 200 });
};
