import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/**
 * The customer account UI extensions (extensions/*), bundled the way Shopify's CLI bundles them:
 * esbuild, Preact with the automatic JSX runtime, one ES module per extension whose default
 * export renders it. The app's URL is compiled in (the extension calls the app's routes).
 *
 * Shopify's limit (shopify.dev, "Optimize bundle size", API 2025-10 and later): 64 KB of
 * compressed JavaScript per extension, 128 KB for a full-page extension. Enforced at deploy;
 * here by `npm run build:extensions` and test/unit/extension-bundles.test.ts.
 *
 *   npm run build:extensions [-- --app-url https://…]   writes build/extensions/<handle>.js
 */
export interface ExtensionSpec {
  handle: string;
  entry: string;
  target: string;
  limitBytes: number;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const KB = 1024;

export const EXTENSIONS: ExtensionSpec[] = [
  {
    handle: "privacy-page",
    entry: "extensions/privacy-page/src/PrivacyPage.tsx",
    target: "customer-account.page.render",
    limitBytes: 128 * KB,
  },
  {
    handle: "privacy-profile-card",
    entry: "extensions/privacy-profile-card/src/ProfileCard.tsx",
    target: "customer-account.profile.block.render",
    limitBytes: 64 * KB,
  },
];

export interface BuiltExtension extends ExtensionSpec {
  code: string;
  bytes: number;
  compressedBytes: number;
}

export async function buildExtension(
  spec: ExtensionSpec,
  options: { appUrl: string },
): Promise<BuiltExtension> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [spec.entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    minify: true,
    write: false,
    jsx: "automatic",
    jsxImportSource: "preact",
    define: { PRIVACY_DESK_APP_URL: JSON.stringify(options.appUrl.replace(/\/$/, "")) },
    logLevel: "silent",
    legalComments: "none",
  });
  const code = result.outputFiles[0]!.text;
  return {
    ...spec,
    code,
    bytes: Buffer.byteLength(code),
    compressedBytes: gzipSync(code, { level: 9 }).length,
  };
}

export async function buildExtensions(options: { appUrl: string }): Promise<BuiltExtension[]> {
  return Promise.all(EXTENSIONS.map((spec) => buildExtension(spec, options)));
}

/** One line per extension: its compressed size against Shopify's limit. */
export function sizeReport(built: BuiltExtension[]): string {
  return built
    .map(
      (ext) =>
        `${ext.handle.padEnd(22)} ${ext.target.padEnd(38)} ${(ext.compressedBytes / KB).toFixed(1)} KB gzip` +
        ` (${(ext.bytes / KB).toFixed(1)} KB raw) of ${ext.limitBytes / KB} KB allowed` +
        (ext.compressedBytes > ext.limitBytes ? "  OVER THE LIMIT" : ""),
    )
    .join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const flag = process.argv.indexOf("--app-url");
  const appUrl =
    flag > 0 ? process.argv[flag + 1]! : (process.env.SHOPIFY_APP_URL ?? "https://privacy-desk.invalid");
  const built = await buildExtensions({ appUrl });
  const dir = path.join(ROOT, "build/extensions");
  mkdirSync(dir, { recursive: true });
  for (const ext of built) writeFileSync(path.join(dir, `${ext.handle}.js`), ext.code);
  process.stdout.write(`${sizeReport(built)}\n`);
  if (built.some((ext) => ext.compressedBytes > ext.limitBytes)) process.exit(1);
}
