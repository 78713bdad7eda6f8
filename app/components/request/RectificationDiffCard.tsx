import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { FIELD_LABEL } from "../labels";
import { ShopperText } from "../ShopperText";
import type { Correction } from "./page-data";

const shown = (value: unknown) =>
  value === null || value === undefined || value === "" ? (
    "—"
  ) : (
    <ShopperText value={typeof value === "string" ? value : JSON.stringify(value)} />
  );

/** A rectification field by field: what Shopify holds now (or held) and what it is corrected to. */
export function RectificationDiffCard({ corrections }: { corrections: Correction[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Corrections
        </Text>
        <DataTable
          columnContentTypes={["text", "text", "text"]}
          headings={["Field", "Now", "Corrected to"]}
          rows={corrections.map((change) => [
            FIELD_LABEL[change.field] ?? change.field,
            shown(change.before),
            shown(change.after),
          ])}
        />
      </BlockStack>
    </Card>
  );
}
