// The floor we compare against: node:http, the HMAC check and one SQLite insert, nothing else.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import Database from "better-sqlite3";

const secret = process.env.SHOPIFY_API_SECRET ?? "";
const db = new Database(process.env.REFERENCE_DB ?? ":memory:");
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec(
  "CREATE TABLE IF NOT EXISTS delivery (webhook_id TEXT PRIMARY KEY, shop TEXT NOT NULL, topic TEXT NOT NULL, body TEXT NOT NULL)",
);
const insert = db.prepare(
  "INSERT OR IGNORE INTO delivery (webhook_id, shop, topic, body) VALUES (?, ?, ?, ?)",
);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    const expected = createHmac("sha256", secret).update(body).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    try {
      JSON.parse(body.toString("utf8"));
    } catch {
      res.writeHead(400).end();
      return;
    }
    insert.run(
      req.headers["x-shopify-webhook-id"],
      req.headers["x-shopify-shop-domain"],
      req.headers["x-shopify-topic"],
      body.toString("utf8"),
    );
    res.writeHead(200).end();
  });
});

server.listen(Number(process.env.PORT), "127.0.0.1", () => process.stdout.write("ready\n"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
