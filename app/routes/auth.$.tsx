import type { LoaderFunctionArgs } from "@remix-run/node";
import { rejectMalformedHost } from "../admin-context.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  rejectMalformedHost(request);
  await authenticate.admin(request);
  return null;
};
