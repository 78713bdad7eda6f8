import type { Db } from "../app/db-types";
import { initialDueDate } from "../app/domain/deadlines";
import { REQUEST_TYPES, type RequestStatus } from "../app/domain/request-lifecycle";
import type { Keyring } from "../app/security/keyring";
import { appendAuditEvents } from "../app/services/audit-log.server";
import { insertRows } from "../app/services/bulk-insert.server";
import { newRequestRecord } from "../app/services/requests.server";
import { resolveSubjects } from "../app/services/subjects.server";
import { seededRandom } from "../simulator/random";

const DAY = 86_400_000;
const BATCH = 200;
// Most requests of an established store are finished; a tenth wait for the merchant.
const STATUS_MIX: [RequestStatus, number][] = [
  ["completed", 0.7],
  ["denied", 0.05],
  ["canceled", 0.03],
  ["pending_review", 0.1],
  ["awaiting_verification", 0.04],
  ["approved", 0.02],
  ["in_progress", 0.01],
  ["failed", 0.05],
];

/**
 * Requests as the app stores them (subjects with their own keys, sealed personal data, blind
 * email index, a "received" audit event each), spread over two years, through the same services
 * that write them in production, in batches of 200.
 */
export async function seedRequests(
  db: Db,
  keyring: Keyring,
  options: { total: number; shops: number; ownerUserId: string },
) {
  const random = seededRandom(42).next;
  const now = Date.now();
  const shops: { id: string; domain: string; emails: string[] }[] = [];
  for (let s = 0; s < options.shops; s += 1) {
    const domain = `bench-${String(s).padStart(2, "0")}.myshopify.com`;
    const shop = await db.shop.create({ data: { domain } });
    await db.session.createMany({
      data: [
        {
          id: `offline_${domain}`,
          shop: domain,
          state: "",
          isOnline: false,
          accessToken: "shpat_bench",
          scope: "read_customers",
        },
        {
          id: `${domain}_${options.ownerUserId}`,
          shop: domain,
          state: "",
          isOnline: true,
          accessToken: "shpua_bench",
          scope: "read_customers",
          expires: new Date(now + 30 * DAY),
          userId: BigInt(options.ownerUserId),
          accountOwner: true,
        },
      ],
    });
    shops.push({ id: shop.id, domain, emails: [] });
  }
  const perShop = Math.ceil(options.total / options.shops);
  for (const shop of shops) {
    for (let start = 0; start < perShop; start += BATCH) {
      const count = Math.min(BATCH, perShop - start);
      await db.$transaction(async (tx) => {
        const people = Array.from({ length: count }, (_, i) => ({
          shopId: shop.id,
          customerId: String(5_000_000 + start + i),
          email: `shopper${start + i}@${shop.domain.replace(".myshopify.com", "")}.example`,
        }));
        const subjects = await resolveSubjects(tx, keyring, people);
        const records = people.map((person, i) => {
          const receivedAt = new Date(now - Math.floor(random() * 730 * DAY));
          const regime = random() < 0.7 ? "gdpr" : "ccpa";
          const { row, audit } = newRequestRecord(keyring, subjects[i]!, {
            shopId: shop.id,
            type: REQUEST_TYPES[Math.floor(random() * REQUEST_TYPES.length)]!,
            source: random() < 0.5 ? "shopify_webhook" : random() < 0.5 ? "storefront" : "merchant",
            regime,
            verified: true,
            receivedAt,
            customerId: person.customerId,
            email: person.email,
            phone: null,
          });
          // Recent requests are the open ones; old ones are finished.
          const age = (now - receivedAt.getTime()) / DAY;
          let status: RequestStatus = "completed";
          if (age < 60) {
            let roll = random();
            status = STATUS_MIX.find(([, share]) => (roll -= share) < 0)?.[0] ?? "completed";
          }
          const completedAt =
            status === "completed"
              ? new Date(receivedAt.getTime() + Math.floor(1 + random() * 20) * DAY)
              : null;
          return {
            row: {
              ...row,
              status,
              dueAt: initialDueDate(regime, receivedAt),
              completedAt,
              createdAt: receivedAt,
              updatedAt: receivedAt,
            },
            audit,
          };
        });
        await insertRows(
          tx,
          "PrivacyRequest",
          records.map((record) => record.row),
        );
        await appendAuditEvents(
          tx,
          keyring,
          records.map((record) => record.audit("shopify")),
        );
        shop.emails.push(...people.filter((_, i) => i % 20 === 0).map((person) => person.email));
      });
    }
  }
  return shops;
}
