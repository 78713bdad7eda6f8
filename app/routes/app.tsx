import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Outlet,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Banner, Box } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import type { ReactNode } from "react";
import { adminContext } from "../admin-context.server";
import { ErrorPage, errorTitle } from "../components/ErrorPage";
import { FocusableScrollRegions } from "../components/FocusableScrollRegions";
import { getEnv } from "../env.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

// Pages set their own title; a refusal shown by the boundary below is titled after what went wrong.
export const meta: MetaFunction = ({ error }) => [
  {
    title: error
      ? `${errorTitle(isRouteErrorResponse(error) ? error.status : 500)} · Privacy Desk`
      : "Privacy Desk",
  },
];

/** Served by the local demo in place of Shopify's CDN script, which is unreachable offline. */
export const DEMO_APP_BRIDGE_URL = "/demo/app-bridge.js";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { staff } = await adminContext(request, "request.view");
  const env = getEnv();
  return { apiKey: env.SHOPIFY_API_KEY, demoMode: env.DEMO_MODE, role: staff.role, staffName: staff.name };
};

type Frame = ReturnType<typeof useLoaderData<typeof loader>>;

/**
 * What every page sits in: Polaris and App Bridge (AppProvider), the admin's navigation and, in
 * the demo, its banner. Without the layout's data (its own loader refused the request) only
 * Polaris is there, so an error can still be shown.
 */
function AppFrame({ frame, children }: { frame: Frame | undefined; children: ReactNode }) {
  if (!frame)
    return (
      <AppProvider isEmbeddedApp={false} apiKey="">
        {children}
      </AppProvider>
    );
  return (
    <AppProvider
      isEmbeddedApp
      apiKey={frame.apiKey}
      {...(frame.demoMode ? { __APP_BRIDGE_URL: DEMO_APP_BRIDGE_URL } : {})}
    >
      <NavMenu>
        <Link to="/app" rel="home">
          Dashboard
        </Link>
        <Link to="/app/requests">Requests</Link>
        <Link to="/app/audit">Audit log</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      {frame.demoMode ? (
        <Box padding="200">
          <Banner tone="warning" title="Demo mode">
            <p>
              Local demo with a simulated Shopify store: no real shopper data. You are{" "}
              {frame.staffName ?? "a staff member"} ({frame.role}).
            </p>
          </Banner>
        </Box>
      ) : null}
      <FocusableScrollRegions />
      {children}
    </AppProvider>
  );
}

export default function App() {
  return (
    <AppFrame frame={useLoaderData<typeof loader>()}>
      <Outlet />
    </AppFrame>
  );
}

/** Our own refusals (400, 403, 404…) carry `{ error: message }`; the library's responses do not. */
function refusalOf(error: unknown): { status: number; message: string } | null {
  if (!isRouteErrorResponse(error) || typeof error.data !== "object" || error.data === null) return null;
  const message = (error.data as { error?: unknown }).error;
  return typeof message === "string" ? { status: error.status, message } : null;
}

// Shopify needs Remix to catch some thrown responses (its redirects and reauthorisation answers),
// so that their headers are included: those go to boundary.error. Our own refusals are pages,
// rendered inside the app's frame on a full page load as on client navigation.
export function ErrorBoundary() {
  const error = useRouteError();
  const frame = useRouteLoaderData<typeof loader>("routes/app");
  const refusal = refusalOf(error);
  if (!refusal) return boundary.error(error);
  return (
    <AppFrame frame={frame}>
      <ErrorPage status={refusal.status} message={refusal.message} showHome={frame !== undefined} />
    </AppFrame>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
