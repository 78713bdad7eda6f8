import { Form, useSearchParams } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Select, TextField } from "@shopify/polaris";
import { useState } from "react";
import { SORTS } from "../../domain/request-index";
import { REQUEST_SOURCES, REQUEST_STATUSES, REQUEST_TYPES } from "../../domain/request-lifecycle";
import { SOURCE_LABEL, STATUS_LABEL, TYPE_LABEL } from "../labels";

const any = (label: string) => [{ label, value: "" }];
const SORT_LABEL: Record<(typeof SORTS)[number], string> = {
  received_desc: "Newest first",
  received_asc: "Oldest first",
  due_asc: "Deadline soonest",
  due_desc: "Deadline latest",
};

export const FILTER_KEYS = ["status", "type", "source", "due", "q"] as const;

/** The index's filters and search, as a GET form: the URL is the state, so a filtered view can be shared. */
export function RequestFilters({ searchProblem }: { searchProblem: string | null }) {
  const [params] = useSearchParams();
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
  const filtered = FILTER_KEYS.some((key) => params.get(key));

  return (
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
  );
}
