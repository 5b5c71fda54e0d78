/**
 * Each rule of docs/decisions/0007-matching-rules.md, one by one: every test here fails when its rule
 * is dropped. The people are the messy sample's cast (a man, his wife and mother-in-law at one
 * address, a namesake born on another day).
 */
import { describe, expect, it } from "vitest";
import { MESSY_CAST } from "#app/sources/sample/messy/cast";
import { compileSubject } from "#app/sources/subject";
import { subjectOf as subject } from "./search-results";

const HOME = "Rosmarinweg 12, 99089 Erfurt";

const joerg = compileSubject(
  subject({
    names: [{ value: "Jörg Müller", proven: true }],
    emails: [{ value: MESSY_CAST.joerg.email, proven: true }],
    phones: [{ value: MESSY_CAST.joerg.phone, proven: true }],
    postalAddresses: [{ value: HOME, proven: true }],
    birthDate: "1980-01-01",
  }),
);

describe("a family name plus an address is not the person", () => {
  it("needs the given name or its initial, and the family name equal", () => {
    expect(joerg.familyNameAtAddress("Müller", HOME, "Jörg")?.proven).toBe(true);
    expect(joerg.familyNameAtAddress("MUELLER", "Rosmarinweg 12 99089 Erfurt", "Joerg")).not.toBeNull();
    expect(joerg.familyNameAtAddress("Müller", HOME, "Anna"), "his wife").toBeNull();
    expect(joerg.familyNameAtAddress("Müller", HOME, "A."), "her initial").toBeNull();
    expect(joerg.familyNameAtAddress("Schmidt-Müller", HOME, "Gerda"), "mother-in-law").toBeNull();
    expect(
      joerg.familyNameAtAddress("Schmidt-Müller", HOME, "J."),
      "a double name ending with his",
    ).toBeNull();
    expect(joerg.familyNameAtAddress("Müller", HOME, null), "no given name at all").toBeNull();
    expect(joerg.familyNameAtAddress("Müller", HOME), "no given name at all").toBeNull();
    expect(joerg.familyNameAtAddress("Müller", "Brühl 3, 99867 Gotha", "Jörg"), "another address").toBeNull();
  });

  it("a written-out given name proves at the address even where another of the subject's names agrees only by initial", () => {
    const twoNames = compileSubject(
      subject({
        names: [
          { value: "J. Müller", proven: true },
          { value: "Jörg Müller", proven: false },
        ],
        postalAddresses: [{ value: HOME, proven: true }],
      }),
    );
    expect(twoNames.familyNameAtAddress("Müller", HOME, "Jörg")?.proven).toBe(true);
    expect(twoNames.familyNameAtAddress("Müller", HOME, "J.")?.proven).toBe(false);
  });

  it("an initial at the address is a candidate, not proof (a son may share it)", () => {
    const hit = joerg.familyNameAtAddress("Müller", HOME, "J.");
    expect(hit).not.toBeNull();
    expect(hit!.proven).toBe(false);
    expect(hit!.recordValue).toContain("J. Müller");
  });
});

describe("names", () => {
  it("the family name is equal by key, never a suffix", () => {
    expect(joerg.name("Jörg Schmidt-Müller")).toBeNull();
    expect(joerg.personName("Jörg", "Schmidt-Müller")).toBeNull();
    expect(joerg.name("Jörg Müller-Lüdenscheidt")).toBeNull();
    expect(joerg.personName("Jörg", "Mueller")).not.toBeNull();
  });

  it("the given names must agree: a wife at the same address is not her husband", () => {
    expect(joerg.name("Anna Müller")).toBeNull();
    expect(joerg.personName("Anna", "Müller")).toBeNull();
  });

  it("titles and forms of address are not part of the name", () => {
    for (const written of [
      "Dr. Jörg Müller",
      "Prof. Dr. Jörg Müller",
      "Dipl.-Ing. Jörg Müller",
      "Herr Jörg Müller",
      "Herrn Dr. med. Jörg Müller",
      "Müller, Dr. Jörg",
      "Jörg Müller, Dr.",
    ]) {
      expect(joerg.name(written), written).not.toBeNull();
    }
    expect(joerg.personName("Dr. Jörg", "Müller")).not.toBeNull();
    expect(joerg.name("Frau Dr. Müller"), "a title leaves no given name").toBeNull();
    expect(joerg.name("Herr Müller")).toBeNull();
  });

  it("a record may add middle names; a middle name alone is not the call name", () => {
    expect(joerg.personName("Jörg Peter", "Müller")).not.toBeNull();
    expect(joerg.name("Jörg Peter Müller")).not.toBeNull();
    expect(joerg.name("Müller, Jörg Peter")).not.toBeNull();
    expect(joerg.personName("Peter", "Müller")).toBeNull();
    const withMiddle = compileSubject(subject({ names: [{ value: "Jörg Peter Müller", proven: true }] }));
    expect(withMiddle.personName("Peter", "Müller"), "the subject gave Peter").not.toBeNull();
    expect(withMiddle.personName("Jörg", "Müller"), "a record leaving the middle name out").not.toBeNull();
    expect(withMiddle.personName("Jörg Hans", "Müller"), "another middle name").toBeNull();
  });

  it("initials alone never match a name without an address", () => {
    expect(joerg.name("J. Müller")).toBeNull();
    expect(joerg.personName("J.", "Müller")).toBeNull();
    expect(joerg.name("Jörg P. Müller"), "a written-out call name with a middle initial").not.toBeNull();
  });

  it("a name alone never proves the record is the person's", () => {
    const hit = joerg.name("Jörg Müller");
    expect(hit).not.toBeNull();
    expect(hit!.proven).toBe(false);
  });

  it("a name needs a given name and a family name", () => {
    expect(joerg.name("Müller")).toBeNull();
    const familyOnly = compileSubject(subject({ names: [{ value: "Müller", proven: true }] }));
    expect(familyOnly.name("Müller")).toBeNull();
    expect(familyOnly.isEmpty).toBe(true);
  });

  it("a family name in capitals may come first", () => {
    expect(joerg.name("MÜLLER Jörg")).not.toBeNull();
    expect(joerg.name("MÜLLER Jörg Peter")).not.toBeNull();
    expect(joerg.name("MÜLLER Anna")).toBeNull();
    expect(joerg.name("SCHMIDT-MÜLLER Jörg")).toBeNull();
    expect(joerg.name("JÖRG MÜLLER"), "all in capitals: the usual order").not.toBeNull();
    expect(joerg.name("Jörg MÜLLER")).not.toBeNull();
  });

  it("particles and hyphens belong to the family name", () => {
    const karl = compileSubject(subject({ names: [{ value: "Karl von der Heide" }] }));
    expect(karl.personName("Karl", "von der Heide")).not.toBeNull();
    expect(karl.personName("Karl", "Heide")).toBeNull();
    const grete = compileSubject(subject({ names: [{ value: "Grete Meyer-Lüdenscheidt" }] }));
    expect(grete.name("Grete Meyer Lüdenscheidt"), "same words in the same order").not.toBeNull();
    expect(grete.personName("Grete", "Meyer Lüdenscheidt")).not.toBeNull();
    expect(grete.name("Grete Lüdenscheidt")).toBeNull();
  });
});

describe("dates of birth", () => {
  it("a date that differs rejects, in every notation", () => {
    for (const date of [
      "1975-05-05",
      "05.05.1975",
      "5.5.1975",
      "19750505",
      "1975-05-05T00:00:00",
      "1975-00-00",
      "1975",
    ]) {
      expect(joerg.lookedUpPerson("Jörg", "Müller", date), date).toBeNull();
    }
  });

  it("an equal date proves, in every notation", () => {
    for (const date of [
      "1980-01-01",
      "01.01.1980",
      "1.1.1980",
      "19800101",
      "1980-01-01T00:00:00",
      "1980-01-01T00:00:00+01:00",
    ]) {
      const hit = joerg.lookedUpPerson("Jörg", "Müller", date);
      expect(hit, date).not.toBeNull();
      expect(hit!.proven, date).toBe(true);
    }
  });

  it("a missing, partial or unreadable date leaves the match unproven, never agreeing", () => {
    for (const date of [
      null,
      "",
      "1980-00-00",
      "1980",
      "00.00.1980",
      "01/01/80",
      "1.1.80",
      "1980-02-30",
      "unbekannt",
    ]) {
      const hit = joerg.lookedUpPerson("Jörg", "Müller", date);
      expect(hit, String(date)).not.toBeNull();
      expect(hit!.proven, String(date)).toBe(false);
    }
  });

  it("a subject without a date of birth is never proven by a name", () => {
    const noDate = compileSubject(subject({ names: [{ value: "Jörg Müller", proven: true }] }));
    const hit = noDate.lookedUpPerson("Jörg", "Müller", "1975-05-05");
    expect(hit).not.toBeNull();
    expect(hit!.proven).toBe(false);
  });

  it("a subject's date in any notation is read the same", () => {
    const compact = compileSubject(
      subject({ names: [{ value: "Jörg Müller", proven: true }], birthDate: "19800101" }),
    );
    expect(compact.lookedUpPerson("Jörg", "Müller", "01.01.1980")?.proven).toBe(true);
    expect(compact.lookedUpPerson("Jörg", "Müller", "1975-05-05")).toBeNull();
  });
});

describe("e-mail and telephone keys", () => {
  it("an internationalised domain matches in its punycode form, with mailto:, brackets and a root dot", () => {
    for (const written of [
      "joerg@xn--mller-bau-q9a.example",
      "mailto:joerg@müller-bau.example",
      "<mailto:Joerg@XN--MLLER-BAU-Q9A.example>",
      "Jörg <joerg@müller-bau.example.>",
      "joerg@MÜLLER-bau.example",
    ]) {
      expect(joerg.email(written)?.proven, written).toBe(true);
    }
    expect(joerg.email("joerg@mueller-bau.example"), "another domain").toBeNull();
  });

  it("telephone numbers in every notation, E.164 digits without + included", () => {
    for (const written of [
      "493619876543",
      "+49 (0)361 9876543",
      "0049 361 9876543",
      "0361/9876543",
      "tel:+49-361-9876543",
      "(0361) 98 76 543",
    ]) {
      expect(joerg.phone(written), written).not.toBeNull();
    }
    expect(joerg.phone("+4915209876543"), "his wife's mobile").toBeNull();
  });

  it("a display name beside another address is a candidate only", () => {
    expect(joerg.mailbox("Dr. Jörg Müller", "jm@elsewhere.example")?.proven).toBe(false);
    expect(joerg.mailbox("Irgendwer", "joerg@xn--mller-bau-q9a.example")?.proven).toBe(true);
    expect(joerg.mailbox("Anna Müller", "anna.mueller@example.net")).toBeNull();
  });
});

describe("a name beside another person's contact data", () => {
  const named = joerg.personName("Jörg", "Müller")!;

  it("is a namesake's letter where the record's address, mail or phone is of a kind the subject gave and none is theirs", () => {
    expect(
      joerg.nameBesideOtherContact(named, { postalAddress: "Brühl 3, 99867 Gotha" }),
      "written from Gotha",
    ).toBeNull();
    expect(
      joerg.nameBesideOtherContact(named, { email: MESSY_CAST.namesake.email }),
      "the namesake's mail",
    ).toBeNull();
    expect(
      joerg.nameBesideOtherContact(named, { phone: MESSY_CAST.namesake.phone }),
      "the namesake's phone",
    ).toBeNull();
  });

  it("stays an unproven candidate where nothing in the record can tell the two apart", () => {
    expect(joerg.nameBesideOtherContact(named, {})).toMatchObject({ kind: "name", proven: false });
    const nameOnly = compileSubject(subject({ names: [{ value: "Jörg Müller", proven: true }] }));
    expect(
      nameOnly.nameBesideOtherContact(nameOnly.personName("Jörg", "Müller")!, {
        postalAddress: "Brühl 3, 99867 Gotha",
      }),
      "the subject gave no address to compare",
    ).toMatchObject({ proven: false });
  });
});
