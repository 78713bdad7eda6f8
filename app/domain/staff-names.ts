import { displayValue } from "./display-text";

/**
 * How people and systems are named to the merchant. Staff are named from their online session
 * (Shopify gives first name, last name and email); a staff member who never opened the app is
 * "Staff member <id>". Actor strings are the audit trail's: `staff:<Shopify user id>`, `shopify`,
 * `system:<part>`, `operator:<who>`, `requester:<channel>`.
 */
export type StaffNames = ReadonlyMap<string, string>;

export function staffDisplayName(person: {
  userId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}): string {
  const name = displayValue([person.firstName, person.lastName].filter(Boolean).join(" ")).trim();
  if (name) return name;
  const email = person.email ? displayValue(person.email).trim() : "";
  return email || unknownStaff(person.userId);
}

export const unknownStaff = (userId: string) => `Staff member ${userId}`;

/** The actor as a noun phrase inside a sentence ("Approved by an operator"). */
export function actorName(actor: string, names: StaffNames): string {
  if (actor === "shopify") return "Shopify";
  if (actor === "shopper") return "the requester";
  if (actor.startsWith("staff:")) {
    const userId = actor.slice("staff:".length);
    return names.get(userId) ?? unknownStaff(userId);
  }
  if (actor.startsWith("system:")) return "Privacy Desk";
  if (actor.startsWith("operator:")) return "an operator";
  if (actor === "requester:customer_account") return "the requester, from their customer account";
  if (actor === "requester:email_link") return "the requester, from the emailed link";
  if (actor.startsWith("requester:")) return "the requester";
  return displayValue(actor);
}

/** The same, starting a sentence ("An operator retried it"). */
export function actorNameAtStart(actor: string, names: StaffNames): string {
  const name = actorName(actor, names);
  return name.charAt(0).toUpperCase() + name.slice(1);
}
