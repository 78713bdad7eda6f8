import { z } from "zod";
import { emailProblem, phoneProblem } from "./contact-details";

/*
 * The HMAC covers the body only: X-Shopify-Topic and X-Shopify-Shop-Domain are not signed. So a
 * genuine body is bound to its topic by its shape alone. Each schema is strict (an unknown key is
 * an error, never dropped) and asks for the keys that tell the topics apart, so a body Shopify
 * signed for one topic cannot pass as another. parseCompliancePayload also refuses any body
 * that would pass another topic's schema, should a later change loosen one.
 */

/** Shopify sends numeric REST ids; some tools send them as strings. Both become decimal strings. */
export const numericId = z
  .union(
    [
      z.number().int().nonnegative().safe(),
      z.string().regex(/^\d{1,20}$/, "must be a numeric id of at most 20 digits"),
    ],
    {
      errorMap: (_issue, ctx) => ({
        message:
          ctx.data === undefined ? "Required" : "must be a numeric id (a number or a string of digits)",
      }),
    },
  )
  .transform((value) => String(value));

/** Absent, null or blank is null; anything else is trimmed and must satisfy `problem`. */
const optionalContact = (problem: (value: string) => string | null) =>
  z
    .string()
    .nullish()
    .transform((value, ctx) => {
      const trimmed = value?.trim();
      if (!trimmed) return null;
      const message = problem(trimmed);
      if (message) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message });
        return z.NEVER;
      }
      return trimmed;
    });

const customer = z
  .object({
    id: numericId.nullish().transform((value) => value ?? null),
    email: optionalContact(emailProblem),
    phone: optionalContact(phoneProblem),
  })
  .strict()
  .refine((c) => c.id !== null || c.email !== null, { message: "needs an id or an email" });

/** The shop's permanent myshopify.com domain, lower-cased (Shopify's own form). */
export const shopDomain = z
  .string()
  .max(255)
  .transform((value) => value.toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be a shop's myshopify.com domain"));

const shopFields = {
  shop_id: numericId,
  shop_domain: shopDomain,
};

export const customersDataRequestPayload = z
  .object({
    ...shopFields,
    customer,
    orders_requested: z.array(numericId),
    data_request: z.object({ id: numericId }).strict(),
  })
  .strict();

export const customersRedactPayload = z
  .object({
    ...shopFields,
    customer,
    orders_to_redact: z.array(numericId),
  })
  .strict();

export const shopRedactPayload = z.object(shopFields).strict();

export type CustomersDataRequestPayload = z.infer<typeof customersDataRequestPayload>;
export type CustomersRedactPayload = z.infer<typeof customersRedactPayload>;
export type ShopRedactPayload = z.infer<typeof shopRedactPayload>;

/** The library reports topics normalised (`customers/data_request` → `CUSTOMERS_DATA_REQUEST`). */
export const COMPLIANCE_TOPICS = {
  CUSTOMERS_DATA_REQUEST: "customers/data_request",
  CUSTOMERS_REDACT: "customers/redact",
  SHOP_REDACT: "shop/redact",
} as const;

export type ComplianceTopic = (typeof COMPLIANCE_TOPICS)[keyof typeof COMPLIANCE_TOPICS];

export type CompliancePayload =
  | { topic: "customers/data_request"; payload: CustomersDataRequestPayload }
  | { topic: "customers/redact"; payload: CustomersRedactPayload }
  | { topic: "shop/redact"; payload: ShopRedactPayload };

const SCHEMAS = {
  "customers/data_request": customersDataRequestPayload,
  "customers/redact": customersRedactPayload,
  "shop/redact": shopRedactPayload,
} satisfies Record<ComplianceTopic, z.AnyZodObject>;

/** Every key of a strict schema is required, so only a body with exactly these keys can pass it. */
const keySet = (keys: string[]) => [...keys].sort().join(",");
const SCHEMA_KEYS = Object.fromEntries(
  Object.entries(SCHEMAS).map(([topic, schema]) => [topic, keySet(Object.keys(schema.shape))]),
) as Record<ComplianceTopic, string>;

export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PayloadError";
  }
}

/** The sender chooses key names and how many fields are wrong: the 400's message stays short. */
const MAX_PROBLEMS_NAMED = 10;
const namedKeys = (keys: string[]) =>
  [
    ...keys.slice(0, 5).map((key) => JSON.stringify(key.slice(0, 40))),
    ...(keys.length > 5 ? ["…"] : []),
  ].join(", ");

export function toComplianceTopic(topic: string): ComplianceTopic | null {
  const normalised = topic.toUpperCase().replace(/[/.]/g, "_");
  return (COMPLIANCE_TOPICS as Record<string, ComplianceTopic>)[normalised] ?? null;
}

/**
 * Validates a signed payload against the topic it was delivered under; the message names each
 * bad field, for the 400 we answer with.
 */
export function parseCompliancePayload(topic: ComplianceTopic, body: unknown): CompliancePayload {
  const bodyKeys = body !== null && typeof body === "object" ? keySet(Object.keys(body)) : null;
  const otherTopic = (Object.keys(SCHEMAS) as ComplianceTopic[]).find(
    (other) => other !== topic && bodyKeys === SCHEMA_KEYS[other] && SCHEMAS[other].safeParse(body).success,
  );
  if (otherTopic)
    throw new PayloadError(
      `This body is a ${otherTopic} payload delivered as ${topic}; a payload is only accepted under its own topic`,
    );
  const result = SCHEMAS[topic].safeParse(body);
  if (!result.success) {
    const { issues } = result.error;
    const problems = issues.slice(0, MAX_PROBLEMS_NAMED).map((issue) => {
      const field = issue.path.join(".") || "body";
      return issue.code === z.ZodIssueCode.unrecognized_keys
        ? `${field} has keys ${topic} does not carry: ${namedKeys(issue.keys)}`
        : `${field} ${issue.message}`;
    });
    if (issues.length > MAX_PROBLEMS_NAMED) problems.push(`and ${issues.length - MAX_PROBLEMS_NAMED} more`);
    throw new PayloadError(`Invalid ${topic} payload: ${problems.join("; ")}`);
  }
  return { topic, payload: result.data } as CompliancePayload;
}
