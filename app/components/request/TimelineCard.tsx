import { BlockStack, Card, Text } from "@shopify/polaris";
import type { TimelineEntry } from "../../domain/timeline";
import { ShopperText } from "../ShopperText";

/** What happened to the request, oldest first, in sentences; what people wrote is shown as typed. */
export function TimelineCard({ entries }: { entries: (TimelineEntry & { key: number })[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Timeline
        </Text>
        <BlockStack as="ol" gap="300">
          {entries.map((entry) => (
            <BlockStack as="li" gap="050" key={entry.key}>
              <Text as="p" fontWeight="semibold" tone={entry.tone ?? undefined}>
                <ShopperText value={entry.sentence} />
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                {entry.at}
              </Text>
              {entry.detail ? (
                <Text as="p" variant="bodySm">
                  <ShopperText value={entry.detail} multiline />
                </Text>
              ) : null}
            </BlockStack>
          ))}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
