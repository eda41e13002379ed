// Builds the console into the Python package, so that `pip install graphsvc` serves it
// under /app without node (graphsvc/api/console serves the files).
import { defineConfig } from "vite";

export default defineConfig({
  base: "/app/",
  build: {
    outDir: "../graphsvc/api/console/dist",
    emptyOutDir: true,
    assetsDir: "assets",
    // CONTRACT §9 offline rule: nothing inline that a 'self'-only CSP would block.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
