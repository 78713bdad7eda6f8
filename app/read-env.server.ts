import { existsSync } from "node:fs";
import { EnvError } from "./env.server";

/** Reads ./.env when present; variables already set in the environment win. */
export function loadDotEnv(path = ".env"): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** .env, then the parser; a bad environment ends the process with the message naming each variable. */
export function readEnvOrExit<T>(parse: (source: Record<string, string | undefined>) => T, exitCode: number): T {
  loadDotEnv();
  try {
    return parse(process.env);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(exitCode);
  }
}
