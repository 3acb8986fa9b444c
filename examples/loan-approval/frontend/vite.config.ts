// The page is static: `vite build` writes dist/, which the loan-api function serves at / and /assets/.
// `npx vite examples/loan-approval/frontend` serves it with hot reload instead, sending /api to the
// gateway of a running `dormouse dev` (LOAN_API_URL, default http://127.0.0.1:3000).
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = process.env.LOAN_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: ["chrome111", "edge111", "firefox114", "safari16.4"],
  },
  server: { proxy: { "/api": { target: api, changeOrigin: true } } },
});
