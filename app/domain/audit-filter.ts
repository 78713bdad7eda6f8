import { z } from "zod";

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Dates are YYYY-MM-DD")
  .optional()
  .or(z.literal("").transform(() => undefined));

/** The audit log page's filters, from its query string. */
export const auditFilterQuery = z
  .object({
    requestId: z.string().trim().max(100).optional(),
    actor: z.string().trim().max(100).optional(),
    from: date,
    to: date,
    before: z.coerce
      .number()
      .int()
      .positive()
      .optional()
      .or(z.literal("").transform(() => undefined)),
  })
  .refine(
    (query) => !query.from || !query.to || query.from <= query.to,
    "The start date is after the end date",
  );

export function parseAuditFilter(search: URLSearchParams) {
  const keys = ["requestId", "actor", "from", "to", "before"];
  const parsed = auditFilterQuery.safeParse(
    Object.fromEntries(keys.flatMap((key) => (search.get(key) ? [[key, search.get(key)]] : []))),
  );
  if (!parsed.success)
    return { ok: false as const, message: parsed.error.issues.map((issue) => issue.message).join("; ") };
  const { requestId, actor, from, to, before } = parsed.data;
  return {
    ok: true as const,
    filter: {
      requestId: requestId || undefined,
      actor: actor || undefined,
      from: from ? new Date(`${from}T00:00:00Z`) : undefined,
      // The end date is inclusive: up to the start of the next day.
      to: to ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) : undefined,
      beforeSeq: before,
    },
  };
}
