import { Banner, BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { ShopperText } from "../ShopperText";
import type { Evidence } from "./page-data";

const shown = (value: string | null) => (value ? <ShopperText value={value} /> : "—");

/** The customer as Shopify holds them now: what an approved erasure or correction acts on. */
export function EvidenceCard({ evidence }: { evidence: Evidence }) {
  const { record, problem } = evidence;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Customer record in Shopify
        </Text>
        {problem ? (
          <Banner tone="warning">
            <p>
              <ShopperText value={problem} />
            </p>
          </Banner>
        ) : (
          <Text as="p" tone="subdued">
            This is what approval acts on. If it changes before Privacy Desk runs, the request comes back here
            for a new review.
          </Text>
        )}
        {record ? (
          <DataTable
            columnContentTypes={["text", "text"]}
            headings={["Field", "Value"]}
            rows={[
              ["Name", shown([record.firstName, record.lastName].filter(Boolean).join(" ") || null)],
              ["Email", shown(record.email)],
              ["Phone", shown(record.phone)],
              ["Addresses", String(record.addresses)],
              ["Tags", shown(record.tags.join(", ") || null)],
            ]}
          />
        ) : null}
      </BlockStack>
    </Card>
  );
}
