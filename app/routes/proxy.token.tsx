import type { LoaderFunctionArgs } from "@remix-run/node";
import { storefrontDeps } from "../storefront/deps.server";
import { handleStorefrontToken } from "../storefront/storefront-proxy.server";

// /apps/privacy/token: a form token for the theme's app block (GET, JSON).
export const loader = ({ request }: LoaderFunctionArgs) => handleStorefrontToken(request, storefrontDeps());
