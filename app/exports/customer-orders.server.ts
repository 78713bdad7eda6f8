import type { AdminClient } from "../shopify-admin/admin-client.server";
import type { BulkOperationStatusResult } from "../shopify-admin/generated/admin-operations";
import { paginate } from "../shopify-admin/admin-client.server";
import { customerGid } from "../shopify-admin/customer-record.server";
import { customerOrdersBulkQuery } from "../shopify-admin/operations";

/** An order as the export holds it: Shopify's fields (operations.ts OrderFields) and all its line items. */
export type CollectedOrder = Record<string, unknown> & { id: string; lineItems: Record<string, unknown>[] };

export interface CollectOptions {
  /** Above this many orders the orders are read with a bulk operation instead of paging. */
  bulkAboveOrders?: number;
  /** Orders per page; with line items nested, page cost grows as orders × line items (limit 1,000). */
  ordersPerPage?: number;
  lineItemsPerPage?: number;
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

/**
 * Every order of a customer, oldest first, one at a time so memory stays flat however many
 * there are. Small histories are paged (line items beyond the first page fetched per order);
 * large ones come from a bulk operation whose JSONL is streamed.
 */
export async function* customerOrders(
  admin: AdminClient,
  numericCustomerId: string,
  numberOfOrders: number,
  options: CollectOptions = {},
): AsyncGenerator<CollectedOrder> {
  if (numberOfOrders > (options.bulkAboveOrders ?? 250)) yield* bulkOrders(admin, numericCustomerId, options);
  else yield* pagedOrders(admin, numericCustomerId, options);
}

async function* pagedOrders(
  admin: AdminClient,
  numericCustomerId: string,
  options: CollectOptions,
): AsyncGenerator<CollectedOrder> {
  const lineItemsFirst = options.lineItemsPerPage ?? 10;
  const orders = paginate(async (after) => {
    const { data } = await admin.request("CustomerOrders", {
      customerId: customerGid(numericCustomerId),
      first: options.ordersPerPage ?? 10,
      after,
      lineItemsFirst,
    });
    return data.customer?.orders ?? null;
  });
  for await (const { lineItems, ...order } of orders) {
    const all = [...lineItems.nodes];
    if (lineItems.pageInfo.hasNextPage) {
      const rest = paginate(async (after) => {
        // 100 line items cost ~700 points; 250 would exceed Shopify's 1,000-point query limit.
        const { data } = await admin.request("OrderLineItems", {
          orderId: order.id,
          first: 100,
          after: after ?? lineItems.pageInfo.endCursor,
        });
        return data.order?.lineItems ?? null;
      });
      for await (const item of rest) all.push(item);
    }
    yield { ...order, lineItems: all };
  }
}

export class BulkExportError extends Error {
  constructor(
    message: string,
    /** Shopify's errorCode for a FAILED operation: ACCESS_DENIED, INTERNAL_SERVER_ERROR or TIMEOUT. */
    readonly errorCode: string | null = null,
  ) {
    super(message);
    this.name = "BulkExportError";
  }
}

async function* bulkOrders(
  admin: AdminClient,
  numericCustomerId: string,
  options: CollectOptions,
): AsyncGenerator<CollectedOrder> {
  // groupObjects: true keeps each order's line items right after it, so orders can be emitted
  // as soon as the next one starts instead of holding the whole file.
  const { data: run } = await admin.request("BulkOperationRunQuery", {
    query: customerOrdersBulkQuery(numericCustomerId),
    groupObjects: true,
  });
  const operation = run.bulkOperationRunQuery?.bulkOperation;
  if (!operation)
    throw new BulkExportError(
      `Shopify refused the bulk export: ${(run.bulkOperationRunQuery?.userErrors ?? []).map((e) => e.message).join("; ") || "no reason given"}`,
    );

  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let status: NonNullable<BulkOperationStatusResult["bulkOperation"]>;
  for (;;) {
    const { data } = await admin.request("BulkOperationStatus", { id: operation.id });
    if (!data.bulkOperation) throw new BulkExportError(`Bulk operation ${operation.id} disappeared`);
    status = data.bulkOperation;
    if (status.status === "COMPLETED") break;
    if (["FAILED", "CANCELED", "EXPIRED"].includes(status.status)) {
      throw new BulkExportError(
        `Bulk export ${status.status.toLowerCase()}${status.errorCode ? ` (${status.errorCode})` : ""}`,
        status.errorCode ?? null,
      );
    }
    await sleep(options.pollIntervalMs ?? 1000);
  }
  if (!status.url) return; // no orders at all

  const response = await (options.fetch ?? fetch)(status.url);
  if (!response.ok || !response.body)
    throw new BulkExportError(`Could not download the bulk export (${response.status})`);
  let current: CollectedOrder | null = null;
  for await (const line of jsonLines(response.body)) {
    const object = JSON.parse(line) as Record<string, unknown> & { id: string; __parentId?: string };
    if (object.__parentId) {
      if (!current || current.id !== object.__parentId)
        throw new BulkExportError("Bulk export lines are not grouped by order");
      const { __parentId: _parent, ...item } = object;
      current.lineItems.push(item);
    } else {
      if (current) yield current;
      current = { ...object, lineItems: [] };
    }
  }
  if (current) yield current;
}

/** The lines of a JSONL stream, decoded as they arrive. */
export async function* jsonLines(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) yield line;
    }
  }
  pending += decoder.decode();
  if (pending.trim()) yield pending.trim();
}
