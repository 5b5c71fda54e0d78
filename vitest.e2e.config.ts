import { defineConfig } from "vitest/config";

// Browser tests against the built portal, started once by the global setup. One file at a time:
// they share that server and one Chromium.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
