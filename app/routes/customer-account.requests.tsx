import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { customerAccountContext, readJsonBody, refusal, withCors } from "../customer-account-context.server";
import { shopperRequestInput } from "../domain/shopper-requests";
import { fileAccountRequest, listAccountRequests } from "../services/customer-account.server";

/**
 * The customer account Privacy page's backend (extensions/privacy-page).
 *   GET  /customer-account/requests   the signed-in customer's own requests in this shop
 *   POST /customer-account/requests   {type, message?, corrections?, country?} files a new one
 * Both need the extension's session token; OPTIONS answers the preflight.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { db, caller } = await customerAccountContext(request);
  return withCors(json(await listAccountRequests(db, caller, new Date())));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { db, keyring, caller } = await customerAccountContext(request);
  if (request.method !== "POST") return refusal(405, "invalid", "Use POST to file a request");
  const parsed = shopperRequestInput.safeParse(await readJsonBody(request));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return refusal(400, "invalid", `${issue.path.join(".") || "request"}: ${issue.message}`, {
      field: String(issue.path[0] ?? ""),
    });
  }
  const outcome = await fileAccountRequest(db, keyring, caller, parsed.data, new Date());
  if (outcome.status === 409)
    return refusal(409, "duplicate", outcome.message, { requestId: outcome.requestId });
  return withCors(json({ request: outcome.request }, { status: 201 }));
};
