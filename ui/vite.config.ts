// Vite builds the Svelte UI from ui/ into ui/dist (Tauri's frontendDist); Vitest runs ui/src/**/*.test.ts.
import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig(({ mode }) => ({
  root,
  plugins: [svelte()],
  // Tests that mount components (jsdom) need Svelte's browser build, not its server build.
  resolve: mode === "test" ? { conditions: ["browser"] } : undefined,
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
}));
