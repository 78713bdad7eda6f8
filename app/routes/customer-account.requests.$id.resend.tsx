import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { customerAccountContext, refusal, withCors } from "../customer-account-context.server";
import { resendAccountCode } from "../services/customer-account.server";

/** POST /customer-account/requests/:id/resend: a new code for the customer's erasure. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await customerAccountContext(request);
  return refusal(405, "invalid", "Use POST to ask for a new code");
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { db, keyring, caller } = await customerAccountContext(request);
  if (request.method !== "POST") return refusal(405, "invalid", "Use POST to ask for a new code");
  const outcome = await resendAccountCode(db, keyring, caller, params.id ?? "", new Date());
  if (outcome.status === 200) return withCors(json({ sent: true }));
  return refusal(
    outcome.status,
    outcome.code,
    outcome.code === "not_found"
      ? "No request of yours waits for a code"
      : "Wait a minute before asking again",
  );
};
