import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { adminContext, badRequest, forbidden } from "../admin-context.server";
import {
  deadlineText,
  FIELD_LABEL,
  SOURCE_LABEL,
  STATUS_LABEL,
  STATUS_TONE,
  TYPE_LABEL,
} from "../components/labels";
import {
  availableIntents,
  INTENT_PERMISSION,
  fieldErrors,
  requestActionForm,
  type RequestIntent,
} from "../domain/request-forms";
import { changesShopifyData } from "../domain/review";
import type { RequestStatus } from "../domain/request-lifecycle";
import { can, ForbiddenActionError } from "../domain/roles";
import { getRequestWithEvents } from "../services/request-queries.server";
import { reviewEvidence } from "../services/request-review.server";
import { performRequestAction } from "../services/staff-actions.server";
import { adminClientForShop } from "../shopify-admin/admin-for-shop.server";

const notFound = () => json({ error: "No such request in this shop" }, { status: 404 });

export const meta = () => [{ title: "Request · Privacy Desk" }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { db, keyring, staff } = await adminContext(request, "request.view");
  const view = await getRequestWithEvents(db, keyring, { id: params.id ?? "", shopDomain: staff.shopDomain });
  if (!view) throw notFound();
  const row = (await db.privacyRequest.findFirst({
    where: { id: view.id, shopId: staff.shopId },
    select: { subjectId: true, changesCipher: true },
  }))!;
  const status = view.status as RequestStatus;
  const exportFile = await db.exportFile.findFirst({
    where: { shopId: staff.shopId, requestId: view.id, deletedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, fileName: true, sizeBytes: true, expiresAt: true },
  });
  const evidence =
    changesShopifyData(view) && status === "pending_review"
      ? await reviewEvidence(db, keyring, () => adminClientForShop(staff.shopDomain), { ...view, ...row })
      : null;
  const completedDiff = view.events.find((event) => event.action === "request.complete" && event.pii?.changes)
    ?.pii?.changes as ChangeRow[] | undefined;
  return {
    request: view,
    now: new Date().toISOString(),
    role: staff.role,
    actions: availableIntents({ status, extended: view.extendedAt !== null, role: staff.role }),
    exportFile:
      exportFile && can(staff.role, "export.download")
        ? { ...exportFile, expiresAt: exportFile.expiresAt.toISOString() }
        : null,
    evidence,
    diff: evidence?.diff ?? completedDiff ?? null,
  };
};

type ChangeRow = { field: string; before: unknown; after: unknown };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { db, keyring, staff } = await adminContext(request, "request.view");
  const parsed = requestActionForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return badRequest("Check the form", fieldErrors(parsed.error));
  const permission = INTENT_PERMISSION[parsed.data.intent];
  if (!can(staff.role, permission)) return forbidden(new ForbiddenActionError(staff.role, permission));
  const outcome = await performRequestAction(db, keyring, staff, params.id ?? "", parsed.data, new Date());
  if (!outcome.ok) return json({ error: outcome.message, fieldErrors: {} }, { status: outcome.status });
  return json({ ok: true as const, message: outcome.message });
};

const show = (value: unknown) =>
  value === null || value === undefined || value === ""
    ? "—"
    : typeof value === "string"
      ? value
      : JSON.stringify(value);

export default function RequestDetail() {
  const { request, now, actions, exportFile, evidence, diff, role } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const [reason, setReason] = useState("");
  const [pending, setPending] = useState<RequestIntent | null>(null);
  const errors: Record<string, string> = result && "fieldErrors" in result ? result.fieldErrors : {};
  const busy = navigation.state === "submitting";

  const [params] = useSearchParams();
  useEffect(() => {
    // Arriving from "Record a request".
    if (params.get("created") === "1") shopify.toast.show("Request recorded");
  }, [params, shopify]);

  useEffect(() => {
    if (result && "ok" in result && result.ok) {
      shopify.toast.show(result.message);
      setPending(null);
      setReason("");
    }
  }, [result, shopify]);

  async function download() {
    if (!exportFile) return;
    // App Bridge adds the session token to the app's own fetches; a plain link would not carry it.
    const response = await fetch(`/app/exports/${exportFile.id}`);
    if (!response.ok) {
      shopify.toast.show(await response.text(), { isError: true });
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = exportFile.fileName;
    link.click();
    URL.revokeObjectURL(url);
  }

  const approveBlocked = changesShopifyData(request) && !evidence?.snapshotHash;
  const requester =
    request.email ??
    (request.customerId ? `Customer ${request.customerId}` : request.redactedAt ? "Erased" : "Unknown");

  return (
    <Page
      title={`${TYPE_LABEL[request.type] ?? request.type} request`}
      subtitle={requester}
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
            {request.statusReason ? (
              <Banner tone={request.status === "failed" ? "critical" : "info"} title="Reason">
                <p>{request.statusReason}</p>
              </Banner>
            ) : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Actions
                </Text>
                {actions.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {role === "viewer"
                      ? "You can view this request; an approver or admin acts on it."
                      : "Nothing left to do on this request."}
                  </Text>
                ) : null}
                <InlineStack gap="200" blockAlign="end">
                  {actions.map((intent) => (
                    <Form method="post" key={intent}>
                      <input type="hidden" name="intent" value={intent} />
                      {intent === "approve" && evidence?.snapshotHash ? (
                        <input type="hidden" name="reviewedSnapshotHash" value={evidence.snapshotHash} />
                      ) : null}
                      {WITH_REASON.includes(intent) && pending === intent ? (
                        <BlockStack gap="200">
                          <TextField
                            label={REASON_LABEL[intent]}
                            name="reason"
                            value={reason}
                            onChange={setReason}
                            multiline={2}
                            autoComplete="off"
                            error={errors.reason}
                          />
                          <InlineStack gap="200">
                            <Button
                              submit
                              variant="primary"
                              tone={intent === "deny" ? "critical" : undefined}
                              loading={busy}
                            >
                              {`Confirm: ${INTENT_LABEL[intent].toLowerCase()}`}
                            </Button>
                            <Button onClick={() => setPending(null)}>Back</Button>
                          </InlineStack>
                        </BlockStack>
                      ) : WITH_REASON.includes(intent) ? (
                        <Button
                          onClick={() => setPending(intent)}
                          tone={intent === "deny" ? "critical" : undefined}
                          disabled={pending !== null}
                        >
                          {INTENT_LABEL[intent]}
                        </Button>
                      ) : (
                        <Button
                          submit
                          variant={intent === "approve" ? "primary" : undefined}
                          disabled={(intent === "approve" && approveBlocked) || pending !== null}
                          loading={busy}
                        >
                          {INTENT_LABEL[intent]}
                        </Button>
                      )}
                    </Form>
                  ))}
                  {exportFile ? <Button onClick={download}>Download export</Button> : null}
                </InlineStack>
              </BlockStack>
            </Card>
            {evidence ? (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Customer record in Shopify
                  </Text>
                  {evidence.problem ? (
                    <Banner tone="warning">
                      <p>{evidence.problem}</p>
                    </Banner>
                  ) : (
                    <Text as="p" tone="subdued">
                      This is what approval acts on. If it changes before Privacy Desk runs, the request comes
                      back here for a new review.
                    </Text>
                  )}
                  {evidence.record ? (
                    <DataTable
                      columnContentTypes={["text", "text"]}
                      headings={["Field", "Value"]}
                      rows={[
                        ["Name", `${show(evidence.record.firstName)} ${show(evidence.record.lastName)}`],
                        ["Email", show(evidence.record.email)],
                        ["Phone", show(evidence.record.phone)],
                        ["Addresses", String(evidence.record.addresses.length)],
                        ["Tags", evidence.record.tags.join(", ") || "—"],
                      ]}
                    />
                  ) : null}
                </BlockStack>
              </Card>
            ) : null}
            {diff && diff.length > 0 ? (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Corrections
                  </Text>
                  <DataTable
                    columnContentTypes={["text", "text", "text"]}
                    headings={["Field", "Now", "Corrected to"]}
                    rows={diff.map((change) => [
                      FIELD_LABEL[change.field] ?? change.field,
                      show(change.before),
                      show(change.after),
                    ])}
                  />
                </BlockStack>
              </Card>
            ) : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Timeline
                </Text>
                <BlockStack as="ol" gap="300">
                  {request.events.map((event) => (
                    <BlockStack as="li" gap="050" key={event.seq}>
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="span" fontWeight="semibold">
                          {event.action}
                        </Text>
                        <Text as="span" tone="subdued">
                          {event.occurredAt.replace("T", " ").slice(0, 16)} · {event.actor}
                        </Text>
                      </InlineStack>
                      <Text as="p" variant="bodySm" tone="subdued" breakWord>
                        {Object.entries(event.data)
                          .map(([key, value]) => `${key}: ${show(value)}`)
                          .join(" · ")}
                        {event.piiErased ? " · personal data erased" : ""}
                      </Text>
                    </BlockStack>
                  ))}
                </BlockStack>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Request
              </Text>
              <Text as="p">Requester: {requester}</Text>
              {request.phone ? <Text as="p">Phone: {request.phone}</Text> : null}
              {request.customerId ? <Text as="p">Shopify customer: {request.customerId}</Text> : null}
              <Text as="p">Source: {SOURCE_LABEL[request.source] ?? request.source}</Text>
              <Text as="p">Law: {request.regime.toUpperCase()}</Text>
              <Text as="p">Received: {request.receivedAt.slice(0, 10)}</Text>
              <Text as="p">
                Deadline: {request.dueAt.slice(0, 10)} ({deadlineText(request.dueAt, request.status, now)})
              </Text>
              {request.extendedAt ? <Text as="p">Extended: {request.extensionReason}</Text> : null}
              {exportFile ? (
                <Text as="p">
                  Export: {exportFile.fileName} ({Math.ceil(exportFile.sizeBytes / 1024)} KB), kept until{" "}
                  {exportFile.expiresAt.slice(0, 10)}
                </Text>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

const INTENT_LABEL: Record<RequestIntent, string> = {
  approve: "Approve",
  deny: "Deny",
  extend: "Extend deadline",
  cancel: "Cancel request",
  retry: "Retry",
  verify: "Mark verified",
};

const WITH_REASON: RequestIntent[] = ["deny", "extend", "cancel"];
const REASON_LABEL: Partial<Record<RequestIntent, string>> = {
  deny: "Reason for denying (told to the shopper)",
  extend: "Reason for the extension (told to the shopper)",
  cancel: "Reason for canceling (optional)",
};
