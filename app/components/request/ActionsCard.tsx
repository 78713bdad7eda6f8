import { Form, useNavigation } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import type { RequestIntent } from "../../domain/request-forms";
import type { Role } from "../../domain/roles";
import type { ExportFileSummary } from "./page-data";

const INTENT_LABEL: Record<RequestIntent, string> = {
  approve: "Approve",
  deny: "Deny",
  extend: "Extend deadline",
  cancel: "Cancel request",
  retry: "Retry",
  verify: "Mark verified",
  release_export: "Release to the requester",
  revoke_links: "Revoke download links",
};

const REASON_LABEL: Partial<Record<RequestIntent, string>> = {
  deny: "Reason for denying (told to the shopper)",
  extend: "Reason for the extension (told to the shopper)",
  cancel: "Reason for canceling (optional)",
};

export type ActionResult =
  { ok: true; message: string } | { error: string; fieldErrors: Record<string, string> };

/**
 * The buttons this staff member has on the request: those needing a reason open a field first,
 * and a button that cannot be used now is disabled with the reason beside it.
 */
export function ActionsCard(props: {
  actions: RequestIntent[];
  blocked: Partial<Record<RequestIntent, string>>;
  reviewedSnapshotHash: string | null;
  exportFile: ExportFileSummary | null;
  role: Role;
  result: ActionResult | undefined;
}) {
  const { actions, blocked, reviewedSnapshotHash, exportFile, role, result } = props;
  const shopify = useAppBridge();
  const busy = useNavigation().state === "submitting";
  const [reason, setReason] = useState("");
  const [pending, setPending] = useState<RequestIntent | null>(null);
  const errors = result && "fieldErrors" in result ? result.fieldErrors : {};

  useEffect(() => {
    if (result && "ok" in result) {
      shopify.toast.show(result.message);
      setPending(null);
      setReason("");
    }
  }, [result, shopify]);

  return (
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
        {Object.entries(blocked).map(([intent, why]) => (
          <Banner
            key={intent}
            tone="warning"
            title={`${INTENT_LABEL[intent as RequestIntent]} is not available to you`}
          >
            <p data-testid={`blocked-${intent}`}>{why}</p>
          </Banner>
        ))}
        <InlineStack gap="200" blockAlign="end">
          {actions.map((intent) => (
            <Form method="post" key={intent}>
              <input type="hidden" name="intent" value={intent} />
              {intent === "approve" && reviewedSnapshotHash ? (
                <input type="hidden" name="reviewedSnapshotHash" value={reviewedSnapshotHash} />
              ) : null}
              {REASON_LABEL[intent] && pending === intent ? (
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
              ) : REASON_LABEL[intent] ? (
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
                  disabled={Boolean(blocked[intent]) || pending !== null}
                  loading={busy}
                >
                  {INTENT_LABEL[intent]}
                </Button>
              )}
            </Form>
          ))}
          {exportFile ? (
            <Button onClick={() => downloadExport(exportFile, shopify)}>Download export</Button>
          ) : null}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

/** App Bridge adds the session token to the app's own fetches; a plain link would not carry it. */
async function downloadExport(exportFile: ExportFileSummary, shopify: ReturnType<typeof useAppBridge>) {
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
