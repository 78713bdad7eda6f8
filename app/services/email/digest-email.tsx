import { Body, Container, Head, Heading, Html, Preview, Section, Text } from "@react-email/components";
import { render } from "@react-email/render";
import type { Digest, DigestItem } from "../../domain/digest";
import { fill } from "../../domain/storefront-texts";
import { plural, TEAM_EMAIL_TEXTS, teamText, type TeamEmailLanguage } from "../../domain/team-email-texts";
import type { RenderedEmail } from "./render-email.server";
import { card, page, paragraph } from "./email-styles";

/**
 * The merchant's daily deadline digest, in the shop's team email language (Settings). It names
 * requests by reference, type and due date only: no shopper's name or address travels by email
 * to the notification list.
 */
export interface DigestEmailData {
  language: TeamEmailLanguage;
  store: string;
  digest: Digest;
}

const cell = {
  borderBottom: "1px solid #e1e3e5",
  fontSize: "14px",
  padding: "6px 8px",
  textAlign: "left" as const,
};

const day = (language: TeamEmailLanguage, date: Date) =>
  new Intl.DateTimeFormat(language, { dateStyle: "medium", timeZone: "UTC" }).format(date);
const when = (language: TeamEmailLanguage, item: DigestItem) =>
  item.daysLeft < 0
    ? plural(language, "digest.days_overdue", -item.daysLeft)
    : item.daysLeft === 0
      ? TEAM_EMAIL_TEXTS[language]["digest.due_today"]
      : plural(language, "digest.days_left", item.daysLeft);

function Table({
  language,
  title,
  items,
}: {
  language: TeamEmailLanguage;
  title: string;
  items: DigestItem[];
}) {
  if (items.length === 0) return null;
  const texts = TEAM_EMAIL_TEXTS[language];
  return (
    <Section>
      <Heading as="h2" style={{ ...paragraph, fontSize: "16px" }}>
        {title} ({items.length})
      </Heading>
      <table style={{ borderCollapse: "collapse", width: "100%" }}>
        <thead>
          <tr>
            <th style={cell}>{texts["digest.column.request"]}</th>
            <th style={cell}>{texts["digest.column.type"]}</th>
            <th style={cell}>{texts["digest.column.due"]}</th>
            <th style={cell}>{texts["digest.column.left"]}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td style={{ ...cell, fontFamily: "Menlo, Consolas, monospace" }}>{item.id}</td>
              <td style={cell}>{teamText(language, `digest.type.${item.type}`) ?? item.type}</td>
              <td style={cell}>{day(language, item.dueAt)}</td>
              <td style={cell}>{when(language, item)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

export function DigestEmail({ language, store, digest }: DigestEmailData) {
  const texts = TEAM_EMAIL_TEXTS[language];
  const summary = digestSummary(digest, language);
  return (
    <Html lang={language}>
      <Head />
      <Preview>{summary}</Preview>
      <Body style={page}>
        <Container style={card}>
          <Heading as="h1" style={{ ...paragraph, fontSize: "18px" }}>
            {fill(texts["digest.heading"], { store })}
          </Heading>
          <Text style={paragraph}>{fill(texts["digest.body"], { summary })}</Text>
          <Table language={language} title={texts["digest.overdue"]} items={digest.overdue} />
          <Table language={language} title={texts["digest.due_soon"]} items={digest.dueSoon} />
        </Container>
      </Body>
    </Html>
  );
}

export function digestSummary(digest: Digest, language: TeamEmailLanguage): string {
  const parts = [
    digest.overdue.length ? plural(language, "digest.summary.overdue", digest.overdue.length) : null,
    digest.dueSoon.length ? plural(language, "digest.summary.due_soon", digest.dueSoon.length) : null,
  ].filter(Boolean);
  return parts.join(", ") || TEAM_EMAIL_TEXTS[language]["digest.summary.nothing"];
}

export async function renderDigestEmail(data: DigestEmailData): Promise<RenderedEmail> {
  const element = <DigestEmail {...data} />;
  const summary = digestSummary(data.digest, data.language);
  return {
    subject: fill(TEAM_EMAIL_TEXTS[data.language]["digest.subject"], { summary, store: data.store }).replace(
      /[\r\n]+/g,
      " ",
    ),
    html: await render(element),
    text: await render(element, { plainText: true }),
  };
}
