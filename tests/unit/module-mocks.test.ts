/**
 * Test files share their worker's modules (ADR 0024), so a file that replaces a module with vi.mock
 * only gets its replacement when it runs in a worker of its own: every such file must be listed in
 * vitest.config.ts's module-mocks project, or its mock silently misses whatever a file before it
 * loaded.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, it } from "vitest";
import { moduleMocks } from "../../vitest.config";

const root = join(__dirname, "../..");

function testFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.test\.tsx?$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

it("runs every test file that calls vi.mock in the module-mocks project, and only those", () => {
  const mocking = ["tests/integration", "tests/sources", "tests/unit"]
    .flatMap(testFiles)
    .filter((file) => file !== "tests/unit/module-mocks.test.ts")
    .filter((file) => /\bvi\.mock\(/.test(readFileSync(join(root, file), "utf8")))
    .sort();
  expect(mocking).toEqual([...moduleMocks].sort());
});
