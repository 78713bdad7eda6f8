import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, parseStorageEnv } from "../../app/env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
  ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
};

describe("environment", () => {
  it("applies defaults", () => {
    expect(parseEnv(valid)).toMatchObject({
      DATABASE_URL: "file:./prisma/dev.sqlite",
      PORT: 3000,
      HOST: "127.0.0.1",
      WORKER_MODE: "in-process",
      SCOPES: [
        "read_customers",
        "write_customers",
        "read_orders",
        "read_all_orders",
        "write_customer_data_erasure",
        "write_privacy_settings",
        "write_app_proxy",
      ],
      ENCRYPTION_KEYS_RETIRED: [],
    });
  });

  it("names every missing or bad variable at once", () => {
    const env = {
      ...valid,
      SHOPIFY_API_SECRET: undefined,
      SHOPIFY_APP_URL: "not a url",
      ENCRYPTION_KEY: "c2hvcnQ=",
      PORT: "99999",
    };
    let error: unknown;
    try {
      parseEnv(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).problems).toEqual([
      "ENCRYPTION_KEY must be 32 bytes of base64, got 5 bytes",
      "SHOPIFY_API_SECRET is missing",
      "SHOPIFY_APP_URL must be the app's public https URL",
      "PORT Number must be less than or equal to 65535",
    ]);
  });

  it("accepts a loopback Admin API origin for the simulator, never a remote one, never in production", () => {
    expect(
      parseEnv({
        ...valid,
        SHOPIFY_APP_URL: "http://127.0.0.1:3000",
        SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:4010",
      }).SHOPIFY_ADMIN_API_ORIGIN,
    ).toBe("http://127.0.0.1:4010");
    expect(() => parseEnv({ ...valid, SHOPIFY_ADMIN_API_ORIGIN: "https://evil.example.com" })).toThrow(
      "SHOPIFY_ADMIN_API_ORIGIN must be a loopback origin (http://127.0.0.1:<port>)",
    );
    expect(() =>
      parseEnv({ ...valid, NODE_ENV: "production", SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:4010" }),
    ).toThrow("SHOPIFY_ADMIN_API_ORIGIN must not be set in production");
  });

  it("refuses demo mode and the simulator unless the app itself runs on this machine", () => {
    const local = { ...valid, SHOPIFY_APP_URL: "http://127.0.0.1:3000", NODE_ENV: "development" };
    expect(parseEnv({ ...local, DEMO_MODE: "1" }).DEMO_MODE).toBe(true);
    expect(() => parseEnv({ ...valid, NODE_ENV: "development", DEMO_MODE: "1" })).toThrow(
      "DEMO_MODE is only for npm run demo: SHOPIFY_APP_URL and HOST must be on 127.0.0.1",
    );
    expect(() => parseEnv({ ...local, HOST: "0.0.0.0", DEMO_MODE: "1" })).toThrow(
      "DEMO_MODE is only for npm run demo",
    );
    expect(() =>
      parseEnv({ ...valid, NODE_ENV: "development", SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:4010" }),
    ).toThrow("SHOPIFY_ADMIN_API_ORIGIN is only for the demo and benchmarks");
  });

  it("starts without SMTP (storefront verification unavailable), and takes SMTP_URL only with a sender", () => {
    const withoutMail = parseEnv(valid);
    expect([withoutMail.SMTP_URL, withoutMail.MAIL_FROM]).toEqual([undefined, undefined]);
    expect(
      parseEnv({
        ...valid,
        SMTP_URL: "smtps://u:p@smtp.example.com:465",
        MAIL_FROM: "Shop Privacy <p@example.com>",
      }),
    ).toMatchObject({
      SMTP_URL: "smtps://u:p@smtp.example.com:465",
      MAIL_FROM: "Shop Privacy <p@example.com>",
    });
    const problems = (source: Record<string, string>) => {
      try {
        parseEnv({ ...valid, ...source });
        return [];
      } catch (error) {
        return (error as EnvError).problems;
      }
    };
    expect(problems({ SMTP_URL: "smtp://127.0.0.1:2525" })).toEqual([
      "MAIL_FROM is required when SMTP_URL is set (the sender of emails to shoppers)",
    ]);
    expect(problems({ SMTP_URL: "http://mail.example.com", MAIL_FROM: "p@example.com" })[0]).toMatch(
      /^SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/,
    );
    expect(problems({ SMTP_URL: "smtp://127.0.0.1:2525", MAIL_FROM: "not an address" })[0]).toMatch(
      /^MAIL_FROM must be/,
    );
    expect(
      problems({ SMTP_URL: "smtp://127.0.0.1:2525", MAIL_FROM: "a@example.com\r\nBcc: x@example.com" })[0],
    ).toMatch(/^MAIL_FROM must be/);
    expect(problems({ STOREFRONT_TRUSTED_PROXIES: "9" })[0]).toMatch(/^STOREFRONT_TRUSTED_PROXIES/);
  });

  it("refuses demo mode in production", () => {
    expect(parseEnv(valid).DEMO_MODE).toBe(false);
    expect(() => parseEnv({ ...valid, NODE_ENV: "production", DEMO_MODE: "1" })).toThrow(
      "DEMO_MODE cannot be switched on in production",
    );
  });

  it("refuses a non-SQLite DATABASE_URL and a bad retired key", () => {
    expect(() => parseEnv({ ...valid, DATABASE_URL: "postgres://x" })).toThrow(
      /DATABASE_URL must be a SQLite URL/,
    );
    expect(() => parseEnv({ ...valid, ENCRYPTION_KEYS_RETIRED: "AAAA" })).toThrow(
      /ENCRYPTION_KEYS_RETIRED must be 32 bytes/,
    );
  });

  it("needs only storage settings for the worker and CLI", () => {
    expect(parseStorageEnv({ ENCRYPTION_KEY: valid.ENCRYPTION_KEY })).toMatchObject({
      DATABASE_URL: "file:./prisma/dev.sqlite",
    });
    expect(() => parseStorageEnv({})).toThrow(/ENCRYPTION_KEY is missing/);
  });
});
