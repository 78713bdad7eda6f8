import { paginate, type AdminClient } from "./admin-client.server";
import type { OrderByIdResult } from "./generated/admin-operations";

type Order = NonNullable<OrderByIdResult["order"]>;

/** An order with every one of its line items (the shape of an export's orders). */
export type OrderWithLineItems = Omit<Order, "lineItems"> & { lineItems: Order["lineItems"]["nodes"] };

/** Line items fetched with the order: 50 keep OrderById near 370 points of Shopify's 1,000. */
export const LINE_ITEMS_WITH_ORDER = 50;
/** Further pages: 100 line items cost about 700 points. */
const LINE_ITEMS_PAGE = 100;

/** `gid://shopify/Order/<id>` from Shopify's numeric REST id (compliance webhooks send those) or a GID. */
export function orderGid(id: string | number): string {
  const text = String(id).trim();
  if (/^\d+$/.test(text)) return `gid://shopify/Order/${text}`;
  if (/^gid:\/\/shopify\/Order\/\d+$/.test(text)) return text;
  throw new TypeError(`Not an order id: ${JSON.stringify(String(id).slice(0, 40))}`);
}

/**
 * The orders with these ids (e.g. a data request's `orders_requested`), each with all its line
 * items, one Admin API call per order (plus one per further 100 line items). Works without a
 * customer id, so an email-only customer's requested orders are exported too.
 *
 * `notFound` lists the ids Shopify answered null for: deleted orders, ids of another store, and,
 * without read_all_orders, orders older than 60 days (Shopify does not tell these apart; see
 * orderHistoryCoverage in app/domain/access-requirements.ts). Ids are deduplicated, order kept.
 */
export async function fetchOrdersByIds(
  admin: AdminClient,
  ids: readonly (string | number)[],
): Promise<{ orders: OrderWithLineItems[]; notFound: string[] }> {
  const gids = [...new Set(ids.map(orderGid))];
  const orders: OrderWithLineItems[] = [];
  const notFound: string[] = [];
  for (const orderId of gids) {
    const { data } = await admin.request("OrderById", { orderId, lineItemsFirst: LINE_ITEMS_WITH_ORDER });
    if (!data.order) {
      notFound.push(orderId);
      continue;
    }
    const { lineItems, ...order } = data.order;
    const all = [...lineItems.nodes];
    if (lineItems.pageInfo.hasNextPage) {
      const rest = paginate(async (after) => {
        const page = await admin.request("OrderLineItems", {
          orderId,
          first: LINE_ITEMS_PAGE,
          after: after ?? lineItems.pageInfo.endCursor,
        });
        return page.data.order?.lineItems ?? null;
      });
      for await (const item of rest) all.push(item);
    }
    orders.push({ ...order, lineItems: all });
  }
  return { orders, notFound };
}
