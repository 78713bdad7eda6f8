import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Banner, Box, Page } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { adminContext } from "../admin-context.server";
import { FocusableScrollRegions } from "../components/FocusableScrollRegions";
import { getEnv } from "../env.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

/** Served by the local demo in place of Shopify's CDN script, which is unreachable offline. */
export const DEMO_APP_BRIDGE_URL = "/demo/app-bridge.js";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { staff } = await adminContext(request, "request.view");
  const env = getEnv();
  return { apiKey: env.SHOPIFY_API_KEY, demoMode: env.DEMO_MODE, role: staff.role, staffName: staff.name };
};

export default function App() {
  const { apiKey, demoMode, role, staffName } = useLoaderData<typeof loader>();
  return (
    <AppProvider
      isEmbeddedApp
      apiKey={apiKey}
      {...(demoMode ? { __APP_BRIDGE_URL: DEMO_APP_BRIDGE_URL } : {})}
    >
      <NavMenu>
        <Link to="/app" rel="home">
          Dashboard
        </Link>
        <Link to="/app/requests">Requests</Link>
        <Link to="/app/audit">Audit log</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      {demoMode ? (
        <Box padding="200">
          <Banner tone="warning" title="Demo mode">
            <p>
              Local demo with a simulated Shopify store: no real shopper data. You are{" "}
              {staffName ?? "a staff member"} ({role}).
            </p>
          </Banner>
        </Box>
      ) : null}
      <FocusableScrollRegions />
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included. Our
// own 403/404 answers carry a JSON message, shown in a banner.
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.data && typeof error.data === "object" && "error" in error.data) {
    return (
      <Page title={error.status === 403 ? "Not allowed" : "Not found"}>
        <Banner tone="critical">
          <p>{String((error.data as { error: unknown }).error)}</p>
        </Banner>
      </Page>
    );
  }
  return boundary.error(error);
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
