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
  Box,
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
import { formatAnchor, parseAnchor } from "../domain/audit-anchor";
import { parseAuditFilter, type AuditFilterField } from "../domain/audit-filter";
import { can } from "../domain/roles";
import { auditLogPage, verifyShopChain, type AuditLogPage } from "../services/audit-log.server";

export const meta = () => [{ title: "Audit log · Privacy Desk" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { db, staff } = await adminContext(request, "audit.view");
  const canExport = can(staff.role, "audit.export");
  const parsed = parseAuditFilter(new URL(request.url).searchParams);
  // A bad filter still renders the page, with the problem beside the field that has it.
  const page: AuditLogPage = parsed.ok
    ? await auditLogPage(db, staff.shopId, parsed.filter)
    : { events: [], nextBeforeSeq: null };
  const filterErrors: Partial<Record<AuditFilterField, string>> = parsed.ok ? {} : parsed.errors;
  return json(
    { ...page, canExport, error: parsed.ok ? null : `Bad filter: ${parsed.message}`, filterErrors },
    { status: parsed.ok ? 200 : 400 },
  );
};

/**
 * Verifies the shop's chain; with `anchor` (a head saved earlier, `seq:hash`), also that the
 * chain still holds that event, so nothing up to it was removed or rewritten.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { db, keyring, staff } = await adminContext(request, "audit.verify");
  const submitted = (await request.formData()).get("anchor");
  const anchorText = typeof submitted === "string" ? submitted.trim() : "";
  let anchor = null;
  if (anchorText) {
    const parsed = parseAnchor(anchorText);
    if (!parsed.ok) return json({ error: `anchor: ${parsed.problem}` }, { status: 400 });
    anchor = parsed.anchor;
  }
  return json(await verifyShopChain(db, keyring, staff.shopId, anchor));
};

export default function AuditLog() {
  const { events, nextBeforeSeq, canExport, error, filterErrors } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const verdict = result && "ok" in result ? result : null;
  const anchorError = result && "error" in result ? result.error : undefined;
  const [anchorText, setAnchorText] = useState("");
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
  const submitting =
    navigation.state === "submitting" ? (navigation.formData?.get("anchor") ? "anchor" : "verify") : null;

  return (
    <Page title="Audit log" backAction={{ content: "Dashboard", url: "/app" }}>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="300">
            <InlineStack gap="300" blockAlign="center">
              <Form method="post">
                <Button submit loading={submitting === "verify"}>
                  Verify chain
                </Button>
              </Form>
              {canExport ? (
                <Button url={`/app/audit/export?${exportQuery.toString()}`} target="_blank">
                  Export NDJSON
                </Button>
              ) : null}
            </InlineStack>
            <Form method="post">
              <InlineStack gap="300" blockAlign="end" wrap>
                <div style={{ flex: "1 1 28rem" }}>
                  <TextField
                    label="Saved anchor"
                    name="anchor"
                    value={anchorText}
                    onChange={setAnchorText}
                    autoComplete="off"
                    monospaced
                    placeholder="seq:hash"
                    error={anchorError}
                    helpText="<event number>:<64 hex characters>, from an earlier verification, the first line of an NDJSON export, or auditChainHead in an export's manifest.json"
                  />
                </div>
                <Button submit disabled={!anchorText.trim()} loading={submitting === "anchor"}>
                  Verify against a saved anchor
                </Button>
              </InlineStack>
            </Form>
            {verdict ? (
              <span data-testid="chain-verdict">
                {verdict.ok ? (
                  <Banner tone="success" title="The audit chain is intact">
                    <BlockStack gap="200">
                      <p>{verdict.count} events verified, none altered, removed or reordered.</p>
                      {verdict.anchor ? (
                        <p>
                          It still holds the anchored event {verdict.anchor.seq}, so nothing up to it was
                          removed or rewritten since that anchor was saved.
                        </p>
                      ) : null}
                      <p>
                        Current head (save it outside Privacy Desk to check against later):{" "}
                        <code data-testid="chain-head" style={{ overflowWrap: "anywhere" }}>
                          {formatAnchor(verdict.head)}
                        </code>
                      </p>
                    </BlockStack>
                  </Banner>
                ) : (
                  <Banner
                    tone="critical"
                    title={
                      verdict.badEvent
                        ? "The audit chain is broken"
                        : "Events are missing from the audit chain"
                    }
                  >
                    <p>
                      {verdict.badEvent
                        ? `At event ${verdict.badEvent.id} (number ${verdict.badEvent.seq}): ${verdict.reason}. `
                        : `${verdict.reason[0]!.toUpperCase()}${verdict.reason.slice(1)}. `}
                      {verdict.count} events verified.
                    </p>
                  </Banner>
                )}
              </span>
            ) : null}
          </BlockStack>
        </Card>
        <Card>
          <Form method="get">
            {error ? (
              <Box paddingBlockEnd="300">
                <Banner tone="critical" title="These filters cannot be used">
                  <p>{error}</p>
                </Banner>
              </Box>
            ) : null}
            <InlineStack gap="300" blockAlign="end" wrap>
              <TextField
                label="Request id"
                name="requestId"
                value={filters.requestId}
                onChange={set("requestId")}
                error={filterErrors.requestId}
                autoComplete="off"
              />
              <TextField
                label="Actor"
                name="actor"
                value={filters.actor}
                onChange={set("actor")}
                error={filterErrors.actor}
                autoComplete="off"
                placeholder="staff:123, shopify, system:worker"
              />
              <TextField
                label="From"
                name="from"
                type="date"
                value={filters.from}
                onChange={set("from")}
                error={filterErrors.from}
                autoComplete="off"
              />
              <TextField
                label="To"
                name="to"
                type="date"
                value={filters.to}
                onChange={set("to")}
                error={filterErrors.to}
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
