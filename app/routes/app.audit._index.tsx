import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Form,
  useActionData,
  useLoaderData,
  useNavigate,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineStack,
  Page,
  Pagination,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { adminContext } from "../admin-context.server";
import { parseAuditFilter } from "../domain/audit-filter";
import { can } from "../domain/roles";
import { auditLogPage, verifyShopChain } from "../services/audit-log.server";

export const meta = () => [{ title: "Audit log · Privacy Desk" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { db, staff } = await adminContext(request, "audit.view");
  const parsed = parseAuditFilter(new URL(request.url).searchParams);
  if (!parsed.ok) throw json({ error: `Bad filter: ${parsed.message}` }, { status: 400 });
  const page = await auditLogPage(db, staff.shopId, parsed.filter);
  return { ...page, canExport: can(staff.role, "audit.export") };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { db, keyring, staff } = await adminContext(request, "audit.verify");
  const verdict = await verifyShopChain(db, keyring, staff.shopId);
  return json(verdict);
};

export default function AuditLog() {
  const { events, nextBeforeSeq, canExport } = useLoaderData<typeof loader>();
  const verdict = useActionData<typeof action>();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [filters, setFilters] = useState(() => ({
    requestId: params.get("requestId") ?? "",
    actor: params.get("actor") ?? "",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
  }));
  const set = (key: keyof typeof filters) => (value: string) =>
    setFilters((current) => ({ ...current, [key]: value }));
  const exportQuery = new URLSearchParams(Object.entries(filters).filter(([, value]) => value));

  return (
    <Page title="Audit log" backAction={{ content: "Dashboard", url: "/app" }}>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="300">
            <InlineStack gap="300" blockAlign="center">
              <Form method="post">
                <Button submit loading={navigation.state === "submitting"}>
                  Verify chain
                </Button>
              </Form>
              {canExport ? (
                <Button url={`/app/audit/export?${exportQuery.toString()}`} target="_blank">
                  Export NDJSON
                </Button>
              ) : null}
            </InlineStack>
            {verdict ? (
              <span data-testid="chain-verdict">
                {verdict.ok ? (
                  <Banner tone="success" title="The audit chain is intact">
                    <p>{verdict.count} events verified, none altered, removed or reordered.</p>
                  </Banner>
                ) : (
                  <Banner tone="critical" title="The audit chain is broken">
                    <p>
                      At event {verdict.badEvent.id} (number {verdict.badEvent.seq}): {verdict.reason}.{" "}
                      {verdict.count} events before it verified.
                    </p>
                  </Banner>
                )}
              </span>
            ) : null}
          </BlockStack>
        </Card>
        <Card>
          <Form method="get">
            <InlineStack gap="300" blockAlign="end" wrap>
              <TextField
                label="Request id"
                name="requestId"
                value={filters.requestId}
                onChange={set("requestId")}
                autoComplete="off"
              />
              <TextField
                label="Actor"
                name="actor"
                value={filters.actor}
                onChange={set("actor")}
                autoComplete="off"
                placeholder="staff:123, shopify, system:worker"
              />
              <TextField
                label="From"
                name="from"
                type="date"
                value={filters.from}
                onChange={set("from")}
                autoComplete="off"
              />
              <TextField
                label="To"
                name="to"
                type="date"
                value={filters.to}
                onChange={set("to")}
                autoComplete="off"
              />
              <Button submit variant="primary">
                Filter
              </Button>
            </InlineStack>
          </Form>
        </Card>
        <Card padding="0">
          {events.length === 0 ? (
            <div style={{ padding: 16 }}>
              <Text as="p">No audit events match.</Text>
            </div>
          ) : (
            <DataTable
              columnContentTypes={["numeric", "text", "text", "text", "text", "text"]}
              headings={["#", "When", "Action", "Actor", "Request", "Details"]}
              rows={events.map((event) => [
                event.seq,
                event.occurredAt.replace("T", " ").slice(0, 19),
                event.action,
                event.actor,
                event.requestId ?? "—",
                `${Object.entries(event.data)
                  .map(
                    ([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`,
                  )
                  .join(", ")}${event.hasPii ? " (personal data sealed)" : ""}`,
              ])}
            />
          )}
          <div style={{ padding: 12, display: "flex", justifyContent: "center" }}>
            <Pagination
              hasPrevious={params.has("before")}
              onPrevious={() => navigate(-1)}
              hasNext={nextBeforeSeq !== null}
              onNext={() => {
                const next = new URLSearchParams(params);
                next.set("before", String(nextBeforeSeq));
                navigate(`?${next.toString()}`);
              }}
            />
          </div>
        </Card>
      </BlockStack>
    </Page>
  );
}
