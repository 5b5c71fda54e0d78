import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { describe, expect, it } from "vitest";
import { reviewDe } from "#app/i18n/review.de";
import { DecisionDifferenceNotice } from "#app/routes/intern/vorgang/decision-confirm";
import { confirmUnprovenSchema } from "#app/routes/intern/vorgang/decision-confirm-form";
import type { DecisionDraft } from "#app/routes/intern/vorgang/decision-panel";
import { checkInBrowser } from "#app/ui/form/browser-check";

/**
 * The confirmation of a decision that gives out unproven matches (ADR 0016): the tick is the shared
 * checkbox field, required and checked in the browser for the number the page showed; the form posts
 * the decision exactly as it was posted, nothing more.
 */
function render(element: React.ReactElement): string {
  const Stub = createRoutesStub([{ path: "/", Component: () => element }]);
  return renderToString(<Stub initialEntries={["/"]} />);
}

const draft: DecisionDraft = {
  roundId: "00000000-0000-4000-8000-000000000001",
  scope: "checked",
  findingIds: ["00000000-0000-4000-8000-0000000000f1"],
  decision: "release",
  groundId: "",
  reasoning: "",
  personReasons: "",
  reviewOn: "",
  omitReasons: false,
  fields: [],
  shown: ["00000000-0000-4000-8000-0000000000f1@undecided"],
};
const difference = { total: 0, listed: [], unproven: 3, fingerprint: "a".repeat(32) };
const tickWith = (value?: string) => {
  const form = new FormData();
  form.set("intent", "decide");
  if (value !== undefined) form.set("confirmUnproven", value);
  return checkInBrowser(confirmUnprovenSchema(3))({ formData: form });
};

describe("the confirmation of unproven matches", () => {
  it("is the shared checkbox field, required, carrying the number shown, beside the draft as posted", () => {
    const html = render(
      <DecisionDifferenceNotice
        reason="confirmation-needed"
        difference={difference}
        draft={draft}
        reload="/x"
      />,
    );
    const box = /<input[^>]*id="f-confirm-unproven"[^>]*>/.exec(html)?.[0] ?? "";
    expect(box).toContain('type="checkbox"');
    expect(box).toContain('name="confirmUnproven"');
    expect(box).toContain('value="3"');
    expect(box).toContain("required");
    expect(box).not.toContain("aria-invalid");
    expect(html).toContain('<label for="f-confirm-unproven">');
    expect(html).toContain(`name="confirmChanges" value="${"a".repeat(32)}"`);
    // Only the ticked finding as posted: what is ticked is decided.
    expect(html.match(/name="findingIds"/g)).toHaveLength(1);
    expect(html).toContain(`name="shown" value="${draft.shown[0]}"`);
  });

  it("is checked in the browser: without the tick, or with another number, nothing is sent", () => {
    expect(tickWith().reply().error).toEqual({ confirmUnproven: ["unproven-unconfirmed"] });
    expect(tickWith("2").status).toBe("error");
    expect(tickWith("3").status).toBe("success");
    expect(reviewDe.confirm.unprovenRequired).toMatch(/bestätigen/);
  });
});
