import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SHOP } from "../helpers/constants";
import {
  freePort,
  processEnv,
  ROOT,
  startProcess,
  startServer,
  startWorker,
  waitFor,
} from "../helpers/processes";
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

interface RawExchange {
  status: number | null;
  contentType: string | null;
  body: string;
  /** How the connection ended: "closed" cleanly, or the error the client saw while sending. */
  connection: string;
}

/**
 * A POST over node:http on a connection of its own, the body sent in 64 KiB chunks: with
 * `chunked`, as Transfer-Encoding: chunked (no Content-Length), as a streaming sender does.
 * Resolves when the connection has closed, so a reset after the response is seen too.
 */
function rawPost(
  url: string,
  options: { method?: string; headers: Record<string, string>; body: Buffer; chunked?: boolean },
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const result: RawExchange = { status: null, contentType: null, body: "", connection: "closed" };
    const headers = options.chunked
      ? { ...options.headers, "Transfer-Encoding": "chunked" }
      : { ...options.headers, "Content-Length": String(options.body.length) };
    const request = httpRequest(
      url,
      { method: options.method ?? "POST", headers, agent: false },
      (response) => {
        result.status = response.statusCode!;
        result.contentType = response.headers["content-type"] ?? null;
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (result.body += chunk));
        response.on("error", () => undefined);
      },
    );
    request.once(
      "error",
      (error: NodeJS.ErrnoException) => (result.connection = error.code ?? error.message),
    );
    request.once("close", () => resolve(result));
    let offset = 0;
    const write = () => {
      while (offset < options.body.length && !request.destroyed) {
        const chunk = options.body.subarray(offset, offset + 64 * 1024);
        offset += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", write);
      }
      request.end();
    };
    write();
  });
}

/** Shopify's headers for `body`, signed, as a plain object. */
function shopifyHeaders(options: Parameters<typeof signedWebhook>[0]) {
  return Object.fromEntries(signedWebhook(options).headers);
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

describe("oversized bodies over HTTP (issue 8, finding 14)", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });
  const big = Buffer.alloc(2 * 1024 * 1024, " ");
  const headers = () => shopifyHeaders({ topic: "customers/redact", shop: SHOP, body: big.toString() });

  it.each([
    { name: "chunked, without Content-Length", chunked: true },
    { name: "with its Content-Length declared", chunked: false },
  ])("answers a 2 MiB body sent $name with 413, not a reset", async ({ chunked }) => {
    const exchange = await rawPost(`${server.baseUrl}/webhooks/compliance`, {
      headers: headers(),
      body: big,
      chunked,
    });

    expect(exchange).toMatchObject({
      status: 413,
      body: "Request body is larger than 262144 bytes",
      connection: "closed",
    });
  });

  it("answers 413 to a chunked fetch stream, then serves the next delivery", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(32);
    let sent = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (sent >= 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const oversized = await fetch(`${server.baseUrl}/webhooks/compliance`, {
      method: "POST",
      headers: headers(),
      body,
      duplex: "half",
    } as RequestInit);
    expect(oversized.status).toBe(413);

    const next = await send(
      server.baseUrl,
      signedWebhook({ topic: "customers/redact", shop: SHOP, body: samplePayload("customers/redact", SHOP) }),
    );
    expect(next.status).toBe(200);
  });

  it("cuts off a sender that goes on past 16 MiB, and goes on serving", async () => {
    const endless = Buffer.alloc(24 * 1024 * 1024, " ");
    const exchange = await rawPost(`${server.baseUrl}/webhooks/compliance`, {
      headers: headers(),
      body: endless,
      chunked: true,
    });

    expect(exchange.connection).toMatch(/ECONNRESET|EPIPE/);
    const next = await send(
      server.baseUrl,
      signedWebhook({ topic: "customers/redact", shop: SHOP, body: samplePayload("customers/redact", SHOP) }),
    );
    expect(next.status).toBe(200);
  });
});

describe("the same answers from the built server and the Vite dev server (`shopify app dev`)", () => {
  /** `shopify app dev` runs migrations, then the Vite dev server (shopify.web.toml, scripts/dev.ts). */
  async function startDevServer() {
    const port = await freePort();
    const env = processEnv({ PORT: String(port), NODE_ENV: "development" });
    const migrate = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
      cwd: ROOT,
      env,
      encoding: "utf8",
    });
    expect(migrate.status, migrate.stderr).toBe(0);
    const dev = startProcess("node_modules/.bin/remix", ["vite:dev", "--strictPort"], env);
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      await waitFor(
        async () => (await fetch(`${baseUrl}/healthz`)).ok,
        60_000,
        `the dev server on ${baseUrl}`,
      );
    } catch (error) {
      await dev.stop("SIGKILL");
      throw new Error(`${(error as Error).message}\n${dev.output()}`);
    }
    return { ...dev, baseUrl };
  }

  /** Every kind of answer the endpoint gives, in order, from one server. */
  async function exchanges(baseUrl: string) {
    const url = `${baseUrl}/webhooks/compliance`;
    const dataRequest = samplePayload("customers/data_request", SHOP);
    const webhookId = "5a1f0c4e-0000-4000-8000-000000000001";
    const signed = (options: Partial<Parameters<typeof signedWebhook>[0]> = {}) => {
      const all = { topic: "customers/data_request", shop: SHOP, body: dataRequest, webhookId, ...options };
      const body = typeof all.body === "string" ? all.body : JSON.stringify(all.body);
      return { headers: shopifyHeaders(all), body: Buffer.from(body) };
    };
    const big = Buffer.alloc(300 * 1024, " ");
    const cases: [string, Parameters<typeof rawPost>[1]][] = [
      ["a genuine delivery", signed()],
      ["its redelivery", signed()],
      ["a forged signature", signed({ secret: "forged", webhookId: "w2" })],
      ["no signature", signed({ headers: { "X-Shopify-Hmac-Sha256": null }, webhookId: "w3" })],
      ["another topic's body", signed({ topic: "shop/redact", webhookId: "w4" })],
      [
        "a bidi override in the email",
        signed({
          body: { ...dataRequest, customer: { id: 1, email: "\u202Emoc.elpmaxe@nhoj" } },
          webhookId: "w5",
        }),
      ],
      ["text/plain", signed({ headers: { "Content-Type": "text/plain" }, webhookId: "w6" })],
      ["a PUT", { ...signed({ webhookId: "w7" }), method: "PUT" }],
      ["a declared oversized body", { headers: signed({ webhookId: "w8" }).headers, body: big }],
      [
        "a chunked oversized body",
        { headers: signed({ webhookId: "w9" }).headers, body: big, chunked: true },
      ],
    ];
    const answers = [];
    for (const [name, options] of cases) {
      const { status, contentType, body } = await rawPost(url, options);
      answers.push({
        name,
        status,
        contentType,
        body: body.replace(/"(requestId|jobId)":"[^"]+"/g, '"$1":"…"'),
      });
    }
    return answers;
  }

  it("answers every kind of delivery identically", async () => {
    const built = await startServer();
    const dev = await startDevServer();
    try {
      const fromBuilt = await exchanges(built.baseUrl);
      const fromDev = await exchanges(dev.baseUrl);

      expect(fromDev).toEqual(fromBuilt);
      expect(fromBuilt.map(({ name, status }) => [name, status])).toEqual([
        ["a genuine delivery", 200],
        ["its redelivery", 200],
        ["a forged signature", 401],
        ["no signature", 401],
        ["another topic's body", 400],
        ["a bidi override in the email", 400],
        ["text/plain", 415],
        ["a PUT", 405],
        ["a declared oversized body", 413],
        ["a chunked oversized body", 413],
      ]);
      expect(fromBuilt[1]!.body).toContain('"status":"duplicate"');
    } finally {
      await built.stop();
      await dev.stop();
    }
  }, 180_000);
});

describe("WORKER_MODE=separate", () => {
  it("leaves jobs to the worker process (`npm run worker`), which executes them and stops cleanly", async () => {
    // GIVEN the web process started without a worker (its start-up line says so)
    const server = await startServer({ WORKER_MODE: "separate", LOG_LEVEL: "info" });
    try {
      const listening = server
        .output()
        .split("\n")
        .find((line) => line.includes('"message":"Privacy Desk listening"'));
      expect(JSON.parse(listening!)).toMatchObject({ worker: "separate" });
      await send(
        server.baseUrl,
        signedWebhook({
          topic: "customers/redact",
          shop: SHOP,
          body: samplePayload("customers/redact", SHOP),
        }),
      );

      // WHEN the command behind `npm run worker` runs
      const worker = startWorker({ ...server.env, LOG_LEVEL: "info" });
      try {
        await waitFor(
          async () => (await cliList(server.env))[0]?.status === "completed",
          15_000,
          "the separate worker",
        );
      } finally {
        expect(await worker.stop()).toBe(0);
      }

      // THEN the worker process ran the request's job, once; the web process ran none
      const ran = (output: string) =>
        output.split("\n").filter((line) => line.includes('"message":"job done"'));
      expect(ran(worker.output()).filter((line) => line.includes('"kind":"execute_request"'))).toHaveLength(
        1,
      );
      expect(ran(server.output())).toEqual([]);
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
