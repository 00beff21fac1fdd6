// The dashboard is built into the build folder's web/ (VALUEPACT_WEB_OUT, set by CMake), which
// `valuepact serve` serves at "/". Every asset is bundled: the page loads nothing from elsewhere.
import { defineConfig } from "vite";

export default defineConfig({
  base: "./",
  build: {
    outDir: process.env.VALUEPACT_WEB_OUT ?? "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  test: {
    include: ["tests/**/*.test.ts"],
  },
});
