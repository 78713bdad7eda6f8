import { render } from "@react-email/render";
import { fill } from "../../domain/storefront-texts";
import {
  RequestReceivedEmail,
  VerificationCodeEmail,
  type EmailTemplate,
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
  request_received: RequestReceivedData;
};

/**
 * The one place that maps a template and its data (which carries the language and the texts) to
 * a subject, an HTML body and a plain-text body.
 */
export async function renderEmail<T extends EmailTemplate>(
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

function build<T extends EmailTemplate>(template: T, data: EmailData[T]) {
  switch (template) {
    case "verification_code": {
      const d = data as VerificationCodeData;
      return {
        element: <VerificationCodeEmail {...d} />,
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
    default:
      throw new Error(`Unknown email template ${String(template)}`);
  }
}
