import { renderToString } from "react-dom/server";
import { Outlet, createRoutesStub } from "react-router";
import { expect, it } from "vitest";
import { retentionRules } from "#app/core/retention";
import RetentionRules from "#app/routes/intern/aufbewahrung";

/** The retention page as an English-speaking administrator gets it: no German legal basis. */
it("names every rule's legal basis in the page's language", () => {
  const rules = Object.values(retentionRules).map((rule) => ({
    ...rule,
    minimum: rule.minimum ?? null,
    maximum: rule.maximum ?? null,
    changedAt: null,
  }));
  const loaderData = { me: { id: "a", permissions: [] }, rules, overdue: { total: 0, cases: 0, stores: [] } };
  const render = (lang: "de" | "en") => {
    const Stub = createRoutesStub([
      {
        id: "root",
        path: "/",
        Component: Outlet,
        children: [{ id: "page", index: true, Component: RetentionRules as never }],
      },
    ]);
    return renderToString(
      <Stub initialEntries={["/"]} hydrationData={{ loaderData: { root: { lang }, page: loaderData } }} />,
    );
  };
  const english = render("en");
  expect(english).toContain("Section 40(5) BMG");
  expect(english).toContain("storage period set by the TLRZ");
  expect(english).not.toMatch(/Speicherfrist festgelegt|Richtlinie über|Organisationsregel|Abs\. \d/);
  const german = render("de");
  expect(german).toContain("§ 40 Abs. 5 BMG");
  expect(german).toContain("Speicherfrist festgelegt vom TLRZ");
});
