import { actorName, actorNameAtStart, unknownStaff, type StaffNames } from "./staff-names";

/**
 * A request's audit events as sentences a merchant reads ("Approved by Arjun Patel", "Export
 * ready, 0.5 MB, kept until 7 Dec 2026"), not `key: value` dumps. Text someone typed (a reason)
 * is kept apart in `detail`, to be shown as typed text. Dates are UTC, written out.
 */
export interface AuditEventFacts {
  action: string;
  actor: string;
  occurredAt: string;
  data: Record<string, unknown>;
  /** Personal details were recorded with the event and have since been erased. */
  piiErased?: boolean;
}

export interface TimelineEntry {
  sentence: string;
  /** What a person wrote (a reason), shown as their text; null when there is none. */
  detail: string | null;
  at: string;
  tone: "success" | "critical" | null;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "7 Dec 2026" (UTC); an unreadable date is shown as it is. */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** "7 Dec 2026, 14:05 UTC". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const hh = String(date.getUTCHours()).padStart(2, "0");
  const mm = String(date.getUTCMinutes()).padStart(2, "0");
  return `${formatDay(iso)}, ${hh}:${mm} UTC`;
}

/** "812 bytes", "48 KB", "0.5 MB", "12.3 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  if (bytes < 100 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
const text = (value: unknown) => (typeof value === "string" && value.trim() ? value : null);
const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);
const day = (value: unknown) => (typeof value === "string" ? formatDay(value) : null);

const REGIME: Record<string, string> = { gdpr: "GDPR", ccpa: "CCPA" };
const CHANNEL: Record<string, string> = {
  email: "an email",
  phone: "a phone call",
  mail: "a letter",
  other: "another channel",
};
const FIELD: Record<string, string> = {
  firstName: "first name",
  lastName: "last name",
  email: "email",
  phone: "phone",
};
const ROLE: Record<string, string> = { viewer: "a viewer", approver: "an approver", admin: "an admin" };

type Describe = (facts: AuditEventFacts, by: string, byAtStart: string, names: StaffNames) => string;

function received({ data }: AuditEventFacts, by: string): string {
  const origin =
    data.source === "shopify_webhook"
      ? data.type === "erasure"
        ? "Shopify asked for the customer's data to be erased (customers/redact)"
        : "Shopify passed on the customer's request for their data (customers/data_request)"
      : data.source === "storefront"
        ? "Received from the storefront form"
        : data.source === "gpc"
          ? "A Global Privacy Control signal from the signed-in customer's browser: an opt-out of the sale and sharing of their data"
          : `Recorded by ${by}`;
  const regime = REGIME[String(data.regime)];
  const due = day(data.dueAt);
  const deadline = regime && due ? `; ${regime} deadline ${due}` : due ? `; deadline ${due}` : "";
  const waiting =
    data.status !== "awaiting_verification"
      ? ""
      : data.verification === "email_code"
        ? `; waiting for the requester to enter the code sent to ${data.loggedIn === true ? "their account's email address" : "the address they gave"}`
        : data.verification === "staff"
          ? "; waiting for your team to verify who asked (verification by hand)"
          : "; waiting for the requester to verify";
  return `${origin}${deadline}${waiting}`;
}

function completed({ data }: AuditEventFacts): string {
  const shopify = (typeof data.shopify === "object" && data.shopify !== null ? data.shopify : {}) as Record<
    string,
    unknown
  >;
  if (text(data.exportId)) {
    const orders = count(data.orders);
    return orders === null
      ? "Completed: the export is ready"
      : `Completed: the export holds ${plural(orders, "order")}`;
  }
  if (shopify.erasure === "requested")
    return "Completed: Shopify is erasing the customer, and Privacy Desk erased what it held on them";
  if (shopify.erasure === "customer_does_not_exist")
    return "Completed: Shopify no longer had this customer, and Privacy Desk erased what it held on them";
  if (Array.isArray(data.fieldsChanged)) {
    const fields = data.fieldsChanged.map((field) => FIELD[String(field)] ?? String(field));
    return fields.length
      ? `Completed: corrected in Shopify (${fields.join(", ")})`
      : "Completed: nothing needed correcting";
  }
  if (shopify.dataSaleOptOut === true)
    return "Completed: opted out of the sale and sharing of their data in Shopify";
  if (shopify.dataSaleOptOut === false)
    return "Completed: no customer in Shopify has this email address, so there was nothing to opt out there; this request is the record of the opt-out";
  if (data.redacted !== undefined) return "Completed: Privacy Desk erased everything it held on this person";
  return "Completed";
}

const SENTENCES: Record<string, Describe> = {
  "request.received": (facts, by) => received(facts, by),
  "request.recorded_by_staff": ({ data }, _by, byAtStart) =>
    `${byAtStart} recorded it from ${CHANNEL[String(data.channel)] ?? "another channel"}; identity ${data.verified === true ? "verified" : "not yet verified"}`,
  "request.request_verification": () => "Asked the requester to confirm who they are",
  "request.verify": ({ data }, by) =>
    data.method === "email_code"
      ? `The requester confirmed it with the code sent to ${data.loggedIn === true ? "their account's email address" : "the address they gave"}`
      : `Requester's identity verified by ${by}`,
  "request.customer_lookup": ({ data }) => lookup(data),
  "request.customer_lookup_failed": () => "Privacy Desk could not ask Shopify who this is",
  "request.code_rejected": ({ data }) => {
    const left = count(data.attemptsLeft);
    return `A wrong code was entered${left === null ? "" : ` (${left} ${left === 1 ? "try" : "tries"} left)`}`;
  },
  "request.code_locked": () => "A fifth wrong code locked the code: only a new code can confirm the request",
  "request.code_resent": () => "The requester asked for a new code",
  "request.verification_needs_staff": () =>
    "The customer's account has no email address to send a code to: verify the requester by hand",
  "request.approve": ({ data }, by) =>
    `Approved by ${by}${text(data.reviewedSnapshotHash) ? ", against the customer record in Shopify they reviewed" : ""}`,
  "request.deny": (_facts, by) => `Denied by ${by}`,
  "request.cancel": (_facts, by) => `Canceled by ${by}`,
  "request.start": (_facts, _by, byAtStart) => `${byAtStart} started carrying it out`,
  "request.complete": (facts) => completed(facts),
  "request.fail": () => "Failed",
  "request.return_to_review": () => "Sent back for review",
  "request.retry": (_facts, by) => `Retried by ${by}`,
  "request.deadline_extended": ({ data }, by) => {
    const to = day(data.to);
    return to ? `Deadline extended to ${to} by ${by}` : `Deadline extended by ${by}`;
  },
  "deadline.due_soon": ({ data }) => dueSoon(data),
  "request.due_soon": ({ data }) => dueSoon(data),
  "deadline.overdue": ({ data }) => overdue(data),
  "request.overdue": ({ data }) => overdue(data),
  "export.created": ({ data }) => {
    const size = count(data.sizeBytes);
    const until = day(data.expiresAt);
    return ["Export ready", size === null ? null : formatBytes(size), until ? `kept until ${until}` : null]
      .filter(Boolean)
      .join(", ");
  },
  "export.downloaded": (_facts, by) => `Export downloaded by ${by}`,
  "export.expired": ({ data }) => {
    const days = count(data.retentionDays);
    return days === null
      ? "Export deleted at the end of its retention"
      : `Export deleted after being kept ${plural(days, "day")}`;
  },
  "export.released": (_facts, by) => `Export released to the requester by ${by}`,
  "export.links_revoked": ({ data }, by) => {
    const links = count(data.links);
    return `${links === null ? "Download links" : plural(links, "download link")} revoked by ${by}`;
  },
  "settings.updated": (_facts, by) => `Settings changed by ${by}`,
  "settings.storefront_texts_updated": ({ data }, by) => {
    const changed = Array.isArray(data.changed) ? data.changed.length : null;
    const language = LANGUAGE[String(data.locale)] ?? String(data.locale);
    return `Storefront texts in ${language}${changed === null ? "" : ` (${plural(changed, "text")})`} changed by ${by}`;
  },
  "staff.role_assigned": ({ data }, _by, byAtStart, names) => {
    const userId = String(data.userId ?? "");
    const who = names.get(userId) ?? unknownStaff(userId);
    const role = ROLE[String(data.role)];
    return role ? `${byAtStart} made ${who} ${role}` : `${byAtStart} removed ${who}'s role (a viewer again)`;
  },
  "audit.exported": (_facts, by) => `Audit log exported by ${by}`,
};

const LANGUAGE: Record<string, string> = { en: "English", de: "German", fr: "French", es: "Spanish" };

function lookup(data: Record<string, unknown>): string {
  if (data.by === "logged_in_customer")
    return data.customerFound === false
      ? "Shopify no longer has the signed-in customer"
      : data.accountHasEmail === false
        ? "The signed-in customer's account in Shopify has no email address"
        : "Found the signed-in customer's email address in Shopify";
  return data.customerFound === true
    ? `Shopify has a customer with this email address (customer ${String(data.customerId)})`
    : "No customer in Shopify has this email address: review it as a request from someone who is not a customer";
}

function dueSoon(data: Record<string, unknown>): string {
  const days = count(data.daysLeft);
  const due = day(data.dueAt);
  const when = days === null ? "soon" : days <= 0 ? "today" : `in ${plural(days, "day")}`;
  return `Deadline ${when}${due ? ` (${due})` : ""}`;
}

function overdue(data: Record<string, unknown>): string {
  const due = day(data.dueAt);
  return `Deadline passed${due ? ` (${due})` : ""} with the request still open`;
}

/** "request.some_new_step" → "Some new step, by Arjun Patel": readable when nobody wrote a sentence for it yet. */
function generic({ action }: AuditEventFacts, by: string): string {
  const last = action.split(".").at(-1) ?? action;
  const words = last.replace(/[_-]+/g, " ").trim() || action;
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}, by ${by}`;
}

export function describeEvent(facts: AuditEventFacts, names: StaffNames): TimelineEntry {
  const by = actorName(facts.actor, names);
  const byAtStart = actorNameAtStart(facts.actor, names);
  const describe = Object.hasOwn(SENTENCES, facts.action) ? SENTENCES[facts.action]! : generic;
  const reason = text(facts.data.reason);
  const erased = facts.piiErased ? "Personal details recorded with this step have been erased." : null;
  return {
    sentence: describe(facts, by, byAtStart, names),
    detail: [reason, erased].filter(Boolean).join("\n") || null,
    at: formatDateTime(facts.occurredAt),
    tone:
      facts.action === "request.fail" ? "critical" : facts.action === "request.complete" ? "success" : null,
  };
}
