import "./production-default";
import { parseEnv } from "../app/env.server";
import { readEnvOrExit } from "../app/read-env.server";
import { runAppServer } from "./app-server";

// `npm run serve` (and `npm start`, after migrations): the app as deployed. The demo's stand-in
// admin is not part of it; npm run demo serves that through server/demo/main.ts.
const env = readEnvOrExit(parseEnv, 1);
if (env.DEMO_MODE) {
  process.stderr.write(
    "DEMO_MODE=1 is served by npm run demo only (server/demo/main.ts), not by npm start.\n",
  );
  process.exit(1);
}
await runAppServer(env);
