import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express, { type Router } from "express";

/** The production HTTP app: hashed assets cached for a year, everything else to Remix. */
export function createHttpApp(build: ServerBuild, clientDir: string, options: { before?: Router[] } = {}) {
  const app = express();
  app.disable("x-powered-by");
  for (const router of options.before ?? []) app.use(router);
  app.use("/assets", express.static(`${clientDir}/assets`, { immutable: true, maxAge: "1y" }));
  app.use(express.static(clientDir, { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: "production" }));
  return app;
}
