import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { openExportDownload } from "../exports/export-store.server";
import { getExportStorage, getKeyring } from "../keys.server";
import { authenticate } from "../shopify.server";

/**
 * GET /app/exports/:exportId: a staff member of the shop (session token) downloads an export.
 * The file is decrypted as it streams, each chunk verified first; the download is audited with
 * the staff member's Shopify user id. Another shop's export is 404; an expired one 410 Gone.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const shop = await getDb().shop.findUnique({ where: { domain: session.shop }, select: { id: true } });
  if (!shop || !params.exportId) return new Response("No such export in this shop", { status: 404 });

  const download = await openExportDownload(getDb(), getKeyring(), getExportStorage(), {
    shopId: shop.id,
    exportId: params.exportId,
    actor: `staff:${sessionToken?.sub ?? "unknown"}`,
    now: new Date(),
  });
  if (download.status !== 200) {
    return new Response(download.message, { status: download.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  return new Response(Readable.toWeb(Readable.from(download.body)) as ReadableStream, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${download.fileName.replace(/[^\w.-]/g, "_")}"`,
      "Content-Length": String(download.sizeBytes),
      "Cache-Control": "no-store",
    },
  });
};
