import { connection, type ConnectionArgs, type ResolveContext } from "./connection";
import type { SimAddress, SimCustomer, SimLineItem, SimOrder, SimStore } from "./store";

/** GraphQL-shaped views of the store's records. Connection fields are functions of their arguments. */
export const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;

export function parseGid(value: string, type: string): number | null {
  const match = new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(value);
  return match ? Number(match[1]) : null;
}

const money = (amount: number, currencyCode: string) => ({
  __typename: "MoneyV2",
  amount: amount.toFixed(2),
  currencyCode,
});
const moneyBag = (amount: number, currencyCode: string) => ({
  __typename: "MoneyBag",
  shopMoney: money(amount, currencyCode),
  presentmentMoney: money(amount, currencyCode),
});

function addressView(address: SimAddress) {
  return {
    __typename: "MailingAddress",
    ...address,
    id: gid("MailingAddress", address.id),
    name: `${address.firstName} ${address.lastName}`,
  };
}

function lineItemView(item: SimLineItem, currencyCode: string) {
  const unit = Number(item.unitPrice);
  return {
    __typename: "LineItem",
    id: gid("LineItem", item.id),
    name: item.variantTitle ? `${item.title} - ${item.variantTitle}` : item.title,
    title: item.title,
    variantTitle: item.variantTitle,
    sku: item.sku,
    vendor: item.vendor,
    quantity: item.quantity,
    currentQuantity: item.quantity,
    originalUnitPriceSet: moneyBag(unit, currencyCode),
    discountedUnitPriceSet: moneyBag(unit, currencyCode),
    originalTotalSet: moneyBag(unit * item.quantity, currencyCode),
    discountedTotalSet: () => moneyBag(unit * item.quantity, currencyCode),
  };
}

export const ordersOldestFirst = (orders: SimOrder[]) =>
  [...orders].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id));

export function orderView(order: SimOrder) {
  const subtotal = order.lineItems.reduce((sum, item) => sum + Number(item.unitPrice) * item.quantity, 0);
  const tax = subtotal * order.taxRate;
  const shipping = Number(order.shipping);
  const total = subtotal + tax + shipping;
  const refunded =
    order.financialStatus === "REFUNDED"
      ? total
      : order.financialStatus === "PARTIALLY_REFUNDED"
        ? total / 2
        : 0;
  return {
    __typename: "Order",
    id: gid("Order", order.id),
    name: `#${order.number}`,
    createdAt: order.createdAt,
    processedAt: order.createdAt,
    cancelledAt: null,
    closedAt: order.fulfillmentStatus === "FULFILLED" ? order.createdAt : null,
    currencyCode: order.currencyCode,
    displayFinancialStatus: order.financialStatus,
    displayFulfillmentStatus: order.fulfillmentStatus,
    note: order.note,
    tags: [],
    sourceName: "web",
    customerLocale: "en",
    subtotalPriceSet: moneyBag(subtotal, order.currencyCode),
    totalTaxSet: moneyBag(tax, order.currencyCode),
    totalShippingPriceSet: moneyBag(shipping, order.currencyCode),
    totalPriceSet: moneyBag(total, order.currencyCode),
    currentTotalPriceSet: moneyBag(total - refunded, order.currencyCode),
    shippingAddress: addressView(order.shippingAddress),
    billingAddress: addressView(order.billingAddress),
    lineItems: (args: ConnectionArgs, context?: ResolveContext) =>
      connection(
        order.lineItems.map((item) => lineItemView(item, order.currencyCode)),
        args,
        context,
      ),
  };
}

/**
 * `orderVisible` is what Shopify lets this app see (the 60-day window without read_all_orders);
 * numberOfOrders and amountSpent are the customer's lifetime figures either way.
 */
export function customerView(
  store: SimStore,
  customer: SimCustomer,
  orderVisible: (order: SimOrder) => boolean,
) {
  const orders = () => (store.ordersByCustomer.get(customer.id) ?? []).map((id) => store.orders.get(id)!);
  const spent = orders().reduce(
    (sum, order) =>
      sum +
      order.lineItems.reduce((s, item) => s + Number(item.unitPrice) * item.quantity, 0) *
        (1 + order.taxRate),
    0,
  );
  return {
    __typename: "Customer",
    id: gid("Customer", customer.id),
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: `${customer.firstName} ${customer.lastName}`,
    note: customer.note,
    tags: customer.tags,
    locale: customer.locale,
    state: "ENABLED",
    verifiedEmail: customer.email !== null,
    taxExempt: false,
    dataSaleOptOut: customer.dataSaleOptOut,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    numberOfOrders: String(orders().length),
    amountSpent: money(spent, store.currencyCode),
    defaultEmailAddress: customer.email
      ? {
          __typename: "CustomerEmailAddress",
          emailAddress: customer.email,
          marketingState: customer.emailMarketingState,
          marketingOptInLevel: customer.marketingOptInLevel,
          marketingUpdatedAt: customer.marketingUpdatedAt,
        }
      : null,
    defaultPhoneNumber: customer.phone
      ? {
          __typename: "CustomerPhoneNumber",
          phoneNumber: customer.phone,
          marketingState: customer.smsMarketingState,
          marketingOptInLevel: customer.marketingOptInLevel,
          marketingUpdatedAt: customer.marketingUpdatedAt,
        }
      : null,
    defaultAddress: customer.addresses[0] ? addressView(customer.addresses[0]) : null,
    addressesV2: (args: ConnectionArgs, context?: ResolveContext) =>
      connection(customer.addresses.map(addressView), args, context),
    metafields: (args: ConnectionArgs, context?: ResolveContext) =>
      connection(
        customer.metafields.map((m) => ({
          __typename: "Metafield",
          ...m,
          id: gid("Metafield", m.id),
          updatedAt: m.createdAt,
        })),
        args,
        context,
      ),
    orders: (args: ConnectionArgs & { sortKey?: string }, context?: ResolveContext) =>
      connection(ordersOldestFirst(orders().filter(orderVisible)).map(orderView), args, context),
  };
}
