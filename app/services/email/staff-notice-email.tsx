import { Body, Container, Head, Heading, Html, Preview, Text } from "@react-email/components";
import { render } from "@react-email/render";
import type { RenderedEmail } from "./render-email.server";
import { card, page, paragraph } from "./email-styles";

/**
 * What the merchant's notification addresses are told the moment it happens (English, like the
 * admin): a request waits for their review, or a request failed. Like the digest, it names the
 * request by reference, type and deadline only: no shopper's name or address goes to the list.
 */
export const STAFF_NOTICES = ["staff_review_needed", "staff_request_failed"] as const;
export type StaffNotice = (typeof STAFF_NOTICES)[number];

export interface StaffNoticeData {
  notice: StaffNotice;
  store: string;
  reference: string;
  type: string;
  source: string;
  dueAt: Date;
  /** Why it failed, as the request records it (app-written, never the shopper's words). */
  reason: string | null;
}

const TYPE: Record<string, string> = {
  access: "access",
  portability: "portability",
  rectification: "rectification",
  erasure: "erasure",
  sale_opt_out: "sale/share opt-out",
};
const SOURCE: Record<string, string> = {
  shopify_webhook: "Shopify (customers/data_request)",
  storefront: "the storefront page",
  customer_account: "the customer account",
  merchant: "a staff member",
  gpc: "a Global Privacy Control signal",
};

function subjectOf(data: StaffNoticeData): string {
  const type = TYPE[data.type] ?? data.type;
  return data.notice === "staff_review_needed"
    ? `Review needed: ${type} request at ${data.store}`
    : `Failed: ${type} request at ${data.store}`;
}

export function StaffNoticeEmail(data: StaffNoticeData) {
  const due = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" }).format(data.dueAt);
  return (
    <Html lang="en">
      <Head />
      <Preview>{subjectOf(data)}</Preview>
      <Body style={page}>
        <Container style={card}>
          <Heading as="h1" style={{ ...paragraph, fontSize: "18px" }}>
            {subjectOf(data)}
          </Heading>
          <Text style={paragraph}>
            {data.notice === "staff_review_needed"
              ? `This ${TYPE[data.type] ?? data.type} request from ${SOURCE[data.source] ?? data.source} waits for an approver to approve or deny it. It must be answered by ${due}.`
              : `Privacy Desk could not carry out this ${TYPE[data.type] ?? data.type} request. It must still be answered by ${due}; open it to see why and retry it once the cause is fixed.`}
          </Text>
          {data.reason ? <Text style={paragraph}>Reason: {data.reason}</Text> : null}
          <Text style={paragraph}>
            Reference: {data.reference}. Open Privacy Desk in your Shopify admin and search for the request by
            its reference.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export async function renderStaffNotice(data: StaffNoticeData): Promise<RenderedEmail> {
  const element = <StaffNoticeEmail {...data} />;
  return {
    subject: subjectOf(data).replace(/[\r\n]+/g, " "),
    html: await render(element),
    text: await render(element, { plainText: true }),
  };
}
