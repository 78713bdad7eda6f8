import type { Prisma } from "@prisma/client";
import type { Db } from "../db-types";
import { OPEN_STATUSES } from "../domain/request-lifecycle";
import {
  classifySearch,
  decodeCursor,
  dueRange,
  encodeCursor,
  PAGE_SIZE,
  type RequestIndexQuery,
  type Sort,
} from "../domain/request-index";
import type { Keyring } from "../security/keyring";
import { toRequestViews, type RequestView } from "./request-queries.server";
import { actorName } from "../domain/staff-names";
import { staffDirectory, staffNames } from "./staff.server";
import { emailHashFor } from "./subjects.server";

export interface RequestIndexPage {
  requests: RequestView[];
  /** For requests staff recorded: who recorded each, by name (request id → name). */
  recordedBy: Record<string, string>;
  /** Cursors for the next and previous pages, null at either end. */
  next: string | null;
  previous: string | null;
  searchProblem: string | null;
}

const SORT_FIELD: Record<Sort, { field: "receivedAt" | "dueAt"; dir: "asc" | "desc" }> = {
  received_desc: { field: "receivedAt", dir: "desc" },
  received_asc: { field: "receivedAt", dir: "asc" },
  due_asc: { field: "dueAt", dir: "asc" },
  due_desc: { field: "dueAt", dir: "desc" },
};

/**
 * One page of a shop's requests: filtered, searched (email through its blind index, or customer
 * id), sorted, and paged by keyset cursors so page 50 costs what page 1 does.
 */
export async function requestIndexPage(
  db: Db,
  keyring: Keyring,
  shop: { id: string; domain: string },
  query: RequestIndexQuery,
  now: Date,
): Promise<RequestIndexPage> {
  const shopId = shop.id;
  const where: Prisma.PrivacyRequestWhereInput = { shopId };
  if (query.status) where.status = query.status;
  if (query.type) where.type = query.type;
  if (query.source) where.source = query.source;
  if (query.due) {
    where.status = query.status
      ? OPEN_STATUSES.includes(query.status)
        ? query.status
        : { in: [] }
      : { in: [...OPEN_STATUSES] };
    const range = dueRange(query.due, now);
    if (range.lt || range.gte) where.dueAt = range;
  }
  if (query.q) {
    const search = classifySearch(query.q);
    if (search.kind === "invalid")
      return { requests: [], recordedBy: {}, next: null, previous: null, searchProblem: search.message };
    if (search.kind === "email") where.emailHash = emailHashFor(keyring, search.email);
    else where.customerId = search.customerId;
  }

  const { field, dir } = SORT_FIELD[query.sort];
  const backwards = Boolean(query.before);
  const cursor = decodeCursor(query.after ?? query.before ?? "");
  // Walking backwards reads the previous page in reverse order, then flips it.
  const readDir = backwards ? (dir === "asc" ? "desc" : "asc") : dir;
  const beyond = readDir === "asc" ? "gt" : "lt";
  const keyset: Prisma.PrivacyRequestWhereInput | undefined = cursor
    ? {
        OR: [
          { [field]: { [beyond]: new Date(cursor.at) } },
          { [field]: new Date(cursor.at), id: { [beyond]: cursor.id } },
        ],
      }
    : undefined;

  const rows = await db.privacyRequest.findMany({
    where: keyset ? { AND: [where, keyset] } : where,
    include: { shop: { select: { domain: true } } },
    orderBy: [{ [field]: readDir }, { id: readDir }],
    take: PAGE_SIZE + 1,
  });
  const more = rows.length > PAGE_SIZE;
  const page = rows.slice(0, PAGE_SIZE);
  if (backwards) page.reverse();
  const cursorOf = (row: (typeof page)[number]) => encodeCursor({ at: row[field].toISOString(), id: row.id });
  const first = page[0];
  const last = page.at(-1);
  const requests = await toRequestViews(db, keyring, page);
  return {
    requests,
    recordedBy: await recorders(db, shop, requests),
    next: last && (backwards || more) ? cursorOf(last) : null,
    previous: first && (backwards ? more : Boolean(cursor)) ? cursorOf(first) : null,
    searchProblem: null,
  };
}

/** Who recorded each request staff entered by hand, named from the shop's staff directory. */
async function recorders(
  db: Db,
  shop: { id: string; domain: string },
  requests: RequestView[],
): Promise<Record<string, string>> {
  const ids = requests.filter((request) => request.source === "merchant").map((request) => request.id);
  if (ids.length === 0) return {};
  const [received, directory] = await Promise.all([
    db.auditEvent.findMany({
      where: { shopId: shop.id, requestId: { in: ids }, action: "request.received" },
      select: { requestId: true, actor: true },
    }),
    staffDirectory(db, shop.domain),
  ]);
  const names = staffNames(directory);
  return Object.fromEntries(received.map((event) => [event.requestId!, actorName(event.actor, names)]));
}
