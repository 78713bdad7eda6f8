import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { adminContext } from "../admin-context.server";
import { parseAuditFilter } from "../domain/audit-filter";
import {
  appendAuditEvent,
  auditEventLine,
  auditExportHeader,
  shopEventsInOrder,
} from "../services/audit-log.server";

/**
 * GET /app/audit/export: the shop's audit events as NDJSON (chain order), optionally filtered;
 * audited. The first line is the chain head, which is the event recording this very export: the
 * merchant's copy is an anchor the database cannot rewrite.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { db, keyring, staff } = await adminContext(request, "audit.export");
  const parsed = parseAuditFilter(new URL(request.url).searchParams);
  if (!parsed.ok) return json({ error: `Bad filter: ${parsed.message}` }, { status: 400 });
  const { filter } = parsed;
  const { requestId, actor, from, to } = filter;
  const exportedAt = new Date();
  const head = await db.$transaction((tx) =>
    appendAuditEvent(tx, keyring, {
      shopId: staff.shopId,
      actor: staff.actor,
      action: "audit.exported",
      occurredAt: exportedAt,
      data: { requestId, actor, from: from?.toISOString(), to: to?.toISOString() },
    }),
  );
  async function* lines() {
    yield Buffer.from(`${auditExportHeader({ shopDomain: staff.shopDomain, head, exportedAt, filter })}\n`);
    for await (const event of shopEventsInOrder(db, staff.shopId, { ...filter, upToSeq: head.seq }))
      yield Buffer.from(`${auditEventLine(event, staff.shopDomain)}\n`);
  }
  return new Response(Readable.toWeb(Readable.from(lines())) as ReadableStream, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${staff.shopDomain}.ndjson"`,
      "Cache-Control": "no-store",
    },
  });
};
