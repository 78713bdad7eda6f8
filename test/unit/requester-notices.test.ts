import { describe, expect, it } from "vitest";
import { noticeForStatus, writesToRequester } from "../../app/domain/requester-notices";
import type { RequestStatus, RequestType } from "../../app/domain/request-lifecycle";

describe("which email a status change owes the requester", () => {
  const cases: [string, RequestType, RequestStatus, boolean, string | null][] = [
    // source, type, new status, shop holds exports, notice
    ["storefront", "erasure", "denied", false, "request_denied"],
    ["customer_account", "access", "denied", false, "request_denied"],
    ["storefront", "erasure", "completed", false, "request_completed"],
    ["storefront", "rectification", "completed", false, "request_completed"],
    ["customer_account", "sale_opt_out", "completed", false, "request_completed"],
    ["storefront", "access", "completed", false, "export_ready"],
    ["customer_account", "portability", "completed", false, "export_ready"],
    ["storefront", "access", "completed", true, null],
    ["storefront", "access", "approved", false, null],
    ["storefront", "erasure", "failed", false, null],
    ["storefront", "erasure", "canceled", false, null],
    ["shopify_webhook", "access", "completed", false, null],
    ["merchant", "erasure", "denied", false, null],
    ["gpc", "sale_opt_out", "completed", false, null],
  ];
  it.each(cases)(
    "GIVEN a %s %s request WHEN it becomes %s (holding exports: %s) THEN the notice is %s",
    (source, type, to, holds, notice) => {
      expect(noticeForStatus({ source, type }, to, { holdsExportsForRelease: holds })).toBe(notice);
    },
  );

  it.each([
    ["storefront", true],
    ["customer_account", true],
    ["shopify_webhook", false],
    ["merchant", false],
    ["gpc", false],
    ["", false],
  ])("GIVEN source %s THEN the requester is written to: %s", (source, expected) => {
    expect(writesToRequester(source)).toBe(expected);
  });
});
