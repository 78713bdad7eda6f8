import { parseArgs } from "node:util";
import type { Db } from "../db-types";
import { isRequestStatus, isRequestType, REQUEST_STATUSES, REQUEST_TYPES } from "../domain/request-lifecycle";
import type { Keyring } from "../security/keyring";
import { auditEventLine, shopEventsInOrder, verifyShopChain } from "../services/audit-log.server";
import { getRequestWithEvents, listRequests, type RequestView } from "../services/request-queries.server";
import { requeueFailedJob } from "../queue/job-queue.server";

export const USAGE = `Usage: npm run -s cli -- <command>

  requests list --shop <domain> [--status <status>] [--type <type>] [--json]
  requests show <id> [--json]
  audit verify --shop <domain>
  audit export --shop <domain>            NDJSON of the shop's audit events on stdout
  jobs list [--status queued|running|done|failed] [--json]
  jobs retry <job id>                     put a failed job back in the queue

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

/** Runs one command; returns the process exit code (0 ok, 1 a check failed or not found, 2 bad usage). */
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

/** The shop, or null after telling the operator it is not in this database. */
async function findShop(io: CliIo, domain: string) {
  const shop = await io.db.shop.findUnique({ where: { domain } });
  if (!shop) io.err(`No shop ${domain} in this database`);
  return shop;
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
      const { text } = parse(rest, { shop: { type: "string" } });
      const shopDomain = requireShop(text("shop"));
      const shop = await findShop(io, shopDomain);
      if (!shop) return 1;
      const verdict = await verifyShopChain(io.db, io.keyring, shop.id);
      if (verdict.ok) {
        io.out(`Audit chain of ${shopDomain} is intact: ${verdict.count} events verified.`);
        return 0;
      }
      io.out(
        `Audit chain of ${shopDomain} is BROKEN at event ${verdict.badEvent.id} (seq ${verdict.badEvent.seq}): ${verdict.reason}. ` +
          `${verdict.count} events before it verified.`,
      );
      return 1;
    }
    case "audit export": {
      const { text } = parse(rest, { shop: { type: "string" } });
      const shopDomain = requireShop(text("shop"));
      const shop = await findShop(io, shopDomain);
      if (!shop) return 1;
      for await (const event of shopEventsInOrder(io.db, shop.id)) {
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
