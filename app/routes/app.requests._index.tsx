import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Page } from "@shopify/polaris";
import { adminContext } from "../admin-context.server";
import { FILTER_KEYS, RequestFilters } from "../components/requests/RequestFilters";
import { RequestsTable } from "../components/requests/RequestsTable";
import { fieldErrors } from "../domain/request-forms";
import { parseIndexQuery } from "../domain/request-index";
import { can } from "../domain/roles";
import { requestIndexPage } from "../services/request-index.server";

export const meta = () => [{ title: "Requests · Privacy Desk" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { db, keyring, staff } = await adminContext(request, "request.view");
  const parsed = parseIndexQuery(new URL(request.url).searchParams);
  if (!parsed.success) {
    throw json(
      { error: `Bad filter: ${Object.values(fieldErrors(parsed.error)).join("; ")}` },
      { status: 400 },
    );
  }
  const now = new Date();
  const page = await requestIndexPage(
    db,
    keyring,
    { id: staff.shopId, domain: staff.shopDomain },
    parsed.data,
    now,
  );
  return { ...page, now: now.toISOString(), canRecord: can(staff.role, "request.create") };
};

export default function RequestsIndex() {
  const { requests, recordedBy, next, previous, searchProblem, now, canRecord } =
    useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const filtered = FILTER_KEYS.some((key) => params.get(key));

  return (
    <Page
      title="Requests"
      backAction={{ content: "Dashboard", url: "/app" }}
      primaryAction={canRecord ? { content: "Record a request", url: "/app/requests/new" } : undefined}
    >
      <BlockStack gap="400">
        <RequestFilters searchProblem={searchProblem} />
        {searchProblem ? (
          <Banner tone="warning">
            <p>{searchProblem}</p>
          </Banner>
        ) : null}
        <RequestsTable
          requests={requests}
          recordedBy={recordedBy}
          next={next}
          previous={previous}
          now={now}
          filtered={filtered}
        />
      </BlockStack>
    </Page>
  );
}
