import { expect, it } from "vitest";
import { localPath } from "#app/server/local-path";

it.each([
  ["/impressum", "/impressum"],
  ["/vorgang/DSR-2026-000001?x=1#a", "/vorgang/DSR-2026-000001?x=1#a"],
  ["//evil.example/", "/"],
  ["https://evil.example/", "/"],
  ["/\\evil.example", "/"],
  ["", "/"],
  [null, "/"],
  ["impressum", "/"],
])("localPath(%j) = %j", (input, expected) => {
  expect(localPath(input)).toBe(expected);
});
