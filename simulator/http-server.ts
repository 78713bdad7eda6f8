import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { AdminApiSimulator } from "./admin-api";

/**
 * The simulator over HTTP on 127.0.0.1, for the local demo and the export benchmark:
 *   POST /<shop>/admin/api/<version>/graphql.json   the Admin GraphQL endpoint of <shop>
 *   GET  /bulk/<shop>/<id>.jsonl                    a completed bulk operation's result
 *   GET  /_stats                                    requests, THROTTLED replies and points spent
 * Create the simulator with bulkResultBaseUrl `${url}/bulk` so the URLs it hands out point here.
 */
export async function startSimulatorServer(simulator: AdminApiSimulator, port = 0) {
  const readBody = (request: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      request.on("error", reject);
    });

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const graphql = /^\/([^/]+)\/admin\/api\/[^/]+\/graphql\.json$/.exec(url.pathname);
    const bulk = /^\/bulk\/([^/]+)\/(\d+)\.jsonl$/.exec(url.pathname);
    if (request.method === "POST" && graphql) {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(await readBody(request)) as Record<string, unknown>;
      } catch {
        response
          .writeHead(400, { "Content-Type": "application/json" })
          .end(JSON.stringify({ errors: "Body is not JSON" }));
        return;
      }
      const result = simulator.handle(
        graphql[1]!,
        (request.headers["x-shopify-access-token"] as string | undefined) ?? null,
        body,
      );
      response
        .writeHead(result.status, { "Content-Type": "application/json" })
        .end(JSON.stringify(result.body));
      return;
    }
    if (request.method === "GET" && bulk) {
      const jsonl = simulator.bulkResult(bulk[1]!, Number(bulk[2]));
      if (jsonl === null) response.writeHead(404).end("Not Found");
      else response.writeHead(200, { "Content-Type": "application/jsonl" }).end(jsonl);
      return;
    }
    if (request.method === "GET" && url.pathname === "/_stats") {
      response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(simulator.stats));
      return;
    }
    response.writeHead(404).end("Not Found");
  });

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
