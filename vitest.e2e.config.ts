import { defineConfig } from "vitest/config";

// Browser tests against the built portal, started once by the global setup. One file at a time:
// they share that server and one Chromium.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    fileParallelism: false,
    // Staff start signed in (tests/e2e/support/sessions.ts): no test waits for a TOTP time step
    // except the sign-in tests and a fresh code late in a run. Files that start their own portal
    // give their hooks more time.
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
