import { Banner, BlockStack, Text } from "@shopify/polaris";
import type { MissingAccess } from "../domain/access-requirements";

/**
 * What the app is missing from Shopify on this store, each with what it breaks and how to fix
 * it, so a merchant learns it here rather than from a failed request. Only the 60-day order
 * window leaves every request type working, so it alone is a warning.
 */
export function AccessBanner({
  problems,
  checkedWithShopify,
}: {
  problems: readonly MissingAccess[];
  checkedWithShopify: boolean;
}) {
  if (!problems.length) return null;
  const onlyOrderHistory = problems.every((problem) => problem.key === "read_all_orders");
  return (
    <div data-testid="access-banner">
      <Banner
        tone={onlyOrderHistory ? "warning" : "critical"}
        title={
          problems.length === 1
            ? "Privacy Desk is missing something it needs from Shopify"
            : `Privacy Desk is missing ${problems.length} things it needs from Shopify`
        }
      >
        <BlockStack gap="300">
          {problems.map((problem) => (
            <div key={problem.key} data-testid={`access-problem-${problem.key}`}>
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm">
                  {problem.title}
                </Text>
                <Text as="p">{problem.breaks}</Text>
                <Text as="p">How to fix it: {problem.fix}</Text>
              </BlockStack>
            </div>
          ))}
          {checkedWithShopify ? null : (
            <Text as="p" tone="subdued">
              Shopify did not answer just now, so this is based on the permissions recorded when you last
              opened Privacy Desk; customer data approval could not be checked.
            </Text>
          )}
        </BlockStack>
      </Banner>
    </div>
  );
}
