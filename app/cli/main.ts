import { createDb } from "../db.server";
import { EnvError, parseStorageEnv } from "../env.server";
import { keyringFromEnv } from "../keys.server";
import { runCli } from "./commands";

async function main(): Promise<number> {
  let env;
  try {
    env = parseStorageEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const db = createDb(env.DATABASE_URL);
  try {
    return await runCli(process.argv.slice(2), {
      db,
      keyring: keyringFromEnv(env),
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
