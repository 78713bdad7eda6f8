import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { storefrontDeps } from "../storefront/deps.server";
import { handleStorefrontPage } from "../storefront/storefront-proxy.server";

// The storefront privacy page: Shopify forwards /apps/privacy (shopify.app.toml [app_proxy]) here,
// signed. GET renders the form; POST takes the form, a code or a request for a new code.
const handle = ({ request }: LoaderFunctionArgs | ActionFunctionArgs) =>
  handleStorefrontPage(request, storefrontDeps());

export const loader = handle;
export const action = handle;
