import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildExtensions, EXTENSIONS, sizeReport } from "../../scripts/extensions";

const ROOT = path.resolve(import.meta.dirname, "../..");

function flatKeys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => flatKeys(inner, prefix ? `${prefix}.${key}` : key));
}

describe("customer account extensions", () => {
  it("each builds from source and stays under Shopify's compressed size limit for its target", async () => {
    // GIVEN the extensions as committed WHEN bundled as Shopify's CLI would
    const built = await buildExtensions({ appUrl: "https://privacy-desk.example" });

    // THEN each is one module under its limit, with the app's URL compiled in
    console.info(sizeReport(built));
    expect(built.map((ext) => ext.handle)).toEqual(EXTENSIONS.map((ext) => ext.handle));
    for (const ext of built) {
      expect(ext.compressedBytes, ext.handle).toBeLessThan(ext.limitBytes);
      expect(ext.code).toMatch(/export\s*\{[^}]*as default/);
    }
    expect(built[0]!.code).toContain("https://privacy-desk.example");
  }, 60_000);

  it.each(["privacy-page", "privacy-profile-card"])(
    "%s has every text in en, de, fr and es, and no language has a key English lacks",
    (handle) => {
      const dir = path.join(ROOT, "extensions", handle, "locales");
      const files = readdirSync(dir).sort();
      expect(files).toEqual(["de.json", "en.default.json", "es.json", "fr.json"]);
      const english = flatKeys(JSON.parse(readFileSync(path.join(dir, "en.default.json"), "utf8"))).sort();
      for (const file of files) {
        const texts = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as unknown;
        expect(flatKeys(texts).sort(), file).toEqual(english);
        for (const key of flatKeys(texts)) {
          const text = key
            .split(".")
            .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], texts);
          expect(typeof text === "string" && text.trim().length > 0, `${file} ${key}`).toBe(true);
        }
      }
    },
  );

  it("uses only texts its English locale has", () => {
    const source = readFileSync(path.join(ROOT, "extensions/privacy-page/src/PrivacyPage.tsx"), "utf8");
    const english = new Set(
      flatKeys(
        JSON.parse(readFileSync(path.join(ROOT, "extensions/privacy-page/locales/en.default.json"), "utf8")),
      ),
    );
    const literal = [...source.matchAll(/\bt\("([\w.]+)"/g)].map((match) => match[1]!);
    const expand = (template: string, values: string[]) =>
      values.map((value) => template.replace(/\$\{[^}]+\}/, value));
    const templated = [
      ...expand("types.${type}.title", ["access", "portability", "rectification", "erasure", "sale_opt_out"]),
      ...expand("types.${type}.explain", [
        "access",
        "portability",
        "rectification",
        "erasure",
        "sale_opt_out",
      ]),
      ...["confirm", "in_review", "in_progress", "delayed", "completed", "denied", "canceled"].flatMap(
        (phase) => [`phases.${phase}.label`, `phases.${phase}.explain`],
      ),
      ...[
        "received",
        "confirmed",
        "approved",
        "started",
        "extended",
        "completed",
        "denied",
        "canceled",
        "closed",
      ].map((kind) => `history.${kind}`),
      ...["export_ready", "export_expired", "downloaded"].map((kind) => `history.${kind}`),
    ];
    const missing = [...literal, ...templated].filter((key) => !english.has(key));
    expect(literal.length).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});
