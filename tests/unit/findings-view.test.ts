import { describe, expect, it } from "vitest";
import { findingsViewSearch, isFiltered, parseFindingsView } from "#app/core/findings-view";

const parse = (query: string) => parseFindingsView(new URLSearchParams(query));

describe("the staff case page's findings view", () => {
  it("reads filter and page from the query; empty values mean all", () => {
    expect(parse("")).toEqual({ filter: {}, page: 1 });
    expect(parse("store=web-tsr&suggestion=third-party-rights&state=undecided&page=3")).toEqual({
      filter: { store: "web-tsr", suggestion: "third-party-rights", state: "undecided" },
      page: 3,
    });
    expect(parse("store=&suggestion=&state=&page=")).toEqual({ filter: {}, page: 1 });
    expect(parse("suggestion=none&other=ignored")).toEqual({ filter: { suggestion: "none" }, page: 1 });
  });

  it("refuses values the page does not offer", () => {
    for (const query of [
      "suggestion=erfunden",
      "state=vielleicht",
      "page=0",
      "page=-2",
      "page=1.5",
      "page=1e3",
      "page=1000001",
      "page=1&page=2",
      "store=web%20tsr",
      "store=../x",
    ]) {
      expect(parse(query), query).toBeNull();
    }
  });

  it("writes a view back in a fixed order, leaving out what is all and the first page", () => {
    expect(findingsViewSearch({})).toBe("");
    expect(findingsViewSearch({}, 1)).toBe("");
    expect(findingsViewSearch({ state: "undecided", store: "web-tsr" }, 2)).toBe(
      "?store=web-tsr&state=undecided&page=2",
    );
    const view = parse("page=4&state=redact&suggestion=none&store=mail-support")!;
    expect(parse(findingsViewSearch(view.filter, view.page).slice(1))).toEqual(view);
    expect(isFiltered({})).toBe(false);
    expect(isFiltered({ state: "release" })).toBe(true);
  });
});
