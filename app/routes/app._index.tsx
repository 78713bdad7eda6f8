import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { adminContext } from "../admin-context.server";
import { AccessBanner } from "../components/AccessBanner";
import { STATUS_LABEL, STATUS_TONE, TYPE_LABEL } from "../components/labels";
import { Figure, OpenCounts } from "../components/DashboardCards";
import { WeeklyChart } from "../components/WeeklyChart";
import { can } from "../domain/roles";
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
  return { figures, access, canRecord: can(staff.role, "request.create") };
};

export default function Dashboard() {
  const { figures, access, canRecord } = useLoaderData<typeof loader>();
  return (
    <Page
      title="Dashboard"
      primaryAction={canRecord ? { content: "Record a request", url: "/app/requests/new" } : undefined}
    >
      <Layout>
        {access.problems.length ? (
          <Layout.Section>
            <AccessBanner problems={access.problems} checkedWithShopify={access.checkedWithShopify} />
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
