import type { RequesterNotice } from "../../domain/requester-notices";
import {
  fill,
  type StorefrontLocale,
  type StorefrontTexts,
  type TextKey,
} from "../../domain/storefront-texts";
import { issueEmailLink } from "../../exports/export-links.server";
import type { EmailContext } from "./send-email.server";
import type { NoticeData } from "./templates";

interface NoticeRequest {
  id: string;
  shopId: string;
  type: string;
  status: string;
  dueAt: Date;
  extendedAt: Date | null;
  extensionReason: string | null;
  statusReason: string | null;
  shop: { domain: string };
}

/**
 * What a progress email says, from the request as it is when the email goes out: a notice whose
 * moment has passed (a denial reversed by a retry, an extension on a request since closed) is
 * skipped rather than sent stale.
 */
export async function requesterNotice(
  ctx: EmailContext,
  template: RequesterNotice,
  request: NoticeRequest,
  input: {
    locale: StorefrontLocale;
    texts: StorefrontTexts;
    common: { locale: StorefrontLocale; texts: StorefrontTexts; store: string; reference: string };
  },
): Promise<NoticeData | { skip: string }> {
  const { texts, locale, common } = input;
  const date = (value: Date) =>
    new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(value);
  const values = {
    store: common.store,
    type: texts[`type.${request.type}` as TextKey] ?? request.type,
    date: date(request.dueAt),
    reason: "",
  };
  const t = (key: TextKey, extra: Record<string, string> = {}) => fill(texts[key], { ...values, ...extra });

  switch (template) {
    case "request_extended":
      if (!request.extendedAt) return { skip: "The request's deadline was not extended" };
      if (["completed", "denied", "canceled"].includes(request.status))
        return { skip: "The request was closed before the extension could be told" };
      return {
        ...common,
        subject: t("email.extended.subject"),
        paragraphs: [
          t("email.extended.body"),
          t("email.extended.reason", { reason: request.extensionReason ?? "" }),
        ],
      };
    case "request_denied":
      if (request.status !== "denied") return { skip: "The request is no longer denied" };
      return {
        ...common,
        subject: t("email.denied.subject"),
        paragraphs: [
          t("email.denied.body"),
          ...(request.statusReason ? [t("email.denied.reason", { reason: request.statusReason })] : []),
          t("email.denied.complaint"),
        ],
      };
    case "request_completed": {
      if (request.status !== "completed") return { skip: "The request is not completed" };
      const paragraphs =
        request.type === "erasure"
          ? [t("email.completed.erasure"), t("email.completed.erasure_kept")]
          : request.type === "rectification"
            ? [t("email.completed.rectification")]
            : request.type === "sale_opt_out"
              ? [t("email.completed.opt_out")]
              : null;
      if (!paragraphs) return { skip: `A ${request.type} request is not told of its completion this way` };
      return { ...common, subject: t("email.completed.subject"), paragraphs };
    }
    case "export_ready": {
      if (request.status !== "completed") return { skip: "The request is not completed" };
      const link = await issueEmailLink(ctx.db, {
        shopId: request.shopId,
        requestId: request.id,
        shopDomain: request.shop.domain,
        now: ctx.now(),
      });
      if (!link) return { skip: "The export is not available to the requester (held, expired or deleted)" };
      return {
        ...common,
        subject: t("email.export.subject"),
        paragraphs: [t("email.export.body"), t("email.export.expiry", { date: date(link.expiresAt) })],
        link: { label: t("email.export.link"), url: link.url },
      };
    }
  }
}
