import { describe, expect, it } from "vitest";
import { restrictionGroundIds, restrictionGrounds } from "#app/core/restriction-grounds";
import { suggestFor } from "#app/core/suggestions";

const base = { unproven: false, flags: [] as string[], content: {} as Record<string, unknown> };

describe("suggestions before review", () => {
  it("proposes § 21(3) for a retrieval by a security authority and § 51 BMG for an information block", () => {
    const s = suggestFor({
      ...base,
      storeKind: "retrieval-protocol-db",
      role: "requester",
      flags: ["security-authority", "information-block"],
    });
    expect(s.map((x) => x.ground)).toEqual(["information-block", "authority-consent"]);
    expect(s.every((x) => x.action === "withhold")).toBe(true);
  });

  it("redacts the person looked up for the official who asked, and the official for the person looked up", () => {
    const content = { sachbearbeiter: {}, suchkriterien: {}, anfrageXml: "", antwortXml: "" };
    expect(
      suggestFor({
        ...base,
        storeKind: "retrieval-protocol-db",
        role: "requester",
        flags: ["third-party-data"],
        content,
      }),
    ).toEqual([
      {
        ground: "third-party-rights",
        action: "redact",
        fields: ["suchkriterien", "anfrageXml", "antwortXml"],
      },
    ]);
    expect(
      suggestFor({
        ...base,
        storeKind: "retrieval-protocol-db",
        role: "looked-up",
        flags: ["third-party-data"],
        content,
      }),
    ).toEqual([{ ground: "third-party-rights", action: "redact", fields: ["sachbearbeiter", "anfrageXml"] }]);
  });

  it("redacts the other people of a mail, never the person's own address", () => {
    const content = {
      from: "Anna Beispiel <anna@example.net>",
      to: ["Bernd <b@example.org>"],
      cc: ["joerg@example.com", "Carla <c@example.org>"],
      text: "x",
    };
    const matchedIdentifier = { kind: "email", value: "joerg@example.com", recordValue: "joerg@example.com" };
    const s = suggestFor({
      ...base,
      storeKind: "maildir",
      role: "cc",
      flags: ["third-party-data"],
      content,
      matchedIdentifier,
    });
    expect(s).toEqual([{ ground: "third-party-rights", action: "redact", fields: ["from", "to.0", "cc.1"] }]);
  });

  it("holds back a match through an unproven identifier until it is confirmed", () => {
    expect(suggestFor({ ...base, storeKind: "call-records-csv", unproven: true })).toEqual([
      { ground: "identity-unconfirmed", action: "withhold" },
    ]);
  });

  it("offers § 21(2) for security logs only as something to consider", () => {
    expect(suggestFor({ ...base, storeKind: "nginx-access-log" })).toEqual([
      { ground: "security-control-only", action: "consider" },
    ]);
    expect(suggestFor({ ...base, storeKind: "call-records-csv" })).toEqual([]);
  });

  it("has every ground with its legal reference in both languages", () => {
    for (const id of restrictionGroundIds) {
      const ground = restrictionGrounds[id];
      expect(ground.id).toBe(id);
      expect(ground.reference).toMatch(/§|Art\./);
      expect(ground.label.de && ground.label.en && ground.guidance.de && ground.guidance.en).toBeTruthy();
    }
  });
});
