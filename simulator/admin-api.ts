import {
  defaultFieldResolver,
  execute,
  getNamedType,
  getOperationAST,
  GraphQLError,
  type GraphQLFieldResolver,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
} from "graphql";
import { expandScopes, ORDER_HISTORY_DAYS } from "../app/domain/access-requirements";
import { loadAdminSchema } from "../app/shopify-admin/schema.server";
import { fieldAccessDenial, type StoreAccess } from "./access-rules";
import { createBulkOperations, type BulkOperations } from "./bulk";
import { connection, type ConnectionArgs, type ResolveContext } from "./connection";
import { actualCost, requestedCost } from "./cost";
import { customerView, gid, orderView, ordersOldestFirst, parseGid } from "./graph";
import type { SimOrder, SimStore } from "./store";

/**
 * A stand-in for one Shopify Admin GraphQL endpoint per store: it runs the app's real documents
 * against Shopify's real 2026-07 schema, so an invalid document fails as it would on Shopify, and
 * enforces the per-store leaky bucket with Shopify's response shapes. Each store's grants
 * (`store.grants`: scopes, protected customer data) are enforced field by field with Shopify's
 * ACCESS_DENIED answers (access-rules.ts), and orders older than 60 days stay hidden unless the
 * store granted read_all_orders, measured on the simulator's clock.
 */
export interface BucketOptions {
  /** maximumAvailable, in points. */
  size: number;
  /** restoreRate, points per second. */
  restoreRate: number;
}

export interface SimulatorOptions {
  stores: SimStore[];
  bucket?: BucketOptions;
  now?: () => number;
  /** Expected X-Shopify-Access-Token per shop; any token is accepted for a shop not listed. */
  accessTokens?: Record<string, string>;
  /** Where bulk operation results are served (the msw handlers and the HTTP server both serve this). */
  bulkResultBaseUrl?: string;
  /** How fast a bulk operation writes its objects; it is RUNNING until all are written. */
  bulkObjectsPerSecond?: number;
}

export const DEFAULT_BULK_RESULT_BASE_URL = "https://storage.simulator.invalid/bulk";

export interface SimulatorResponse {
  status: number;
  body: unknown;
}

const MAX_QUERY_COST = 1000;

export function createAdminApiSimulator(options: SimulatorOptions) {
  const schema = loadAdminSchema();
  const now = options.now ?? Date.now;
  const bucketOptions = options.bucket ?? { size: 2000, restoreRate: 100 };
  const stores = new Map(options.stores.map((store) => [store.shop, store]));
  const buckets = new Map<string, { available: number; at: number }>();
  const stats = { requests: 0, throttled: 0, actualCost: 0, requestedCost: 0 };
  const documents = new Map<string, DocumentNode>();
  const bulkBase = options.bulkResultBaseUrl ?? DEFAULT_BULK_RESULT_BASE_URL;
  const bulk = createBulkOperations({
    schema,
    now,
    resultUrl: (shop, id) => `${bulkBase}/${shop}/${id}.jsonl`,
    objectsPerSecond: options.bulkObjectsPerSecond,
  });

  function bucketFor(shop: string) {
    const bucket = buckets.get(shop) ?? { available: bucketOptions.size, at: now() };
    bucket.available = Math.min(
      bucketOptions.size,
      bucket.available + ((now() - bucket.at) / 1000) * bucketOptions.restoreRate,
    );
    bucket.at = now();
    buckets.set(shop, bucket);
    return bucket;
  }

  const throttleStatus = (available: number) => ({
    maximumAvailable: bucketOptions.size,
    currentlyAvailable: Math.floor(available),
    restoreRate: bucketOptions.restoreRate,
  });

  function handle(
    shop: string,
    accessToken: string | null,
    body: { query?: unknown; variables?: unknown; operationName?: unknown },
  ): SimulatorResponse {
    stats.requests += 1;
    const store = stores.get(shop);
    if (!store) return { status: 404, body: { errors: "Not Found" } };
    const expected = options.accessTokens?.[shop];
    if (!accessToken || (expected && accessToken !== expected)) {
      return {
        status: 401,
        body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" },
      };
    }
    if (typeof body.query !== "string")
      return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };

    let document = documents.get(body.query);
    if (!document) {
      try {
        document = parse(body.query);
      } catch (error) {
        return { status: 200, body: { errors: [shopifyError(error as GraphQLError, "parseError")] } };
      }
      const invalid = validate(schema, document);
      if (invalid.length)
        return { status: 200, body: { errors: invalid.map((error) => shopifyError(error)) } };
      documents.set(body.query, document);
    }
    const operationName = typeof body.operationName === "string" ? body.operationName : undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation)
      return {
        status: 200,
        body: {
          errors: [
            { message: "An operation name is required", extensions: { code: "OPERATION_NAME_REQUIRED" } },
          ],
        },
      };
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;

    const requested = requestedCost(schema, operation, fragments, variables);
    if (requested > MAX_QUERY_COST) {
      return {
        status: 200,
        body: {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`,
              extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST },
            },
          ],
        },
      };
    }
    const bucket = bucketFor(shop);
    if (bucket.available < requested) {
      stats.throttled += 1;
      return {
        status: 200,
        body: {
          errors: [
            {
              message: "Throttled",
              extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
            },
          ],
          extensions: {
            cost: {
              requestedQueryCost: requested,
              actualQueryCost: null,
              throttleStatus: throttleStatus(bucket.available),
            },
          },
        },
      };
    }

    const access: StoreAccess = {
      scopes: expandScopes(store.grants.scopes),
      protectedCustomerData: store.grants.protectedCustomerData,
    };
    const fieldResolver = accessCheckedResolver(access);
    const root = rootFor(store, now, access, {
      run: (bulkQuery) =>
        bulk.run(
          store.shop,
          bulkQuery,
          (bulkDocument) =>
            execute({
              schema,
              document: bulkDocument,
              rootValue: root,
              contextValue: { bulk: true } satisfies ResolveContext,
              fieldResolver,
            }) as { data?: unknown; errors?: readonly GraphQLError[] },
        ),
      poll: (id) => bulk.poll(store.shop, id),
    });
    const result = execute({
      schema,
      document,
      operationName,
      variableValues: variables,
      rootValue: root,
      contextValue: {} satisfies ResolveContext,
      fieldResolver,
    }) as { data?: Record<string, unknown> | null; errors?: readonly GraphQLError[] };
    const actual = result.data
      ? Math.min(requested, actualCost(result.data, operation.operation === "mutation"))
      : 0;
    bucket.available -= actual;
    stats.actualCost += actual;
    stats.requestedCost += requested;
    return {
      status: 200,
      body: {
        ...(result.data !== undefined ? { data: result.data } : {}),
        ...(result.errors?.length ? { errors: result.errors.map((error) => shopifyError(error)) } : {}),
        extensions: {
          cost: {
            requestedQueryCost: requested,
            actualQueryCost: actual,
            throttleStatus: throttleStatus(bucket.available),
          },
        },
      },
    };
  }

  /** The JSONL of a completed bulk operation, for `${bulkResultBaseUrl}/<shop>/<id>.jsonl`. */
  function bulkResult(shop: string, id: number): string | null {
    return bulk.resultOf(shop, id);
  }

  return { handle, bulkResult, stats, stores };
}

export type AdminApiSimulator = ReturnType<typeof createAdminApiSimulator>;

/** graphql-js messages in the shapes Shopify (graphql-ruby) uses for the common mistakes. */
function shopifyError(
  error: GraphQLError,
  fallbackCode = "GRAPHQL_VALIDATION_FAILED",
): GraphQLFormattedError {
  const formatted = error.toJSON();
  const undefinedField = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(error.message);
  if (undefinedField) {
    const [, fieldName, typeName] = undefinedField;
    return {
      ...formatted,
      message: `Field '${fieldName}' doesn't exist on type '${typeName}'`,
      extensions: { code: "undefinedField", typeName, fieldName },
    };
  }
  const unknownArgument = /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"/.exec(error.message);
  if (unknownArgument) {
    const [, argumentName, typeName, fieldName] = unknownArgument;
    return {
      ...formatted,
      message: `Field '${fieldName}' doesn't accept argument '${argumentName}'`,
      extensions: {
        code: "argumentNotAccepted",
        name: fieldName,
        typeName: "Field",
        argumentName,
        parentTypeName: typeName,
      },
    };
  }
  // Errors raised with Shopify's own extensions (ACCESS_DENIED's requiredAccess) keep them.
  const code = (error.extensions?.code as string | undefined) ?? fallbackCode;
  return { ...formatted, extensions: { ...error.extensions, code } };
}

/** Every field is checked against the store's grants before it resolves (access-rules.ts). */
function accessCheckedResolver(access: StoreAccess): GraphQLFieldResolver<unknown, ResolveContext> {
  return (source, args, context, info) =>
    fieldAccessDenial(
      info.parentType.name,
      info.fieldName,
      getNamedType(info.returnType).name,
      access,
      args as Record<string, unknown>,
    ) ?? defaultFieldResolver(source, args, context, info);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function rootFor(
  store: SimStore,
  now: () => number,
  access: StoreAccess,
  bulkOperations: {
    run: (query: string) => ReturnType<BulkOperations["run"]>;
    poll: (id: number) => ReturnType<BulkOperations["poll"]>;
  },
) {
  const findCustomer = (id: string) => {
    const numeric = parseGid(id, "Customer");
    return numeric === null ? undefined : store.customers.get(numeric);
  };
  // Without read_all_orders Shopify shows only the last 60 days of orders: lists leave older ones
  // out and asking for one by id finds nothing (2026-07 schema, Order and QueryRoot.order).
  const orderVisible = (order: SimOrder) =>
    access.scopes.has("read_all_orders") ||
    Date.parse(order.createdAt) >= now() - ORDER_HISTORY_DAYS * 86_400_000;
  const view = (customer: NonNullable<ReturnType<typeof findCustomer>>) =>
    customerView(store, customer, orderVisible);
  const root = {
    orders: ({ query, ...args }: ConnectionArgs & { query?: string | null }, context?: ResolveContext) => {
      const customerId = /customer_id:(\d+)/.exec(query ?? "")?.[1];
      const matching = [...store.orders.values()].filter(
        (order) => (!customerId || order.customerId === Number(customerId)) && orderVisible(order),
      );
      return connection(ordersOldestFirst(matching).map(orderView), args, context);
    },
    customers: (args: ConnectionArgs & { query?: string | null }, context?: ResolveContext) =>
      connection([...store.customers.values()].sort((a, b) => a.id - b.id).map(view), args, context),
    currentAppInstallation: () => ({
      __typename: "AppInstallation",
      id: gid("AppInstallation", 1),
      accessScopes: [...access.scopes].sort().map((handle) => ({
        __typename: "AccessScope",
        handle,
        description: `Granted by ${store.shop}`,
      })),
    }),
    bulkOperationRunQuery: ({ query }: { query: string; groupObjects: boolean }) => bulkOperations.run(query),
    bulkOperation: ({ id }: { id: string }) => {
      const numeric = parseGid(id, "BulkOperation");
      return numeric === null ? null : bulkOperations.poll(numeric);
    },
    customer: ({ id }: { id: string }) => {
      const customer = findCustomer(id);
      return customer ? view(customer) : null;
    },
    // Exactly one identifier, as Shopify's CustomerIdentifierInput is a one-of input.
    customerByIdentifier: ({ identifier }: { identifier: Record<string, string | null | undefined> }) => {
      const given = Object.entries(identifier).filter(([, value]) => value != null);
      if (given.length !== 1)
        throw new GraphQLError(
          "CustomerIdentifierInput requires exactly one of id, emailAddress, phoneNumber, customId",
          {
            extensions: { code: "BAD_REQUEST" },
          },
        );
      const [kind, value] = given[0]!;
      const match = [...store.customers.values()].find((customer) =>
        kind === "id"
          ? gid("Customer", customer.id) === value
          : kind === "emailAddress"
            ? customer.email?.toLowerCase() === value!.toLowerCase()
            : kind === "phoneNumber"
              ? customer.phone === value
              : false,
      );
      return match ? view(match) : null;
    },
    shop: () => ({
      __typename: "Shop",
      id: gid("Shop", 1),
      name: store.name ?? store.shop.replace(/\.myshopify\.com$/, ""),
    }),
    order: ({ id }: { id: string }) => {
      const numeric = parseGid(id, "Order");
      const order = numeric === null ? undefined : store.orders.get(numeric);
      return order && orderVisible(order) ? orderView(order) : null;
    },
    customerRequestDataErasure: ({ customerId }: { customerId: string }) => {
      const customer = findCustomer(customerId);
      if (!customer) {
        return {
          customerId: null,
          userErrors: [{ field: ["customerId"], message: "Customer does not exist", code: "DOES_NOT_EXIST" }],
        };
      }
      if (store.failErasureFor.has(customer.id)) {
        return {
          customerId: null,
          userErrors: [
            {
              field: ["customerId"],
              message: "Failed to request erasure of customer data",
              code: "FAILED_TO_REQUEST",
            },
          ],
        };
      }
      customer.erasureRequestedAt ??= new Date(now()).toISOString();
      return { customerId: gid("Customer", customer.id), userErrors: [] };
    },
    customerUpdate: ({ input }: { input: Record<string, unknown> }) => {
      const customer = typeof input.id === "string" ? findCustomer(input.id) : undefined;
      if (!customer)
        return { customer: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] };
      const email = input.email as string | undefined;
      if (email !== undefined && email !== null && !EMAIL.test(email)) {
        return { customer: null, userErrors: [{ field: ["email"], message: "Email is invalid" }] };
      }
      if (
        email &&
        [...store.customers.values()].some(
          (c) => c.id !== customer.id && c.email?.toLowerCase() === email.toLowerCase(),
        )
      ) {
        return {
          customer: null,
          userErrors: [{ field: ["email"], message: "Email has already been taken" }],
        };
      }
      const phone = input.phone as string | undefined;
      if (phone !== undefined && phone !== null && !/^\+?[\d\s().-]{7,}$/.test(phone)) {
        return { customer: null, userErrors: [{ field: ["phone"], message: "Phone is invalid" }] };
      }
      for (const key of ["firstName", "lastName", "email", "phone", "note"] as const) {
        if (key in input) (customer as unknown as Record<string, unknown>)[key] = input[key] ?? null;
      }
      customer.updatedAt = new Date(now()).toISOString();
      return { customer: view(customer), userErrors: [] };
    },
    dataSaleOptOut: ({ email }: { email: string }) => {
      if (!EMAIL.test(email))
        return {
          customerId: null,
          userErrors: [{ field: ["email"], message: "Email is invalid", code: "FAILED" }],
        };
      const customer = [...store.customers.values()].find(
        (c) => c.email?.toLowerCase() === email.toLowerCase(),
      );
      if (!customer)
        return {
          customerId: null,
          userErrors: [{ field: ["email"], message: "Customer not found", code: "FAILED" }],
        };
      customer.dataSaleOptOut = true;
      return { customerId: gid("Customer", customer.id), userErrors: [] };
    },
  };
  return root;
}
