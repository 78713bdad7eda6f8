import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SHOP } from "../helpers/constants";
import { startServer, waitFor } from "../helpers/processes";
import { samplePayload, signedWebhook } from "../helpers/webhooks";

/** The built server (npm start) receiving SIGTERM in the middle of a burst of webhooks. */
describe("graceful shutdown", () => {
  it("answers the webhooks it accepted, stores each one it acknowledged, and exits 0", async () => {
    // GIVEN the server with its worker, ready
    const server = await startServer({
      WORKER_MODE: "in-process",
      SHUTDOWN_GRACE_SECONDS: "5",
      LOG_LEVEL: "info",
    });
    await waitFor(async () => (await fetch(`${server.baseUrl}/readyz`)).ok, 20_000, "/readyz");

    // WHEN 60 deliveries are sent at once and SIGTERM arrives as the first answers come back
    const ids = Array.from({ length: 60 }, () => randomUUID());
    let answered = 0;
    const outcomes = ids.map(async (webhookId, i) => {
      const request = signedWebhook({
        topic: "customers/data_request",
        shop: SHOP,
        webhookId,
        body: { ...samplePayload("customers/data_request", SHOP), data_request: { id: i + 1 } },
      });
      try {
        const response = await fetch(`${server.baseUrl}/webhooks/compliance`, {
          method: "POST",
          headers: request.headers,
          body: await request.text(),
        });
        answered += 1;
        return { webhookId, status: response.status };
      } catch {
        return { webhookId, status: null };
      }
    });
    await waitFor(async () => answered > 0, 10_000, "a first answer");
    const exited = server.stop("SIGTERM");
    const results = await Promise.all(outcomes);

    // THEN the process exits cleanly, having said it stopped
    const code = await exited;
    expect(code).toBe(0);
    expect(server.output()).toMatch(/"message":"shutting down"/);
    expect(server.output()).toMatch(/"message":"stopped"/);
    // AND every acknowledged delivery is stored exactly once; nothing was answered with an error
    const acked = results.filter((result) => result.status === 200).map((result) => result.webhookId);
    expect(acked.length).toBeGreaterThan(0);
    expect(results.every((result) => result.status === 200 || result.status === null)).toBe(true);
    const db = new Database(server.env.DATABASE_URL!.replace(/^file:/, ""), { readonly: true });
    try {
      const stored = db
        .prepare(`SELECT "webhookId", count(*) AS n FROM "WebhookDelivery" GROUP BY "webhookId"`)
        .all() as { webhookId: string; n: number }[];
      expect(stored.every((row) => row.n === 1)).toBe(true);
      const storedIds = new Set(stored.map((row) => row.webhookId));
      expect(acked.filter((id) => !storedIds.has(id))).toEqual([]);
    } finally {
      db.close();
    }
  });
});
