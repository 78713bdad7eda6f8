import { getJwt } from "@shopify/shopify-api/test-helpers";
import { ACCESS_SCOPES } from "../../app/api-version";
import { getDb } from "../../app/db.server";
import type { Role } from "../../app/domain/roles";
import { SHOP, TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "./constants";

export interface TestStaff {
  shop: string;
  userId: string;
}

/**
 * A staff member signed in to the embedded app: the shop's offline session, their online
 * session (what token exchange would have stored, so no call to Shopify is needed) and, unless
 * they own the store, the role an admin assigned them (`null`: none, so a viewer). `userScopes` is
 * what Shopify lets them do (the online token's associated_user_scope): every scope the app has
 * unless given (`null`: Shopify did not say).
 */
export async function signedInStaff(options: {
  shop?: string;
  userId: string;
  owner?: boolean;
  role?: Role | null;
  userScopes?: string | null;
  name?: { firstName: string | null; lastName: string | null; email?: string | null };
}): Promise<TestStaff> {
  const shop = options.shop ?? SHOP;
  const db = getDb();
  const { id: shopId } = await db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop },
    update: {},
  });
  const expires = new Date(Date.now() + 86_400_000);
  await db.session.upsert({
    where: { id: `offline_${shop}` },
    create: {
      id: `offline_${shop}`,
      shop,
      state: "",
      isOnline: false,
      accessToken: "shpat_offline",
      scope: "read_customers,write_customers",
    },
    update: {},
  });
  await db.session.create({
    data: {
      id: `${shop}_${options.userId}`,
      shop,
      state: "",
      isOnline: true,
      accessToken: `shpua_${options.userId}`,
      scope: "read_customers,write_customers",
      expires,
      userId: BigInt(options.userId),
      firstName: options.name ? options.name.firstName : `User${options.userId}`,
      lastName: options.name ? options.name.lastName : "Staff",
      email: options.name?.email !== undefined ? options.name.email : `staff${options.userId}@store.example`,
      accountOwner: options.owner === true,
      associatedUserScope: options.userScopes === undefined ? ACCESS_SCOPES.join(",") : options.userScopes,
    },
  });
  if (options.role)
    await db.staffRole.create({
      data: { shopId, userId: options.userId, role: options.role, assignedBy: "staff:1" },
    });
  return { shop, userId: options.userId };
}

/** A request as App Bridge sends it from the embedded app: the session token as a bearer header. */
export async function embeddedRequest(
  staff: TestStaff,
  path: string,
  init: { method?: string; form?: Record<string, string> } = {},
): Promise<Request> {
  const { token } = await getJwt(staff.shop.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET, {
    sub: staff.userId,
  });
  const headers = new Headers({ Authorization: `Bearer ${token}` });
  const body = init.form ? new URLSearchParams(init.form) : undefined;
  if (body) headers.set("Content-Type", "application/x-www-form-urlencoded");
  return new Request(`${TEST_APP_URL}${path}`, {
    method: init.method ?? (body ? "POST" : "GET"),
    headers,
    body,
  });
}

/** Loaders and actions throw responses (403, 404, redirects); tests look at them like any other. */
export async function respond(run: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await run();
    if (result instanceof Response) return result;
    return new Response(JSON.stringify(result), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
