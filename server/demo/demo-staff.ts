/** The demo store and its three staff members, one per role; the owner is admin by ownership. */
export const DEMO_SHOP = "demo-store.myshopify.com";

export const DEMO_STAFF = {
  owner: { userId: "9001", firstName: "Olivia", lastName: "Owner", role: null },
  approver: { userId: "9002", firstName: "Arjun", lastName: "Approver", role: "approver" },
  viewer: { userId: "9003", firstName: "Vera", lastName: "Viewer", role: "viewer" },
} as const;

export type DemoStaffKey = keyof typeof DEMO_STAFF;

/** Own keys only: `in` would also accept "toString", "__proto__" and every other inherited name. */
export const isDemoStaffKey = (value: unknown): value is DemoStaffKey =>
  typeof value === "string" && Object.hasOwn(DEMO_STAFF, value);
