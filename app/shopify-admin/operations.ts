/**
 * Every GraphQL document the app sends to the Shopify Admin API, as named operations in one
 * place. test/unit/admin-operations.test.ts validates each against Shopify's own 2026-07 schema
 * (../shared/shopify) and rejects deprecated fields, so a typo or a removed field fails the build
 * instead of a shopper's request.
 *
 * Page sizes are variables: Shopify refuses a single query costing over 1,000 points, and a
 * page of orders with their line items costs roughly orders × line items.
 */

import type { ProtectedField } from "../domain/access-requirements";

const MAILING_ADDRESS_FIELDS = `#graphql
  fragment MailingAddressFields on MailingAddress {
    id
    firstName
    lastName
    name
    company
    address1
    address2
    city
    province
    provinceCode
    country
    countryCodeV2
    zip
    phone
  }
`;

const MONEY_BAG_FIELDS = `#graphql
  fragment MoneyBagFields on MoneyBag {
    shopMoney {
      amount
      currencyCode
    }
    presentmentMoney {
      amount
      currencyCode
    }
  }
`;

const LINE_ITEM_FIELDS = `#graphql
  fragment LineItemFields on LineItem {
    id
    name
    title
    variantTitle
    sku
    vendor
    quantity
    currentQuantity
    originalUnitPriceSet {
      ...MoneyBagFields
    }
    discountedTotalSet {
      ...MoneyBagFields
    }
  }
`;

/** An order without its line items (those are a connection, paged or bulk-read on their own). */
const ORDER_FIELDS = `#graphql
  fragment OrderFields on Order {
    id
    name
    createdAt
    processedAt
    cancelledAt
    closedAt
    currencyCode
    displayFinancialStatus
    displayFulfillmentStatus
    note
    tags
    sourceName
    customerLocale
    subtotalPriceSet {
      ...MoneyBagFields
    }
    totalTaxSet {
      ...MoneyBagFields
    }
    totalShippingPriceSet {
      ...MoneyBagFields
    }
    totalPriceSet {
      ...MoneyBagFields
    }
    currentTotalPriceSet {
      ...MoneyBagFields
    }
    shippingAddress {
      ...MailingAddressFields
    }
    billingAddress {
      ...MailingAddressFields
    }
  }
`;

/** The profile, addresses, consents, sale opt-out and metafields of one customer. */
export const CUSTOMER_PROFILE = `#graphql
  query CustomerProfile($customerId: ID!, $addressesFirst: Int!, $metafieldsFirst: Int!) {
    customer(id: $customerId) {
      id
      firstName
      lastName
      displayName
      note
      tags
      locale
      state
      verifiedEmail
      taxExempt
      dataSaleOptOut
      createdAt
      updatedAt
      numberOfOrders
      amountSpent {
        amount
        currencyCode
      }
      defaultEmailAddress {
        emailAddress
        marketingState
        marketingOptInLevel
        marketingUpdatedAt
      }
      defaultPhoneNumber {
        phoneNumber
        # Every SMS-consent field is deprecated in 2026-07 with no replacement (each points at
        # another deprecated one); GDPR still requires exporting it.
        marketingState
        marketingOptInLevel
        marketingUpdatedAt
      }
      defaultAddress {
        ...MailingAddressFields
      }
      addressesV2(first: $addressesFirst) {
        nodes {
          ...MailingAddressFields
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
      metafields(first: $metafieldsFirst) {
        nodes {
          id
          namespace
          key
          type
          value
          createdAt
          updatedAt
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
  ${MAILING_ADDRESS_FIELDS}
`;

/** One page of a customer's orders, oldest first, with the first line items of each. */
export const CUSTOMER_ORDERS = `#graphql
  query CustomerOrders($customerId: ID!, $first: Int!, $after: String, $lineItemsFirst: Int!) {
    customer(id: $customerId) {
      id
      orders(first: $first, after: $after, sortKey: CREATED_AT) {
        nodes {
          ...OrderFields
          lineItems(first: $lineItemsFirst) {
            nodes {
              ...LineItemFields
            }
            pageInfo {
              hasNextPage
              endCursor
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
  ${ORDER_FIELDS}
  ${MAILING_ADDRESS_FIELDS}
  ${MONEY_BAG_FIELDS}
  ${LINE_ITEM_FIELDS}
`;

/** The remaining line items of an order with more than fit in CustomerOrders. */
export const ORDER_LINE_ITEMS = `#graphql
  query OrderLineItems($orderId: ID!, $first: Int!, $after: String) {
    order(id: $orderId) {
      id
      lineItems(first: $first, after: $after) {
        nodes {
          ...LineItemFields
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
  ${MONEY_BAG_FIELDS}
  ${LINE_ITEM_FIELDS}
`;

/** Shopify's own erasure flow for a customer (needs write_customer_data_erasure). */
export const CUSTOMER_REQUEST_DATA_ERASURE = `#graphql
  mutation CustomerRequestDataErasure($customerId: ID!) {
    customerRequestDataErasure(customerId: $customerId) {
      customerId
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** Rectification: the fields a shopper may ask to correct. */
export const CUSTOMER_UPDATE = `#graphql
  mutation CustomerUpdate($input: CustomerInput!) {
    customerUpdate(input: $input) {
      customer {
        id
        firstName
        lastName
        defaultEmailAddress {
          emailAddress
        }
        defaultPhoneNumber {
          phoneNumber
        }
        updatedAt
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** CCPA: record that the customer opted out of the sale or sharing of their data. */
export const DATA_SALE_OPT_OUT = `#graphql
  mutation DataSaleOptOut($email: String!) {
    dataSaleOptOut(email: $email) {
      customerId
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** Starts a bulk export (for customers with more orders than paging handles well). */
export const BULK_OPERATION_RUN_QUERY = `#graphql
  mutation BulkOperationRunQuery($query: String!, $groupObjects: Boolean!) {
    bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const BULK_OPERATION_STATUS = `#graphql
  query BulkOperationStatus($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      rootObjectCount
      fileSize
      url
      partialDataUrl
      createdAt
      completedAt
    }
  }
`;

/**
 * The bulk query for a customer's orders (bulk queries take no variables, so the numeric id is
 * written in). Each order and each line item becomes one JSONL line; line items carry
 * `__parentId`, their order's id.
 */
export function customerOrdersBulkQuery(numericCustomerId: string): string {
  if (!/^\d+$/.test(numericCustomerId)) throw new Error(`Not a numeric customer id: ${numericCustomerId}`);
  return `#graphql
    query CustomerOrdersBulk {
      orders(query: "customer_id:${numericCustomerId}", sortKey: CREATED_AT) {
        edges {
          node {
            ...OrderFields
            lineItems {
              edges {
                node {
                  ...LineItemFields
                }
              }
            }
          }
        }
      }
    }
    ${ORDER_FIELDS}
    ${MAILING_ADDRESS_FIELDS}
    ${MONEY_BAG_FIELDS}
    ${LINE_ITEM_FIELDS}
  `;
}

/**
 * One order by id, with its first line items (for `orders_requested`). Without read_all_orders
 * Shopify answers null for an order older than 60 days, exactly as for one that does not exist.
 */
export const ORDER_BY_ID = `#graphql
  query OrderById($orderId: ID!, $lineItemsFirst: Int!) {
    order(id: $orderId) {
      ...OrderFields
      lineItems(first: $lineItemsFirst) {
        nodes {
          ...LineItemFields
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
  ${ORDER_FIELDS}
  ${MAILING_ADDRESS_FIELDS}
  ${MONEY_BAG_FIELDS}
  ${LINE_ITEM_FIELDS}
`;

/** The scopes the store owner granted to the app (read_x implied by write_x is not always listed). */
export const APP_ACCESS_SCOPES = `#graphql
  query AppAccessScopes {
    currentAppInstallation {
      accessScopes {
        handle
      }
    }
  }
`;

/**
 * Asks for one customer's protected fields to learn whether Shopify approved the app for them:
 * an unapproved field comes back null with an ACCESS_DENIED error naming it. Only `__typename`
 * is selected under email, phone and address, so no value is read; a name cannot be asked for
 * without reading one (it is discarded).
 */
export const PROTECTED_CUSTOMER_DATA_PROBE = `#graphql
  query ProtectedCustomerDataProbe {
    customers(first: 1) {
      nodes {
        id
        firstName
        defaultEmailAddress {
          __typename
        }
        defaultPhoneNumber {
          __typename
        }
        defaultAddress {
          __typename
        }
      }
    }
  }
`;

/**
 * Storefront requests (ADR 010): is a typed address a customer of the store? Asked by a job, never
 * while the shopper waits, so the answer cannot show in the page or its timing. Shopify finds the
 * customer by the address, so the app needs approval for the email field to ask.
 */
export const CUSTOMER_BY_EMAIL = `#graphql
  query CustomerByEmail($email: String!) {
    customerByIdentifier(identifier: { emailAddress: $email }) {
      id
    }
  }
`;

/** A logged-in customer's own address, where their verification code and receipt go. */
export const CUSTOMER_CONTACT_EMAIL = `#graphql
  query CustomerContactEmail($customerId: ID!) {
    customer(id: $customerId) {
      id
      defaultEmailAddress {
        emailAddress
      }
    }
  }
`;

/** The store's name, for the emails the app sends its shoppers. */
export const SHOP_NAME = `#graphql
  query ShopName {
    shop {
      name
    }
  }
`;

/** The operations above by operation name; the schema test walks this list. */
export const ADMIN_OPERATIONS = {
  CustomerProfile: CUSTOMER_PROFILE,
  CustomerOrders: CUSTOMER_ORDERS,
  OrderLineItems: ORDER_LINE_ITEMS,
  CustomerRequestDataErasure: CUSTOMER_REQUEST_DATA_ERASURE,
  CustomerUpdate: CUSTOMER_UPDATE,
  DataSaleOptOut: DATA_SALE_OPT_OUT,
  BulkOperationRunQuery: BULK_OPERATION_RUN_QUERY,
  BulkOperationStatus: BULK_OPERATION_STATUS,
  CustomerOrdersBulk: customerOrdersBulkQuery("191167"),
  OrderById: ORDER_BY_ID,
  AppAccessScopes: APP_ACCESS_SCOPES,
  ProtectedCustomerDataProbe: PROTECTED_CUSTOMER_DATA_PROBE,
  CustomerByEmail: CUSTOMER_BY_EMAIL,
  CustomerContactEmail: CUSTOMER_CONTACT_EMAIL,
  ShopName: SHOP_NAME,
} as const;

export type AdminOperationName = keyof typeof ADMIN_OPERATIONS;

export interface OperationAccess {
  /** Scopes Shopify requires for the call (each one needed; a write scope counts as its read). */
  scopes: readonly string[];
  /** Scopes that do not gate the call but widen what it returns. */
  widenedBy?: readonly string[];
  /** Level 2 protected customer data the call reads (Shopify withholds it unless approved). */
  protectedFields?: readonly ProtectedField[];
}

/**
 * What each operation needs from Shopify, as Shopify documents it (sources in
 * simulator/access-rules.ts, which enforces the same rules). test/unit/admin-operations-access.test.ts
 * derives these from each document with the simulator's rules, so the two cannot drift, and checks
 * that their union is exactly what shopify.app.toml requests.
 */
export const ADMIN_OPERATION_ACCESS: Record<AdminOperationName, OperationAccess> = {
  CustomerProfile: { scopes: ["read_customers"], protectedFields: ["name", "email", "phone", "address"] },
  CustomerOrders: {
    scopes: ["read_customers", "read_orders"],
    widenedBy: ["read_all_orders"],
    protectedFields: ["name", "phone", "address"],
  },
  OrderLineItems: { scopes: ["read_orders"], widenedBy: ["read_all_orders"] },
  CustomerRequestDataErasure: { scopes: ["write_customer_data_erasure"] },
  CustomerUpdate: { scopes: ["write_customers"], protectedFields: ["name", "email", "phone"] },
  DataSaleOptOut: { scopes: ["write_privacy_settings"] },
  BulkOperationRunQuery: { scopes: [] },
  BulkOperationStatus: { scopes: [] },
  CustomerOrdersBulk: {
    scopes: ["read_orders"],
    widenedBy: ["read_all_orders"],
    protectedFields: ["name", "phone", "address"],
  },
  OrderById: {
    scopes: ["read_orders"],
    widenedBy: ["read_all_orders"],
    protectedFields: ["name", "phone", "address"],
  },
  AppAccessScopes: { scopes: [] },
  ProtectedCustomerDataProbe: {
    scopes: ["read_customers"],
    protectedFields: ["name", "email", "phone", "address"],
  },
  CustomerByEmail: { scopes: ["read_customers"], protectedFields: ["email"] },
  CustomerContactEmail: { scopes: ["read_customers"], protectedFields: ["email"] },
  ShopName: { scopes: [] },
};
