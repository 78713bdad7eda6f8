import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Page,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { adminContext } from "../admin-context.server";
import {
  deadlineText,
  requesterLabel,
  SOURCE_LABEL,
  STATUS_LABEL,
  STATUS_TONE,
  TYPE_LABEL,
} from "../components/labels";
import { ShopperText } from "../components/ShopperText";
import { fieldErrors } from "../domain/request-forms";
import { parseIndexQuery, SORTS } from "../domain/request-index";
import { REQUEST_SOURCES, REQUEST_STATUSES, REQUEST_TYPES } from "../domain/request-lifecycle";
import { can } from "../domain/roles";
import { formatDay } from "../domain/timeline";
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

const any = (label: string) => [{ label, value: "" }];
const SORT_LABEL: Record<(typeof SORTS)[number], string> = {
  received_desc: "Newest first",
  received_asc: "Oldest first",
  due_asc: "Deadline soonest",
  due_desc: "Deadline latest",
};

export default function RequestsIndex() {
  const { requests, recordedBy, next, previous, searchProblem, now, canRecord } =
    useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [filters, setFilters] = useState(() => ({
    status: params.get("status") ?? "",
    type: params.get("type") ?? "",
    source: params.get("source") ?? "",
    due: params.get("due") ?? "",
    sort: params.get("sort") ?? "received_desc",
    q: params.get("q") ?? "",
  }));
  const set = (key: keyof typeof filters) => (value: string) =>
    setFilters((current) => ({ ...current, [key]: value }));
  const pageTo = (cursor: { after?: string; before?: string }) => {
    const next = new URLSearchParams(params);
    next.delete("after");
    next.delete("before");
    for (const [key, value] of Object.entries(cursor)) if (value) next.set(key, value);
    navigate(`?${next.toString()}`);
  };
  const filtered = ["status", "type", "source", "due", "q"].some((key) => params.get(key));

  return (
    <Page
      title="Requests"
      backAction={{ content: "Dashboard", url: "/app" }}
      primaryAction={canRecord ? { content: "Record a request", url: "/app/requests/new" } : undefined}
    >
      <BlockStack gap="400">
        <Card>
          <Form method="get" aria-label="Filter requests">
            <BlockStack gap="300">
              <InlineStack gap="300" wrap blockAlign="end">
                <Select
                  label="Status"
                  name="status"
                  options={[
                    ...any("Any status"),
                    ...REQUEST_STATUSES.map((s) => ({ label: STATUS_LABEL[s]!, value: s })),
                  ]}
                  value={filters.status}
                  onChange={set("status")}
                />
                <Select
                  label="Type"
                  name="type"
                  options={[
                    ...any("Any type"),
                    ...REQUEST_TYPES.map((t) => ({ label: TYPE_LABEL[t]!, value: t })),
                  ]}
                  value={filters.type}
                  onChange={set("type")}
                />
                <Select
                  label="Source"
                  name="source"
                  options={[
                    ...any("Any source"),
                    ...REQUEST_SOURCES.map((s) => ({ label: SOURCE_LABEL[s]!, value: s })),
                  ]}
                  value={filters.source}
                  onChange={set("source")}
                />
                <Select
                  label="Deadline"
                  name="due"
                  options={[
                    ...any("Any deadline"),
                    { label: "Open", value: "open" },
                    { label: "Due within 7 days", value: "due_soon" },
                    { label: "Overdue", value: "overdue" },
                  ]}
                  value={filters.due}
                  onChange={set("due")}
                />
                <Select
                  label="Sort"
                  name="sort"
                  options={SORTS.map((s) => ({ label: SORT_LABEL[s], value: s }))}
                  value={filters.sort}
                  onChange={set("sort")}
                />
              </InlineStack>
              <InlineStack gap="300" blockAlign="end">
                <div style={{ flexGrow: 1 }}>
                  <TextField
                    label="Search"
                    name="q"
                    value={filters.q}
                    onChange={set("q")}
                    autoComplete="off"
                    placeholder="Email address or customer id"
                    error={searchProblem ?? undefined}
                  />
                </div>
                <Button submit variant="primary">
                  Apply
                </Button>
                {filtered ? <Button url="/app/requests">Clear</Button> : null}
              </InlineStack>
            </BlockStack>
          </Form>
        </Card>
        {searchProblem ? (
          <Banner tone="warning">
            <p>{searchProblem}</p>
          </Banner>
        ) : null}
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: "request", plural: "requests" }}
            itemCount={requests.length}
            selectable={false}
            loading={navigation.state === "loading"}
            emptyState={
              <EmptyState
                heading={filtered ? "No requests match these filters" : "No privacy requests yet"}
                image=""
              >
                <p>
                  {filtered
                    ? "Change or clear the filters."
                    : "Requests from Shopify, your storefront and your team appear here as they arrive."}
                </p>
              </EmptyState>
            }
            headings={[
              { title: "Requester" },
              { title: "Type" },
              { title: "Status" },
              { title: "Source" },
              { title: "Received" },
              { title: "Deadline" },
            ]}
          >
            {requests.map((request, index) => (
              <IndexTable.Row
                id={request.id}
                key={request.id}
                position={index}
                onClick={() => navigate(`/app/requests/${request.id}`)}
              >
                <IndexTable.Cell>
                  <a
                    href={`/app/requests/${request.id}`}
                    onClick={(event) => {
                      // The row navigates on click too; one navigation, not two.
                      event.preventDefault();
                      event.stopPropagation();
                      navigate(`/app/requests/${request.id}`);
                    }}
                    data-testid="request-link"
                  >
                    <ShopperText value={requesterLabel(request)} lines={2} />
                  </a>
                </IndexTable.Cell>
                <IndexTable.Cell>{TYPE_LABEL[request.type] ?? request.type}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={STATUS_TONE[request.status]}>
                    {STATUS_LABEL[request.status] ?? request.status}
                  </Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {recordedBy[request.id] ? (
                    <ShopperText value={`Recorded by ${recordedBy[request.id]}`} lines={2} />
                  ) : (
                    (SOURCE_LABEL[request.source] ?? request.source)
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>{formatDay(request.receivedAt)}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text
                    as="span"
                    tone={
                      deadlineText(request.dueAt, request.status, now).includes("overdue")
                        ? "critical"
                        : undefined
                    }
                  >
                    {deadlineText(request.dueAt, request.status, now)}
                  </Text>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
          <div style={{ padding: "12px", display: "flex", justifyContent: "center" }}>
            <Pagination
              hasPrevious={Boolean(previous)}
              onPrevious={() => pageTo({ before: previous ?? undefined })}
              hasNext={Boolean(next)}
              onNext={() => pageTo({ after: next ?? undefined })}
            />
          </div>
        </Card>
      </BlockStack>
    </Page>
  );
}
