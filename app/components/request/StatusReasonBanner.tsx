import { Banner } from "@shopify/polaris";
import { ShopperText } from "../ShopperText";

/** Why the request is where it is: a failure's cause, a denial's reason; as it was written. */
export function StatusReasonBanner({ status, reason }: { status: string; reason: string | null }) {
  if (!reason) return null;
  return (
    <Banner
      tone={status === "failed" ? "critical" : "info"}
      title={status === "failed" ? "Why it failed" : "Reason"}
    >
      <ShopperText value={reason} multiline />
    </Banner>
  );
}
