import { PassThrough } from "node:stream";
import { LogSeverity } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../app/env.server";
import { createLogger, libraryLogging, type LogLevel } from "../../app/logger.server";

function capture(level: LogLevel, format: "json" | "pretty" = "json") {
  const destination = new PassThrough();
  let text = "";
  destination.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { logger: createLogger({ level, format, destination }), text: () => text };
}

describe("the app's logger", () => {
  it("writes one JSON object per line with the message and fields, honouring LOG_LEVEL", () => {
    // GIVEN LOG_LEVEL=warn
    const { logger, text } = capture("warn");
    // WHEN the app logs at every level
    logger.debug("d");
    logger.info("i", { jobId: "1" });
    logger.warn("w", { jobId: "2" });
    logger.error("e");
    // THEN only warn and error are written, as JSON lines
    const lines = text()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, message: "w", jobId: "2", time: expect.any(String) }),
      expect.objectContaining({ level: 50, message: "e" }),
    ]);
  });

  it("writes nothing when silent, and readable lines in the demo's pretty format", () => {
    const silent = capture("silent");
    silent.logger.error("nobody hears this");
    expect(silent.text()).toBe("");
    const pretty = capture("info", "pretty");
    pretty.logger.info("worker started", { prismaClients: 1 });
    expect(pretty.text()).toMatch(/INFO.*worker started/);
    expect(pretty.text()).toMatch(/prismaClients: 1/);
    expect(() => JSON.parse(pretty.text())).toThrow();
  });

  it("gives the Shopify library the same threshold and routes its lines through the app's logger", () => {
    const { logger, text } = capture("info");
    const library = libraryLogging(logger, "warn");
    expect(library.level).toBe(LogSeverity.Warning);
    expect(libraryLogging(logger, "debug").level).toBe(LogSeverity.Debug);
    library.log(LogSeverity.Info, "Authenticating admin request");
    expect(JSON.parse(text())).toMatchObject({
      level: 30,
      message: "Authenticating admin request",
      source: "shopify-app-remix",
    });
  });

  it("is part of the environment check: a bad LOG_LEVEL stops the app, naming it", () => {
    const valid = {
      SHOPIFY_API_KEY: "key",
      SHOPIFY_API_SECRET: "secret",
      SHOPIFY_APP_URL: "https://app.example.com",
      ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
    };
    expect(parseEnv(valid)).toMatchObject({ LOG_LEVEL: "info", LOG_FORMAT: "json" });
    expect(() => parseEnv({ ...valid, LOG_LEVEL: "loud" })).toThrow(
      "LOG_LEVEL must be one of debug, info, warn, error, silent",
    );
  });
});
