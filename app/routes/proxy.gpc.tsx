import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { storefrontDeps } from "../storefront/deps.server";
import { handleStorefrontSignal } from "../storefront/storefront-proxy.server";

// /apps/privacy/gpc: the theme embed reports a Global Privacy Control signal (POST, JSON).
const handle = ({ request }: LoaderFunctionArgs | ActionFunctionArgs) =>
  handleStorefrontSignal(request, storefrontDeps());

export const loader = handle;
export const action = handle;
