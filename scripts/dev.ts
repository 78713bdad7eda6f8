import { spawn } from "node:child_process";

/**
 * The web process under `shopify app dev` (see shopify.web.toml): the Vite dev server, which
 * does not run server/main.ts, plus the job worker as its own process. Both read .env for what
 * the Shopify CLI does not provide (ENCRYPTION_KEY, DATABASE_URL).
 */
const children = [
  spawn("npx", ["remix", "vite:dev"], { stdio: "inherit" }),
  spawn("npx", ["tsx", "server/worker-main.ts"], { stdio: "inherit" }),
];
const stopAll = (signal: NodeJS.Signals) => {
  for (const child of children) if (child.exitCode === null) child.kill(signal);
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stopAll(signal));
for (const child of children) {
  child.on("exit", (code) => {
    stopAll("SIGTERM");
    process.exitCode = code ?? 1;
  });
}
