import { createHash } from "node:crypto";
import { parse as parseCsv } from "csv-parse/sync";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { customerOrders, type CollectedOrder } from "../../app/exports/customer-orders.server";
import dataSchema from "../../app/exports/data-schema.v1.json";
import { buildExportPackage, type ExportPackageInput } from "../../app/exports/package-builder.server";
import { addCustomer, type SimCustomer } from "../../simulator/store";
import { SHOP } from "../helpers/constants";
import { simulatedShopify } from "../helpers/simulated-shopify";
import { unzip } from "../helpers/zip";

async function packageFor(
  orderCount: number,
  lineItemsPerOrder: number,
  extra: Partial<ExportPackageInput> = {},
  edit?: (customer: SimCustomer) => void,
) {
  const { store, admin } = simulatedShopify();
  const customer = addCustomer(store, { orders: orderCount, lineItemsPerOrder });
  edit?.(customer);
  const client = admin(SHOP);
  const { data } = await client.request("CustomerProfile", {
    customerId: `gid://shopify/Customer/${customer.id}`,
    addressesFirst: 50,
    metafieldsFirst: 50,
  });
  // The worker spools orders to an encrypted file; here the collected list is re-read per file.
  const collected: CollectedOrder[] = [];
  for await (const order of customerOrders(client, String(customer.id), orderCount)) collected.push(order);
  let passes = 0;
  const input: ExportPackageInput = {
    shop: SHOP,
    generatedAt: new Date("2026-06-01T12:00:00.000Z"),
    request: { id: "req-1", type: "access", receivedAt: "2026-05-20T08:00:00.000Z", regime: "gdpr" },
    customer: data.customer,
    orders: async function* () {
      passes += 1;
      yield* collected;
    },
    appRecords: { requests: [], auditEvents: [] },
    ...extra,
  };
  const chunks: Buffer[] = [];
  for await (const chunk of buildExportPackage(input)) chunks.push(chunk as Buffer);
  return { files: await unzip(Buffer.concat(chunks)), customer, passes: () => passes };
}

describe("export package", () => {
  it("holds data.json, CSVs, index.html and a manifest whose hashes match every file", async () => {
    const { files, passes } = await packageFor(40, 3);

    expect([...files.keys()]).toEqual([
      "data.json",
      "data.schema.json",
      "profile.csv",
      "addresses.csv",
      "orders.csv",
      "order_lines.csv",
      "metafields.csv",
      "requests.csv",
      "audit_events.csv",
      "index.html",
      "manifest.json",
    ]);
    const manifest = JSON.parse(files.get("manifest.json")!.toString());
    expect(manifest.files).toHaveLength(10);
    for (const entry of manifest.files) {
      const content = files.get(entry.file)!;
      expect({
        file: entry.file,
        sha256: createHash("sha256").update(content).digest("hex"),
        bytes: content.length,
      }).toEqual(entry);
    }
    expect(passes()).toBe(4); // data.json, orders.csv, order_lines.csv, index.html: read, never held
  });

  it("GIVEN the shop's audit chain head WHEN the package is built THEN manifest.json carries it as an anchor", async () => {
    const hash = "c0ffee".repeat(10) + "abcd";

    const { files } = await packageFor(1, 1, { auditChainHead: { seq: 17, hash } });

    const manifest = JSON.parse(files.get("manifest.json")!.toString());
    expect(manifest.auditChainHead).toEqual({ seq: 17, hash, anchor: `17:${hash}` });
    expect(manifest.files).toHaveLength(10);
  });

  it("has a data.json that validates against its published schema", async () => {
    const { files, customer } = await packageFor(25, 2);
    const data = JSON.parse(files.get("data.json")!.toString());
    const validate = new Ajv2020({ allErrors: true, validateFormats: false }).compile(dataSchema);
    expect(validate(data) ? [] : validate.errors).toEqual([]);
    expect(data.orders).toHaveLength(25);
    expect(data.customer.id).toBe(`gid://shopify/Customer/${customer.id}`);
    expect(JSON.parse(files.get("data.schema.json")!.toString())).toEqual(dataSchema);
    // The schema rejects what it should: a version it does not describe.
    expect(validate({ ...data, schemaVersion: "2.0" })).toBe(false);
  });

  it("has CSVs a standard parser reads, with one row per order line", async () => {
    const { files } = await packageFor(30, 4);
    const lines = parseCsv(files.get("order_lines.csv")!, { columns: true }) as Record<string, string>[];
    const orders = parseCsv(files.get("orders.csv")!, { columns: true }) as Record<string, string>[];
    expect(orders).toHaveLength(30);
    expect(lines).toHaveLength(120);
    expect(lines[0]).toMatchObject({
      order_name: expect.stringMatching(/^#\d+$/),
      quantity: expect.stringMatching(/^\d+$/),
      unit_price: expect.stringMatching(/^\d+\.\d\d$/),
    });
    expect(new Set(lines.map((line) => line.order_id))).toEqual(new Set(orders.map((order) => order.id)));
    expect(parseCsv(files.get("profile.csv")!, { columns: true })).toHaveLength(1);
  });

  it("has a readable index.html with every order", async () => {
    const { files } = await packageFor(12, 1);
    const page = files.get("index.html")!.toString();
    expect(page).toMatch(/^<!doctype html>/);
    expect((page.match(/<tr><td>#\d+<\/td>/g) ?? []).length).toBe(12);
  });

  it("escapes markup the shopper or the store typed into any field of index.html", async () => {
    // GIVEN a customer whose name and address carry markup
    const { files } = await packageFor(1, 1, {}, (customer) => {
      customer.firstName = '<script>alert("name")</script>';
      customer.addresses[0]!.address1 = '<img src=x onerror="alert(1)">';
    });
    // WHEN the page is read THEN the markup is text, not elements
    const page = files.get("index.html")!.toString();
    expect(page).not.toMatch(/<script|<img/i);
    expect(page).toContain("&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;");
    expect(page).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });
});
