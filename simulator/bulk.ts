import {
  execute,
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
 * most five, nested at most two deep), run over everything (connections unpaginated), and its
 * result written as JSONL, one line per connection node, nested nodes carrying `__parentId`.
 * Status moves CREATED → RUNNING → COMPLETED as it is polled, so clients must poll.
 */
export interface BulkOperationRecord {
  id: number;
  shop: string;
  query: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED";
  errorCode: string | null;
  createdAt: string;
  completedAt: string | null;
  polls: number;
  lines: string[];
  rootObjectCount: number;
}

export interface BulkOptions {
  schema: GraphQLSchema;
  now: () => number;
  resultUrl: (shop: string, id: number) => string;
  /** Polls of bulkOperation(id) before it reports COMPLETED. */
  pollsToComplete?: number;
  /** Queries that may run at once per shop (5 from API 2026-01). */
  concurrentLimit?: number;
}

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
  let nextId = 5_000_000;

  function run(shop: string, query: string, rootValue: object) {
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
      (op) => op.shop === shop && (op.status === "CREATED" || op.status === "RUNNING"),
    );
    if (running.length >= (options.concurrentLimit ?? 5)) {
      return invalid(
        `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", running[0]!.id)}.`,
        "OPERATION_IN_PROGRESS",
      );
    }

    const result = execute({ schema: options.schema, document, rootValue, contextValue: { bulk: true } }) as {
      data?: unknown;
      errors?: readonly GraphQLError[];
    };
    const id = (nextId += 1);
    const lines = result.errors?.length ? [] : toJsonLines(result.data);
    const record: BulkOperationRecord = {
      id,
      shop,
      query,
      status: "CREATED",
      errorCode: result.errors?.length ? "INTERNAL_SERVER_ERROR" : null,
      createdAt: new Date(options.now()).toISOString(),
      completedAt: null,
      polls: 0,
      lines,
      rootObjectCount: lines.filter((line) => !line.includes('"__parentId"')).length,
    };
    operations.set(id, record);
    return { bulkOperation: { id: gid("BulkOperation", id), status: "CREATED" }, userErrors: [] };
  }

  function poll(shop: string, id: number) {
    const record = operations.get(id);
    if (!record || record.shop !== shop) return null;
    if (record.status === "CREATED" || record.status === "RUNNING") {
      record.polls += 1;
      if (record.polls >= (options.pollsToComplete ?? 2)) {
        record.status = record.errorCode ? "FAILED" : "COMPLETED";
        record.completedAt = new Date(options.now()).toISOString();
      } else {
        record.status = "RUNNING";
      }
    }
    const done = record.status === "COMPLETED";
    return {
      __typename: "BulkOperation",
      id: gid("BulkOperation", record.id),
      status: record.status,
      errorCode: record.errorCode,
      objectCount: String(done ? record.lines.length : 0),
      rootObjectCount: String(done ? record.rootObjectCount : 0),
      fileSize: done && record.lines.length ? String(Buffer.byteLength(resultOf(shop, id) ?? "")) : null,
      url: done && record.lines.length ? options.resultUrl(shop, id) : null,
      partialDataUrl: null,
      createdAt: record.createdAt,
      completedAt: record.completedAt,
      query: record.query,
      type: "QUERY",
    };
  }

  function resultOf(shop: string, id: number): string | null {
    const record = operations.get(id);
    if (!record || record.shop !== shop || record.status !== "COMPLETED") return null;
    return record.lines.map((line) => `${line}\n`).join("");
  }

  return { run, poll, resultOf };
}

export type BulkOperations = ReturnType<typeof createBulkOperations>;
