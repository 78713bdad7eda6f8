/**
 * What the shopper receives about the app's own records, as versioned in data.schema.json. This is
 * the export's contract, not the admin's view of a request: changing a field here changes the
 * published schema, so it needs a new schema version (EXPORT_SCHEMA_VERSION).
 */
export const EXPORT_SCHEMA_VERSION = "1.1";

export interface ExportedRequest {
  id: string;
  type: string;
  status: string;
  source: string;
  regime: string;
  receivedAt: string;
  dueAt: string;
  extendedAt: string | null;
  extensionReason: string | null;
  completedAt: string | null;
  /** As the app holds them for this request; null when none was given or once erased. */
  email: string | null;
  phone: string | null;
}

/** Who acted, as the shopper may know it: never a staff member's identity, only their role. */
export type ExportedActor = "Shopify" | "Store staff" | "Privacy Desk" | "Operator";

export interface ExportedAuditEvent {
  seq: number;
  occurredAt: string;
  actor: ExportedActor;
  action: string;
  details: Record<string, unknown>;
  /** Personal data recorded with the event (e.g. a correction's before and after), if any is left. */
  personalData: Record<string, unknown> | null;
}

export interface ExportedAppRecords {
  requests: ExportedRequest[];
  auditEvents: ExportedAuditEvent[];
}

export function exportedActor(actor: string): ExportedActor {
  if (actor === "shopify") return "Shopify";
  if (actor.startsWith("staff:")) return "Store staff";
  if (actor.startsWith("operator:")) return "Operator";
  return "Privacy Desk";
}

/** What the export could hold, said plainly, so an incomplete export never looks complete. */
export interface ExportCoverage {
  /** "last_60_days": the store has not granted read_all_orders, so Shopify shows no older order. */
  orders: "complete" | "last_60_days";
  ordersSince: string | null;
  /** For the shopper, when the orders are not complete. */
  note: string | null;
  /** Orders Shopify named in the data request that it did not return (deleted, or too old to see). */
  requestedOrdersNotFound: string[];
}
