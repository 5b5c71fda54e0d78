import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { describe, expect, it } from "vitest";
import { StatutoryPaths } from "#app/routes/intern/vorgang/statutory-paths";
import { TlfdiDemand } from "#app/routes/vorgang/tlfdi-demand";
import type { StatutoryPaths as Paths } from "#app/server/cases/statutory-paths.server";

/** The statute's paths as the pages render them (server-side, as the first response does). */
function render(element: React.ReactElement): string {
  const Stub = createRoutesStub([{ path: "/", Component: () => element }]);
  return renderToString(<Stub initialEntries={["/"]} />);
}

const paths: Paths = {
  tlfdiTasks: [{ id: "d1", demandedAt: "2026-11-30T10:00:00.000Z", handedOver: null }],
  tlfdiDemandOpen: false,
  stores: [
    {
      store: "beaus-login",
      decision: {
        applies: true,
        reasoning: "Nur Datenschutzkontrolle.",
        decidedBy: "DPO",
        decidedAt: "2026-11-30T10:00:00.000Z",
      },
    },
    { store: "telefon", decision: null },
  ],
  identity: {
    documents: [
      {
        id: "a1",
        fileName: "ausweis.png",
        contentType: "image/png",
        size: 10,
        uploadedAt: "2026-11-30T10:00:00.000Z",
        byPerson: true,
      },
    ],
    history: [],
  },
  overdue: {
    shown: [
      {
        findingId: "f1",
        requestId: "r1",
        reference: "DSR-2026-000001",
        store: "mail-poststelle",
        ref: "p/1",
        recordedAt: "2026-07-01T10:00:00.000Z",
        ruleId: "mailbox-poststelle",
        dueAt: "2026-08-27T22:00:00.000Z",
        held: false,
      },
    ],
    total: 1,
  },
};

describe("staff case page: the statute's paths", () => {
  it("shows the § 21(5) task with the hand-over form, the overdue finding, the identity check and § 21(2) per store, each form for the permitted only", () => {
    const all = render(
      <StatutoryPaths
        requestId="r1"
        paths={paths}
        permissions={["tlfdi:record", "finding:propose", "release:approve"]}
      />,
    );
    expect(all).toContain("verlangt, dass die ihr nicht erteilte Auskunft der Aufsichtsbehörde erteilt wird");
    expect(all).toContain('value="handed-over"');
    expect(all).toContain("Löschfrist abgelaufen seit 28. August 2026");
    expect(all).toContain('name="documentIds" value="a1"');
    expect(all).toContain("§ 21 Abs. 2 greift: keine Auskunft");
    expect(all).toContain('value="store-decision"');
    const reader = render(<StatutoryPaths requestId="r1" paths={paths} permissions={["case:read"]} />);
    expect(reader).not.toContain("<form");
    expect(reader).toContain("Löschfrist abgelaufen");
  });
});

describe("person's case page: the § 21(5) demand", () => {
  it("offers the demand with a confirmation box, and once made shows its state instead", () => {
    const offered = render(<TlfdiDemand offer={{ offered: true, demand: null }} />);
    expect(offered).toContain('name="confirmTlfdi"');
    expect(offered).toContain("§ 21 Abs. 5 ThürDSG");
    const made = render(
      <TlfdiDemand
        offer={{
          offered: false,
          demand: {
            id: "d1",
            demandedAt: "2026-11-30T10:00:00.000Z",
            handedOverAt: "2026-12-02T23:00:00.000Z",
          },
        }}
      />,
    );
    expect(made).not.toContain("<form");
    expect(made).toContain("Wir haben ihr die Auskunft am 3. Dezember 2026 erteilt");
    expect(render(<TlfdiDemand offer={{ offered: false, demand: null }} />)).toBe("");
  });
});
