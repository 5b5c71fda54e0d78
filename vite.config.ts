import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";

export default defineConfig(({ isSsrBuild }) => ({
  // The server bundle starts from our Express app, so the portal's own middleware (security headers,
  // size limits, services) is built together with the routes and shares one module graph with them.
  build: isSsrBuild ? { rollupOptions: { input: "./server/app.ts" }, target: "node20" } : undefined,
  plugins: [reactRouter()],
}));
