import { describe, expect, it } from "vitest";
import {
  compareBirthDates,
  emailMailboxKey,
  givenNamesAgree,
  nameKey,
  normaliseBirthDate,
  normaliseEmail,
  normaliseIp,
  normalisePhone,
  parseBirthDate,
  parsePersonName,
  parsePersonNameFields,
  personNameKey,
  postalAddressKey,
  userNameKey,
} from "#app/core/identifiers";

describe("e-mail", () => {
  it("trims, lower-cases and composes Unicode", () => {
    expect(normaliseEmail("  Erika.Mustermann@Example.ORG ")).toBe("erika.mustermann@example.org");
    expect(normaliseEmail("zoë.schäfer@example.de".normalize("NFD"))).toBe("zoë.schäfer@example.de");
    expect(normaliseEmail("<a@example.org>")).toBe("a@example.org");
    expect(normaliseEmail("not an address")).toBeNull();
  });
  it("one key for an internationalised domain in Unicode or punycode, with mailto:, brackets and a root dot", () => {
    const key = emailMailboxKey("joerg@müller-bau.example");
    expect(key).toBe("joerg@müller-bau.example");
    for (const written of [
      "joerg@xn--mller-bau-q9a.example",
      "JOERG@XN--MLLER-BAU-Q9A.EXAMPLE",
      "mailto:joerg@müller-bau.example",
      "<mailto:joerg@m%C3%BCller-bau.example?subject=Frage>",
      "joerg@müller-bau.example.",
    ]) {
      expect(emailMailboxKey(written), written).toBe(key);
    }
    expect(normaliseEmail("joerg@xn--a.example"), "not punycode").toBeNull();
    expect(normaliseEmail("mailto:")).toBeNull();
  });
  it("folds what providers document, and +tags everywhere only when asked", () => {
    expect(emailMailboxKey("L.u.kas+news@GoogleMail.com")).toBe("lukas@gmail.com");
    expect(emailMailboxKey("erika+x@example.org")).toBe("erika+x@example.org");
    expect(emailMailboxKey("erika+x@example.org", { foldPlusAliasEverywhere: true })).toBe(
      "erika@example.org",
    );
  });
});

describe("phone numbers", () => {
  it.each([
    "0361 573635800",
    "+49 (0)361 57-3635800",
    "0049361573635800",
    "(0361) 57 36 35 800",
    "+49 361 57-3635800",
    "0361/573635800",
  ])("%s is +49361573635800", (notation) => {
    expect(normalisePhone(notation)).toBe("+49361573635800");
  });
  it("reads E.164 digits without + as exchanges log them, and tel: URIs", () => {
    expect(normalisePhone("493619876543")).toBe("+493619876543");
    expect(normalisePhone("4915209876543")).toBe("+4915209876543");
    expect(normalisePhone("48601234567")).toBe("+48601234567");
    expect(normalisePhone("tel:+49-361-9876543")).toBe("+493619876543");
    // Too short to carry a country code: a national number without its trunk 0.
    expect(normalisePhone("3619876543")).toBe("+493619876543");
  });
  it("reads an RFC 3966 phone context the same way every time", () => {
    // libphonenumber-js keeps the state of its phone-context expressions from call to call.
    for (let round = 0; round < 3; round++) {
      expect(normalisePhone("tel:9876543;phone-context=+49361")).toBe("+493619876543");
      expect(normalisePhone("tel:573635800;phone-context=+49-361")).toBe("+49361573635800");
    }
  });
  it("keeps foreign numbers and refuses non-numbers", () => {
    expect(normalisePhone("0048 601 234 567")).toBe("+48601234567");
    expect(normalisePhone("anonymous")).toBeNull();
  });
});

describe("IP addresses", () => {
  it("reads every textual form", () => {
    expect(normaliseIp("::ffff:198.51.100.23")).toBe("198.51.100.23");
    expect(normaliseIp("198.051.100.023")).toBe("198.51.100.23");
    expect(normaliseIp("198.51.100.23:4711")).toBe("198.51.100.23");
    expect(normaliseIp("2001:0DB8:0000:0000:0000:0000:0000:0001")).toBe("2001:db8::1");
    expect(normaliseIp("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(normaliseIp("fe80::1%eth0")).toBe("fe80::1");
    expect(normaliseIp("999.1.1.1")).toBeNull();
  });
});

describe("names", () => {
  it("treats German spellings, case and order as one name", () => {
    const key = nameKey("Jürgen Müller");
    for (const variant of ["Juergen Mueller", "JÜRGEN MÜLLER", "Müller, Jürgen", "  jürgen   müller "])
      expect(nameKey(variant)).toBe(key);
    expect(nameKey("Jürgen Muller")).not.toBe(key);
    expect(nameKey("Jürgen Möller")).not.toBe(key);
  });
  it("folds other diacritics and double-name separators", () => {
    expect(nameKey("Łukasz Wiśniewski")).toBe(nameKey("Lukasz Wisniewski"));
    expect(nameKey("Grete Meyer-Lüdenscheidt")).toBe(nameKey("Grete Meyer Luedenscheidt"));
    expect(nameKey("Straßburger")).toBe("strassburger");
    expect(nameKey("Ａｎｎａ")).toBe("anna");
    expect(personNameKey("Zoë", "O'Connor")).toBe("zoe oconnor");
  });
  it("user names, birth dates, addresses", () => {
    expect(userNameKey(" EMustermann ")).toBe("emustermann");
    expect(normaliseBirthDate("2.3.1988")).toBe("1988-03-02");
    expect(normaliseBirthDate("1988-03-02")).toBe("1988-03-02");
    expect(postalAddressKey("Heidestraße 17, 51147 Köln")).toBe(postalAddressKey("Heidestr. 17 51147 Koeln"));
  });
});

describe("personal names as parts", () => {
  it("splits given and family names, leaving titles and suffixes out", () => {
    expect(parsePersonName("Prof. Dr. Jörg Peter Müller jun.")).toEqual({
      given: [
        { key: "joerg", initials: null },
        { key: "peter", initials: null },
      ],
      family: "mueller",
      full: "joerg peter mueller",
    });
    expect(parsePersonName("Müller, Dr. Jörg")?.family).toBe("mueller");
    expect(parsePersonName("Gerda Schmidt-Müller")?.family).toBe("schmidt mueller");
    expect(parsePersonName("Karl von der Heide")?.family).toBe("von der heide");
    expect(parsePersonName("Dipl.-Ing. H.-P. Müller")?.given).toEqual([{ key: "h p", initials: ["h", "p"] }]);
    expect(parsePersonName("J.P. Müller")?.given.map((g) => g.initials)).toEqual([["j"], ["p"]]);
    expect(parsePersonName("Herr")).toBeNull();
    expect(parsePersonNameFields(null, "Müller, Jörg")?.given[0]?.key).toBe("joerg");
  });
  it("given names agree when one list stands inside the other", () => {
    const g = (text: string) => parsePersonName(`${text} X`)!.given;
    expect(givenNamesAgree(g("Jörg"), g("Jörg Peter"))).toBe("full");
    expect(givenNamesAgree(g("Jörg P."), g("Jörg Peter"))).toBe("full");
    expect(givenNamesAgree(g("J."), g("Jörg Peter"))).toBe("initial");
    expect(givenNamesAgree(g("H.-P."), g("Hans-Peter"))).toBe("initial");
    expect(givenNamesAgree(g("Ö."), g("Özlem"))).toBe("initial");
    expect(givenNamesAgree(g("Peter"), g("Jörg"))).toBeNull();
    expect(givenNamesAgree(g("Jörg Hans"), g("Jörg Peter"))).toBeNull();
    expect(givenNamesAgree(g("Jörg"), g("Jörg-Peter")), "a double given name is one name").toBeNull();
  });
});

describe("dates of birth", () => {
  it.each([
    ["1980-01-01", { year: 1980, month: 1, day: 1 }],
    ["01.01.1980", { year: 1980, month: 1, day: 1 }],
    ["1.1.1980", { year: 1980, month: 1, day: 1 }],
    ["19800101", { year: 1980, month: 1, day: 1 }],
    ["01011980", { year: 1980, month: 1, day: 1 }],
    ["1980-01-01T00:00:00", { year: 1980, month: 1, day: 1 }],
    ["1980-01-01 00:00:00+01", { year: 1980, month: 1, day: 1 }],
    ["1980-00-00", { year: 1980, month: null, day: null }],
    ["1980-05-00", { year: 1980, month: 5, day: null }],
    ["00.00.1980", { year: 1980, month: null, day: null }],
    ["1980", { year: 1980, month: null, day: null }],
  ])("%s", (text, expected) => {
    expect(parseBirthDate(text)).toEqual(expected);
  });
  it.each(["1980-02-30", "31.04.1980", "01/01/1980", "1.1.80", "1980-00-05", "", "unbekannt", "19801301"])(
    "%s is unreadable",
    (text) => {
      expect(parseBirthDate(text)).toBeNull();
    },
  );
  it("compares only what both know", () => {
    const d = (text: string) => parseBirthDate(text);
    expect(compareBirthDates(d("1980-01-01"), d("01.01.1980"))).toBe("same");
    expect(compareBirthDates(d("1980-01-01"), d("1975-05-05"))).toBe("different");
    expect(compareBirthDates(d("1980-01-01"), d("1975-00-00"))).toBe("different");
    expect(compareBirthDates(d("1980-01-01"), d("1980-02-00"))).toBe("different");
    expect(compareBirthDates(d("1980-01-01"), d("1980-00-00"))).toBe("unknown");
    expect(compareBirthDates(d("1980-01-01"), null)).toBe("unknown");
    expect(normaliseBirthDate("19800101")).toBe("1980-01-01");
    expect(normaliseBirthDate("1980-00-00")).toBeNull();
  });
});
