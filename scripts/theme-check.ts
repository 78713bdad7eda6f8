import { mkdtempSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { Severity, themeCheckRun } from "@shopify/theme-check-node";

/**
 * `npm run theme-check`: Shopify's theme check on the theme app extension, through its Node API
 * (@shopify/theme-check-node has no command line). With no .theme-check.yml, a folder holding a
 * shopify.extension.toml is checked with theme-check:theme-app-extension. Exits 1 on any error.
 * It checks against the Liquid docs bundled with the installed version (objects, filters, tags,
 * schemas), never ones fetched from GitHub at run time, so a result does not change with the network.
 */
export const EXTENSION_DIR = path.resolve("extensions/privacy-desk");

const SEVERITY = {
  [Severity.ERROR]: "error",
  [Severity.WARNING]: "warning",
  [Severity.INFO]: "info",
} as const;

/** Points theme check's docs updater at the docs its package ships (SHOPIFY_TLD_ROOT), laid out as in Shopify/theme-liquid-docs. */
function pointAtBundledLiquidDocs() {
  if (process.env.SHOPIFY_TLD_ROOT) return;
  const require = createRequire(import.meta.url);
  const bundled = path.join(
    path.dirname(require.resolve("@shopify/theme-check-docs-updater/package.json")),
    "data",
  );
  const root = mkdtempSync(path.join(tmpdir(), "theme-liquid-docs-"));
  symlinkSync(bundled, path.join(root, "data"));
  symlinkSync(bundled, path.join(root, "schemas"));
  process.env.SHOPIFY_TLD_ROOT = root;
}

export async function checkExtension(dir = EXTENSION_DIR) {
  pointAtBundledLiquidDocs();
  const { offenses, theme } = await themeCheckRun(dir, undefined, () => undefined);
  return { offenses, files: theme.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { offenses, files } = await checkExtension();
  for (const offense of offenses)
    process.stdout.write(
      `${SEVERITY[offense.severity]}: ${path.relative(process.cwd(), new URL(offense.uri).pathname)}:${offense.start.line + 1} ${offense.check}: ${offense.message}\n`,
    );
  const errors = offenses.filter((offense) => offense.severity === Severity.ERROR).length;
  process.stdout.write(
    `theme-check: ${files} files in extensions/privacy-desk, ${errors} errors, ${offenses.length - errors} warnings or suggestions\n`,
  );
  process.exit(errors ? 1 : 0);
}
