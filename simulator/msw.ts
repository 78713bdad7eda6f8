import { http, HttpResponse } from "msw";
import { DEFAULT_BULK_RESULT_BASE_URL, type AdminApiSimulator } from "./admin-api";

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** msw handlers that route every shop's Admin GraphQL endpoint, and bulk results, to the simulator. */
export function adminApiHandlers(
  simulator: AdminApiSimulator,
  bulkResultBaseUrl = DEFAULT_BULK_RESULT_BASE_URL,
) {
  const bulkResult = new RegExp(`^${escape(bulkResultBaseUrl)}/([^/]+)/(\\d+)\\.jsonl$`);
  return [
    http.get(bulkResult, ({ request }) => {
      const [, shop, id] = bulkResult.exec(request.url)!;
      const body = simulator.bulkResult(shop!, Number(id));
      return body === null
        ? new HttpResponse("Not Found", { status: 404 })
        : new HttpResponse(body, { headers: { "Content-Type": "application/jsonl" } });
    }),
    http.post(/^https:\/\/[^/]+\/admin\/api\/[^/]+\/graphql\.json$/, async ({ request }) => {
      const shop = new URL(request.url).host;
      const result = simulator.handle(
        shop,
        request.headers.get("X-Shopify-Access-Token"),
        (await request.json()) as Record<string, unknown>,
      );
      return HttpResponse.json(result.body as Record<string, unknown>, { status: result.status });
    }),
  ];
}
