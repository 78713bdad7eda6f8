import { z } from "zod";

export const AUDIT_FILTER_FIELDS = ["requestId", "actor", "from", "to", "before"] as const;
export type AuditFilterField = (typeof AUDIT_FILTER_FIELDS)[number];

const MAX_TEXT = 100;
/** Prisma's Int is 32-bit: a larger sequence number would fail in the query, not here. */
const MAX_SEQ = 2_147_483_647;
const DAY_MS = 86_400_000;

/** Midnight UTC of a YYYY-MM-DD that names a real day, or null (2026-13-45 and 2026-02-30 do not). */
export function calendarDay(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Years outside 1970-9998 are no date an audit event has, and 9999-12-31 + 1 day leaves ISO 8601.
  if (year < 1970 || year > 9998) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? date
    : null;
}

const text = z.string().trim().max(MAX_TEXT, `at most ${MAX_TEXT} characters`);

const day = z
  .string()
  .max(10, "a date as YYYY-MM-DD")
  .transform((value, ctx) => {
    const date = calendarDay(value);
    if (date) return date;
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? `${value} is not a real date between 1970 and 9998`
        : "a date as YYYY-MM-DD",
    });
    return z.NEVER;
  });

const beforeSeq = z
  .string()
  .regex(/^\d{1,10}$/, "an event number")
  .transform(Number)
  .refine((seq) => seq >= 1 && seq <= MAX_SEQ, "an event number");

/** The audit log's filters, as the page and the NDJSON export take them from the query string. */
const auditFilterQuery = z
  .object({ requestId: text, actor: text, from: day, to: day, before: beforeSeq })
  .partial()
  .superRefine((query, ctx) => {
    if (query.from && query.to && query.from > query.to)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["to"], message: "is before the start date (from)" });
  });

export interface AuditFilter {
  requestId?: string;
  actor?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive: the start of the day after the chosen end date. */
  to?: Date;
  beforeSeq?: number;
}

export type ParsedAuditFilter =
  | { ok: true; filter: AuditFilter }
  | { ok: false; errors: Partial<Record<AuditFilterField, string>>; message: string };

/**
 * Only the filter's own parameters are read (Shopify adds shop, host, id_token…); an empty value
 * means "any". Every problem is named by its field, so a bad link is a 400 that says what to fix.
 */
export function parseAuditFilter(search: URLSearchParams): ParsedAuditFilter {
  const given = Object.fromEntries(
    AUDIT_FILTER_FIELDS.flatMap((field) => (search.get(field) ? [[field, search.get(field)]] : [])),
  );
  const parsed = auditFilterQuery.safeParse(given);
  if (!parsed.success) {
    const errors: Partial<Record<AuditFilterField, string>> = {};
    for (const issue of parsed.error.issues) errors[issue.path[0] as AuditFilterField] ??= issue.message;
    const message = Object.entries(errors)
      .map(([field, problem]) => `${field}: ${problem}`)
      .join("; ");
    return { ok: false, errors, message };
  }
  const { requestId, actor, from, to, before } = parsed.data;
  return {
    ok: true,
    filter: {
      requestId: requestId || undefined,
      actor: actor || undefined,
      from,
      to: to ? new Date(to.getTime() + DAY_MS) : undefined,
      beforeSeq: before,
    },
  };
}
