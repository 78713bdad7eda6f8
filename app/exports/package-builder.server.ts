import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import yazl from "yazl";
import { formatAnchor, type ChainHead } from "../domain/audit-anchor";
import { csvFile } from "./csv";
import type { CollectedOrder } from "./customer-orders.server";
import dataSchema from "./data-schema.v1.json";
import { EXPORT_SCHEMA_VERSION, type ExportCoverage, type ExportedAppRecords } from "./export-model";
import { indexHtml } from "./index-page";

/**
 * The export a person (or the merchant on their behalf) receives: one ZIP with
 *   data.json         everything, machine-readable (schema in data.schema.json, versioned)
 *   *.csv             one file per collection; order_lines.csv has one row per order line
 *   index.html        the same, readable in a browser
 *   manifest.json     every file's size and sha256
 * Orders are read once per file that needs them from `orders()`, never held all at once, so
 * memory stays flat for any order count (the worker feeds it from an encrypted spool).
 */
export { EXPORT_SCHEMA_VERSION } from "./export-model";

export interface ExportPackageInput {
  shop: string;
  generatedAt: Date;
  request: { id: string; type: "access" | "portability"; receivedAt: string; regime: "gdpr" | "ccpa" };
  customer:
    | (Record<string, unknown> & {
        addressesV2?: { nodes: Record<string, unknown>[] };
        metafields?: { nodes: Record<string, unknown>[] };
      })
    | null;
  orders: () => AsyncIterable<CollectedOrder>;
  /** What the export could hold (the 60-day window, requested orders Shopify did not return). */
  coverage?: ExportCoverage;
  appRecords: ExportedAppRecords;
  /**
   * The shop's audit chain head when the package was built, written to manifest.json: whoever
   * keeps the package can later have the merchant prove the chain still holds that event.
   */
  auditChainHead?: ChainHead;
}

type Money = { shopMoney?: { amount?: string; currencyCode?: string } } | null | undefined;
const amount = (money: unknown) => (money as Money)?.shopMoney?.amount ?? "";
const currency = (money: unknown) => (money as Money)?.shopMoney?.currencyCode ?? "";

const COMPLETE: ExportCoverage = {
  orders: "complete",
  ordersSince: null,
  note: null,
  requestedOrdersNotFound: [],
};

async function* dataJson(input: ExportPackageInput) {
  const head = {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    generatedAt: input.generatedAt.toISOString(),
    shop: input.shop,
    request: input.request,
    customer: input.customer,
    coverage: input.coverage ?? COMPLETE,
  };
  yield `${JSON.stringify(head).slice(0, -1)},"orders":[`;
  let first = true;
  for await (const order of input.orders()) {
    yield `${first ? "" : ","}${JSON.stringify(order)}`;
    first = false;
  }
  yield `],"appRecords":${JSON.stringify(input.appRecords)}}`;
}

async function* ordersOf(input: ExportPackageInput) {
  yield* input.orders();
}

async function* orderLines(input: ExportPackageInput) {
  for await (const order of input.orders()) for (const item of order.lineItems) yield { order, item };
}

/** The files of the package, in order; each a lazily produced stream of text. */
function entries(input: ExportPackageInput): [string, () => AsyncIterable<string>][] {
  const c = input.customer;
  return [
    ["data.json", () => dataJson(input)],
    [
      "data.schema.json",
      async function* () {
        yield `${JSON.stringify(dataSchema, null, 2)}\n`;
      },
    ],
    [
      "profile.csv",
      () =>
        csvFile(
          [
            "id",
            "first_name",
            "last_name",
            "email",
            "email_marketing",
            "phone",
            "locale",
            "created_at",
            "tags",
            "note",
            "data_sale_opt_out",
          ],
          c ? [c] : [],
          (p) => [
            p.id,
            p.firstName,
            p.lastName,
            (p.defaultEmailAddress as { emailAddress?: string } | null)?.emailAddress,
            (p.defaultEmailAddress as { marketingState?: string } | null)?.marketingState,
            (p.defaultPhoneNumber as { phoneNumber?: string } | null)?.phoneNumber,
            p.locale,
            p.createdAt,
            (p.tags as string[] | undefined)?.join(";"),
            p.note,
            p.dataSaleOptOut,
          ],
        ),
    ],
    [
      "addresses.csv",
      () =>
        csvFile(
          ["id", "name", "company", "address1", "address2", "city", "province", "country", "zip", "phone"],
          c?.addressesV2?.nodes ?? [],
          (a) => [
            a.id,
            a.name,
            a.company,
            a.address1,
            a.address2,
            a.city,
            a.province,
            a.country,
            a.zip,
            a.phone,
          ],
        ),
    ],
    [
      "orders.csv",
      () =>
        csvFile(
          [
            "id",
            "name",
            "created_at",
            "financial_status",
            "fulfillment_status",
            "currency",
            "subtotal",
            "tax",
            "shipping",
            "total",
            "current_total",
            "line_items",
          ],
          ordersOf(input),
          (o) => [
            o.id,
            o.name,
            o.createdAt,
            o.displayFinancialStatus,
            o.displayFulfillmentStatus,
            currency(o.totalPriceSet),
            amount(o.subtotalPriceSet),
            amount(o.totalTaxSet),
            amount(o.totalShippingPriceSet),
            amount(o.totalPriceSet),
            amount(o.currentTotalPriceSet),
            o.lineItems.length,
          ],
        ),
    ],
    [
      "order_lines.csv",
      () =>
        csvFile(
          [
            "order_id",
            "order_name",
            "line_item_id",
            "name",
            "sku",
            "vendor",
            "quantity",
            "unit_price",
            "total",
            "currency",
          ],
          orderLines(input),
          ({ order, item }) => [
            order.id,
            order.name,
            item.id,
            item.name,
            item.sku,
            item.vendor,
            item.quantity,
            amount(item.originalUnitPriceSet),
            amount(item.discountedTotalSet),
            currency(item.originalUnitPriceSet),
          ],
        ),
    ],
    [
      "metafields.csv",
      () =>
        csvFile(["namespace", "key", "type", "value"], c?.metafields?.nodes ?? [], (m) => [
          m.namespace,
          m.key,
          m.type,
          m.value,
        ]),
    ],
    [
      "requests.csv",
      () =>
        csvFile(
          ["id", "type", "status", "source", "received_at", "due_at", "completed_at"],
          input.appRecords.requests,
          (r) => [r.id, r.type, r.status, r.source, r.receivedAt, r.dueAt, r.completedAt],
        ),
    ],
    [
      "audit_events.csv",
      () =>
        csvFile(["seq", "occurred_at", "actor", "action", "details"], input.appRecords.auditEvents, (e) => [
          e.seq,
          e.occurredAt,
          e.actor,
          e.action,
          e.details,
        ]),
    ],
    ["index.html", () => indexHtml(input, input.orders)],
  ];
}

const chainHeadOf = ({ auditChainHead: head }: ExportPackageInput) =>
  head ? { auditChainHead: { seq: head.seq, hash: head.hash, anchor: formatAnchor(head) } } : {};

/** The ZIP, as a stream of bytes. */
export function buildExportPackage(input: ExportPackageInput): Readable {
  const zip = new yazl.ZipFile();
  const manifest: { file: string; bytes: number; sha256: string }[] = [];
  const mtime = input.generatedAt;
  for (const [name, produce] of entries(input)) {
    const hashed = async function* () {
      const hash = createHash("sha256");
      let bytes = 0;
      for await (const text of produce()) {
        const chunk = Buffer.from(text, "utf8");
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
      manifest.push({ file: name, bytes, sha256: hash.digest("hex") });
    };
    zip.addReadStream(Readable.from(hashed()), name, { mtime });
  }
  // Written last: by the time yazl reads it, every file above has been hashed.
  zip.addReadStream(
    Readable.from(
      (async function* () {
        yield Buffer.from(
          `${JSON.stringify({ schemaVersion: EXPORT_SCHEMA_VERSION, generatedAt: input.generatedAt.toISOString(), files: manifest, ...chainHeadOf(input) }, null, 2)}\n`,
        );
      })(),
    ),
    "manifest.json",
    { mtime },
  );
  zip.end();
  return zip.outputStream as Readable;
}
