import { EnvError, loadDotEnv } from "./env.server";

/** .env, then the parser; a bad environment ends the process with the message naming each variable. */
export function readEnvOrExit<T>(
  parse: (source: Record<string, string | undefined>) => T,
  exitCode: number,
): T {
  loadDotEnv();
  try {
    return parse(process.env);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(exitCode);
  }
}
