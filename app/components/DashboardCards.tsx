import { Link } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

/** One headline figure, linking to the requests behind it. */
export function Figure({
  label,
  value,
  to,
  testId,
}: {
  label: string;
  value: string | number;
  to?: string;
  testId: string;
}) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <span data-testid={testId}>
          <Text as="p" variant="heading2xl">
            {value}
          </Text>
        </span>
        {to ? <Link to={to}>View requests</Link> : null}
      </BlockStack>
    </Card>
  );
}

/** A card listing open requests by one attribute, each line linking to the filtered index. */
export function OpenCounts({
  title,
  rows,
}: {
  title: string;
  rows: { key: string; count: number; to: string; label: ReactNode }[];
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {rows.length === 0 ? <Text as="p">Nothing open.</Text> : null}
        {rows.map((row) => (
          <InlineStack key={row.key} align="space-between">
            <Link to={row.to}>{row.label}</Link>
            <Text as="span">{row.count}</Text>
          </InlineStack>
        ))}
      </BlockStack>
    </Card>
  );
}
