import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";
import { architecture } from "./eslint/architecture.js";

export default tseslint.config(
  {
    ignores: [
      "build/",
      ".cache/",
      "node_modules/",
      "coverage/",
      "test-results/",
      "test-artifacts/",
      "app/shopify-admin/generated/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-imports": "off",
    },
  },
  {
    // Classic browser scripts (the demo's App Bridge and Polaris stand-ins), not modules.
    files: ["server/demo/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: {
        window: "readonly",
        document: "readonly",
        location: "readonly",
        URL: "readonly",
        Headers: "readonly",
        Request: "readonly",
        URLSearchParams: "readonly",
        setTimeout: "readonly",
        Promise: "readonly",
        customElements: "readonly",
        HTMLElement: "readonly",
        MutationObserver: "readonly",
        Event: "readonly",
      },
    },
  },
  {
    // The theme app extension's scripts: classic scripts Shopify adds to storefront pages.
    files: ["extensions/*/assets/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: {
        window: "readonly",
        document: "readonly",
        navigator: "readonly",
        fetch: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-unused-vars": ["error", { caughtErrors: "none" }] },
  },
  architecture,
  // Formatting is Prettier's job (npm run format); turn off the rules it owns.
  prettier,
);
