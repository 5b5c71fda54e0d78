import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { expect, it } from "vitest";
import { DeclineForm } from "#app/routes/intern/vorgang/decline-form";

/** The Art. 12(4) form's kinds are the shared checkbox group: every offered kind ticked at first. */
it("offers the declinable kinds as the shared checkbox group, all ticked at first", () => {
  const Stub = createRoutesStub([
    { path: "/", Component: () => <DeclineForm kinds={["berichtigung", "einschraenkung"]} /> },
  ]);
  const html = renderToString(<Stub initialEntries={["/"]} />);
  expect(html).toMatch(/<fieldset[^>]*id="f-decline-kinds"/);
  for (const kind of ["berichtigung", "einschraenkung"]) {
    const box = new RegExp(`<input[^>]*id="f-decline-kinds-${kind}"[^>]*>`).exec(html)?.[0] ?? "";
    expect(box).toContain('name="kinds"');
    expect(box).toContain("checked");
    expect(html).toContain(`<label for="f-decline-kinds-${kind}">`);
  }
});
