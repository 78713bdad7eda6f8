import { ACCESS_SCOPES } from "../app/api-version";
import { PROTECTED_FIELDS, type ProtectedField } from "../app/domain/access-requirements";
import { seededRandom } from "./random";

/** The data of one simulated Shopify store: plain records, numeric ids, money as decimal strings. */
export interface SimAddress {
  id: number;
  firstName: string;
  lastName: string;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  province: string;
  provinceCode: string;
  country: string;
  countryCodeV2: string;
  zip: string;
  phone: string | null;
}

export interface SimLineItem {
  id: number;
  title: string;
  variantTitle: string | null;
  sku: string;
  vendor: string;
  quantity: number;
  unitPrice: string;
}

export interface SimOrder {
  id: number;
  number: number;
  customerId: number;
  createdAt: string;
  currencyCode: string;
  financialStatus: string;
  fulfillmentStatus: string;
  note: string | null;
  shippingAddress: SimAddress;
  billingAddress: SimAddress;
  lineItems: SimLineItem[];
  shipping: string;
  taxRate: number;
}

export interface SimMetafield {
  id: number;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
}

export interface SimCustomer {
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  emailMarketingState: string;
  smsMarketingState: string;
  marketingOptInLevel: string;
  marketingUpdatedAt: string | null;
  note: string | null;
  tags: string[];
  locale: string;
  dataSaleOptOut: boolean;
  createdAt: string;
  updatedAt: string;
  addresses: SimAddress[];
  metafields: SimMetafield[];
  /** Set by customerRequestDataErasure. */
  erasureRequestedAt: string | null;
}

/**
 * What the store has granted the app: the scopes its owner approved, and the protected customer
 * data Shopify approved the app for (level 1: customer data at all; level 2: these fields).
 */
export interface SimGrants {
  scopes: Set<string>;
  protectedCustomerData: { level1: boolean; fields: Set<ProtectedField> };
}

/** Everything the app requests, fully approved: what a store that installed the current app has. */
export const fullGrants = (): SimGrants => ({
  scopes: new Set(ACCESS_SCOPES),
  protectedCustomerData: { level1: true, fields: new Set(PROTECTED_FIELDS) },
});

/**
 * Grants from text, for the demo's DEMO_GRANTED_SCOPES and DEMO_PROTECTED_CUSTOMER_DATA:
 * scopes as Shopify lists them ("read_orders,write_customers"; unset: everything the app
 * requests); protected customer data "all" (unset), "none" (not even level 1), "level1" (no
 * level 2 field), or the level 2 fields approved ("name,email"; level 1 implied).
 */
export function parseGrants(text: { scopes?: string; protectedCustomerData?: string }): SimGrants {
  const grants = fullGrants();
  if (text.scopes !== undefined) {
    const scopes = text.scopes
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean);
    const bad = scopes.filter((scope) => !/^(unauthenticated_)?(read|write)_[a-z_]+$/.test(scope));
    if (bad.length) throw new Error(`Not access scopes: ${bad.join(", ")}`);
    grants.scopes = new Set(scopes);
  }
  const approval = text.protectedCustomerData?.trim();
  if (approval === undefined || approval === "" || approval === "all") return grants;
  if (approval === "none") return { ...grants, protectedCustomerData: { level1: false, fields: new Set() } };
  const fields = approval
    .split(",")
    .map((field) => field.trim())
    .filter((field) => field && field !== "level1");
  const bad = fields.filter((field) => !(PROTECTED_FIELDS as readonly string[]).includes(field));
  if (bad.length)
    throw new Error(
      `Protected customer data is all, none, level1 or fields among ${PROTECTED_FIELDS.join(", ")}; not ${bad.join(", ")}`,
    );
  return { ...grants, protectedCustomerData: { level1: true, fields: new Set(fields as ProtectedField[]) } };
}

export interface SimStore {
  shop: string;
  /** The store's name (shop { name }); the handle of its domain when not set. */
  name?: string;
  currencyCode: string;
  grants: SimGrants;
  customers: Map<number, SimCustomer>;
  orders: Map<number, SimOrder>;
  ordersByCustomer: Map<number, number[]>;
  /** Customer ids for which customerRequestDataErasure answers FAILED_TO_REQUEST. */
  failErasureFor: Set<number>;
  nextId: () => number;
}

export interface SeedOptions {
  shop: string;
  seed?: number;
  customers?: number;
  ordersPerCustomer?: number;
  lineItemsPerOrder?: number;
  /**
   * The store's present (ms). Given, customers signed up about two years before it and their
   * orders are spread from then until just before it, so most are older than Shopify's 60-day
   * window and the latest is recent. Without it the history is a fixed month in 2025.
   */
  now?: number;
}

const DAY = 86_400_000;

const FIRST = ["Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jo", "Kim", "Lou"];
const LAST = ["Ames", "Berg", "Cole", "Diaz", "Egan", "Fox", "Gray", "Hart", "Ito", "Jung", "Kerr", "Lund"];
const CITIES = [
  ["Berlin", "Berlin", "BE", "Germany", "DE", "10115"],
  ["Lyon", "Auvergne-Rhône-Alpes", "ARA", "France", "FR", "69001"],
  ["Austin", "Texas", "TX", "United States", "US", "78701"],
  ["Oakland", "California", "CA", "United States", "US", "94607"],
] as const;
const PRODUCTS = [
  ["Linen shirt", "L / Sand", "LS-01", "Atelier Nord", "48.00"],
  ["Wool socks", "M", "WS-02", "Atelier Nord", "12.50"],
  ["Canvas tote", null, "CT-03", "Port & Co", "24.00"],
  ["Ceramic mug", "Blue", "CM-04", "Kiln House", "18.00"],
] as const;

const iso = (ms: number) => new Date(ms).toISOString();

/** A store with `customers` customers, each with `ordersPerCustomer` orders. Same seed, same store. */
export function seedStore(options: SeedOptions): SimStore {
  const random = seededRandom(options.seed ?? 1);
  let id = 1_000_000;
  const store: SimStore = {
    shop: options.shop,
    currencyCode: "EUR",
    customers: new Map(),
    orders: new Map(),
    ordersByCustomer: new Map(),
    failErasureFor: new Set(),
    grants: fullGrants(),
    nextId: () => (id += 1),
  };
  const base = options.now === undefined ? Date.UTC(2025, 0, 1) : options.now - 730 * DAY;
  for (let c = 0; c < (options.customers ?? 10); c += 1) {
    addCustomer(store, {
      orders: options.ordersPerCustomer ?? 3,
      lineItemsPerOrder: options.lineItemsPerOrder ?? 2,
      random,
      since: base,
      ordersUntil: options.now,
    });
  }
  return store;
}

function makeAddress(
  store: SimStore,
  random: ReturnType<typeof seededRandom>,
  firstName: string,
  lastName: string,
): SimAddress {
  const [city, province, provinceCode, country, countryCodeV2, zip] = random.pick(CITIES);
  return {
    id: store.nextId(),
    firstName,
    lastName,
    company: random.next() < 0.2 ? `${lastName} GmbH` : null,
    address1: `${random.int(1, 200)} ${random.pick(["Main St", "Rue Neuve", "Hauptstraße", "Oak Ave"])}`,
    address2: random.next() < 0.3 ? `Apt ${random.int(1, 40)}` : null,
    city,
    province,
    provinceCode,
    country,
    countryCodeV2,
    zip,
    phone: random.next() < 0.5 ? `+1 555 ${String(random.int(0, 9999)).padStart(4, "0")}` : null,
  };
}

/** Adds one customer with their orders; tests use it for "a customer with 1,000 orders". */
export function addCustomer(
  store: SimStore,
  options: {
    orders: number;
    lineItemsPerOrder?: number;
    random?: ReturnType<typeof seededRandom>;
    since?: number;
    /** Spread the orders evenly from sign-up until a day before this (ms); else one an hour. */
    ordersUntil?: number;
    email?: string;
  },
): SimCustomer {
  const random = options.random ?? seededRandom(store.customers.size + 7);
  const since = options.since ?? Date.UTC(2025, 0, 1);
  const customerId = store.nextId();
  const firstName = random.pick(FIRST);
  const lastName = random.pick(LAST);
  const addresses = Array.from({ length: random.int(1, 3) }, () =>
    makeAddress(store, random, firstName, lastName),
  );
  const createdAt = since + random.int(0, 30) * DAY;
  const customer: SimCustomer = {
    id: customerId,
    firstName,
    lastName,
    email: options.email ?? `${firstName}.${lastName}.${customerId}@example.com`.toLowerCase(),
    phone: random.next() < 0.7 ? `+1555${String(customerId).slice(-7)}` : null,
    emailMarketingState: random.pick(["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED"]),
    smsMarketingState: random.pick(["SUBSCRIBED", "NOT_SUBSCRIBED"]),
    marketingOptInLevel: random.pick(["SINGLE_OPT_IN", "CONFIRMED_OPT_IN"]),
    marketingUpdatedAt: iso(createdAt + 3_600_000),
    note: random.next() < 0.2 ? "Prefers email contact" : null,
    tags: random.next() < 0.5 ? ["vip"] : [],
    locale: random.pick(["en", "de", "fr"]),
    dataSaleOptOut: false,
    createdAt: iso(createdAt),
    updatedAt: iso(createdAt + DAY),
    addresses,
    metafields: [
      {
        id: store.nextId(),
        namespace: "custom",
        key: "birthday",
        type: "date",
        value: `19${random.int(60, 99)}-0${random.int(1, 9)}-1${random.int(0, 9)}`,
        createdAt: iso(createdAt),
      },
      {
        id: store.nextId(),
        namespace: "loyalty",
        key: "tier",
        type: "single_line_text_field",
        value: random.pick(["gold", "silver"]),
        createdAt: iso(createdAt),
      },
    ],
    erasureRequestedAt: null,
  };
  store.customers.set(customerId, customer);
  const orderIds: number[] = [];
  const orderTime = (o: number) =>
    options.ordersUntil === undefined
      ? createdAt + (o + 1) * 3_600_000
      : createdAt + Math.round(((o + 1) / options.orders) * (options.ordersUntil - DAY - createdAt));
  for (let o = 0; o < options.orders; o += 1) {
    const orderId = store.nextId();
    const lineItems = Array.from({ length: options.lineItemsPerOrder ?? 2 }, () => {
      const [title, variantTitle, sku, vendor, unitPrice] = random.pick(PRODUCTS);
      return { id: store.nextId(), title, variantTitle, sku, vendor, quantity: random.int(1, 3), unitPrice };
    });
    store.orders.set(orderId, {
      id: orderId,
      number: 1000 + store.orders.size + 1,
      customerId,
      createdAt: iso(orderTime(o)),
      currencyCode: store.currencyCode,
      financialStatus: random.pick(["PAID", "PAID", "REFUNDED", "PARTIALLY_REFUNDED"]),
      fulfillmentStatus: random.pick(["FULFILLED", "FULFILLED", "UNFULFILLED"]),
      note: null,
      shippingAddress: addresses[0]!,
      billingAddress: addresses[addresses.length - 1]!,
      lineItems,
      shipping: "4.90",
      taxRate: 0.19,
    });
    orderIds.push(orderId);
  }
  store.ordersByCustomer.set(customerId, orderIds);
  return customer;
}
