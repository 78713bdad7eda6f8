import { GraphQLError } from "graphql";

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

const MAX_PAGE = 250;
const encode = (index: number) => Buffer.from(`cursor:${index}`).toString("base64");
const decode = (cursor: string, argument: string) => {
  const match = /^cursor:(\d+)$/.exec(Buffer.from(cursor, "base64").toString());
  if (!match)
    throw new GraphQLError(`Invalid cursor for ${argument}`, { extensions: { code: "BAD_REQUEST" } });
  return Number(match[1]);
};

/** Inside a bulk operation connections take no page size and return everything. */
export interface ResolveContext {
  bulk?: boolean;
}

/** Relay pagination as Shopify does it: first/last required, at most 250, opaque cursors. */
export function connection<T>(all: readonly T[], args: ConnectionArgs, context?: ResolveContext) {
  const { first, last } = args;
  if (context?.bulk)
    return {
      nodes: all,
      edges: all.map((node, i) => ({ node, cursor: encode(i) })),
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    };
  if (first == null && last == null) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (value != null && (value < 0 || value > MAX_PAGE)) {
      throw new GraphQLError(`The value for '${name}' must be between 0 and ${MAX_PAGE}`, {
        extensions: { code: "BAD_REQUEST" },
      });
    }
  }
  const items = args.reverse ? [...all].reverse() : all;
  let start = args.after ? decode(args.after, "after") + 1 : 0;
  let end = args.before ? decode(args.before, "before") : items.length;
  if (first != null) end = Math.min(end, start + first);
  if (last != null) start = Math.max(start, end - last);
  const slice = items.slice(start, end);
  return {
    nodes: slice,
    edges: slice.map((node, i) => ({ node, cursor: encode(start + i) })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length ? encode(start) : null,
      endCursor: slice.length ? encode(end - 1) : null,
    },
  };
}
