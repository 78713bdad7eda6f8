import { http, HttpResponse } from "msw";
import type { AdminApiSimulator } from "./admin-api";

/** msw handlers that route every shop's Admin GraphQL endpoint to the simulator. */
export function adminApiHandlers(simulator: AdminApiSimulator) {
  return [
    http.post(/^https:\/\/[^/]+\/admin\/api\/[^/]+\/graphql\.json$/, async ({ request }) => {
      const shop = new URL(request.url).host;
      const result = simulator.handle(shop, request.headers.get("X-Shopify-Access-Token"), (await request.json()) as Record<string, unknown>);
      return HttpResponse.json(result.body as Record<string, unknown>, { status: result.status });
    }),
  ];
}
