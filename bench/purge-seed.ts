import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseProvider } from "../app/db-provider";

/**
 * Seeds one big shop for bench:purge straight in SQL (a million rows through the app's services
 * would take an hour): its settings, a staff role, a session, `requests` subjects, requests and
 * deliveries, one job per ten requests and `events` audit events, with columns the sizes the app
 * writes (sealed values as base64 of the same length). The chain hashes are filler: this shop is
 * only ever purged, never verified.
 */
export interface SeedCounts {
  requests: number;
  events: number;
}

const sealed = (bytes: number) => `repeat('A', ${Math.ceil((bytes * 4) / 3)})`;

export async function seedBigShop(databaseUrl: string, domain: string, counts: SeedCounts): Promise<string> {
  const shopId = randomUUID();
  const provider = databaseProvider(databaseUrl);
  const now = new Date().toISOString().replace("Z", "+00:00");
  if (provider === "sqlite") {
    const db = new Database(databaseUrl.replace(/^file:/, ""));
    db.pragma("journal_mode = WAL");
    db.function("repeat", (text: string, n: number) => text.repeat(n));
    const uuid = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6)))`;
    const series = (n: number) =>
      `WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${n})`;
    db.transaction(() => {
      db.prepare(
        `INSERT INTO "Shop" ("id","domain","shopifyShopId","installedAt","createdAt","updatedAt") VALUES (?,?,?,?,?,?)`,
      ).run(shopId, domain, "1", now, now, now);
      insertSmall(db, shopId, domain, now);
      db.exec(sqliteBulk(shopId, now, counts, uuid, series));
    })();
    db.close();
    return shopId;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO "Shop" ("id","domain","shopifyShopId","installedAt","createdAt","updatedAt") VALUES ($1,$2,'1',now(),now(),now())`,
      [shopId, domain],
    );
    await client.query(
      `INSERT INTO "ShopSettings" ("shopId","verificationPolicy","autoApproveCustomerAccess","notificationEmails","exportRetentionDays","updatedAt") VALUES ($1,'manual',false,'["dpo@example.com"]',7,now())`,
      [shopId],
    );
    await client.query(
      `INSERT INTO "StaffRole" ("id","shopId","userId","role","assignedBy","createdAt","updatedAt") VALUES ($1,$2,'77','approver','staff:1',now(),now())`,
      [randomUUID(), shopId],
    );
    await client.query(
      `INSERT INTO "Session" ("id","shop","state","isOnline","accessToken") VALUES ($1,$2,'',false,'shpat_x')`,
      [`offline_${domain}`, domain],
    );
    const q = `'${shopId}'`;
    const r = counts.requests;
    await client.query(`
      INSERT INTO "DataSubject" ("id","shopId","customerId","emailHash","wrappedKey","keyId","createdAt")
      SELECT 'sub-' || g, ${q}, g::text, md5(g::text) || md5(g::text), ${sealed(60)}, 'k1', now() FROM generate_series(1, ${r}) g;
      INSERT INTO "PrivacyRequest" ("id","shopId","subjectId","type","status","source","regime","customerId","emailHash","emailCipher","phoneCipher","shopifyDataRequestId","receivedAt","dueAt","watchdogRequeues","createdAt","updatedAt")
      SELECT 'req-' || g, ${q}, 'sub-' || g, 'access', 'completed', 'shopify_webhook', 'gdpr', g::text, md5(g::text) || md5(g::text), ${sealed(60)}, ${sealed(40)}, g::text, now(), now() + interval '30 days', 0, now(), now() FROM generate_series(1, ${r}) g;
      INSERT INTO "WebhookDelivery" ("id","webhookId","shopId","topic","apiVersion","receivedAt","subjectId","requestId","outcome","payload")
      SELECT 'del-' || g, gen_random_uuid()::text, ${q}, 'customers/data_request', '2026-07', now(), 'sub-' || g, 'req-' || g, 'request_created', ${sealed(300)} FROM generate_series(1, ${r}) g;
      INSERT INTO "Job" ("id","shopId","requestId","kind","payload","status","attempts","maxAttempts","runAt","createdAt","updatedAt","completedAt")
      SELECT 'job-' || g, ${q}, 'req-' || g, 'execute_request', '{}', 'done', 1, 8, now(), now(), now(), now() FROM generate_series(1, ${Math.ceil(r / 10)}) g;
      INSERT INTO "AuditEvent" ("id","shopId","seq","requestId","actor","action","occurredAt","data","subjectId","piiCipher","chainKeyId","prevHash","hash")
      SELECT gen_random_uuid()::text, ${q}, g, 'req-' || (g % ${r} + 1), 'shopify', 'request.received', now(),
             '{"type":"access","source":"shopify_webhook","regime":"gdpr","status":"pending_review"}',
             'sub-' || (g % ${r} + 1), CASE WHEN g % 3 = 0 THEN ${sealed(120)} END, 'k1',
             md5(g::text) || md5(g::text), md5((g + 1)::text) || md5((g + 1)::text)
      FROM generate_series(1, ${counts.events}) g;
    `);
    await client.query("COMMIT");
    await client.query(`ANALYZE`);
  } finally {
    await client.end();
  }
  return shopId;
}

function insertSmall(db: Database.Database, shopId: string, domain: string, now: string) {
  db.prepare(
    `INSERT INTO "ShopSettings" ("shopId","verificationPolicy","autoApproveCustomerAccess","notificationEmails","exportRetentionDays","updatedAt") VALUES (?,'manual',0,'["dpo@example.com"]',7,?)`,
  ).run(shopId, now);
  db.prepare(
    `INSERT INTO "StaffRole" ("id","shopId","userId","role","assignedBy","createdAt","updatedAt") VALUES (?,?,'77','approver','staff:1',?,?)`,
  ).run(randomUUID(), shopId, now, now);
  db.prepare(
    `INSERT INTO "Session" ("id","shop","state","isOnline","accessToken") VALUES (?,?,'',0,'shpat_x')`,
  ).run(`offline_${domain}`, domain);
}

function sqliteBulk(
  shopId: string,
  now: string,
  counts: SeedCounts,
  uuid: string,
  series: (n: number) => string,
): string {
  const q = `'${shopId}'`;
  const t = `'${now}'`;
  const r = counts.requests;
  const hash = `lower(hex(randomblob(32)))`;
  return `
    INSERT INTO "DataSubject" ("id","shopId","customerId","emailHash","wrappedKey","keyId","createdAt")
    ${series(r)} SELECT 'sub-' || n, ${q}, CAST(n AS TEXT), ${hash}, ${sealed(60)}, 'k1', ${t} FROM g;
    INSERT INTO "PrivacyRequest" ("id","shopId","subjectId","type","status","source","regime","customerId","emailHash","emailCipher","phoneCipher","shopifyDataRequestId","receivedAt","dueAt","watchdogRequeues","createdAt","updatedAt")
    ${series(r)} SELECT 'req-' || n, ${q}, 'sub-' || n, 'access', 'completed', 'shopify_webhook', 'gdpr', CAST(n AS TEXT), ${hash}, ${sealed(60)}, ${sealed(40)}, CAST(n AS TEXT), ${t}, ${t}, 0, ${t}, ${t} FROM g;
    INSERT INTO "WebhookDelivery" ("id","webhookId","shopId","topic","apiVersion","receivedAt","subjectId","requestId","outcome","payload")
    ${series(r)} SELECT 'del-' || n, ${uuid}, ${q}, 'customers/data_request', '2026-07', ${t}, 'sub-' || n, 'req-' || n, 'request_created', ${sealed(300)} FROM g;
    INSERT INTO "Job" ("id","shopId","requestId","kind","payload","status","attempts","maxAttempts","runAt","createdAt","updatedAt","completedAt")
    ${series(Math.ceil(r / 10))} SELECT 'job-' || n, ${q}, 'req-' || n, 'execute_request', '{}', 'done', 1, 8, ${t}, ${t}, ${t}, ${t} FROM g;
    INSERT INTO "AuditEvent" ("id","shopId","seq","requestId","actor","action","occurredAt","data","subjectId","piiCipher","chainKeyId","prevHash","hash")
    ${series(counts.events)} SELECT ${uuid}, ${q}, n, 'req-' || (n % ${r} + 1), 'shopify', 'request.received', ${t},
      '{"type":"access","source":"shopify_webhook","regime":"gdpr","status":"pending_review"}',
      'sub-' || (n % ${r} + 1), CASE WHEN n % 3 = 0 THEN ${sealed(120)} END, 'k1', ${hash}, ${hash} FROM g;
  `;
}
