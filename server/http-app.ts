import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";

/** The production HTTP app: hashed assets cached for a year, everything else to Remix. */
export function createHttpApp(build: ServerBuild, clientDir: string) {
  const app = express();
  app.disable("x-powered-by");
  app.use("/assets", express.static(`${clientDir}/assets`, { immutable: true, maxAge: "1y" }));
  app.use(express.static(clientDir, { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: "production" }));
  return app;
}
