import { describe, expect, it } from "vitest";
import {
  detailsSchema,
  findRequestKind,
  requestKindBySlug,
  requestKindSlug,
  requestKindSlugs,
  requestKinds,
  art18Grounds,
  type RequestKindSlug,
} from "#app/core/request-kinds";

describe("request kinds", () => {
  it("are the eight kinds of the URL contract, in order", () => {
    expect(requestKinds.map((kind) => kind.slug)).toEqual([
      "auskunft",
      "berichtigung",
      "loeschung",
      "einschraenkung",
      "datenuebertragung",
      "widerspruch",
      "widerruf",
      "beschwerde",
    ]);
    expect([...requestKindSlugs]).toEqual(requestKinds.map((kind) => kind.slug));
  });

  it("cite their article", () => {
    const articles = Object.fromEntries(
      requestKinds.map((kind) => [kind.slug, [kind.article, kind.articleEn]]),
    );
    expect(articles).toEqual({
      auskunft: ["Art. 15 DS-GVO", "Art. 15 GDPR"],
      berichtigung: ["Art. 16 DS-GVO", "Art. 16 GDPR"],
      loeschung: ["Art. 17 DS-GVO", "Art. 17 GDPR"],
      einschraenkung: ["Art. 18 DS-GVO", "Art. 18 GDPR"],
      datenuebertragung: ["Art. 20 DS-GVO", "Art. 20 GDPR"],
      widerspruch: ["Art. 21 DS-GVO", "Art. 21 GDPR"],
      widerruf: ["Art. 7 Abs. 3 DS-GVO", "Art. 7(3) GDPR"],
      beschwerde: ["Art. 77 DS-GVO", "Art. 77 GDPR"],
    });
  });

  it("have labels and short descriptions in both languages", () => {
    for (const kind of requestKinds) {
      for (const text of [kind.label, kind.description]) {
        expect(text.de.trim(), kind.slug).not.toBe("");
        expect(text.en.trim(), kind.slug).not.toBe("");
        expect(text.en, kind.slug).not.toBe(text.de);
      }
      for (const description of [kind.description.de, kind.description.en]) {
        const sentences = description.split(/[.!?](?:\s|$)/).filter((sentence) => sentence.trim() !== "");
        expect(sentences.length, `${kind.slug}: ${description}`).toBeLessThanOrEqual(2);
        expect(description.length, kind.slug).toBeLessThanOrEqual(220);
      }
      for (const field of kind.extraFields) {
        expect(field.label.de.trim(), `${kind.slug}.${field.name}`).not.toBe("");
        expect(field.label.en.trim(), `${kind.slug}.${field.name}`).not.toBe("");
      }
    }
  });

  it("ask exactly for the extra fields each right needs", () => {
    const fields = Object.fromEntries(
      requestKinds.map((kind) => [kind.slug, kind.extraFields.map((field) => field.name)]),
    );
    expect(fields).toEqual({
      auskunft: [],
      berichtigung: ["incorrectData", "correctValue"],
      loeschung: [],
      einschraenkung: ["restrictionGround"],
      datenuebertragung: [],
      widerspruch: ["particularSituation"],
      widerruf: ["consent"],
      beschwerde: ["subject"],
    });
  });

  it("offer the four restriction grounds of Art. 18(1)", () => {
    const field = requestKindBySlug.einschraenkung.extraFields[0];
    expect(field?.input).toBe("choice");
    if (field?.input === "choice") {
      expect(field.options.map((option) => option.value)).toEqual([...art18Grounds]);
      for (const option of field.options) expect(option.label.en).not.toBe(option.label.de);
    }
  });
});

describe("slug lookup", () => {
  it("finds every kind by its slug", () => {
    for (const kind of requestKinds) {
      expect(requestKindBySlug[kind.slug]).toBe(kind);
      expect(findRequestKind(kind.slug)).toBe(kind);
    }
  });

  it("rejects unknown slugs from the URL", () => {
    expect(requestKindSlug.safeParse("auskunft").success).toBe(true);
    for (const slug of ["Auskunft", "access", "", "auskunft ", "constructor", "__proto__"]) {
      expect(requestKindSlug.safeParse(slug).success, slug).toBe(false);
      expect(findRequestKind(slug), slug).toBeUndefined();
    }
  });
});

describe("detailsSchema", () => {
  const parse = (slug: RequestKindSlug, input: unknown) => detailsSchema(slug).safeParse(input);

  it("accepts no extra fields for access, erasure and portability", () => {
    for (const slug of ["auskunft", "loeschung", "datenuebertragung"] as const) {
      expect(parse(slug, {}).success, slug).toBe(true);
      expect(parse(slug, { note: "x" }).success, slug).toBe(false);
    }
  });

  it("requires what is wrong and the correct value for rectification", () => {
    expect(
      parse("berichtigung", { incorrectData: "Nachname Meier", correctValue: "Nachname Meyer" }),
    ).toMatchObject({
      success: true,
      data: { incorrectData: "Nachname Meier", correctValue: "Nachname Meyer" },
    });
    expect(parse("berichtigung", { incorrectData: "Nachname Meier" }).success).toBe(false);
    expect(parse("berichtigung", { incorrectData: "Nachname Meier", correctValue: "   " }).success).toBe(
      false,
    );
    expect(parse("berichtigung", { incorrectData: "x".repeat(5001), correctValue: "y" }).success).toBe(false);
  });

  it("requires one of the grounds a–d for restriction", () => {
    for (const ground of art18Grounds)
      expect(parse("einschraenkung", { restrictionGround: ground }).success, ground).toBe(true);
    expect(parse("einschraenkung", { restrictionGround: "e" }).success).toBe(false);
    expect(parse("einschraenkung", {}).success).toBe(false);
  });

  it("requires the particular situation, the consent and the complaint's subject", () => {
    expect(parse("widerspruch", { particularSituation: "Ich bin als Zeuge gefährdet." }).success).toBe(true);
    expect(parse("widerspruch", {}).success).toBe(false);
    expect(parse("widerruf", { consent: "Kontaktformular vom 3. März" }).success).toBe(true);
    expect(parse("widerruf", { consent: "" }).success).toBe(false);
    expect(parse("beschwerde", { subject: "Keine Antwort auf meine Auskunft" }).success).toBe(true);
    expect(parse("beschwerde", {}).success).toBe(false);
  });
});
