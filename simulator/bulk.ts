import {
  getNamedType,
  type GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { gid } from "./graph";

/**
 * Bulk query operations as Shopify runs them: the query is checked (at least one connection, at
 * most five, nested at most two deep), run over everything (connections unpaginated) under the
 * store's access rules, and its result written as JSONL, one line per connection node, nested
 * nodes carrying `__parentId`. The operation is RUNNING for as long as writing its objects takes
 * at `objectsPerSecond` (on the simulator's clock), so a big export waits as it would on Shopify
 * and clients must poll. A refusal by the access rules fails it with errorCode ACCESS_DENIED.
 */
export interface BulkOperationRecord {
  id: number;
  shop: string;
  query: string;
  errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | null;
  createdAtMs: number;
  durationMs: number;
  lines: string[];
  rootObjectCount: number;
}

export interface BulkOptions {
  schema: GraphQLSchema;
  now: () => number;
  resultUrl: (shop: string, id: number) => string;
  /** Objects (JSONL lines) written per second while an operation runs; Shopify does not publish one. */
  objectsPerSecond?: number;
  /** Queries that may run at once per shop (5 from API 2026-01). */
  concurrentLimit?: number;
}

export const DEFAULT_BULK_OBJECTS_PER_SECOND = 1_000;

const invalid = (message: string, code = "INVALID") => ({
  bulkOperation: null,
  userErrors: [{ field: ["query"], message, code }],
});

function connectionShape(schema: GraphQLSchema, document: DocumentNode) {
  let connections = 0;
  let deepest = 0;
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, depth: number) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value)!;
        walk(
          fragment.selectionSet,
          schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType,
          depth,
        );
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(
          selection.selectionSet,
          selection.typeCondition
            ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType)
            : parent,
          depth,
        );
      } else if ("getFields" in parent && selection.selectionSet) {
        const field = parent.getFields()[selection.name.value];
        if (!field) continue;
        const named = getNamedType(field.type) as GraphQLCompositeType;
        const isConnection = named.name.endsWith("Connection");
        if (isConnection) {
          connections += 1;
          deepest = Math.max(deepest, depth + 1);
        }
        walk(selection.selectionSet, named, depth + (isConnection ? 1 : 0));
      }
    }
  };
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operation && operation.kind === Kind.OPERATION_DEFINITION)
    walk(operation.selectionSet, schema.getQueryType()!, 0);
  return { connections, deepest };
}

const isConnectionValue = (value: unknown): value is { edges?: { node: unknown }[]; nodes?: unknown[] } =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  ("edges" in value || "nodes" in value);

/** One JSONL line per connection node; nested connections become lines with __parentId. */
function toJsonLines(data: unknown): string[] {
  const lines: string[] = [];
  const visit = (value: unknown, parentId: string | null) => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, parentId);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    for (const child of Object.values(value)) {
      if (!isConnectionValue(child)) {
        visit(child, parentId);
        continue;
      }
      const nodes = child.nodes ?? child.edges?.map((edge) => edge.node) ?? [];
      for (const node of nodes as Record<string, unknown>[]) {
        const flat: Record<string, unknown> = {};
        for (const [key, field] of Object.entries(node)) if (!isConnectionValue(field)) flat[key] = field;
        if (parentId) flat.__parentId = parentId;
        lines.push(JSON.stringify(flat));
        visit(
          Object.fromEntries(Object.entries(node).filter(([, field]) => isConnectionValue(field))),
          typeof node.id === "string" ? node.id : parentId,
        );
      }
    }
  };
  visit(data, null);
  return lines;
}

export function createBulkOperations(options: BulkOptions) {
  const operations = new Map<number, BulkOperationRecord>();
  const rate = options.objectsPerSecond ?? DEFAULT_BULK_OBJECTS_PER_SECOND;
  let nextId = 5_000_000;

  const statusOf = (record: BulkOperationRecord) => {
    const elapsed = options.now() - record.createdAtMs;
    if (elapsed >= record.durationMs) return record.errorCode ? "FAILED" : "COMPLETED";
    return elapsed <= 0 ? "CREATED" : "RUNNING";
  };

  /** `execute` runs the bulk query under the same rules as any request (connections unpaginated). */
  function run(
    shop: string,
    query: string,
    execute: (document: DocumentNode) => { data?: unknown; errors?: readonly GraphQLError[] },
  ) {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return invalid(`Invalid bulk query: ${(error as GraphQLError).message}`);
    }
    const errors = validate(options.schema, document);
    if (errors.length) return invalid(`Invalid bulk query: ${errors.map((e) => e.message).join("; ")}`);
    const { connections, deepest } = connectionShape(options.schema, document);
    if (connections === 0) return invalid("Bulk queries must contain at least one connection.");
    if (connections > 5) return invalid("Bulk queries cannot contain more than 5 connections.");
    if (deepest > 2)
      return invalid("Bulk queries cannot contain connections with a nesting depth greater than 2.");
    const running = [...operations.values()].filter(
      (op) => op.shop === shop && ["CREATED", "RUNNING"].includes(statusOf(op)),
    );
    if (running.length >= (options.concurrentLimit ?? 5)) {
      return invalid(
        `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", running[0]!.id)}.`,
        "OPERATION_IN_PROGRESS",
      );
    }

    const result = execute(document);
    const id = (nextId += 1);
    const lines = toJsonLines(result.data);
    const failures = result.errors ?? [];
    const record: BulkOperationRecord = {
      id,
      shop,
      query,
      errorCode: !failures.length
        ? null
        : failures.some((error) => error.extensions?.code === "ACCESS_DENIED")
          ? "ACCESS_DENIED"
          : "INTERNAL_SERVER_ERROR",
      createdAtMs: options.now(),
      durationMs: Math.ceil((lines.length / rate) * 1000),
      lines: failures.length ? [] : lines,
      rootObjectCount: lines.filter((line) => !line.includes('"__parentId"')).length,
    };
    operations.set(id, record);
    return { bulkOperation: { id: gid("BulkOperation", id), status: "CREATED" }, userErrors: [] };
  }

  function poll(shop: string, id: number) {
    const record = operations.get(id);
    if (!record || record.shop !== shop) return null;
    const status = statusOf(record);
    const done = status === "COMPLETED";
    // While running, the counts grow with the objects written so far.
    const written = done
      ? 1
      : status === "RUNNING"
        ? Math.min(1, (options.now() - record.createdAtMs) / record.durationMs)
        : 0;
    const objects = record.errorCode ? 0 : Math.floor(record.lines.length * written);
    return {
      __typename: "BulkOperation",
      id: gid("BulkOperation", record.id),
      status,
      errorCode: status === "FAILED" ? record.errorCode : null,
      objectCount: String(objects),
      rootObjectCount: String(record.errorCode ? 0 : Math.floor(record.rootObjectCount * written)),
      fileSize: done && record.lines.length ? String(Buffer.byteLength(resultOf(shop, id) ?? "")) : null,
      url: done && record.lines.length ? options.resultUrl(shop, id) : null,
      partialDataUrl: null,
      createdAt: new Date(record.createdAtMs).toISOString(),
      completedAt:
        status === "COMPLETED" || status === "FAILED"
          ? new Date(record.createdAtMs + record.durationMs).toISOString()
          : null,
      query: record.query,
      type: "QUERY",
    };
  }

  function resultOf(shop: string, id: number): string | null {
    const record = operations.get(id);
    if (!record || record.shop !== shop || statusOf(record) !== "COMPLETED") return null;
    return record.lines.map((line) => `${line}\n`).join("");
  }

  return { run, poll, resultOf };
}

export type BulkOperations = ReturnType<typeof createBulkOperations>;
