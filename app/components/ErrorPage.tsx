import { Banner, BlockStack, Page, Text } from "@shopify/polaris";

const TITLE: Record<number, string> = {
  400: "This page cannot be opened",
  403: "Not allowed",
  404: "Not found",
  409: "Changed in the meantime",
  410: "No longer available",
};

export const errorTitle = (status: number) => TITLE[status] ?? "Something went wrong";

/** A refusal the app itself gave (400, 403, 404…), with its message, inside the app's own frame. */
export function ErrorPage({
  status,
  message,
  showHome,
}: {
  status: number;
  message: string;
  showHome: boolean;
}) {
  return (
    <Page
      title={errorTitle(status)}
      backAction={showHome ? { content: "Dashboard", url: "/app" } : undefined}
    >
      <BlockStack gap="400">
        <Banner tone={status === 403 || status === 400 ? "warning" : "critical"}>
          <p data-testid="error-message">{message}</p>
        </Banner>
        {showHome ? null : (
          <Text as="p" tone="subdued">
            Open Privacy Desk from the Apps section of your Shopify admin.
          </Text>
        )}
      </BlockStack>
    </Page>
  );
}
