import { LogSeverity } from "@shopify/shopify-api";
import pino, { type Logger as PinoLogger } from "pino";
import pinoPretty from "pino-pretty";
import { z } from "zod";

/**
 * The app's logs: one JSON object per line on stderr in production (any log shipper parses it),
 * readable coloured lines in the local demo. LOG_LEVEL sets the threshold for the app and for
 * @shopify/shopify-app-remix's own logger alike (shopify.server.ts maps it).
 */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export const logLevel = z.enum(LOG_LEVELS, {
  errorMap: () => ({ message: `must be one of ${LOG_LEVELS.join(", ")}` }),
});
export const logFormat = z.enum(["json", "pretty"], {
  errorMap: () => ({ message: "must be json or pretty" }),
});
export type LogLevel = z.infer<typeof logLevel>;

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function createLogger(options: {
  level: LogLevel;
  format: "json" | "pretty";
  destination?: NodeJS.WritableStream;
}): Logger {
  const settings = {
    level: options.level,
    base: undefined,
    messageKey: "message",
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const destination = options.destination ?? process.stderr;
  const sink: PinoLogger =
    options.format === "pretty"
      ? pino(
          settings,
          pinoPretty({
            destination,
            sync: true,
            messageKey: "message",
            translateTime: "HH:MM:ss",
            ignore: "time",
          }),
        )
      : pino(settings, destination);
  const at = (level: "debug" | "info" | "warn" | "error") => (message: string, fields?: LogFields) =>
    fields ? sink[level](fields, message) : sink[level](message);
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/**
 * The process's logger, from LOG_LEVEL and LOG_FORMAT. The environment check at start-up reports a
 * bad value by name (env.server.ts); until then a bad value falls back to the default.
 */
export const logger: Logger = createLogger({
  level: logLevel.catch("info").parse(process.env.LOG_LEVEL ?? "info"),
  format: logFormat.catch("json").parse(process.env.LOG_FORMAT ?? "json"),
});

const SEVERITY_OF: Record<LogLevel, LogSeverity> = {
  debug: LogSeverity.Debug,
  info: LogSeverity.Info,
  warn: LogSeverity.Warning,
  // The library has nothing quieter than Error; the app's logger drops it when silent.
  error: LogSeverity.Error,
  silent: LogSeverity.Error,
};
const LEVEL_OF = {
  [LogSeverity.Debug]: "debug",
  [LogSeverity.Info]: "info",
  [LogSeverity.Warning]: "warn",
  [LogSeverity.Error]: "error",
} as const;

/** The shopifyApp `logger` option: the library's lines go through `target`, at the same threshold. */
export function libraryLogging(target: Logger, level: LogLevel) {
  return {
    level: SEVERITY_OF[level],
    log: (severity: LogSeverity, message: string) =>
      target[LEVEL_OF[severity]](message, { source: "shopify-app-remix" }),
  };
}
