/**
 * The app's customer account routes (app/routes/customer-account.*), called with the session
 * token Shopify gives this extension. The customer is whoever the token names: nothing here
 * says who they are.
 */

/** The app's URL, set when the bundle is built (scripts/extensions.ts). */
declare const PRIVACY_DESK_APP_URL: string;

export type RequestType = "access" | "portability" | "rectification" | "erasure" | "sale_opt_out";
export const REQUEST_TYPES: RequestType[] = [
  "access",
  "portability",
  "rectification",
  "erasure",
  "sale_opt_out",
];
export type Phase = "confirm" | "in_review" | "in_progress" | "delayed" | "completed" | "denied" | "canceled";

export interface HistoryEntry {
  kind: string;
  at: string;
  reason?: string;
  dueAt?: string;
}

export interface ShopperRequest {
  id: string;
  type: RequestType;
  phase: Phase;
  receivedAt: string;
  dueAt: string | null;
  extended: boolean;
  history: HistoryEntry[];
  export: { id: string; state: "ready" | "held" | "expired"; until: string | null; sizeBytes: number } | null;
}

export interface Corrections {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
}

/** A refusal from the app: a code the page translates (errors.<code>). */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
  ) {
    super(code);
  }
}

async function call<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const token = await shopify.sessionToken.get();
  let response: Response;
  try {
    response = await fetch(`${PRIVACY_DESK_APP_URL}${path}`, {
      method: init.method ?? "GET",
      headers: {
        Authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new AppError("network", 0);
  }
  const json = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new AppError(json.error ?? "unknown", response.status);
  return json as T;
}

export const listRequests = () => call<{ requests: ShopperRequest[] }>("/customer-account/requests");

export const fileRequest = (input: {
  type: RequestType;
  message?: string;
  corrections?: Corrections;
  country?: string;
  locale?: string;
}) => call<{ request: ShopperRequest }>("/customer-account/requests", { method: "POST", body: input });

export const confirmErasure = (requestId: string, code: string) =>
  call<{ request: ShopperRequest }>(`/customer-account/requests/${encodeURIComponent(requestId)}/confirm`, {
    method: "POST",
    body: { code },
  });

export const resendCode = (requestId: string) =>
  call<{ sent: boolean }>(`/customer-account/requests/${encodeURIComponent(requestId)}/resend`, {
    method: "POST",
    body: {},
  });

export const downloadTicket = (exportId: string) =>
  call<{ url: string; expiresAt: string }>(
    `/customer-account/exports/${encodeURIComponent(exportId)}/ticket`,
    {
      method: "POST",
    },
  );
