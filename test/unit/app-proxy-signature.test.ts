import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  appProxyMessage,
  groupQuery,
  signAppProxyQuery,
  verifyAppProxyQuery,
} from "../../app/domain/app-proxy-signature";

// shopify.dev, "Authenticate app proxies": secret `hush`, the request Shopify forwards for
// GET /apps/awesome_reviews/extra/path/components?extra=1&extra=2, signed at 1317327555.
const SECRET = "hush";
const DOCUMENTED_AT = 1317327555;
const DOCUMENTED =
  "extra=1&extra=2&shop=shop-name.myshopify.com&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555&signature=a9718877bea71c2484f91608a7eaea1532bdf71f5c56825065fa4ccabe549ef3";
// The same request from a logged-in customer 1: the current page adds logged_in_customer_id=1
// to the query but still prints the signature above, which was computed without it.
const LOGGED_IN =
  "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555";

describe("app proxy signature, Shopify's algorithm", () => {
  it("GIVEN Shopify's documented request WHEN the clock reads its timestamp THEN it verifies", () => {
    const result = verifyAppProxyQuery(DOCUMENTED, SECRET, DOCUMENTED_AT);
    expect(result).toMatchObject({
      ok: true,
      query: {
        shop: "shop-name.myshopify.com",
        loggedInCustomerId: null,
        pathPrefix: "/apps/awesome_reviews",
      },
    });
    expect(result.ok && result.query.params.get("extra")).toBe("1,2");
  });

  it("signs the documented message: repeated values joined with a comma, decoded, sorted, no separators", () => {
    expect(appProxyMessage(groupQuery(DOCUMENTED))).toBe(
      "extra=1,2path_prefix=/apps/awesome_reviewsshop=shop-name.myshopify.comtimestamp=1317327555",
    );
    expect(appProxyMessage(groupQuery(LOGGED_IN))).toBe(
      "extra=1,2logged_in_customer_id=1path_prefix=/apps/awesome_reviewsshop=shop-name.myshopify.comtimestamp=1317327555",
    );
  });

  it("verifies the logged-in request with its own signature (4c68c862…), and names the customer", () => {
    const signature = "4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb";
    const result = verifyAppProxyQuery(`${LOGGED_IN}&signature=${signature}`, SECRET, DOCUMENTED_AT);
    expect(result).toMatchObject({ ok: true, query: { loggedInCustomerId: "1" } });
  });

  it("refuses the documentation's pairing of logged_in_customer_id=1 with the signature computed without it", () => {
    // Accepting it would mean ignoring a parameter Shopify signs: exactly how a forged customer id gets in.
    const result = verifyAppProxyQuery(
      `${LOGGED_IN}&signature=a9718877bea71c2484f91608a7eaea1532bdf71f5c56825065fa4ccabe549ef3`,
      SECRET,
      DOCUMENTED_AT,
    );
    expect(result).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it("treats a guest's empty logged_in_customer_id as signed, and as nobody", () => {
    const query = `${LOGGED_IN.replace("logged_in_customer_id=1", "logged_in_customer_id=")}&signature=e072b6d7e6622d85912a5214b860d3100dc1e73d9bc29f43796ac8c9ff8093cb`;
    expect(verifyAppProxyQuery(query, SECRET, DOCUMENTED_AT)).toMatchObject({
      ok: true,
      query: { loggedInCustomerId: null },
    });
  });

  it.each([
    ["an appended second logged_in_customer_id", `${DOCUMENTED}&logged_in_customer_id=2`],
    [
      "a second logged_in_customer_id before the first",
      DOCUMENTED.replace("extra=1&", "logged_in_customer_id=2&extra=1&"),
    ],
    ["a changed shop", DOCUMENTED.replace("shop-name", "other-shop")],
    ["a dropped repeated value", DOCUMENTED.replace("extra=1&extra=2&", "extra=2&")],
    ["an added parameter", `${DOCUMENTED}&type=erasure`],
    [
      "an uppercase signature",
      DOCUMENTED.replace(/signature=(\w+)/, (_m, s: string) => `signature=${s.toUpperCase()}`),
    ],
    [
      "a second signature",
      `${DOCUMENTED}&signature=a9718877bea71c2484f91608a7eaea1532bdf71f5c56825065fa4ccabe549ef3`,
    ],
    ["a truncated signature", DOCUMENTED.slice(0, -2)],
    [
      "another secret's signature",
      DOCUMENTED.replace(
        /signature=\w+/,
        `signature=${createHmac("sha256", "other")
          .update(appProxyMessage(groupQuery(DOCUMENTED)))
          .digest("hex")}`,
      ),
    ],
  ])("GIVEN %s WHEN verified THEN the signature is refused", (_name, query) => {
    expect(verifyAppProxyQuery(query, SECRET, DOCUMENTED_AT)).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });
  });

  it.each([
    ["no signature", DOCUMENTED.replace(/&signature=\w+/, "")],
    ["an empty signature", DOCUMENTED.replace(/signature=\w+/, "signature=")],
    ["no query at all", ""],
  ])("GIVEN %s THEN the request is refused as unsigned", (_name, query) => {
    expect(verifyAppProxyQuery(query, SECRET, DOCUMENTED_AT)).toMatchObject({
      ok: false,
      reason: "missing_signature",
    });
  });

  it.each([
    ["replayed 91 seconds later", DOCUMENTED_AT + 91],
    ["replayed a day later", DOCUMENTED_AT + 86_400],
    ["dated 91 seconds in the future", DOCUMENTED_AT - 91],
  ])("GIVEN a valid signature %s THEN it is refused as stale", (_name, now) => {
    expect(verifyAppProxyQuery(DOCUMENTED, SECRET, now)).toMatchObject({ ok: false, reason: "stale" });
  });

  it("cannot tell a repeated key from one value with a comma (Shopify's algorithm), so the app reads only Shopify's own parameters", () => {
    // extra=1&extra=2 and extra=1%2C2 sign the same message; shop, logged_in_customer_id,
    // path_prefix and timestamp must appear once, so neither form can smuggle a second value in.
    expect(
      verifyAppProxyQuery(DOCUMENTED.replace("extra=1&extra=2&", "extra=1%2C2&"), SECRET, DOCUMENTED_AT).ok,
    ).toBe(true);
  });

  it("accepts the edges of the 90-second window", () => {
    expect(verifyAppProxyQuery(DOCUMENTED, SECRET, DOCUMENTED_AT + 90).ok).toBe(true);
    expect(verifyAppProxyQuery(DOCUMENTED, SECRET, DOCUMENTED_AT - 90).ok).toBe(true);
  });

  it.each([
    ["a repeated shop", { shop: ["a.myshopify.com", "b.myshopify.com"] }],
    ["a custom domain as shop", { shop: ["shop.example.com"] }],
    ["a repeated logged_in_customer_id", { logged_in_customer_id: ["1", "1"] }],
    ["a non-numeric customer id", { logged_in_customer_id: ["gid://shopify/Customer/1"] }],
    ["a path_prefix outside Shopify's prefixes", { path_prefix: ["/admin/privacy"] }],
    ["a path_prefix with markup", { path_prefix: ["/apps/<b>"] }],
    ["a repeated timestamp", { timestamp: [String(DOCUMENTED_AT), String(DOCUMENTED_AT)] }],
  ])("GIVEN a correctly signed query with %s THEN it is refused as malformed", (_name, override) => {
    const params = new URLSearchParams({
      shop: "shop-name.myshopify.com",
      path_prefix: "/apps/privacy",
      timestamp: String(DOCUMENTED_AT),
    });
    for (const [key, values] of Object.entries(override)) {
      params.delete(key);
      for (const value of values) params.append(key, value);
    }
    const signed = signAppProxyQuery(params, SECRET);
    expect(verifyAppProxyQuery(signed.toString(), SECRET, DOCUMENTED_AT)).toMatchObject({
      ok: false,
      reason: "malformed",
    });
  });

  it("signAppProxyQuery produces what Shopify produced for the documented request", () => {
    const unsigned = new URLSearchParams(DOCUMENTED);
    unsigned.delete("signature");
    expect(signAppProxyQuery(unsigned, SECRET).get("signature")).toBe(
      "a9718877bea71c2484f91608a7eaea1532bdf71f5c56825065fa4ccabe549ef3",
    );
  });
});
