/**
 * Erasure (other than Shopify's own customers/redact) and rectification change the customer in
 * Shopify, so the merchant approves them against the record they reviewed.
 */
export function changesShopifyData(request: { type: string; source: string }): boolean {
  return (
    request.type === "rectification" || (request.type === "erasure" && request.source !== "shopify_webhook")
  );
}
