import { render } from "@react-email/render";
import { fill } from "../../domain/storefront-texts";
import type { RequesterNotice } from "../../domain/requester-notices";
import {
  NoticeEmail,
  type NoticeData,
  RequestReceivedEmail,
  VerificationCodeEmail,
  type RequestReceivedData,
  type VerificationCodeData,
} from "./templates";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export type EmailData = {
  verification_code: VerificationCodeData;
  download_code: VerificationCodeData;
  request_received: RequestReceivedData;
} & Record<RequesterNotice, NoticeData>;

/**
 * The one place that maps a template and its data (which carries the language and the texts) to
 * a subject, an HTML body and a plain-text body.
 */
export async function renderEmail<T extends keyof EmailData>(
  template: T,
  data: EmailData[T],
): Promise<RenderedEmail> {
  const { element, subject } = build(template, data);
  // A subject is one line: texts cannot hold line breaks there (header injection).
  const oneLine = subject.replace(/[\r\n]+/g, " ").trim();
  return {
    subject: oneLine,
    html: await render(element),
    text: await render(element, { plainText: true }),
  };
}

function build<T extends keyof EmailData>(template: T, data: EmailData[T]) {
  switch (template) {
    case "verification_code":
    case "download_code": {
      const d = data as VerificationCodeData;
      return {
        element: (
          <VerificationCodeEmail {...d} purpose={template === "download_code" ? "download" : "request"} />
        ),
        subject: fill(d.texts["email.code.subject"], { store: d.store, code: d.code }),
      };
    }
    case "request_received": {
      const d = data as RequestReceivedData;
      return {
        element: <RequestReceivedEmail {...d} />,
        subject: fill(d.texts["email.receipt.subject"], { store: d.store, type: d.typeLabel }),
      };
    }
    case "request_extended":
    case "request_denied":
    case "request_completed":
    case "export_ready": {
      const d = data as NoticeData;
      return { element: <NoticeEmail {...d} />, subject: d.subject };
    }
    default:
      throw new Error(`Unknown email template ${String(template)}`);
  }
}
