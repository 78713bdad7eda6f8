import { readFileSync } from "node:fs";
import express, { type Router } from "express";
import { DEMO_SHOP, DEMO_STAFF, isDemoStaffKey, type DemoStaffKey } from "./demo-staff";
import { sessionToken } from "./session-token";

const APP_BRIDGE_STANDIN = readFileSync(new URL("./app-bridge-standin.js", import.meta.url), "utf8");
const COOKIE = "privacy_desk_demo_staff";

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A local stand-in for the Shopify admin that embeds the app (demo mode only):
 *   GET /admin[?as=owner|approver|limited|viewer]   the admin frame, the app in an iframe
 *   GET /demo/session-token                 a fresh session token for the chosen staff member
 *   GET /demo/app-bridge.js                 the App Bridge stand-in the app loads
 * Shopify's headers only allow its own admin to frame the app; here the frame is same-origin.
 */
export function demoAdminFrame(options: { apiKey: string; apiSecret: string }): Router {
  const router = express.Router();
  const staffOf = (cookieHeader: string | undefined): DemoStaffKey => {
    const match = /(?:^|;\s*)privacy_desk_demo_staff=(\w+)/.exec(cookieHeader ?? "");
    return isDemoStaffKey(match?.[1]) ? match[1] : "owner";
  };
  const tokenFor = (who: DemoStaffKey) =>
    sessionToken({
      shop: DEMO_SHOP,
      apiKey: options.apiKey,
      apiSecret: options.apiSecret,
      userId: DEMO_STAFF[who].userId,
    });

  router.use((request, response, next) => {
    // Let the same-origin admin frame embed the app's pages.
    const setHeader = response.setHeader.bind(response);
    response.setHeader = (name: string, value: number | string | readonly string[]) =>
      setHeader(
        name,
        name.toLowerCase() === "content-security-policy"
          ? String(value).replace("frame-ancestors", "frame-ancestors 'self'")
          : value,
      );
    next();
  });

  router.get("/admin", (request, response) => {
    const who = isDemoStaffKey(request.query.as) ? request.query.as : staffOf(request.headers.cookie);
    const host = Buffer.from(`admin.shopify.com/store/${DEMO_SHOP.replace(".myshopify.com", "")}`).toString(
      "base64url",
    );
    const path =
      typeof request.query.path === "string" && request.query.path.startsWith("/app")
        ? request.query.path
        : "/app";
    const src = `${path}${path.includes("?") ? "&" : "?"}embedded=1&shop=${DEMO_SHOP}&host=${host}&id_token=${tokenFor(who)}`;
    const staff = DEMO_STAFF[who];
    response.setHeader("Set-Cookie", `${COOKIE}=${who}; Path=/; HttpOnly; SameSite=Lax`);
    response.setHeader("Cache-Control", "no-store");
    response.type("html").send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Privacy Desk · demo admin</title>
<style>
  body{margin:0;font:14px system-ui;background:#f1f1f1;display:flex;flex-direction:column;height:100vh}
  header{display:flex;align-items:center;gap:16px;padding:8px 16px;background:#1a1a1a;color:#fff}
  header strong{font-weight:600} header nav{margin-left:auto;display:flex;gap:8px}
  header a{color:#e3e3e3;padding:4px 10px;border-radius:6px;text-decoration:none} header a[aria-current]{background:#fff;color:#1a1a1a}
  iframe{flex:1;border:0;width:100%;background:#f1f1f1}
</style></head>
<body>
<header>
  <strong>Shopify admin</strong><span>${escape(DEMO_SHOP)} · local stand-in for the demo</span>
  <nav aria-label="Sign in as">${(Object.keys(DEMO_STAFF) as DemoStaffKey[])
    .map(
      (key) =>
        `<a href="/admin?as=${key}"${key === who ? ' aria-current="page"' : ""}>${escape(DEMO_STAFF[key].firstName)} (${escape(DEMO_STAFF[key].label)})</a>`,
    )
    .join("")}</nav>
</header>
<iframe title="Privacy Desk" name="app-iframe" src="${escape(src)}"></iframe>
<!-- signed in as ${escape(staff.firstName)} ${escape(staff.lastName)} -->
</body></html>`);
  });

  router.get("/demo/session-token", (request, response) => {
    response.setHeader("Cache-Control", "no-store");
    response.type("text/plain").send(tokenFor(staffOf(request.headers.cookie)));
  });

  router.get("/demo/app-bridge.js", (_request, response) => {
    response.type("application/javascript").send(APP_BRIDGE_STANDIN);
  });

  return router;
}
