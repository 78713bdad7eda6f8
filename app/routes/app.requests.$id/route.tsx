import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { useEffect } from "react";
import { adminContext } from "../../admin-context.server";
import { requesterLabel, STATUS_LABEL, STATUS_TONE, TYPE_LABEL } from "../../components/labels";
import { ActionsCard } from "../../components/request/ActionsCard";
import { EvidenceCard } from "../../components/request/EvidenceCard";
import { ExportDeliveryCard } from "../../components/request/ExportDeliveryCard";
import { RectificationDiffCard } from "../../components/request/RectificationDiffCard";
import { RequestSummaryCard } from "../../components/request/RequestSummaryCard";
import { StatusReasonBanner } from "../../components/request/StatusReasonBanner";
import { TimelineCard } from "../../components/request/TimelineCard";
import { abbreviate, displayValue } from "../../domain/display-text";
import { can } from "../../domain/roles";
import { adminClientForShop } from "../../shopify-admin/admin-for-shop.server";
import { actOnRequest, loadRequestPage, notFound } from "./request-page.server";

export const meta = () => [{ title: "Request · Privacy Desk" }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { db, keyring, staff } = await adminContext(request, "request.view");
  // The page waits for this: one attempt with a time limit, as on the dashboard.
  const admin = () => adminClientForShop(staff.shopDomain, { maxAttempts: 1, requestTimeoutMs: 5_000 });
  const page = await loadRequestPage({ db, keyring, staff, admin, now: new Date() }, params.id ?? "");
  if (!page) throw notFound();
  return page;
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { db, keyring, staff } = await adminContext(request, "request.view");
  return actOnRequest({ db, keyring, staff, now: new Date() }, params.id ?? "", await request.formData());
};

export default function RequestPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { request } = page;
  const shopify = useAppBridge();
  const [params] = useSearchParams();
  useEffect(() => {
    if (params.get("created") === "1") shopify.toast.show("Request recorded"); // from "Record a request"
  }, [params, shopify]);

  return (
    <Page
      title={`${TYPE_LABEL[request.type] ?? request.type} request`}
      subtitle={abbreviate(displayValue(requesterLabel(request)), 80)}
      titleMetadata={
        <span data-testid="request-status">
          <Badge tone={STATUS_TONE[request.status]}>{STATUS_LABEL[request.status] ?? request.status}</Badge>
        </span>
      }
      backAction={{ content: "Requests", url: "/app/requests" }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && "error" in result ? (
              <Banner tone="critical" title="Not done">
                <p>{result.error}</p>
              </Banner>
            ) : null}
            <StatusReasonBanner status={request.status} reason={request.statusReason} />
            <ActionsCard {...page} result={result} />
            {page.evidence ? <EvidenceCard evidence={page.evidence} /> : null}
            {page.corrections?.length ? <RectificationDiffCard corrections={page.corrections} /> : null}
            {page.delivery ? (
              <ExportDeliveryCard delivery={page.delivery} canDecide={can(page.role, "request.approve")} />
            ) : null}
            <TimelineCard entries={page.timeline} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <RequestSummaryCard
            request={request}
            exportFile={page.exportFile}
            now={page.now}
            shopperMessage={page.shopperMessage}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
