import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SHOP } from "../helpers/constants";
import { ROOT, startProcess, startServer, waitFor } from "../helpers/processes";
import { samplePayload, signedWebhook } from "../helpers/webhooks";

const exec = promisify(execFile);

/** Sends a webhook built by the test helper over real HTTP to the running server. */
async function send(baseUrl: string, request: Request) {
  const url = new URL(request.url);
  return fetch(`${baseUrl}${url.pathname}`, {
    method: "POST",
    headers: request.headers,
    body: await request.text(),
  });
}

async function cliList(env: NodeJS.ProcessEnv) {
  const { stdout } = await exec(
    "npm",
    ["run", "-s", "cli", "--", "requests", "list", "--shop", SHOP, "--json"],
    { cwd: ROOT, env },
  );
  return JSON.parse(stdout) as { type: string; status: string; email: string | null }[];
}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, "build/server/index.js")))
    await exec("npm", ["run", "build"], { cwd: ROOT });
}, 120_000);

describe("the built server (npm start)", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("migrates a fresh SQLite file, serves, and records a signed webhook the CLI can see", async () => {
    const response = await send(
      server.baseUrl,
      signedWebhook({
        topic: "customers/data_request",
        shop: SHOP,
        body: samplePayload("customers/data_request", SHOP),
      }),
    );

    expect(response.status).toBe(200);
    expect(await cliList(server.env)).toEqual([
      expect.objectContaining({ type: "access", status: "pending_review", email: "john@example.com" }),
    ]);
  });

  it("executes customers/redact with the in-process worker within seconds", async () => {
    const response = await send(
      server.baseUrl,
      signedWebhook({ topic: "customers/redact", shop: SHOP, body: samplePayload("customers/redact", SHOP) }),
    );
    expect(response.status).toBe(200);

    const erasure = await waitFor(
      async () => (await cliList(server.env)).find((r) => r.type === "erasure" && r.status === "completed"),
      10_000,
      "the erasure to complete",
    );
    expect(erasure.email).toBeNull();
  });

  it("answers 401 to a forged webhook over HTTP", async () => {
    const response = await send(
      server.baseUrl,
      signedWebhook({
        topic: "customers/redact",
        shop: SHOP,
        body: samplePayload("customers/redact", SHOP),
        secret: "forged",
      }),
    );
    expect(response.status).toBe(401);
  });

  it("serves the landing page and built assets", async () => {
    const page = await fetch(`${server.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Privacy Desk");
  });
});

describe("WORKER_MODE=separate", () => {
  it("leaves jobs to the worker process (`npm run worker`), which executes them and stops cleanly", async () => {
    const server = await startServer({ WORKER_MODE: "separate" });
    try {
      await send(
        server.baseUrl,
        signedWebhook({
          topic: "customers/redact",
          shop: SHOP,
          body: samplePayload("customers/redact", SHOP),
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await cliList(server.env))[0]).toMatchObject({ status: "approved" });

      // The command behind `npm run worker`, started directly so its own exit code is visible.
      const worker = startProcess("node_modules/.bin/tsx", ["server/worker-main.ts"], server.env);
      try {
        await waitFor(
          async () => (await cliList(server.env))[0]?.status === "completed",
          15_000,
          "the separate worker",
        );
      } finally {
        expect(await worker.stop()).toBe(0);
      }
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe("boot checks", () => {
  it("refuses to start with a missing secret, naming it", async () => {
    const { processEnv } = await import("../helpers/processes");
    const env = processEnv({ PORT: "1" });
    delete env.SHOPIFY_API_SECRET;
    const failure = await exec("node_modules/.bin/tsx", ["server/main.ts"], { cwd: ROOT, env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("SHOPIFY_API_SECRET is missing"),
    });
  });

  it("npm start without NODE_ENV is production, so demo mode is refused even on 127.0.0.1", async () => {
    const { processEnv } = await import("../helpers/processes");
    const { NODE_ENV: _unset, ...rest } = processEnv({
      PORT: "1",
      DEMO_MODE: "1",
      SHOPIFY_APP_URL: "http://127.0.0.1:1",
    });
    const env = rest as NodeJS.ProcessEnv;
    const server = await exec("node_modules/.bin/tsx", ["server/main.ts"], { cwd: ROOT, env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(server).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("DEMO_MODE cannot be switched on in production"),
    });
  });

  it("refuses demo mode in production, and npm run demo refuses NODE_ENV=production", async () => {
    const { processEnv } = await import("../helpers/processes");
    const server = await exec("node_modules/.bin/tsx", ["server/main.ts"], {
      cwd: ROOT,
      env: processEnv({ PORT: "1", DEMO_MODE: "1" }),
    }).catch((error: { code: number; stderr: string }) => error);
    expect(server).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("DEMO_MODE cannot be switched on in production"),
    });
    const demo = await exec("node_modules/.bin/tsx", ["scripts/demo.ts"], {
      cwd: ROOT,
      env: processEnv({ NODE_ENV: "production" }),
    }).catch((error: { code: number; stderr: string }) => error);
    expect(demo).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("refuses to run with NODE_ENV=production"),
    });
  });
});
