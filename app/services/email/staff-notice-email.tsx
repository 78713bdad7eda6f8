import { Body, Container, Head, Heading, Html, Preview, Text } from "@react-email/components";
import { render } from "@react-email/render";
import { fill } from "../../domain/storefront-texts";
import { TEAM_EMAIL_TEXTS, teamText, type TeamEmailLanguage } from "../../domain/team-email-texts";
import type { RenderedEmail } from "./render-email.server";
import { card, page, paragraph } from "./email-styles";

/**
 * What the merchant's notification addresses are told the moment it happens, in the shop's team
 * email language (Settings): a request waits for their review, or a request failed. Like the
 * digest, it names the request by reference, type and deadline only: no shopper's name or address
 * goes to the list.
 */
export const STAFF_NOTICES = ["staff_review_needed", "staff_request_failed"] as const;
export type StaffNotice = (typeof STAFF_NOTICES)[number];

export interface StaffNoticeData {
  notice: StaffNotice;
  language: TeamEmailLanguage;
  store: string;
  reference: string;
  type: string;
  source: string;
  dueAt: Date;
  /** Why it failed, as the request records it (app-written, never the shopper's words). */
  reason: string | null;
}

function words(data: StaffNoticeData) {
  const texts = TEAM_EMAIL_TEXTS[data.language];
  const values = {
    store: data.store,
    type: teamText(data.language, `type.${data.type}`) ?? data.type,
    source: teamText(data.language, `source.${data.source}`) ?? data.source,
    date: new Intl.DateTimeFormat(data.language, { dateStyle: "long", timeZone: "UTC" }).format(data.dueAt),
    reference: data.reference,
    reason: data.reason ?? "",
  };
  const review = data.notice === "staff_review_needed";
  return {
    subject: fill(texts[review ? "review.subject" : "failed.subject"], values),
    body: fill(texts[review ? "review.body" : "failed.body"], values),
    reason: data.reason ? fill(texts["notice.reason"], values) : null,
    reference: fill(texts["notice.reference"], values),
  };
}

export function StaffNoticeEmail(data: StaffNoticeData) {
  const text = words(data);
  return (
    <Html lang={data.language}>
      <Head />
      <Preview>{text.subject}</Preview>
      <Body style={page}>
        <Container style={card}>
          <Heading as="h1" style={{ ...paragraph, fontSize: "18px" }}>
            {text.subject}
          </Heading>
          <Text style={paragraph}>{text.body}</Text>
          {text.reason ? <Text style={paragraph}>{text.reason}</Text> : null}
          <Text style={paragraph}>{text.reference}</Text>
        </Container>
      </Body>
    </Html>
  );
}

export async function renderStaffNotice(data: StaffNoticeData): Promise<RenderedEmail> {
  const element = <StaffNoticeEmail {...data} />;
  return {
    subject: words(data).subject.replace(/[\r\n]+/g, " "),
    html: await render(element),
    text: await render(element, { plainText: true }),
  };
}
