import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { Badge, BlockStack, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { adminContext } from "../admin-context.server";
import { AccessBanner } from "../components/AccessBanner";
import { STATUS_LABEL, STATUS_TONE, TYPE_LABEL } from "../components/labels";
import { WeeklyChart } from "../components/WeeklyChart";
import { logger } from "../logger.server";
import { dashboardFigures } from "../services/dashboard.server";
import { shopAccessStatus } from "../services/shop-access.server";
import { adminClientForShop } from "../shopify-admin/admin-for-shop.server";

export const meta = () => [{ title: "Dashboard · Privacy Desk" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { db, staff, session } = await adminContext(request, "request.view");
  const [figures, access] = await Promise.all([
    dashboardFigures(db, staff.shopId, new Date()),
    // The page waits for this: one attempt, and the recorded scopes if Shopify is slow.
    shopAccessStatus({
      admin: adminClientForShop(session.shop, { maxAttempts: 1, requestTimeoutMs: 5_000 }),
      recordedScopes: session.scope,
      logger,
    }),
  ]);
  return { ...figures, access };
};

function Figure({
  label,
  value,
  to,
  testId,
}: {
  label: string;
  value: string | number;
  to?: string;
  testId: string;
}) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <span data-testid={testId}>
          <Text as="p" variant="heading2xl">
            {value}
          </Text>
        </span>
        {to ? <Link to={to}>View requests</Link> : null}
      </BlockStack>
    </Card>
  );
}

/** A card listing open requests by one attribute, each line linking to the filtered index. */
function OpenCounts({
  title,
  rows,
}: {
  title: string;
  rows: { key: string; count: number; to: string; label: ReactNode }[];
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {rows.length === 0 ? <Text as="p">Nothing open.</Text> : null}
        {rows.map((row) => (
          <InlineStack key={row.key} align="space-between">
            <Link to={row.to}>{row.label}</Link>
            <Text as="span">{row.count}</Text>
          </InlineStack>
        ))}
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const figures = useLoaderData<typeof loader>();
  return (
    <Page title="Dashboard" primaryAction={{ content: "Record a request", url: "/app/requests/new" }}>
      <Layout>
        {figures.access.problems.length ? (
          <Layout.Section>
            <AccessBanner
              problems={figures.access.problems}
              checkedWithShopify={figures.access.checkedWithShopify}
            />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            <Figure
              label="Open requests"
              value={figures.open}
              to="/app/requests?due=open"
              testId="figure-open"
            />
            <Figure
              label="Due within 7 days"
              value={figures.dueSoon}
              to="/app/requests?due=due_soon&sort=due_asc"
              testId="figure-due-soon"
            />
            <Figure
              label="Overdue"
              value={figures.overdue}
              to="/app/requests?due=overdue&sort=due_asc"
              testId="figure-overdue"
            />
            <Figure
              label="Completed, last 30 days"
              value={
                figures.medianDaysToComplete === null
                  ? figures.completedLast30Days
                  : `${figures.completedLast30Days} · median ${figures.medianDaysToComplete} d`
              }
              testId="figure-completed"
            />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <OpenCounts
              title="Open by status"
              rows={Object.entries(figures.openByStatus).map(([status, count]) => ({
                key: status,
                count,
                to: `/app/requests?status=${status}`,
                label: <Badge tone={STATUS_TONE[status]}>{STATUS_LABEL[status] ?? status}</Badge>,
              }))}
            />
            <OpenCounts
              title="Open by type"
              rows={Object.entries(figures.openByType).map(([type, count]) => ({
                key: type,
                count,
                to: `/app/requests?type=${type}&due=open`,
                label: TYPE_LABEL[type] ?? type,
              }))}
            />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Requests received
              </Text>
              <WeeklyChart weeks={figures.weekly} />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
