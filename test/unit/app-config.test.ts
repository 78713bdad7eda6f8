import { fileURLToPath } from "node:url";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { ACCESS_SCOPES, API_VERSION } from "../../app/api-version";

const root = fileURLToPath(new URL("../..", import.meta.url));
const toml = parse(readFileSync(path.join(root, "shopify.app.toml"), "utf8")) as {
  access_scopes: { scopes: string };
  webhooks: {
    api_version: string;
    subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[];
  };
};

/** The flat-route file that serves a URI path, e.g. /webhooks/app/uninstalled → webhooks.app.uninstalled.tsx */
const routeFileFor = (uri: string) =>
  path.join(root, "app/routes", `${uri.replace(/^\//, "").replaceAll("/", ".")}.tsx`);

describe("shopify.app.toml agrees with the code", () => {
  it("uses the one API version constant", () => {
    expect(API_VERSION).toBe("2026-07");
    expect(toml.webhooks.api_version).toBe(API_VERSION);
  });

  it("requests exactly the scopes the code declares", () => {
    expect(toml.access_scopes.scopes.split(",").sort()).toEqual([...ACCESS_SCOPES].sort());
  });

  it("subscribes to all three compliance topics, at a URI a route serves", () => {
    const compliance = toml.webhooks.subscriptions.find((s) => s.compliance_topics);
    expect(compliance?.compliance_topics?.sort()).toEqual([
      "customers/data_request",
      "customers/redact",
      "shop/redact",
    ]);
    expect(existsSync(routeFileFor(compliance!.uri))).toBe(true);
  });

  it("subscribes to app/uninstalled and app/scopes_update, each at a URI a route serves", () => {
    for (const topic of ["app/uninstalled", "app/scopes_update"]) {
      const subscription = toml.webhooks.subscriptions.find((s) => s.topics?.includes(topic));
      expect(subscription, topic).toBeDefined();
      expect(existsSync(routeFileFor(subscription!.uri)), subscription!.uri).toBe(true);
    }
  });
});
