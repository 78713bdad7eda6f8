/**
 * The demo store and its staff: the owner (admin by ownership), an approver, a viewer, and a
 * second approver whose Shopify account may not erase customer data, so the request page's
 * disabled erasure approval and its reason can be seen.
 */
export const DEMO_SHOP = "demo-store.myshopify.com";

export const DEMO_STAFF = {
  owner: {
    userId: "9001",
    firstName: "Olivia",
    lastName: "Martin",
    role: null,
    mayEraseCustomerData: true,
    label: "owner",
  },
  approver: {
    userId: "9002",
    firstName: "Arjun",
    lastName: "Patel",
    role: "approver",
    mayEraseCustomerData: true,
    label: "approver",
  },
  limited: {
    userId: "9004",
    firstName: "Sam",
    lastName: "Okafor",
    role: "approver",
    mayEraseCustomerData: false,
    label: "approver who may not erase",
  },
  viewer: {
    userId: "9003",
    firstName: "Vera",
    lastName: "Lindqvist",
    role: "viewer",
    mayEraseCustomerData: false,
    label: "viewer",
  },
} as const;

export type DemoStaffKey = keyof typeof DEMO_STAFF;

/** Own keys only: `in` would also accept "toString", "__proto__" and every other inherited name. */
export const isDemoStaffKey = (value: unknown): value is DemoStaffKey =>
  typeof value === "string" && Object.hasOwn(DEMO_STAFF, value);
