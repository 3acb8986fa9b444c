// The console is a static app: `vite build` writes dist/, which the Dormouse server serves at `/`.
// In development (`npm run dev -w @dormouse/console`) the API lives on a `dormouse dev` at :9014
// (or wherever DORMOUSE_URL says).
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = process.env.DORMOUSE_URL ?? "http://127.0.0.1:9014";

export default defineConfig({
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    // Browsers with CSS light-dark() and color-mix(), so the themes ship as written.
    target: ["chrome123", "edge123", "firefox120", "safari17.5"],
    cssTarget: ["chrome123", "edge123", "firefox120", "safari17.5"],
  },
  server: {
    proxy: {
      "/console-api": { target: api, changeOrigin: true },
      "/2015-03-31": { target: api, changeOrigin: true },
      "/2025-12-01": { target: api, changeOrigin: true },
    },
  },
});
