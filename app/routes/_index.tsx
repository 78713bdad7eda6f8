import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

/** Shopify opens the app with ?shop=…; anything else is someone browsing to the bare URL. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return null;
};

export default function Landing() {
  return (
    <main
      style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", lineHeight: 1.5 }}
    >
      <h1>Privacy Desk</h1>
      <p>
        GDPR and CCPA data-subject requests for Shopify stores: every access, export, correction, erasure and
        opt-out request recorded, tracked against its legal deadline, and carried out with an audit trail.
      </p>
      <p>Install it from the Shopify App Store, then open it from your Shopify admin.</p>
    </main>
  );
}
