import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, EmptyState, Layout, Page, Text, type BadgeProps } from "@shopify/polaris";
import { getDb } from "../db.server";
import { daysLeft } from "../domain/deadlines";
import { getKeyring } from "../keys.server";
import { listRequests } from "../services/request-queries.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const requests = await listRequests(getDb(), getKeyring(), { shopDomain: session.shop, limit: 50 });
  return { requests, now: new Date().toISOString() };
};

const STATUS_TONE: Record<string, BadgeProps["tone"]> = {
  pending_review: "attention",
  approved: "info",
  in_progress: "info",
  completed: "success",
  failed: "critical",
  awaiting_verification: "warning",
};

export default function RequestsOverview() {
  const { requests, now } = useLoaderData<typeof loader>();
  const rows = requests.map((request) => {
    const left = daysLeft(new Date(request.dueAt), new Date(now));
    return [
      request.type.replace("_", " "),
      <Badge key="status" tone={STATUS_TONE[request.status]}>
        {request.status.replace(/_/g, " ")}
      </Badge>,
      request.email ?? (request.redactedAt ? "erased" : "—"),
      request.customerId ?? "—",
      new Date(request.receivedAt).toLocaleDateString(),
      ["completed", "denied", "canceled"].includes(request.status) ? "—" : left < 0 ? `${-left} days overdue` : `${left} days left`,
    ];
  });
  return (
    <Page title="Privacy requests">
      <Layout>
        <Layout.Section>
          <Card padding="0">
            {requests.length === 0 ? (
              <EmptyState heading="No privacy requests yet" image="">
                <p>Requests from Shopify's compliance webhooks and your storefront appear here as they arrive.</p>
              </EmptyState>
            ) : (
              <BlockStack>
                <DataTable
                  columnContentTypes={["text", "text", "text", "text", "text", "text"]}
                  headings={["Type", "Status", "Email", "Customer", "Received", "Deadline"]}
                  rows={rows}
                />
              </BlockStack>
            )}
          </Card>
          <Text as="p" variant="bodySm" tone="subdued">
            Showing the {requests.length} most recent requests.
          </Text>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
