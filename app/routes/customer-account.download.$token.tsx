import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { openAccountTicket } from "../exports/export-links.server";
import { getExportStorage, getKeyring } from "../keys.server";

/**
 * GET /customer-account/download/:token: the file behind a ticket the customer account page
 * asked for (customer-account.exports.$exportId.ticket). The ticket is the credential: random,
 * stored hashed, bound to one customer's export, used once within minutes.
 */
export const loader = async ({ params }: LoaderFunctionArgs) => {
  const download = await openAccountTicket(getDb(), getKeyring(), getExportStorage(), {
    token: params.token ?? "",
    now: new Date(),
  });
  if (download.status !== 200)
    return new Response(download.message, {
      status: download.status,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  return new Response(Readable.toWeb(Readable.from(download.body)) as ReadableStream, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${download.fileName.replace(/[^\w.-]/g, "_")}"`,
      "Content-Length": String(download.sizeBytes),
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
    },
  });
};
