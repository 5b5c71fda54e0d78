/**
 * What the store must show before the portal calls an action done (store-state.server.ts
 * `confirms`). A restriction is confirmed only when the record is held at all and the case is among
 * its holders (or the hold names nobody, as holds set before they had owners): the stores' erasure
 * and sweep look at the hold itself, so a holder's name without it keeps nothing.
 */
import { describe, expect, it } from "vitest";
import { confirms } from "#app/server/execution/store-state.server";

const present = (held: boolean, holders: string[]) => ({
  state: "present" as const,
  fields: {},
  held,
  holders,
});

describe("a restriction is confirmed", () => {
  it("when the record is held and the case holds it", () => {
    expect(confirms("restrict", present(true, ["case-b"]), null, "case-b")).toEqual({ confirmed: true });
  });
  it("when the record is held by a hold that names nobody", () => {
    expect(confirms("restrict", present(true, []), null, "case-b")).toEqual({ confirmed: true });
  });
  it("not when the case is named but the record is not held (an IMAP lift that raced the hold)", () => {
    expect(confirms("restrict", present(false, ["case-b"]), null, "case-b")).toMatchObject({
      confirmed: false,
    });
  });
  it("not when only another case holds it", () => {
    expect(confirms("restrict", present(true, ["case-a"]), null, "case-b")).toMatchObject({
      confirmed: false,
    });
  });
});
