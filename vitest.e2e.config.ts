import { defineConfig } from "vitest/config";

// Browser tests against the built portal, started once by the global setup. One file at a time:
// they share that server and one Chromium.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    fileParallelism: false,
    // Generous: a test that signs in an account again waits for the next TOTP time step (up to 30 s).
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
