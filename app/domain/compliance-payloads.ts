import { z } from "zod";

/** Shopify sends numeric REST ids; some tools send them as strings. Both become decimal strings. */
const numericId = z
  .union([z.number().int().nonnegative().safe(), z.string().regex(/^\d+$/, "must be a numeric id")])
  .transform((value) => String(value));

const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value && value.trim() !== "" ? value.trim() : null));

const customer = z
  .object({
    id: numericId.nullish().transform((value) => value ?? null),
    email: optionalText,
    phone: optionalText,
  })
  .refine((c) => c.id !== null || c.email !== null, { message: "needs an id or an email" });

const shopFields = {
  shop_id: numericId,
  shop_domain: z.string().min(1),
};

export const customersDataRequestPayload = z.object({
  ...shopFields,
  customer,
  orders_requested: z.array(numericId).default([]),
  data_request: z.object({ id: numericId }),
});

export const customersRedactPayload = z.object({
  ...shopFields,
  customer,
  orders_to_redact: z.array(numericId).default([]),
});

export const shopRedactPayload = z.object(shopFields);

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

export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PayloadError";
  }
}

export function toComplianceTopic(libraryTopic: string): ComplianceTopic | null {
  const normalised = libraryTopic.toUpperCase().replace(/[/.]/g, "_");
  return (COMPLIANCE_TOPICS as Record<string, ComplianceTopic>)[normalised] ?? null;
}

/** Validates a signed payload; the message names each bad field, for the 400 we answer with. */
export function parseCompliancePayload(topic: ComplianceTopic, body: unknown): CompliancePayload {
  const schema =
    topic === "customers/data_request"
      ? customersDataRequestPayload
      : topic === "customers/redact"
        ? customersRedactPayload
        : shopRedactPayload;
  const result = schema.safeParse(body);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "body"} ${issue.message}`);
    throw new PayloadError(`Invalid ${topic} payload: ${problems.join("; ")}`);
  }
  return { topic, payload: result.data } as CompliancePayload;
}
