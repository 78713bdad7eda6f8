import { existsSync } from "node:fs";
import { z } from "zod";
import { ACCESS_SCOPES } from "./api-version";
import { logFormat, logLevel } from "./logger.server";
import { decodeMasterKey } from "./security/keyring";
import { emailProblem } from "./domain/contact-details";

const masterKey = z.string().superRefine((value, ctx) => {
  try {
    decodeMasterKey(value);
  } catch (error) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
  }
});

/** What the worker and the operator CLI need: the database and the keys, no Shopify credentials. */
const storageFields = {
  DATABASE_URL: z
    .string()
    .default("file:./prisma/dev.sqlite")
    .refine((value) => value.startsWith("file:"), "must be a SQLite URL starting with file:"),
  ENCRYPTION_KEY: masterKey,
  ENCRYPTION_KEYS_RETIRED: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((key) => key.trim())
        .filter(Boolean),
    )
    .pipe(z.array(masterKey)),
  EXPORT_DIR: z.string().min(1).default("./data/exports"),
  EXPORT_RETENTION_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  EXPORT_BULK_ABOVE_ORDERS: z.coerce.number().int().min(0).default(250),
  LOG_LEVEL: logLevel.default("info"),
  LOG_FORMAT: logFormat.default("json"),
  // How long a worker holds a job before another may take it over (renewed while it works).
  WORKER_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  // Email to shoppers (verification codes, receipts). Without SMTP_URL the app runs, and the
  // storefront offers only what needs no email (sale/share opt-outs) until it is set.
  SMTP_URL: z
    .string()
    .optional()
    .transform((value) => value?.trim() || undefined)
    .refine(
      (value) => value === undefined || /^smtps?:\/\/[^\s]+$/.test(value),
      "must be an smtp:// or smtps:// URL, e.g. smtps://user:password@smtp.example.com:465",
    ),
  MAIL_FROM: z
    .string()
    .optional()
    .transform((value) => value?.trim() || undefined)
    .refine(
      (value) => value === undefined || mailboxAddress(value) !== null,
      'must be an address, or a name and an address: "Privacy Desk <privacy@example.com>"',
    ),
};

/** The address in `name <address>` or a bare address; null when there is none that is valid. */
function mailboxAddress(value: string): string | null {
  if (/[\r\n]/.test(value)) return null;
  const match = /^(?:[^<>]*<([^<>]+)>|([^<>\s]+))$/.exec(value.trim());
  const address = match?.[1] ?? match?.[2];
  return address && emailProblem(address) === null ? address : null;
}

const mailTogether = (env: { SMTP_URL?: string; MAIL_FROM?: string }, ctx: z.RefinementCtx) => {
  if (env.SMTP_URL && !env.MAIL_FROM)
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["MAIL_FROM"],
      message: "is required when SMTP_URL is set (the sender of emails to shoppers)",
    });
};

const storageEnvSchema = z.object(storageFields).superRefine(mailTogether);

const envSchema = z
  .object({
    ...storageFields,
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    SHOPIFY_API_KEY: z.string().min(1, "is required (the app's client id from the Partner Dashboard)"),
    SHOPIFY_API_SECRET: z.string().min(1, "is required (the app's client secret; it signs webhooks)"),
    SHOPIFY_APP_URL: z.string().url("must be the app's public https URL"),
    SCOPES: z
      .string()
      .default(ACCESS_SCOPES.join(","))
      .transform((value) =>
        value
          .split(",")
          .map((scope) => scope.trim())
          .filter(Boolean),
      ),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    WORKER_MODE: z.enum(["in-process", "separate"]).default("in-process"),
    // How many proxies of our own (load balancers) append to X-Forwarded-For in front of the app;
    // the storefront's per-address limits count the client Shopify saw, that many hops from the right.
    STOREFRONT_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(5).default(0),
    // The local demo and benchmarks point the Admin API at the simulator; never a real store's.
    SHOPIFY_ADMIN_API_ORIGIN: z
      .string()
      .url("must be the simulator's http://127.0.0.1:<port> origin")
      .refine(
        (value) => /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/.test(value),
        "must be a loopback origin (http://127.0.0.1:<port>)",
      )
      .optional(),
    // npm run demo: a stand-in Shopify admin frame and seeded data on this machine.
    DEMO_MODE: z
      .enum(["0", "1", ""], { errorMap: () => ({ message: "must be 1 or 0" }) })
      .optional()
      .transform((value) => value === "1"),
  })
  .superRefine((env, ctx) => {
    mailTogether(env, ctx);
    const refuse = (variable: "DEMO_MODE" | "SHOPIFY_ADMIN_API_ORIGIN", message: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [variable], message });
    // Both replace Shopify with something on this machine, so both need the app to be on it too:
    // a deployment with a public URL can never serve the demo's token-signing admin frame.
    const onThisMachine = isLoopbackUrl(env.SHOPIFY_APP_URL) && isLoopbackHost(env.HOST);
    if (env.DEMO_MODE) {
      if (env.NODE_ENV === "production") {
        refuse("DEMO_MODE", "cannot be switched on in production (it lets anyone act as any staff member)");
      } else if (!onThisMachine) {
        refuse("DEMO_MODE", "is only for npm run demo: SHOPIFY_APP_URL and HOST must be on 127.0.0.1");
      }
    }
    if (env.SHOPIFY_ADMIN_API_ORIGIN) {
      if (env.NODE_ENV === "production") {
        refuse(
          "SHOPIFY_ADMIN_API_ORIGIN",
          "must not be set in production (it replaces Shopify with a simulator)",
        );
      } else if (!onThisMachine) {
        refuse(
          "SHOPIFY_ADMIN_API_ORIGIN",
          "is only for the demo and benchmarks: SHOPIFY_APP_URL and HOST must be on 127.0.0.1",
        );
      }
    }
  });

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase());
}

function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

export type Env = z.infer<typeof envSchema>;
export type StorageEnv = z.infer<typeof storageEnvSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses the environment once; every problem is reported, each naming its variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  return parseWith(envSchema, source);
}

export function parseStorageEnv(source: Record<string, string | undefined>): StorageEnv {
  return parseWith(storageEnvSchema, source);
}

function parseWith<T extends z.ZodTypeAny>(
  schema: T,
  source: Record<string, string | undefined>,
): z.infer<T> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const missing = issue.code === z.ZodIssueCode.invalid_type && issue.received === "undefined";
      return missing ? `${name} is missing` : `${name} ${issue.message}`;
    }),
  );
}

/** Reads ./.env when present; variables already set in the environment win. */
export function loadDotEnv(path = ".env"): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

let cached: Env | undefined;

/** The app's settings, from the environment and ./.env (under the Vite dev server nothing else loads it). */
export function getEnv(): Env {
  if (!cached) {
    loadDotEnv();
    cached = parseEnv(process.env);
  }
  return cached;
}
