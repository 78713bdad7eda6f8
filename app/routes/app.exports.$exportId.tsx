import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { adminContext } from "../admin-context.server";
import { openExportDownload } from "../exports/export-store.server";
import { getExportStorage } from "../keys.server";

/**
 * GET /app/exports/:exportId: a staff member of the shop (session token) with a role that may
 * download exports (approver or admin) downloads one.
 * The file is decrypted as it streams, each chunk verified first; the download is audited with
 * the staff member's Shopify user id. Another shop's export is 404; an expired one 410 Gone.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { db, keyring, staff } = await adminContext(request, "export.download");
  if (!params.exportId) return new Response("No such export in this shop", { status: 404 });

  const download = await openExportDownload(db, keyring, getExportStorage(), {
    shopId: staff.shopId,
    exportId: params.exportId,
    actor: staff.actor,
    now: new Date(),
  });
  if (download.status !== 200) {
    return new Response(download.message, {
      status: download.status,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
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
