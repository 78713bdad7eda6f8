import { Body, Container, Head, Heading, Html, Preview, Section, Text } from "@react-email/components";
import { render } from "@react-email/render";
import type { Digest, DigestItem } from "../../domain/digest";
import type { RenderedEmail } from "./render-email.server";
import { card, page, paragraph } from "./email-styles";

/**
 * The merchant's daily deadline digest (English, like the admin). It names requests by reference,
 * type and due date only: no shopper's name or address travels by email to the notification list.
 */
const TYPE: Record<string, string> = {
  access: "Access",
  portability: "Portability",
  rectification: "Rectification",
  erasure: "Erasure",
  sale_opt_out: "Sale/share opt-out",
};
const cell = {
  borderBottom: "1px solid #e1e3e5",
  fontSize: "14px",
  padding: "6px 8px",
  textAlign: "left" as const,
};

const day = (date: Date) =>
  new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" }).format(date);
const when = (item: DigestItem) =>
  item.daysLeft < 0
    ? `${-item.daysLeft} day${item.daysLeft === -1 ? "" : "s"} overdue`
    : item.daysLeft === 0
      ? "due today"
      : `${item.daysLeft} day${item.daysLeft === 1 ? "" : "s"} left`;

function Table({ title, items }: { title: string; items: DigestItem[] }) {
  if (items.length === 0) return null;
  return (
    <Section>
      <Heading as="h2" style={{ ...paragraph, fontSize: "16px" }}>
        {title} ({items.length})
      </Heading>
      <table style={{ borderCollapse: "collapse", width: "100%" }}>
        <thead>
          <tr>
            <th style={cell}>Request</th>
            <th style={cell}>Type</th>
            <th style={cell}>Due</th>
            <th style={cell}>Left</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td style={{ ...cell, fontFamily: "Menlo, Consolas, monospace" }}>{item.id}</td>
              <td style={cell}>{TYPE[item.type] ?? item.type}</td>
              <td style={cell}>{day(item.dueAt)}</td>
              <td style={cell}>{when(item)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

export function DigestEmail(props: { store: string; digest: Digest }) {
  const summary = digestSummary(props.digest);
  return (
    <Html lang="en">
      <Head />
      <Preview>{summary}</Preview>
      <Body style={page}>
        <Container style={card}>
          <Heading as="h1" style={{ ...paragraph, fontSize: "18px" }}>
            Privacy requests at {props.store}
          </Heading>
          <Text style={paragraph}>
            {summary}. The law counts from the day each request arrived: GDPR one month (extendable once by
            two months, with reasons told to the requester within the first month), CCPA 45 days (extendable
            once by 45). Open Privacy Desk in your Shopify admin and search for a request by its reference.
          </Text>
          <Table title="Overdue" items={props.digest.overdue} />
          <Table title="Due within 7 days" items={props.digest.dueSoon} />
        </Container>
      </Body>
    </Html>
  );
}

export function digestSummary(digest: Digest): string {
  const parts = [
    digest.overdue.length ? `${digest.overdue.length} overdue` : null,
    digest.dueSoon.length ? `${digest.dueSoon.length} due within 7 days` : null,
  ].filter(Boolean);
  return parts.join(", ") || "Nothing due";
}

export async function renderDigestEmail(props: { store: string; digest: Digest }): Promise<RenderedEmail> {
  const element = <DigestEmail {...props} />;
  return {
    subject: `${digestSummary(props.digest)}: privacy requests at ${props.store}`.replace(/[\r\n]+/g, " "),
    html: await render(element),
    text: await render(element, { plainText: true }),
  };
}
