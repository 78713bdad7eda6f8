import { z } from "zod";
import { DUE_SOON_DAYS } from "./deadlines";
import { REQUEST_SOURCES, REQUEST_STATUSES, REQUEST_TYPES } from "./request-lifecycle";

/** The requests index's query string: filters, search, sort and a page cursor, all validated. */
export const SORTS = ["received_desc", "received_asc", "due_asc", "due_desc"] as const;
export type Sort = (typeof SORTS)[number];
export const DUE_WINDOWS = ["overdue", "due_soon", "open"] as const;
export type DueWindow = (typeof DUE_WINDOWS)[number];
export const PAGE_SIZE = 25;

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z
    .enum(values, { errorMap: () => ({ message: `Unknown ${what}; use one of ${values.join(", ")}` }) })
    .optional()
    .or(z.literal("").transform(() => undefined));

export const requestIndexQuery = z
  .object({
    status: optionalEnum(REQUEST_STATUSES, "status"),
    type: optionalEnum(REQUEST_TYPES, "type"),
    source: optionalEnum(REQUEST_SOURCES, "source"),
    due: optionalEnum(DUE_WINDOWS, "due window"),
    q: z.string().trim().max(320, "The search is too long").optional(),
    sort: optionalEnum(SORTS, "sort").transform((value) => value ?? "received_desc"),
    after: z.string().max(200).optional(),
    before: z.string().max(200).optional(),
  })
  .refine((query) => !(query.after && query.before), "Use either after or before, not both");
export type RequestIndexQuery = z.output<typeof requestIndexQuery>;

const QUERY_KEYS = ["status", "type", "source", "due", "q", "sort", "after", "before"] as const;

/** Only the index's own parameters; Shopify's (shop, host, id_token…) are not ours to judge. */
export function parseIndexQuery(search: URLSearchParams) {
  return requestIndexQuery.safeParse(
    Object.fromEntries(QUERY_KEYS.flatMap((key) => (search.has(key) ? [[key, search.get(key)]] : []))),
  );
}

/** What a search box entry means: an email address, a Shopify customer id, or neither. */
export type Search =
  | { kind: "email"; email: string }
  | { kind: "customer"; customerId: string }
  | { kind: "invalid"; message: string };

export function classifySearch(q: string): Search {
  const text = q.trim();
  const gid = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(text);
  if (gid) return { kind: "customer", customerId: gid[1]! };
  if (/^\d{1,20}$/.test(text)) return { kind: "customer", customerId: text };
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) return { kind: "email", email: text };
  return { kind: "invalid", message: "Search by a full email address or a Shopify customer id" };
}

/** A keyset cursor: the sort value and id of the row a page starts after (or before). */
export interface Cursor {
  at: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString("base64url");
}

export function decodeCursor(value: string): Cursor | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [at, id] = parsed as unknown[];
    if (typeof at !== "string" || typeof id !== "string" || Number.isNaN(Date.parse(at))) return null;
    return { at, id };
  } catch {
    return null;
  }
}

/** The deadline range of a due window, for open requests. */
export function dueRange(window: DueWindow, now: Date): { lt?: Date; gte?: Date } {
  if (window === "overdue") return { lt: now };
  if (window === "due_soon") return { gte: now, lt: new Date(now.getTime() + DUE_SOON_DAYS * 86_400_000) };
  return {};
}
