import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { customerAccountContext, readJsonBody, refusal, withCors } from "../customer-account-context.server";
import { parseCode } from "../domain/storefront-request";
import { getEnv } from "../env.server";
import { confirmAccountRequest } from "../services/customer-account.server";
import { shopPreferences } from "../services/settings.server";

/**
 * POST /customer-account/requests/:id/confirm {code}: the signed-in customer confirms their
 * erasure with the code emailed to their account's address.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await customerAccountContext(request);
  return refusal(405, "invalid", "Use POST to confirm a request");
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { db, keyring, caller } = await customerAccountContext(request);
  if (request.method !== "POST") return refusal(405, "invalid", "Use POST to confirm a request");
  const body = (await readJsonBody(request)) as { code?: unknown };
  const preferences = await shopPreferences(db, caller.shopId, getEnv().EXPORT_RETENTION_DAYS);
  const outcome = await confirmAccountRequest(
    db,
    keyring,
    caller,
    {
      requestId: params.id ?? "",
      code: parseCode(typeof body?.code === "string" ? body.code : undefined),
      autoApproveCustomerAccess: preferences.autoApproveCustomerAccess,
    },
    new Date(),
  );
  if (outcome.status === 200) return withCors(json({ request: outcome.request }));
  const messages = {
    invalid: "A code is six digits",
    code_wrong: "That code is not right",
    code_locked: "Too many wrong codes: ask for a new one",
    code_expired: "That code has expired: ask for a new one",
    not_found: "No request of yours waits for a code",
  } as const;
  return refusal(outcome.status, outcome.code, messages[outcome.code], {
    ...("attemptsLeft" in outcome ? { attemptsLeft: outcome.attemptsLeft } : {}),
  });
};
