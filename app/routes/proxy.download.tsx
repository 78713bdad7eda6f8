import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getEnv } from "../env.server";
import { handleDownloadPage } from "../storefront/download-page.server";
import { storefrontDeps } from "../storefront/deps.server";

// /apps/privacy/download?link=…: where an export-ready email leads (storefront/download-page.server.ts).
const handle = ({ request }: LoaderFunctionArgs | ActionFunctionArgs) =>
  handleDownloadPage(request, { ...storefrontDeps(), appUrl: getEnv().SHOPIFY_APP_URL });

export const loader = handle;
export const action = handle;
