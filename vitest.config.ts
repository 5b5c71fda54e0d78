import { defineConfig } from "vitest/config";

// Unit, integration (database) and source-store tests. Browser tests have their own config
// (vitest.e2e.config.ts) because they need a built portal. Why the files share their workers'
// modules and how each still gets a database of its own: ADR 0024.
/** Test files that replace a module with vi.mock; they need no database. */
export const moduleMocks = ["tests/sources/imap-shared-pass.test.ts"];

export default defineConfig({
  test: {
    // A safety net, not a speed goal (speed is measured by `npm run bench`): with two workers on
    // two cores, the tests over a whole generated sample take 8–30 s, more when the machine is busy.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Every core: vitest's default leaves one idle, which on two cores is half the machine.
    maxWorkers: "100%",
    // A worker loads the portal's modules once for all the files it runs, instead of seconds of
    // import and transform per file. What a file changes outside its own database (its services,
    // fake clocks, environment variables) it undoes in its afterAll. Set it to true to tell a leak
    // between files from a real failure.
    isolate: false,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.{ts,tsx}"] },
      },
      {
        extends: true,
        test: {
          name: "database",
          // One migrated template database per run; each test file copies it (tests/support/database.ts).
          globalSetup: ["tests/support/global-db-setup.ts"],
          include: ["tests/integration/**/*.test.{ts,tsx}", "tests/sources/**/*.test.ts"],
          exclude: moduleMocks,
        },
      },
      {
        extends: true,
        // A file that replaces a module (vi.mock) needs the module graph to itself: in a shared
        // worker a file before it may already have loaded the real module.
        test: { name: "module-mocks", include: moduleMocks, isolate: true },
      },
    ],
  },
});
