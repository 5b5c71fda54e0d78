import { defineConfig } from "vitest/config";

// Unit, integration (database) and source-store tests. Browser tests have their own config
// (vitest.e2e.config.ts) because they need a built portal.
export default defineConfig({
  test: {
    // One migrated template database per run; each test file copies it (tests/support/database.ts).
    globalSetup: ["tests/support/global-db-setup.ts"],
    include: [
      "tests/unit/**/*.test.{ts,tsx}",
      "tests/integration/**/*.test.{ts,tsx}",
      "tests/sources/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
