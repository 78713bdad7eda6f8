import { parseArgs } from "node:util";
import type { Db } from "../db-types";
import { isRequestStatus, isRequestType, REQUEST_STATUSES, REQUEST_TYPES } from "../domain/request-lifecycle";
import type { Keyring } from "../security/keyring";
import { formatAnchor, parseAnchor, type ChainHead } from "../domain/audit-anchor";
import {
  auditEventLine,
  auditExportHeader,
  checkShopChain,
  shopChainHead,
  shopEventsInOrder,
  shopPurge,
  type ShopChainCheck,
  type ShopPurge,
} from "../services/audit-log.server";
import { getRequestWithEvents, listRequests, type RequestView } from "../services/request-queries.server";
import { requeueFailedJob } from "../queue/job-queue.server";

export const USAGE = `Usage: npm run -s cli -- <command>

  requests list --shop <domain> [--status <status>] [--type <type>] [--json]
  requests show <id> [--json]
  audit verify --shop <domain> [--since <seq:hash>]
                                          check the chain and, with --since, that it still holds
                                          an anchor saved earlier; prints the head to save next
  audit anchor --shop <domain>            check the chain, then print only its head (seq:hash),
                                          e.g. > anchor.txt, kept where the database cannot reach
  audit export --shop <domain>            NDJSON on stdout: a chain-head line, then the events
  jobs list [--status queued|running|done|failed] [--json]
  jobs retry <job id>                     put a failed job back in the queue

  exit:     0 ok, 1 a check failed or not found, 2 bad usage,
            3 nothing to verify: shop/redact purged the shop (audit verify, anchor)

  statuses: ${REQUEST_STATUSES.join(", ")}
  types:    ${REQUEST_TYPES.join(", ")}
`;

export interface CliIo {
  db: Db;
  keyring: Keyring;
  out: (line: string) => void;
  err: (line: string) => void;
  now?: () => Date;
}

class UsageError extends Error {}

/**
 * Runs one command; returns the process exit code: 0 ok, 1 a check failed or not found, 2 bad
 * usage, 3 (audit verify and anchor) nothing to verify because shop/redact purged the shop.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

function parse(args: string[], options: Record<string, { type: "string" | "boolean" }>, positionals = 0) {
  const parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(
      positionals
        ? `Expected ${positionals} argument(s), got ${parsed.positionals.length}`
        : "Unexpected argument",
    );
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  return {
    positionals: parsed.positionals,
    values,
    text: (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined),
  };
}

function requireShop(shop: string | undefined): string {
  if (!shop || !/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i.test(shop)) {
    throw new UsageError("--shop <domain> is required, e.g. --shop my-store.myshopify.com");
  }
  return shop.toLowerCase();
}

/** The shop, or null after telling the operator it is not in this database (or was purged). */
async function findShop(io: CliIo, domain: string) {
  const shop = await io.db.shop.findUnique({ where: { domain } });
  if (!shop) {
    const purge = await shopPurge(io.db, domain);
    io.err(purge ? purgedText(domain, purge) : `No shop ${domain} in this database`);
  }
  return shop;
}

function optionalAnchor(text: string | undefined): ChainHead | null {
  if (text === undefined) return null;
  const parsed = parseAnchor(text);
  if (!parsed.ok) throw new UsageError(`--since: ${parsed.problem}`);
  return parsed.anchor;
}

const purgedText = (domain: string, purge: ShopPurge) =>
  `shop/redact deleted the data of ${domain} on ${purge.purgedAt.toISOString()}, including its ` +
  `${purge.removedAuditEvents} audit events, as Shopify requires: there is no chain left to verify.`;

/** Says what a chain check found, on `say` (stdout for verify, stderr for anchor); the exit code. */
function reportCheck(io: CliIo, domain: string, check: ShopChainCheck, say: (line: string) => void): number {
  if (check.status === "unknown_shop") {
    io.err(`No shop ${domain} in this database`);
    return 1;
  }
  if (check.status === "purged") {
    say(purgedText(domain, check.purge));
    return 3;
  }
  const { verdict, purge } = check;
  if (verdict.ok) {
    say(`Audit chain of ${domain} is intact: ${verdict.count} events verified.`);
    if (verdict.anchor)
      say(`It still holds the anchored event ${verdict.anchor.seq} (${formatAnchor(verdict.anchor)}).`);
    return 0;
  }
  say(
    verdict.badEvent
      ? `Audit chain of ${domain} is BROKEN at event ${verdict.badEvent.id} (seq ${verdict.badEvent.seq}): ` +
          `${verdict.reason}. ${verdict.count} events before it verified.`
      : `Audit chain of ${domain} FAILS its anchor: ${verdict.reason}. ${verdict.count} events verified.`,
  );
  if (purge)
    say(
      `Note: shop/redact purged ${domain} on ${purge.purgedAt.toISOString()} and it was installed again, ` +
        "so its chain restarted at event 1: an anchor saved before then belongs to the deleted chain.",
    );
  return 1;
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [group, command, ...rest] = argv;
  const key = `${group ?? ""} ${command ?? ""}`;
  switch (key) {
    case "requests list": {
      const { values, text } = parse(rest, {
        shop: { type: "string" },
        status: { type: "string" },
        type: { type: "string" },
        json: { type: "boolean" },
      });
      const shopDomain = requireShop(text("shop"));
      const status = text("status");
      const type = text("type");
      if (status !== undefined && !isRequestStatus(status)) throw new UsageError(`Unknown status ${status}`);
      if (type !== undefined && !isRequestType(type)) throw new UsageError(`Unknown type ${type}`);
      const requests = await listRequests(io.db, io.keyring, { shopDomain, status, type });
      if (values.json) io.out(JSON.stringify(requests, null, 2));
      else printTable(io, requests);
      return 0;
    }
    case "requests show": {
      const { values, positionals } = parse(rest, { json: { type: "boolean" } }, 1);
      const request = await getRequestWithEvents(io.db, io.keyring, { id: positionals[0]! });
      if (!request) {
        io.err(`No request with id ${positionals[0]}`);
        return 1;
      }
      if (values.json) {
        io.out(JSON.stringify(request, null, 2));
      } else {
        const { events, ...fields } = request;
        for (const [name, value] of Object.entries(fields)) io.out(`${name.padEnd(22)}${value ?? "-"}`);
        io.out("\naudit events:");
        for (const event of events) {
          const pii = event.piiErased
            ? " [personal data erased]"
            : event.pii
              ? ` ${JSON.stringify(event.pii)}`
              : "";
          io.out(
            `  #${event.seq} ${event.occurredAt} ${event.actor} ${event.action} ${JSON.stringify(event.data)}${pii}`,
          );
        }
      }
      return 0;
    }
    case "audit verify": {
      const { text } = parse(rest, { shop: { type: "string" }, since: { type: "string" } });
      const shopDomain = requireShop(text("shop"));
      const anchor = optionalAnchor(text("since"));
      const check = await checkShopChain(io.db, io.keyring, shopDomain, anchor);
      const code = reportCheck(io, shopDomain, check, io.out);
      if (check.status === "checked" && check.verdict.ok)
        io.out(
          `Head: ${formatAnchor(check.verdict.head)}  (save it outside the database; check against it later with --since)`,
        );
      return code;
    }
    case "audit anchor": {
      const { text } = parse(rest, { shop: { type: "string" } });
      const shopDomain = requireShop(text("shop"));
      const check = await checkShopChain(io.db, io.keyring, shopDomain);
      // Only a chain that verifies is worth anchoring; stdout stays empty otherwise.
      if (check.status === "checked" && check.verdict.ok) {
        io.out(formatAnchor(check.verdict.head));
        return 0;
      }
      return reportCheck(io, shopDomain, check, io.err);
    }
    case "audit export": {
      const { text } = parse(rest, { shop: { type: "string" } });
      const shopDomain = requireShop(text("shop"));
      const shop = await findShop(io, shopDomain);
      if (!shop) return 1;
      const head = await shopChainHead(io.db, shop.id);
      io.out(auditExportHeader({ shopDomain, head, exportedAt: io.now?.() ?? new Date() }));
      for await (const event of shopEventsInOrder(io.db, shop.id, { upToSeq: head.seq })) {
        io.out(auditEventLine(event, shopDomain));
      }
      return 0;
    }
    case "jobs list": {
      const { values, text } = parse(rest, { status: { type: "string" }, json: { type: "boolean" } });
      const status = text("status");
      if (status !== undefined && !["queued", "running", "done", "failed"].includes(status))
        throw new UsageError(`Unknown job status ${status}`);
      const jobs = await io.db.job.findMany({
        where: status ? { status } : {},
        orderBy: { createdAt: "desc" },
        take: 200,
        include: { shop: { select: { domain: true } } },
      });
      const rows = jobs.map((job) => ({
        id: job.id,
        shop: job.shop?.domain ?? null,
        kind: job.kind,
        status: job.status,
        attempts: job.attempts,
        maxAttempts: job.maxAttempts,
        runAt: job.runAt.toISOString(),
        lastError: job.lastError,
      }));
      if (values.json) io.out(JSON.stringify(rows, null, 2));
      else
        for (const row of rows)
          io.out(
            `${row.id}  ${row.kind.padEnd(16)} ${row.status.padEnd(8)} ${row.attempts}/${row.maxAttempts}  ${row.shop ?? "-"}  ${row.lastError ?? ""}`,
          );
      return 0;
    }
    case "jobs retry": {
      const { positionals } = parse(rest, {}, 1);
      if (await requeueFailedJob(io.db, positionals[0]!, io.now?.() ?? new Date())) {
        io.out(`Job ${positionals[0]} is queued again.`);
        return 0;
      }
      io.err(`No failed job with id ${positionals[0]}`);
      return 1;
    }
    default:
      throw new UsageError(
        group ? `Unknown command: ${[group, command].filter(Boolean).join(" ")}` : "No command given",
      );
  }
}

function printTable(io: CliIo, requests: RequestView[]) {
  if (requests.length === 0) {
    io.out("No requests.");
    return;
  }
  const columns = ["id", "type", "status", "source", "customerId", "email", "receivedAt", "dueAt"] as const;
  const cells = requests.map((request) => columns.map((column) => String(request[column] ?? "-")));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => row[i]!.length)));
  io.out(columns.map((column, i) => column.padEnd(widths[i]!)).join("  "));
  for (const row of cells) io.out(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  "));
}
