import { createDb } from "../db.server";
import { readEnvOrExit } from "../read-env.server";
import { parseStorageEnv } from "../env.server";
import { keyringFromEnv } from "../keys.server";
import { runCli } from "./commands";

async function main(): Promise<number> {
  const env = readEnvOrExit(parseStorageEnv, 2);
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
