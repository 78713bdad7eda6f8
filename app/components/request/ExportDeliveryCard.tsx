import { Form, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { ExportDeliverySummary } from "../../exports/export-links.server";

const day = (iso: string) =>
  new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(
    new Date(iso),
  ) + " UTC";

/**
 * The export on its way to the requester: held for release or released, how many of their links
 * still work, how often they downloaded it; an approver releases it or revokes the links here.
 */
export function ExportDeliveryCard(props: { delivery: ExportDeliverySummary; canDecide: boolean }) {
  const { delivery, canDecide } = props;
  const busy = useNavigation().state === "submitting";
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Delivery to the requester
        </Text>
        <Text as="p">
          {delivery.awaitingRelease
            ? "Held: the requester cannot download the export until an approver releases it."
            : delivery.releasedAt
              ? `Released ${day(delivery.releasedAt)}; the requester was emailed a download link.`
              : "Available to the requester from their account and the emailed link."}
        </Text>
        <Text as="p">
          Downloads by the requester: {delivery.downloads}
          {delivery.lastDownloadAt ? ` (last ${day(delivery.lastDownloadAt)})` : ""}. Links that still work:{" "}
          {delivery.liveLinks}.
        </Text>
        {canDecide ? (
          <InlineStack gap="200">
            {delivery.awaitingRelease ? (
              <Form method="post">
                <input type="hidden" name="intent" value="release_export" />
                <input type="hidden" name="exportId" value={delivery.exportId} />
                <Button submit variant="primary" loading={busy}>
                  Release to the requester
                </Button>
              </Form>
            ) : null}
            {delivery.liveLinks > 0 ? (
              <Form method="post">
                <input type="hidden" name="intent" value="revoke_links" />
                <Button submit tone="critical" loading={busy}>
                  Revoke download links
                </Button>
              </Form>
            ) : null}
          </InlineStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
