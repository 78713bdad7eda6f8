import "./production-default";
import { spawnSync } from "node:child_process";
import { loadDotEnv } from "../app/env.server";

// `npm start`: apply pending migrations, then serve. A failed migration stops the start.
loadDotEnv();
const migrate = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
  stdio: "inherit",
  env: { ...process.env, CHECKPOINT_DISABLE: "1" },
});
if (migrate.status !== 0) {
  process.stderr.write("Database migration failed; not starting.\n");
  process.exit(migrate.status ?? 1);
}
await import("./main");
