// ESLint for the UI (ui/): typescript-eslint and eslint-plugin-svelte (Svelte 5), plus size and complexity
// limits. Rules and their reasons: docs/style.md, "UI lint". Formatting is Prettier's job (.prettierrc), not ESLint's.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import svelte from "eslint-plugin-svelte";
import ts from "typescript-eslint";
import svelteConfig from "./ui/svelte.config.js";

export default defineConfig(
  // Build output and the ts-rs bindings (generated from the Rust types; never edited by hand).
  globalIgnores(["ui/dist/", "ui/src/lib/bindings/", "target/", "gen/", "src-tauri/", "tests/"]),
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  {
    files: ["**/*.svelte", "**/*.svelte.ts"],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: [".svelte"], svelteConfig } },
  },
  {
    rules: {
      // Undefined names are a TypeScript error already (svelte-check); ESLint's copy does not know DOM or Node types.
      "no-undef": "off",
      complexity: ["error", 15],
      "svelte/no-at-html-tags": "error",
      // `{"line 1\nline 2"}` is how an attribute gets a newline; the plain attribute would show the backslash.
      "svelte/no-useless-mustaches": ["error", { ignoreStringEscape: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["ui/src/**/*.svelte"],
    rules: { "max-lines": ["warn", { max: 400, skipBlankLines: true, skipComments: true }] },
  },
);
