import { readdirSync, readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { Severity } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";
import { STOREFRONT_FIELDS } from "../../app/domain/storefront-request";
import { DEFAULT_TEXTS, STOREFRONT_LOCALES } from "../../app/domain/storefront-texts";
import { checkExtension, EXTENSION_DIR } from "../../scripts/theme-check";

const read = (file: string) => readFileSync(path.join(EXTENSION_DIR, file), "utf8");
const files = (dir: string) => readdirSync(path.join(EXTENSION_DIR, dir)).map((name) => `${dir}/${name}`);

describe("the theme app extension", () => {
  it("passes Shopify's theme check with no error and no warning", async () => {
    const { offenses, files: checked } = await checkExtension();
    expect(checked).toBeGreaterThanOrEqual(8);
    expect(offenses.filter((offense) => offense.severity === Severity.ERROR)).toEqual([]);
    expect(offenses).toEqual([]);
  }, 60_000);

  it("keeps within Shopify's limits: 10 KB of JavaScript per block compressed, 15 KB per locale file, blocks and snippets only Liquid", () => {
    for (const file of files("assets").filter((name) => name.endsWith(".js")))
      expect(gzipSync(readFileSync(path.join(EXTENSION_DIR, file))).length, file).toBeLessThan(10_000);
    for (const file of files("locales"))
      expect(statSync(path.join(EXTENSION_DIR, file)).size, file).toBeLessThan(15_000);
    for (const file of [...files("blocks"), ...files("snippets")]) expect(file).toMatch(/\.liquid$/);
    const liquid = [...files("blocks"), ...files("snippets")].reduce(
      (sum, file) => sum + read(file).length,
      0,
    );
    expect(liquid).toBeLessThan(100_000);
  });

  it("posts the form fields the proxy reads (the documented contract), and no other", () => {
    const block = read("blocks/privacy-request-form.liquid");
    const names = [...block.matchAll(/name="([a-z_]+)"/g)].map((match) => match[1]!);
    expect(new Set(names)).toEqual(
      new Set([
        "locale",
        "type",
        "email",
        "correct_first_name",
        "correct_last_name",
        "correct_email",
        "correct_phone",
        "message",
      ]),
    );
    for (const name of names) expect(STOREFRONT_FIELDS).toContain(name);
    expect(read("assets/privacy-form.js")).toContain('field.name = "token"');
  });

  it("speaks the same four languages as the app, with the same words for the same things", () => {
    const locales = files("locales").map((file) => path.basename(file).split(".")[0]);
    expect(locales.sort()).toEqual([...STOREFRONT_LOCALES].sort());
    for (const locale of STOREFRONT_LOCALES) {
      const file = locale === "en" ? "locales/en.default.json" : `locales/${locale}.json`;
      const strings = (
        JSON.parse(read(file)) as {
          privacy_desk: { form: Record<string, string>; choices: Record<string, string> };
        }
      ).privacy_desk;
      expect(strings.form.title).toBe(DEFAULT_TEXTS[locale]["page.title"]);
      expect(strings.form.type_erasure).toBe(DEFAULT_TEXTS[locale]["type.erasure"]);
      expect(strings.form.submit).toBe(DEFAULT_TEXTS[locale]["form.submit"]);
      expect(strings.choices.gpc_honoured).toBe(DEFAULT_TEXTS[locale]["gpc.honoured"]);
    }
  });
});
