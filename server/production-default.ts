import { loadDotEnv } from "../app/env.server";

// Imported first by every production entry point (npm start, npm run serve, npm run worker): a
// process started without NODE_ENV (in its environment or ./.env) is a production one, so the
// environment check refuses demo mode and the simulator there. npm run demo and the tests set
// NODE_ENV themselves.
loadDotEnv();
process.env.NODE_ENV ??= "production";
