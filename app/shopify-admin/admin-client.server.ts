import {
  describeMissingScope,
  describeProtectedDataRefusal,
  type ProtectedField,
} from "../domain/access-requirements";
import { backoffDelayMs, type RetryPolicy } from "../domain/retry-policy";
import type { AdminOperationTypes } from "./generated/admin-operations";
import { ADMIN_OPERATIONS, type AdminOperationName } from "./operations";

/**
 * The app's Admin GraphQL client. It models Shopify's leaky bucket from the
 * `extensions.cost.throttleStatus` of every response and waits for enough points before the next
 * call, so a long export never runs into THROTTLED. Points are reserved when a call is sent, so
 * concurrent calls for one shop share the budget. THROTTLED, 429, 5xx and network failures are
 * retried with backoff and jitter; anything else fails at once. ACCESS_DENIED comes back as a
 * typed AdminApiError (`access_denied` naming the scope, `protected_customer_data` naming the
 * fields) whose message tells the merchant what is missing and how to fix it.
 * `userErrors` are data, not errors: the caller decides what they mean.
 */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

/** What Shopify refused, read from its ACCESS_DENIED errors. */
export interface AccessDenial {
  /** The scopes Shopify named as required (any one of them would do). */
  requiredScopes: string[];
  /** Protected customer data Shopify withheld: the whole customer/order object, or level 2 fields. */
  protectedData: { customerObject: boolean; fields: ProtectedField[] };
}

export class AdminApiError extends Error {
  constructor(
    message: string,
    /**
     * `access_denied`: the store has not granted a scope the call needs; `protected_customer_data`:
     * Shopify has not approved the app for customer data it read. Neither is fixed by retrying.
     */
    readonly kind: "graphql" | "http" | "network" | "exhausted" | "access_denied" | "protected_customer_data",
    readonly details: { status?: number; errors?: unknown; operation: string; access?: AccessDenial },
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

/** A refusal that only the merchant or Shopify can lift; the caller should fail, not retry. */
export const isAccessRefusal = (
  error: unknown,
): error is AdminApiError & {
  kind: "access_denied" | "protected_customer_data";
  details: { access: AccessDenial };
} =>
  error instanceof AdminApiError &&
  (error.kind === "access_denied" || error.kind === "protected_customer_data");

type GraphqlError = { message: string; extensions?: { code?: string; requiredAccess?: string } };

const NOT_APPROVED = /not approved to (?:access the (\w+) object|use the (\w+) field)/;
const FIELD_OF: Record<string, ProtectedField> = {
  email: "email",
  phone: "phone",
  firstName: "name",
  lastName: "name",
  displayName: "name",
  name: "name",
};

/**
 * Shopify's ACCESS_DENIED errors read as one denial, or null if any error is something else.
 * Scopes come from `extensions.requiredAccess` ("`a` access scope." / "Any of `a`, `b` access
 * scopes."); protected data from "This app is not approved to access the Customer object" or
 * "… to use the email field" (shapes in simulator/access-rules.ts). A missing scope wins: it is
 * the one a merchant can fix.
 */
export function accessDenialOf(
  errors: readonly GraphqlError[],
): { kind: "access_denied" | "protected_customer_data"; access: AccessDenial } | null {
  if (!errors.length || errors.some((error) => error.extensions?.code !== "ACCESS_DENIED")) return null;
  const access: AccessDenial = { requiredScopes: [], protectedData: { customerObject: false, fields: [] } };
  const fields = new Set<ProtectedField>();
  let scopeRefusals = 0;
  for (const error of errors) {
    const approval = NOT_APPROVED.exec(error.message);
    if (approval) {
      const [, object, field] = approval;
      if (object === "Customer" || object === "Order") access.protectedData.customerObject = true;
      else if (object === "MailingAddress") fields.add("address");
      else if (field && FIELD_OF[field]) fields.add(FIELD_OF[field]);
      continue;
    }
    scopeRefusals += 1;
    const required =
      error.extensions?.requiredAccess ?? /Required access: (.*)$/.exec(error.message)?.[1] ?? "";
    for (const [, scope] of required.matchAll(/`([a-z_]+)`/g))
      if (!access.requiredScopes.includes(scope!)) access.requiredScopes.push(scope!);
  }
  access.protectedData.fields = [...fields];
  return { kind: scopeRefusals ? "access_denied" : "protected_customer_data", access };
}

function accessError(
  operation: string,
  errors: readonly GraphqlError[],
  denial: ReturnType<typeof accessDenialOf>,
) {
  const { kind, access } = denial!;
  const explanation =
    kind === "access_denied"
      ? describeMissingScope(access.requiredScopes)
      : describeProtectedDataRefusal(access.protectedData.customerObject, access.protectedData.fields);
  return new AdminApiError(`${operation}: ${explanation}`, kind, { errors, operation, access });
}

export interface AdminClientOptions {
  shop: string;
  apiVersion: string;
  /** The offline session's token; a function lets the caller refresh an expiring one. */
  accessToken: () => Promise<string>;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  maxAttempts?: number;
  retryPolicy?: RetryPolicy;
  /** Assumed cost of an operation not seen yet. */
  defaultCost?: number;
  /** Abandon a call Shopify has not answered in this long (then retried like a network failure). */
  requestTimeoutMs?: number;
  /**
   * Where the Admin API lives instead of https://<shop>: the simulator's origin in the local demo
   * and the export benchmark. Requests go to `<origin>/<shop>/admin/api/<version>/graphql.json`.
   */
  adminApiOrigin?: string;
  /** Told about every wait for Shopify's bucket, and every THROTTLED answer (for /metrics). */
  onThrottle?: (event: { waitMs: number } | { throttled: true }) => void;
}

interface GraphqlResponse<T> {
  data?: T;
  errors?: GraphqlError[];
  extensions?: { cost?: QueryCost };
}

const RETRY_POLICY: RetryPolicy = { baseDelayMs: 500, maxDelayMs: 30_000 };

export function createAdminClient(options: AdminClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 6;
  const policy = options.retryPolicy ?? RETRY_POLICY;
  const url = options.adminApiOrigin
    ? `${options.adminApiOrigin.replace(/\/$/, "")}/${options.shop}/admin/api/${options.apiVersion}/graphql.json`
    : `https://${options.shop}/admin/api/${options.apiVersion}/graphql.json`;

  /** Our view of the bucket: Shopify's last report, restored at its rate since, minus reservations. */
  let bucket: (ThrottleStatus & { at: number }) | null = null;
  const lastCost = new Map<string, number>();
  let waited = 0;

  const available = () =>
    bucket
      ? Math.min(
          bucket.maximumAvailable,
          bucket.currentlyAvailable + (bucket.restoreRate * (now() - bucket.at)) / 1000,
        )
      : Infinity;

  async function reserve(cost: number) {
    for (;;) {
      if (!bucket) return;
      const needed = Math.min(cost, bucket.maximumAvailable);
      const have = available();
      if (have >= needed) {
        bucket = { ...bucket, currentlyAvailable: have - needed, at: now() };
        return;
      }
      const ms = Math.ceil(((needed - have) / bucket.restoreRate) * 1000);
      waited += ms;
      options.onThrottle?.({ waitMs: ms });
      await sleep(ms);
    }
  }

  function observe(cost: QueryCost | undefined, operation: string) {
    if (!cost?.throttleStatus) return;
    bucket = { ...cost.throttleStatus, at: now() };
    // Shopify admits a query only when its requested cost is in the bucket (the unused part is
    // refunded afterwards), so that is what the next call of this operation must wait for.
    lastCost.set(operation, cost.requestedQueryCost);
  }

  /** Variables and result are typed from the schema (scripts/codegen-admin-types.ts). */
  async function request<N extends AdminOperationName>(
    operation: N,
    variables: AdminOperationTypes[N]["variables"],
  ): Promise<{ data: AdminOperationTypes[N]["result"]; cost?: QueryCost }> {
    type T = AdminOperationTypes[N]["result"];
    const query = ADMIN_OPERATIONS[operation];
    let lastProblem: AdminApiError | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      await reserve(lastCost.get(operation) ?? options.defaultCost ?? 10);
      // Outside the retry net: a shop without a session is not a network problem.
      const accessToken = await options.accessToken();
      let response: Response;
      try {
        response = await doFetch(url, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "X-Shopify-Access-Token": accessToken,
          },
          body: JSON.stringify({ query, variables, operationName: operation }),
          ...(options.requestTimeoutMs ? { signal: AbortSignal.timeout(options.requestTimeoutMs) } : {}),
        });
      } catch (error) {
        lastProblem = new AdminApiError(`Network error calling Shopify: ${String(error)}`, "network", {
          operation,
        });
        if (attempt < maxAttempts) await sleep(backoffDelayMs(attempt, random(), policy));
        continue;
      }

      if (response.status === 429 || response.status >= 500) {
        lastProblem = new AdminApiError(`Shopify answered ${response.status}`, "http", {
          status: response.status,
          operation,
        });
        const retryAfter = Number(response.headers.get("retry-after"));
        // Read (not cancel) the small error body: it frees the connection, and a cancel can hang
        // on a body that has already been fully received.
        await response.arrayBuffer().catch(() => undefined);
        if (attempt < maxAttempts)
          await sleep(retryAfter > 0 ? retryAfter * 1000 : backoffDelayMs(attempt, random(), policy));
        continue;
      }
      if (!response.ok) {
        const text = await response.text();
        throw new AdminApiError(`Shopify answered ${response.status}: ${text.slice(0, 300)}`, "http", {
          status: response.status,
          operation,
        });
      }

      const body = (await response.json()) as GraphqlResponse<T>;
      observe(body.extensions?.cost, operation);
      if (body.errors?.length) {
        if (body.errors.every((error) => error.extensions?.code === "THROTTLED")) {
          options.onThrottle?.({ throttled: true });
          // The bucket we just observed says how long until this query's cost is back.
          lastProblem = new AdminApiError("Throttled by Shopify", "http", {
            status: 200,
            errors: body.errors,
            operation,
          });
          if (!bucket && attempt < maxAttempts) await sleep(backoffDelayMs(attempt, random(), policy));
          continue;
        }
        const denial = accessDenialOf(body.errors);
        if (denial) throw accessError(operation, body.errors, denial);
        throw new AdminApiError(
          `${operation} failed: ${body.errors.map((e) => e.message).join("; ")}`,
          "graphql",
          {
            errors: body.errors,
            operation,
          },
        );
      }
      if (body.data === undefined)
        throw new AdminApiError(`${operation} returned no data`, "graphql", { operation });
      return { data: body.data, cost: body.extensions?.cost };
    }
    throw new AdminApiError(
      `${operation} did not succeed after ${maxAttempts} attempts: ${lastProblem?.message ?? "unknown"}`,
      "exhausted",
      { operation, status: lastProblem?.details.status },
    );
  }

  return {
    request,
    /** Milliseconds spent waiting for the bucket to refill (for benchmarks). */
    throttleWaitMs: () => waited,
  };
}

export type AdminClient = ReturnType<typeof createAdminClient>;

export interface Connection<N> {
  nodes: N[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Walks a connection page by page; `fetchPage` gets the cursor to continue after. */
export async function* paginate<N>(
  fetchPage: (after: string | null) => Promise<Connection<N> | null>,
): AsyncGenerator<N> {
  let after: string | null = null;
  for (;;) {
    const page: Connection<N> | null = await fetchPage(after);
    if (!page) return;
    yield* page.nodes;
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
    after = page.pageInfo.endCursor;
  }
}
