import {
  Body,
  Button,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Preview,
  Section,
  Text,
} from "@react-email/components";
import type { ReactNode } from "react";
import type { StorefrontLocale, StorefrontTexts } from "../../domain/storefront-texts";
import { fill } from "../../domain/storefront-texts";
import { REQUESTER_NOTICES } from "../../domain/requester-notices";
import { STAFF_NOTICES } from "./staff-notice-email";

/**
 * The emails Privacy Desk sends to shoppers, as React components (rendered to HTML and to plain
 * text by render-email.server.ts). Every sentence comes from the shopper-facing texts, so each is
 * translated and each can be reworded by the merchant; React escapes every value.
 */
export const EMAIL_TEMPLATES = [
  "verification_code",
  "download_code",
  "request_received",
  ...REQUESTER_NOTICES,
  ...STAFF_NOTICES,
] as const;
export type EmailTemplate = (typeof EMAIL_TEMPLATES)[number];

export function isEmailTemplate(value: string): value is EmailTemplate {
  return (EMAIL_TEMPLATES as readonly string[]).includes(value);
}

interface Common {
  locale: StorefrontLocale;
  texts: StorefrontTexts;
  store: string;
  reference: string;
}

export interface VerificationCodeData extends Common {
  code: string;
  /** What the code is for: confirming a request (the default) or downloading an export. */
  purpose?: "request" | "download";
}

export interface RequestReceivedData extends Common {
  /** The request's type, in the shopper's words (texts `type.*`). */
  typeLabel: string;
  optOut: boolean;
  /** The deadline, written for the shopper's language; null for an opt-out. */
  dueDate: string | null;
}

/**
 * A notice about the request's progress (extended, denied, completed, export ready): its
 * paragraphs are already filled-in texts, and an export's email carries the one link to its
 * download page, as a button and written out for plain-text readers.
 */
export interface NoticeData extends Common {
  subject: string;
  paragraphs: string[];
  link?: { label: string; url: string };
}

const page = {
  backgroundColor: "#f6f6f7",
  fontFamily: "Helvetica, Arial, sans-serif",
  margin: 0,
  padding: "24px 0",
};
const card = {
  backgroundColor: "#ffffff",
  borderRadius: "8px",
  margin: "0 auto",
  maxWidth: "560px",
  padding: "24px",
};
const paragraph = { color: "#202223", fontSize: "15px", lineHeight: "22px" };
const small = { color: "#6d7175", fontSize: "12px", lineHeight: "18px" };
const codeBox = {
  backgroundColor: "#f1f2f4",
  borderRadius: "6px",
  color: "#202223",
  fontFamily: "Menlo, Consolas, monospace",
  fontSize: "28px",
  fontWeight: 700,
  letterSpacing: "6px",
  margin: "16px 0",
  padding: "12px 0",
  textAlign: "center" as const,
};

function Layout(props: Common & { preview: string; children: ReactNode }) {
  return (
    <Html lang={props.locale}>
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={page}>
        <Container style={card}>
          <Heading as="h1" style={{ ...paragraph, fontSize: "18px" }}>
            {props.store}
          </Heading>
          <Text style={paragraph}>{props.texts["email.greeting"]}</Text>
          {props.children}
          <Hr />
          <Text style={small}>
            {fill(props.texts["email.footer"], { reference: props.reference, store: props.store })}
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export function VerificationCodeEmail(data: VerificationCodeData) {
  const values = { store: data.store, code: data.code };
  return (
    <Layout {...data} preview={fill(data.texts["email.code.subject"], values)}>
      <Text style={paragraph}>
        {fill(
          data.texts[data.purpose === "download" ? "email.download_code.body" : "email.code.body"],
          values,
        )}
      </Text>
      <Section>
        <Text style={codeBox}>{data.code}</Text>
      </Section>
      <Text style={paragraph}>{fill(data.texts["email.code.expiry"], values)}</Text>
    </Layout>
  );
}

export function RequestReceivedEmail(data: RequestReceivedData) {
  const values = { store: data.store, type: data.typeLabel, date: data.dueDate ?? "" };
  return (
    <Layout {...data} preview={fill(data.texts["email.receipt.subject"], values)}>
      <Text style={paragraph}>{fill(data.texts["email.receipt.body"], values)}</Text>
      <Text style={paragraph}>
        {data.optOut
          ? data.texts["email.receipt.opt_out"]
          : fill(data.texts["email.receipt.deadline"], values)}
      </Text>
    </Layout>
  );
}

const button = {
  backgroundColor: "#202223",
  borderRadius: "6px",
  color: "#ffffff",
  display: "inline-block",
  fontSize: "15px",
  fontWeight: 600,
  padding: "12px 20px",
  textDecoration: "none",
};

export function NoticeEmail(data: NoticeData) {
  return (
    <Layout {...data} preview={data.subject}>
      {data.paragraphs.map((line, index) => (
        <Text key={index} style={paragraph}>
          {line}
        </Text>
      ))}
      {data.link ? (
        <Section style={{ margin: "16px 0" }}>
          <Button href={data.link.url} style={button}>
            {data.link.label}
          </Button>
          <Text style={small}>{data.link.url}</Text>
        </Section>
      ) : null}
    </Layout>
  );
}
