import { z } from "zod";
import { REGIMES } from "./deadlines";
import { emailProblem, phoneProblem } from "./contact-details";
import { containsBidiControl, containsControlCharacter } from "./display-text";
import { rectificationChanges } from "./rectification";
import { allowedEvents, OPEN_STATUSES, REQUEST_TYPES, type RequestStatus } from "./request-lifecycle";
import { can, type Role, type StaffAction } from "./roles";

/** What the request page's buttons post, validated on the server whatever the page allowed. */
export const requestActionForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("approve"),
    reviewedSnapshotHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  }),
  z.object({
    intent: z.literal("deny"),
    reason: z.string().trim().min(5, "Give the shopper a reason (at least 5 characters)").max(1000),
  }),
  z.object({
    intent: z.literal("extend"),
    reason: z
      .string()
      .trim()
      .min(5, "An extension needs a reason the shopper can be told (at least 5 characters)")
      .max(1000),
  }),
  z.object({ intent: z.literal("cancel"), reason: z.string().trim().max(1000).optional() }),
  z.object({ intent: z.literal("retry") }),
  z.object({ intent: z.literal("verify") }),
  z.object({ intent: z.literal("release_export"), exportId: z.string().uuid() }),
  z.object({ intent: z.literal("revoke_links") }),
]);
export type RequestActionForm = z.infer<typeof requestActionForm>;
export type RequestIntent = RequestActionForm["intent"];

export const INTENT_PERMISSION: Record<RequestIntent, StaffAction> = {
  approve: "request.approve",
  deny: "request.deny",
  extend: "request.extend",
  cancel: "request.cancel",
  retry: "request.retry",
  verify: "request.verify",
  // Handing the export over, or taking it back, is an approver's decision like approval itself.
  release_export: "request.approve",
  revoke_links: "request.approve",
};

/**
 * The buttons a request's page offers: what its status allows (extend: while open, once), and
 * of those what the staff member's role allows. The action re-checks both on the server.
 */
export function availableIntents(input: {
  status: RequestStatus;
  extended: boolean;
  role: Role;
}): RequestIntent[] {
  const events = allowedEvents(input.status);
  const intents: RequestIntent[] = (["verify", "approve", "deny", "retry", "cancel"] as const).filter(
    (intent) => events.includes(intent),
  );
  if (OPEN_STATUSES.includes(input.status) && !input.extended) intents.push("extend");
  return intents.filter((intent) => can(input.role, INTENT_PERMISSION[intent]));
}

const optionalTrimmed = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => value || null);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((value) => value || null);

/**
 * An optional one-line field (a name) of at most `max` characters with no bidi controls (they can
 * make one name read as another) and no control characters.
 */
const visibleText = (what: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `The ${what} has at most ${max} characters`)
    .optional()
    .transform((value) => value || null)
    .refine(
      (value) => value === null || !(containsBidiControl(value) || containsControlCharacter(value)),
      `The ${what} contains hidden formatting or control characters (often pasted along with it); type it again`,
    );

/** An optional email address, checked as every shopper's address is on the way in (contact-details.ts). */
export const emailField = (what = "email address") =>
  optionalTrimmed().superRefine((value, ctx) => {
    const problem = value === null ? null : emailProblem(value);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `The ${what} ${problem}` });
  });

/** An optional phone number: digits with + ( ) - . and spaces, as Shopify stores one (contact-details.ts). */
export const phoneField = (what = "phone number") =>
  optionalTrimmed().superRefine((value, ctx) => {
    const problem = value === null ? null : phoneProblem(value);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `The ${what} ${problem}` });
  });

/** A request a merchant received by email or phone and records by hand. */
export const newRequestForm = z
  .object({
    type: z.enum(REQUEST_TYPES, { errorMap: () => ({ message: "Choose the kind of request" }) }),
    regime: z.enum(REGIMES as unknown as ["gdpr", "ccpa"], {
      errorMap: () => ({ message: "Choose GDPR or CCPA" }),
    }),
    channel: z.enum(["email", "phone", "mail", "other"], {
      errorMap: () => ({ message: "Choose how the request arrived" }),
    }),
    receivedOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date received as YYYY-MM-DD")
      .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), "Enter a real date"),
    email: emailField(),
    phone: phoneField(),
    customerId: optionalText(20).pipe(
      z.string().regex(/^\d+$/, "A Shopify customer id is a number").nullable(),
    ),
    verified: z
      .union([z.literal("on"), z.literal("")])
      .optional()
      .transform((value) => value === "on"),
    firstName: visibleText("first name", 255),
    lastName: visibleText("last name", 255),
    newEmail: emailField("corrected email address"),
    newPhone: phoneField("corrected phone number"),
  })
  .superRefine((form, ctx) => {
    if (!form.email && !form.customerId)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["email"],
        message: "Give the shopper's email address or customer id",
      });
    if ((form.type === "erasure" || form.type === "rectification") && !form.customerId) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["customerId"],
        message: "Erasure and rectification act on a Shopify customer: give the customer id",
      });
    }
    if (form.type === "rectification") {
      const changes = rectificationChangesOf(form);
      const parsed = rectificationChanges.safeParse(changes);
      if (!parsed.success)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["firstName"],
          message: parsed.error.issues[0]?.message ?? "Give at least one correction",
        });
    }
    const received = Date.parse(`${form.receivedOn}T00:00:00Z`);
    if (received > Date.now())
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["receivedOn"],
        message: "The date received cannot be in the future",
      });
  });
export type NewRequestForm = z.infer<typeof newRequestForm>;

export function rectificationChangesOf(form: {
  firstName: string | null;
  lastName: string | null;
  newEmail: string | null;
  newPhone: string | null;
}) {
  return Object.fromEntries(
    Object.entries({
      firstName: form.firstName,
      lastName: form.lastName,
      email: form.newEmail,
      phone: form.newPhone,
    }).filter(([, value]) => value),
  );
}

/** zod issues as `{ field: first message }`, for inline errors. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    errors[key] ??= issue.message;
  }
  return errors;
}
