import type { RequestIntent } from "../../domain/request-forms";
import type { Role } from "../../domain/roles";
import type { TimelineEntry } from "../../domain/timeline";

/** Everything the request page shows, as its loader returns it (plain data, dates as ISO strings). */
export interface RequestPageData {
  request: RequestSummary;
  role: Role;
  now: string;
  actions: RequestIntent[];
  /** Why an offered action cannot be used now (e.g. Shopify does not let you erase customer data). */
  blocked: Partial<Record<RequestIntent, string>>;
  /** Posted back with an approval: the customer record the merchant reviewed. */
  reviewedSnapshotHash: string | null;
  exportFile: ExportFileSummary | null;
  evidence: Evidence | null;
  corrections: Correction[] | null;
  timeline: (TimelineEntry & { key: number })[];
}

export interface RequestSummary {
  id: string;
  type: string;
  status: string;
  source: string;
  regime: string;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  receivedAt: string;
  dueAt: string;
  extendedAt: string | null;
  extensionReason: string | null;
  statusReason: string | null;
  redactedAt: string | null;
}

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
