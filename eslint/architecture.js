import boundaries from "eslint-plugin-boundaries";

/**
 * The architecture's import rules (README "How it works"): each layer may only reach the ones
 * below it. From the bottom: domain (pure) → queue → services (with exports, shopify-admin,
 * security) → jobs (the worker), webhooks and the storefront proxy → routes and components (Remix) → server (entry
 * points). Demo, simulator, tests, benchmarks and scripts sit beside production code and are never
 * imported by it. test/unit/architecture-lint.test.ts shows a violation failing lint.
 */
const ELEMENTS = [
  { type: "domain", pattern: "app/domain" },
  { type: "queue", pattern: "app/queue" },
  { type: "security", pattern: "app/security" },
  { type: "shopify-admin", pattern: "app/shopify-admin" },
  { type: "services", pattern: "app/services" },
  { type: "services", pattern: "app/exports" },
  { type: "jobs", pattern: "app/jobs" },
  { type: "webhooks", pattern: "app/webhooks" },
  { type: "storefront", pattern: "app/storefront" },
  { type: "cli", pattern: "app/cli" },
  { type: "routes", pattern: "app/routes" },
  { type: "components", pattern: "app/components" },
  { type: "app", pattern: "app" },
  { type: "demo", pattern: "server/demo" },
  { type: "server", pattern: "server" },
  { type: "simulator", pattern: "simulator" },
  { type: "test", pattern: "test" },
  { type: "bench", pattern: "bench" },
  { type: "scripts", pattern: "scripts" },
];

const NOT_PRODUCTION = ["demo", "simulator", "test", "bench", "scripts"];
const to = (...types) => ({ to: { element: { types: { anyOf: types } } } });
const from = (...types) => ({ element: { types: { anyOf: types } } });
const externals = (...sources) => ({ to: { module: { origin: "external", source: sources } } });

export const architecture = {
  files: [
    "app/**/*.{ts,tsx}",
    "server/**/*.ts",
    "simulator/**/*.ts",
    "scripts/**/*.ts",
    "bench/**/*.ts",
    "test/**/*.ts",
  ],
  plugins: { boundaries },
  settings: {
    "boundaries/elements": ELEMENTS,
    "boundaries/dependency-nodes": ["import", "dynamic-import", "export"],
    "import/resolver": { node: { extensions: [".ts", ".tsx", ".js", ".json"] } },
  },
  rules: {
    "boundaries/dependencies": [
      "error",
      {
        default: "allow",
        checkAllOrigins: true,
        policies: [
          {
            from: from("domain"),
            disallow: to(
              "queue",
              "security",
              "shopify-admin",
              "services",
              "jobs",
              "webhooks",
              "storefront",
              "cli",
              "routes",
              "components",
              "app",
              "server",
              ...NOT_PRODUCTION,
            ),
            message: "The domain is pure: it imports only the domain (no I/O, no other layer)",
          },
          {
            from: from("domain"),
            disallow: externals(
              "@prisma/*",
              "@shopify/*",
              "@remix-run/*",
              "react",
              "pino",
              "better-sqlite3",
              "yazl",
            ),
            message: "The domain is pure: no database, Shopify, web framework or I/O library",
          },
          {
            from: from("queue"),
            disallow: to(
              "services",
              "shopify-admin",
              "jobs",
              "webhooks",
              "storefront",
              "cli",
              "routes",
              "components",
              "server",
              ...NOT_PRODUCTION,
            ),
            message:
              "The queue sits below services and the worker: it imports only the domain and the database types",
          },
          {
            from: from("services", "shopify-admin", "security"),
            disallow: to(
              "jobs",
              "webhooks",
              "storefront",
              "cli",
              "routes",
              "components",
              "server",
              ...NOT_PRODUCTION,
            ),
            message: "Services import no route, no worker, no entry point (they are below all three)",
          },
          {
            from: from("services", "shopify-admin", "security", "queue", "domain"),
            disallow: externals("@remix-run/*"),
            message: "Only routes and entry points know Remix",
          },
          {
            from: from("jobs"),
            disallow: to(
              "routes",
              "components",
              "webhooks",
              "storefront",
              "cli",
              "server",
              ...NOT_PRODUCTION,
            ),
            message: "The worker imports no route, no Remix and no entry point",
          },
          {
            from: from("jobs"),
            disallow: externals("@remix-run/*", "@shopify/shopify-app-remix", "@shopify/shopify-app-remix/*"),
            message: "The worker imports no Remix: the Admin client factory is injected by the entry point",
          },
          {
            from: from("storefront"),
            disallow: to("routes", "components", "jobs", "cli", "server"),
            message:
              "The storefront proxy sits beside the webhooks: below routes and entry points, above services",
          },
          {
            from: from("storefront"),
            disallow: externals("@remix-run/*", "@shopify/shopify-app-remix", "@shopify/shopify-app-remix/*"),
            message:
              "The storefront proxy works on Fetch requests without Remix, and never on Shopify's session-loading helpers (ADR 010)",
          },
          {
            from: from("webhooks", "storefront", "cli", "routes", "components", "app", "server"),
            disallow: to(...NOT_PRODUCTION),
            message: "Production code never imports the demo, the simulator, tests, benchmarks or scripts",
          },
        ],
      },
    ],
  },
};
