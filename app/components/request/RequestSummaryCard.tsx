import { BlockStack, Card, Text } from "@shopify/polaris";
import { formatBytes, formatDay } from "../../domain/timeline";
import { deadlineText, requesterLabel, SOURCE_LABEL } from "../labels";
import { ShopperText } from "../ShopperText";
import type { ExportFileSummary, RequestSummary } from "./page-data";

/** Who asked, under which law, by when, and the export if there is one. */
export function RequestSummaryCard(props: {
  request: RequestSummary;
  exportFile: ExportFileSummary | null;
  now: string;
  shopperMessage?: string | null;
}) {
  const { request, exportFile, now, shopperMessage } = props;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Request
        </Text>
        <Text as="p">
          Requester: <ShopperText value={requesterLabel(request)} />
        </Text>
        {request.phone ? (
          <Text as="p">
            Phone: <ShopperText value={request.phone} />
          </Text>
        ) : null}
        {request.customerId ? <Text as="p">Shopify customer: {request.customerId}</Text> : null}
        <Text as="p">Source: {SOURCE_LABEL[request.source] ?? request.source}</Text>
        <Text as="p">Law: {request.regime.toUpperCase()}</Text>
        <Text as="p">Received: {formatDay(request.receivedAt)}</Text>
        <Text as="p">
          Deadline: {formatDay(request.dueAt)} ({deadlineText(request.dueAt, request.status, now)})
        </Text>
        {shopperMessage ? (
          <Text as="p">
            Their message: <ShopperText value={shopperMessage} multiline />
          </Text>
        ) : null}
        {request.extendedAt && request.extensionReason ? (
          <Text as="p">
            Extended: <ShopperText value={request.extensionReason} multiline />
          </Text>
        ) : null}
        {exportFile ? (
          <Text as="p">
            Export: <ShopperText value={exportFile.fileName} /> ({formatBytes(exportFile.sizeBytes)}), kept
            until {formatDay(exportFile.expiresAt)}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
