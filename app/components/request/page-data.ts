import type { RequestIntent } from "../../domain/request-forms";
import type { Role } from "../../domain/roles";
import type { TimelineEntry } from "../../domain/timeline";
import type { ExportDeliverySummary } from "../../exports/export-links.server";
import type { RequestView } from "../../services/request-queries.server";

/** Everything the request page shows, as its loader returns it (plain data, dates as ISO strings). */
export interface RequestPageData {
  request: RequestSummary;
  /** What the shopper wrote with a storefront request (their text, shown as such). */
  shopperMessage?: string | null;
  role: Role;
  now: string;
  actions: RequestIntent[];
  /** Why an offered action cannot be used now (e.g. Shopify does not let you erase customer data). */
  blocked: Partial<Record<RequestIntent, string>>;
  /** Posted back with an approval: the customer record the merchant reviewed. */
  reviewedSnapshotHash: string | null;
  exportFile: ExportFileSummary | null;
  /** The export's way to the requester (shopper-filed requests only). */
  delivery: ExportDeliverySummary | null;
  evidence: Evidence | null;
  corrections: Correction[] | null;
  timeline: (TimelineEntry & { key: number })[];
}

/** The request as the page shows it: the app's view of a request, without what the page never uses. */
export type RequestSummary = Omit<RequestView, "shop" | "completedAt" | "shopifyDataRequestId">;

export interface ExportFileSummary {
  id: string;
  fileName: string;
  sizeBytes: number;
  expiresAt: string;
}

/** The customer as Shopify holds them now, which an erasure or a correction acts on. */
export interface Evidence {
  problem: string | null;
  record: {
    firstName: string | null;
    lastName: string | null;
    email: string | null;
    phone: string | null;
    addresses: number;
    tags: string[];
  } | null;
}

export interface Correction {
  field: string;
  before: unknown;
  after: unknown;
}
