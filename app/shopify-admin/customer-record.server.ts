import type { CustomerRecord } from "../domain/rectification";
import type { AdminClient } from "./admin-client.server";

export const customerGid = (numericId: string) => `gid://shopify/Customer/${numericId}`;

/** The customer's reviewable fields as Shopify has them now, or null if there is no such customer. */
export async function fetchCustomerRecord(
  admin: AdminClient,
  numericCustomerId: string,
): Promise<CustomerRecord | null> {
  const { data } = await admin.request("CustomerProfile", {
    customerId: customerGid(numericCustomerId),
    addressesFirst: 50,
    metafieldsFirst: 1,
  });
  const customer = data.customer;
  if (!customer) return null;
  return {
    id: customer.id,
    firstName: customer.firstName,
    lastName: customer.lastName,
    email: customer.defaultEmailAddress?.emailAddress ?? null,
    phone: customer.defaultPhoneNumber?.phoneNumber ?? null,
    note: customer.note,
    tags: [...customer.tags].sort(),
    addresses: [...customer.addressesV2.nodes].sort((a, b) => String(a.id).localeCompare(String(b.id))),
  };
}
